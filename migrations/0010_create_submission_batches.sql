CREATE TABLE "submission_batch_claims" (
	"org_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"claim_id" uuid NOT NULL,
	"transaction_set_control_number" text NOT NULL,
	CONSTRAINT "submission_batch_claims_org_id_batch_id_claim_id_pk" PRIMARY KEY("org_id","batch_id","claim_id")
);
--> statement-breakpoint
CREATE TABLE "submission_batches" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"payer_id" uuid NOT NULL,
	"interchange_control_number" integer NOT NULL,
	"group_control_number" integer NOT NULL,
	"transaction_set_control_numbers" text[] NOT NULL,
	"x12" text NOT NULL,
	"claim_count" integer NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "submission_batches_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "submission_batches_control_numbers_range" CHECK ("submission_batches"."interchange_control_number" between 1 and 999999999 and "submission_batches"."group_control_number" between 1 and 999999999)
);
--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "batch_id" uuid;--> statement-breakpoint
ALTER TABLE "submission_batch_claims" ADD CONSTRAINT "submission_batch_claims_org_id_batch_id_submission_batches_org_id_id_fk" FOREIGN KEY ("org_id","batch_id") REFERENCES "public"."submission_batches"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_batch_claims" ADD CONSTRAINT "submission_batch_claims_org_id_claim_id_claims_org_id_id_fk" FOREIGN KEY ("org_id","claim_id") REFERENCES "public"."claims"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_batches" ADD CONSTRAINT "submission_batches_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_batches" ADD CONSTRAINT "submission_batches_org_id_payer_id_payers_org_id_id_fk" FOREIGN KEY ("org_id","payer_id") REFERENCES "public"."payers"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_batches" ADD CONSTRAINT "submission_batches_org_id_created_by_users_org_id_id_fk" FOREIGN KEY ("org_id","created_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "submission_batch_claims_claim_idx" ON "submission_batch_claims" USING btree ("org_id","claim_id");--> statement-breakpoint
CREATE UNIQUE INDEX "submission_batches_org_interchange_key" ON "submission_batches" USING btree ("org_id","interchange_control_number");--> statement-breakpoint
CREATE UNIQUE INDEX "submission_batches_org_group_key" ON "submission_batches" USING btree ("org_id","group_control_number");--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_org_id_batch_id_submission_batches_org_id_id_fk" FOREIGN KEY ("org_id","batch_id") REFERENCES "public"."submission_batches"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claims_org_batch_idx" ON "claims" USING btree ("org_id","batch_id");