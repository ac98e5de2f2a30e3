DROP INDEX "claim_payments_reverses_key";--> statement-breakpoint
DROP INDEX "claim_payments_resolves_key";--> statement-breakpoint
CREATE UNIQUE INDEX "claim_payments_reverses_key" ON "claim_payments" USING btree ("org_id","reverses_id") WHERE "claim_payments"."reverses_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "claim_payments_resolves_key" ON "claim_payments" USING btree ("org_id","resolves_id") WHERE "claim_payments"."resolves_id" is not null;