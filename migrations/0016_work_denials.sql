CREATE TYPE "public"."adjustment_kind" AS ENUM('REMITTANCE', 'WRITE_OFF', 'PATIENT_TRANSFER');--> statement-breakpoint
CREATE TABLE "claim_appeals" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"claim_payment_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"deadline" date NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claim_appeals_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "write_off_approval_limit" numeric(12, 2) DEFAULT '100.00' NOT NULL;--> statement-breakpoint
ALTER TABLE "payers" ADD COLUMN "appeal_days" integer DEFAULT 120 NOT NULL;--> statement-breakpoint
ALTER TABLE "claim_adjustments" ADD COLUMN "kind" "adjustment_kind" DEFAULT 'REMITTANCE' NOT NULL;--> statement-breakpoint
ALTER TABLE "claim_adjustments" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "claim_appeals" ADD CONSTRAINT "claim_appeals_org_id_claim_id_claims_org_id_id_fk" FOREIGN KEY ("org_id","claim_id") REFERENCES "public"."claims"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_appeals" ADD CONSTRAINT "claim_appeals_org_id_claim_payment_id_claim_payments_org_id_id_fk" FOREIGN KEY ("org_id","claim_payment_id") REFERENCES "public"."claim_payments"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_appeals" ADD CONSTRAINT "claim_appeals_org_id_created_by_users_org_id_id_fk" FOREIGN KEY ("org_id","created_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claim_appeals_claim_idx" ON "claim_appeals" USING btree ("org_id","claim_id","created_at");--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_write_off_approval_limit_not_negative" CHECK ("organizations"."write_off_approval_limit" >= 0);--> statement-breakpoint
ALTER TABLE "payers" ADD CONSTRAINT "payers_appeal_days_positive" CHECK ("payers"."appeal_days" > 0);--> statement-breakpoint
ALTER TABLE "claim_adjustments" ADD CONSTRAINT "claim_adjustments_kind_source" CHECK (("claim_adjustments"."kind" = 'REMITTANCE') = ("claim_adjustments"."claim_payment_id" is not null)
        and ("claim_adjustments"."kind" = 'REMITTANCE') = ("claim_adjustments"."note" is null));--> statement-breakpoint
-- Appeals are history: the app role records them and never changes or removes one.
REVOKE UPDATE, DELETE ON claim_appeals FROM chartroom_app;
