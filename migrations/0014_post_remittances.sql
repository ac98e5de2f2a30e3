ALTER TYPE "public"."queue_kind" ADD VALUE 'UNMATCHED_PAYMENT';--> statement-breakpoint
CREATE TABLE "claim_adjustments" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"claim_payment_id" uuid,
	"line_payment_id" uuid,
	"line_number" smallint,
	"group_code" text NOT NULL,
	"reason_code" text NOT NULL,
	"amount" numeric(12, 2) NOT NULL,
	"quantity" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claim_adjustments_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "claim_payments" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"remittance_id" uuid NOT NULL,
	"claim_id" uuid,
	"facility_id" uuid NOT NULL,
	"patient_control_number" text NOT NULL,
	"claim_status_code" text NOT NULL,
	"charge" numeric(12, 2) NOT NULL,
	"paid" numeric(12, 2) NOT NULL,
	"patient_responsibility" numeric(12, 2) NOT NULL,
	"payer_claim_control_number" text,
	"remarks" text[] DEFAULT '{}'::text[] NOT NULL,
	"status_before" "claim_status",
	"status_after" "claim_status",
	"reverses_id" uuid,
	"resolves_id" uuid,
	"detail" jsonb NOT NULL,
	"unmatched_reason" text,
	"posted_by" uuid NOT NULL,
	"posted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claim_payments_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "claim_payments_unmatched_has_reason" CHECK (("claim_payments"."claim_id" is null) = ("claim_payments"."unmatched_reason" is not null))
);
--> statement-breakpoint
CREATE TABLE "line_payments" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"claim_payment_id" uuid NOT NULL,
	"claim_id" uuid NOT NULL,
	"line_number" smallint,
	"line_control_number" text,
	"code" text NOT NULL,
	"modifiers" text[] DEFAULT '{}'::text[] NOT NULL,
	"units" text NOT NULL,
	"charge" numeric(12, 2) NOT NULL,
	"paid" numeric(12, 2) NOT NULL,
	"service_date" date,
	"remarks" text[] DEFAULT '{}'::text[] NOT NULL,
	CONSTRAINT "line_payments_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "provider_adjustments" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"remittance_id" uuid NOT NULL,
	"provider_identifier" text NOT NULL,
	"fiscal_period_end" date,
	"reason_code" text NOT NULL,
	"reference" text,
	"amount" numeric(12, 2) NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "provider_adjustments_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "remittance_files" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"content_hash" text NOT NULL,
	"x12" text NOT NULL,
	"sender_id" text NOT NULL,
	"interchange_control_number" text NOT NULL,
	"received_by" uuid NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "remittance_files_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "remittances" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"file_id" uuid NOT NULL,
	"payer_identifier" text NOT NULL,
	"trace_number" text NOT NULL,
	"payer_id" uuid,
	"payer_name" text NOT NULL,
	"payment_amount" numeric(12, 2) NOT NULL,
	"handling" text NOT NULL,
	"method" text NOT NULL,
	"payment_date" date,
	"payee_name" text NOT NULL,
	"payee_identifier" text,
	"posted_by" uuid NOT NULL,
	"posted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "remittances_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "work_items" DROP CONSTRAINT "work_items_one_subject";--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "adjusted_amount" numeric(12, 2) DEFAULT '0.00' NOT NULL;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "patient_responsibility" numeric(12, 2) DEFAULT '0.00' NOT NULL;--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "claim_payment_id" uuid;--> statement-breakpoint
