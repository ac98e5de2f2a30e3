ALTER TABLE "events" DROP CONSTRAINT "events_org_id_organizations_id_fk";
--> statement-breakpoint
DROP INDEX "events_created_at_idx";--> statement-breakpoint
CREATE INDEX "events_created_at_brin" ON "events" USING brin ("created_at");