CREATE TABLE "acknowledgements" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"content_hash" text NOT NULL,
	"x12" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"received_by" uuid NOT NULL,
	"batch_ids" uuid[] NOT NULL,
	"claims_accepted" integer NOT NULL,
	"claims_rejected" integer NOT NULL,
	"unmatched" integer NOT NULL,
	"outcomes" jsonb NOT NULL,
	CONSTRAINT "acknowledgements_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "acknowledgements_kind" CHECK ("acknowledgements"."kind" in ('999', '277CA'))
);
--> statement-breakpoint
ALTER TABLE "acknowledgements" ADD CONSTRAINT "acknowledgements_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acknowledgements" ADD CONSTRAINT "acknowledgements_org_id_received_by_users_org_id_id_fk" FOREIGN KEY ("org_id","received_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "acknowledgements_org_content_hash_key" ON "acknowledgements" USING btree ("org_id","content_hash");--> statement-breakpoint
CREATE INDEX "acknowledgements_org_received_idx" ON "acknowledgements" USING btree ("org_id","received_at");