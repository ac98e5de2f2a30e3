ALTER TABLE "claims" ADD COLUMN "primary_claim_id" uuid;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "primary_adjudication" jsonb;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_org_id_primary_claim_id_claims_org_id_id_fk" FOREIGN KEY ("org_id","primary_claim_id") REFERENCES "public"."claims"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claims_org_primary_claim_idx" ON "claims" USING btree ("org_id","primary_claim_id");--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_secondary_has_adjudication" CHECK (("claims"."primary_claim_id" is null) = ("claims"."primary_adjudication" is null));