ALTER TABLE "claim_adjustments" ADD CONSTRAINT "claim_adjustments_org_id_claim_id_claims_org_id_id_fk" FOREIGN KEY ("org_id","claim_id") REFERENCES "public"."claims"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_adjustments" ADD CONSTRAINT "claim_adjustments_org_id_claim_payment_id_claim_payments_org_id_id_fk" FOREIGN KEY ("org_id","claim_payment_id") REFERENCES "public"."claim_payments"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_adjustments" ADD CONSTRAINT "claim_adjustments_org_id_line_payment_id_line_payments_org_id_id_fk" FOREIGN KEY ("org_id","line_payment_id") REFERENCES "public"."line_payments"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_adjustments" ADD CONSTRAINT "claim_adjustments_org_id_created_by_users_org_id_id_fk" FOREIGN KEY ("org_id","created_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_payments" ADD CONSTRAINT "claim_payments_org_id_remittance_id_remittances_org_id_id_fk" FOREIGN KEY ("org_id","remittance_id") REFERENCES "public"."remittances"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_payments" ADD CONSTRAINT "claim_payments_org_id_claim_id_claims_org_id_id_fk" FOREIGN KEY ("org_id","claim_id") REFERENCES "public"."claims"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_payments" ADD CONSTRAINT "claim_payments_org_id_facility_id_facilities_org_id_id_fk" FOREIGN KEY ("org_id","facility_id") REFERENCES "public"."facilities"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_payments" ADD CONSTRAINT "claim_payments_org_id_reverses_id_claim_payments_org_id_id_fk" FOREIGN KEY ("org_id","reverses_id") REFERENCES "public"."claim_payments"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_payments" ADD CONSTRAINT "claim_payments_org_id_resolves_id_claim_payments_org_id_id_fk" FOREIGN KEY ("org_id","resolves_id") REFERENCES "public"."claim_payments"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_payments" ADD CONSTRAINT "claim_payments_org_id_posted_by_users_org_id_id_fk" FOREIGN KEY ("org_id","posted_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_payments" ADD CONSTRAINT "line_payments_org_id_claim_payment_id_claim_payments_org_id_id_fk" FOREIGN KEY ("org_id","claim_payment_id") REFERENCES "public"."claim_payments"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_payments" ADD CONSTRAINT "line_payments_org_id_claim_id_claims_org_id_id_fk" FOREIGN KEY ("org_id","claim_id") REFERENCES "public"."claims"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_adjustments" ADD CONSTRAINT "provider_adjustments_org_id_remittance_id_remittances_org_id_id_fk" FOREIGN KEY ("org_id","remittance_id") REFERENCES "public"."remittances"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remittance_files" ADD CONSTRAINT "remittance_files_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remittance_files" ADD CONSTRAINT "remittance_files_org_id_received_by_users_org_id_id_fk" FOREIGN KEY ("org_id","received_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remittances" ADD CONSTRAINT "remittances_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remittances" ADD CONSTRAINT "remittances_org_id_file_id_remittance_files_org_id_id_fk" FOREIGN KEY ("org_id","file_id") REFERENCES "public"."remittance_files"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remittances" ADD CONSTRAINT "remittances_org_id_payer_id_payers_org_id_id_fk" FOREIGN KEY ("org_id","payer_id") REFERENCES "public"."payers"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remittances" ADD CONSTRAINT "remittances_org_id_posted_by_users_org_id_id_fk" FOREIGN KEY ("org_id","posted_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claim_adjustments_claim_idx" ON "claim_adjustments" USING btree ("org_id","claim_id");--> statement-breakpoint
CREATE INDEX "claim_adjustments_claim_payment_idx" ON "claim_adjustments" USING btree ("org_id","claim_payment_id");--> statement-breakpoint
CREATE INDEX "claim_payments_remittance_idx" ON "claim_payments" USING btree ("org_id","remittance_id");--> statement-breakpoint
CREATE INDEX "claim_payments_claim_idx" ON "claim_payments" USING btree ("org_id","claim_id","posted_at");--> statement-breakpoint
CREATE INDEX "claim_payments_unmatched_idx" ON "claim_payments" USING btree ("org_id","posted_at") WHERE "claim_payments"."claim_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "claim_payments_reverses_key" ON "claim_payments" USING btree ("org_id","reverses_id");--> statement-breakpoint
CREATE UNIQUE INDEX "claim_payments_resolves_key" ON "claim_payments" USING btree ("org_id","resolves_id");--> statement-breakpoint
CREATE INDEX "line_payments_claim_payment_idx" ON "line_payments" USING btree ("org_id","claim_payment_id");--> statement-breakpoint
CREATE INDEX "line_payments_claim_idx" ON "line_payments" USING btree ("org_id","claim_id");--> statement-breakpoint
CREATE INDEX "provider_adjustments_remittance_idx" ON "provider_adjustments" USING btree ("org_id","remittance_id");--> statement-breakpoint
CREATE UNIQUE INDEX "remittance_files_org_content_hash_key" ON "remittance_files" USING btree ("org_id","content_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "remittances_org_payer_trace_key" ON "remittances" USING btree ("org_id","payer_identifier","trace_number");--> statement-breakpoint
CREATE INDEX "remittances_org_posted_idx" ON "remittances" USING btree ("org_id","posted_at");--> statement-breakpoint
CREATE INDEX "remittances_org_file_idx" ON "remittances" USING btree ("org_id","file_id");--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_org_id_claim_payment_id_claim_payments_org_id_id_fk" FOREIGN KEY ("org_id","claim_payment_id") REFERENCES "public"."claim_payments"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "work_items_open_claim_payment_key" ON "work_items" USING btree ("org_id","claim_payment_id","queue_kind") WHERE "work_items"."claim_payment_id" is not null and "work_items"."status" in ('READY', 'ASSIGNED', 'ON_HOLD');--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_one_subject" CHECK (num_nonnulls("work_items"."encounter_id", "work_items"."claim_id", "work_items"."claim_payment_id") = 1);--> statement-breakpoint
-- Payments and adjustments are never changed in place: a reversal, a match by hand or a write-off is a new row.
REVOKE UPDATE, DELETE ON remittance_files, remittances, claim_payments, line_payments, claim_adjustments, provider_adjustments FROM chartroom_app;
