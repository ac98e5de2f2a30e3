DROP INDEX "code_search_terms_trgm_idx";--> statement-breakpoint
CREATE INDEX "code_search_terms_trgm_idx" ON "code_search_terms" USING gin ("term" gin_trgm_ops);