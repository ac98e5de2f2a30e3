CREATE TYPE "public"."code_note_kind" AS ENUM('EXCLUDES1', 'EXCLUDES2', 'CODE_FIRST', 'USE_ADDITIONAL_CODE', 'CODE_ALSO');--> statement-breakpoint
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
ALTER TABLE "code_notes" ADD CONSTRAINT "code_notes_release_id_code_set_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."code_set_releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "code_notes_scope_idx" ON "code_notes" USING btree ("release_id","scope");--> statement-breakpoint
CREATE INDEX "code_notes_ranges_idx" ON "code_notes" USING btree ("release_id") WHERE "code_notes"."scope" like '%-%';