CREATE TABLE "claim_follow_ups" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"work_item_id" uuid,
	"actor_id" uuid NOT NULL,
	"note" text NOT NULL,
	"next_follow_up_on" date NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claim_follow_ups_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "payers" ADD COLUMN "follow_up_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "claim_follow_ups" ADD CONSTRAINT "claim_follow_ups_org_id_claim_id_claims_org_id_id_fk" FOREIGN KEY ("org_id","claim_id") REFERENCES "public"."claims"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_follow_ups" ADD CONSTRAINT "claim_follow_ups_org_id_actor_id_users_org_id_id_fk" FOREIGN KEY ("org_id","actor_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claim_follow_ups_claim_idx" ON "claim_follow_ups" USING btree ("org_id","claim_id","at");--> statement-breakpoint
ALTER TABLE "payers" ADD CONSTRAINT "payers_follow_up_days_positive" CHECK ("payers"."follow_up_days" > 0);--> statement-breakpoint
-- A claim's follow-ups are append-only: each call is a new row (0006).
REVOKE UPDATE, DELETE ON claim_follow_ups FROM chartroom_app;
