CREATE TYPE "public"."code_note_kind" AS ENUM('EXCLUDES1', 'EXCLUDES2', 'CODE_FIRST', 'USE_ADDITIONAL_CODE', 'CODE_ALSO');--> statement-breakpoint
CREATE TYPE "public"."code_set_import_state" AS ENUM('RUNNING', 'SUCCEEDED', 'FAILED');--> statement-breakpoint
CREATE TABLE "code_notes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"release_id" integer NOT NULL,
	"scope" text NOT NULL,
	"kind" "code_note_kind" NOT NULL,
	"position" smallint NOT NULL,
	"text" text NOT NULL,
	"refs" text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "code_set_import_jobs" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"file" text NOT NULL,
	"requested_by" uuid NOT NULL,
	"state" "code_set_import_state" DEFAULT 'RUNNING' NOT NULL,
	"progress" text[] DEFAULT '{}'::text[] NOT NULL,
	"release_id" integer,
	"error_code" text,
	"error_message" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "code_set_import_jobs_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "encounter_diagnoses" ADD COLUMN "unrelated_to" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "code_notes" ADD CONSTRAINT "code_notes_release_id_code_set_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."code_set_releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "code_set_import_jobs" ADD CONSTRAINT "code_set_import_jobs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "code_set_import_jobs" ADD CONSTRAINT "code_set_import_jobs_release_id_code_set_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."code_set_releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "code_set_import_jobs" ADD CONSTRAINT "code_set_import_jobs_org_id_requested_by_users_org_id_id_fk" FOREIGN KEY ("org_id","requested_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "code_notes_scope_idx" ON "code_notes" USING btree ("release_id","scope");--> statement-breakpoint
CREATE INDEX "code_notes_ranges_idx" ON "code_notes" USING btree ("release_id") WHERE "code_notes"."scope" like '%-%';--> statement-breakpoint
CREATE INDEX "code_set_import_jobs_org_started_idx" ON "code_set_import_jobs" USING btree ("org_id","started_at");