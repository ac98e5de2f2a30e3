CREATE TYPE "public"."code_change_source" AS ENUM('CODING', 'REVIEW');--> statement-breakpoint
CREATE TYPE "public"."code_kind" AS ENUM('DIAGNOSIS', 'PROCEDURE');--> statement-breakpoint
CREATE TYPE "public"."finding_kind" AS ENUM('ADDED', 'REMOVED', 'CHANGED', 'RESEQUENCED');--> statement-breakpoint
CREATE TYPE "public"."present_on_admission" AS ENUM('Y', 'N', 'U', 'W', '1');--> statement-breakpoint
CREATE TYPE "public"."review_outcome" AS ENUM('ACCEPTED', 'CORRECTED');--> statement-breakpoint
CREATE TABLE "coding_completions" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"encounter_id" uuid NOT NULL,
	"work_item_id" uuid NOT NULL,
	"coder_id" uuid NOT NULL,
	"completed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"handle_seconds" integer NOT NULL,
	"codes" jsonb NOT NULL,
	"code_count" integer NOT NULL,
	"sampled" boolean NOT NULL,
	"sampling_reason" text NOT NULL,
	CONSTRAINT "coding_completions_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "coding_review_findings" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"kind" "finding_kind" NOT NULL,
	"code_kind" "code_kind" NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"reason" text NOT NULL,
	CONSTRAINT "coding_review_findings_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "coding_reviews" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"completion_id" uuid NOT NULL,
	"encounter_id" uuid NOT NULL,
	"auditor_id" uuid NOT NULL,
	"outcome" "review_outcome" NOT NULL,
	"codes_reviewed" integer NOT NULL,
	"codes_unchanged" integer NOT NULL,
	"note" text,
	"reviewed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coding_reviews_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "coding_reviews_unchanged_within_reviewed" CHECK ("coding_reviews"."codes_unchanged" between 0 and "coding_reviews"."codes_reviewed")
);
--> statement-breakpoint
CREATE TABLE "encounter_code_changes" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"encounter_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"actor_id" uuid NOT NULL,
	"source" "code_change_source" NOT NULL,
	"before" jsonb NOT NULL,
	"after" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "encounter_code_changes_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "encounter_diagnoses" (
	"org_id" uuid NOT NULL,
	"encounter_id" uuid NOT NULL,
	"sequence" smallint NOT NULL,
	"code" text NOT NULL,
	"present_on_admission" "present_on_admission",
	CONSTRAINT "encounter_diagnoses_org_id_encounter_id_sequence_pk" PRIMARY KEY("org_id","encounter_id","sequence"),
	CONSTRAINT "encounter_diagnoses_sequence_positive" CHECK ("encounter_diagnoses"."sequence" > 0)
);
--> statement-breakpoint
CREATE TABLE "encounter_procedures" (
	"org_id" uuid NOT NULL,
	"encounter_id" uuid NOT NULL,
	"sequence" smallint NOT NULL,
	"system" "code_system" NOT NULL,
	"code" text NOT NULL,
	"modifiers" text[] DEFAULT '{}'::text[] NOT NULL,
	"units" integer NOT NULL,
	"charge" numeric(12, 2) NOT NULL,
	"service_date" date,
	"diagnosis_pointers" smallint[] NOT NULL,
	CONSTRAINT "encounter_procedures_org_id_encounter_id_sequence_pk" PRIMARY KEY("org_id","encounter_id","sequence"),
	CONSTRAINT "encounter_procedures_sequence_positive" CHECK ("encounter_procedures"."sequence" > 0),
	CONSTRAINT "encounter_procedures_units_positive" CHECK ("encounter_procedures"."units" > 0),
	CONSTRAINT "encounter_procedures_charge_not_negative" CHECK ("encounter_procedures"."charge" >= 0)
);
--> statement-breakpoint
CREATE TABLE "physician_queries" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"encounter_id" uuid NOT NULL,
	"work_item_id" uuid NOT NULL,
	"asked_by_id" uuid NOT NULL,
	"question" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answer" text,
	"answered_by_id" uuid,
	"answered_at" timestamp with time zone,
	CONSTRAINT "physician_queries_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "physician_queries_answer_complete" CHECK (("physician_queries"."answer" is null) = ("physician_queries"."answered_at" is null))
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "coding_qa_percent" smallint DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "work_item_transitions" ADD COLUMN "assignee_id" uuid;--> statement-breakpoint
ALTER TABLE "work_item_transitions" ADD COLUMN "previous_assignee_id" uuid;--> statement-breakpoint
ALTER TABLE "coding_completions" ADD CONSTRAINT "coding_completions_org_id_encounter_id_encounters_org_id_id_fk" FOREIGN KEY ("org_id","encounter_id") REFERENCES "public"."encounters"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coding_completions" ADD CONSTRAINT "coding_completions_org_id_work_item_id_work_items_org_id_id_fk" FOREIGN KEY ("org_id","work_item_id") REFERENCES "public"."work_items"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coding_completions" ADD CONSTRAINT "coding_completions_org_id_coder_id_users_org_id_id_fk" FOREIGN KEY ("org_id","coder_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coding_review_findings" ADD CONSTRAINT "coding_review_findings_org_id_review_id_coding_reviews_org_id_id_fk" FOREIGN KEY ("org_id","review_id") REFERENCES "public"."coding_reviews"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coding_reviews" ADD CONSTRAINT "coding_reviews_org_id_completion_id_coding_completions_org_id_id_fk" FOREIGN KEY ("org_id","completion_id") REFERENCES "public"."coding_completions"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coding_reviews" ADD CONSTRAINT "coding_reviews_org_id_encounter_id_encounters_org_id_id_fk" FOREIGN KEY ("org_id","encounter_id") REFERENCES "public"."encounters"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coding_reviews" ADD CONSTRAINT "coding_reviews_org_id_auditor_id_users_org_id_id_fk" FOREIGN KEY ("org_id","auditor_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounter_code_changes" ADD CONSTRAINT "encounter_code_changes_org_id_encounter_id_encounters_org_id_id_fk" FOREIGN KEY ("org_id","encounter_id") REFERENCES "public"."encounters"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounter_diagnoses" ADD CONSTRAINT "encounter_diagnoses_org_id_encounter_id_encounters_org_id_id_fk" FOREIGN KEY ("org_id","encounter_id") REFERENCES "public"."encounters"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounter_procedures" ADD CONSTRAINT "encounter_procedures_org_id_encounter_id_encounters_org_id_id_fk" FOREIGN KEY ("org_id","encounter_id") REFERENCES "public"."encounters"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "physician_queries" ADD CONSTRAINT "physician_queries_org_id_encounter_id_encounters_org_id_id_fk" FOREIGN KEY ("org_id","encounter_id") REFERENCES "public"."encounters"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "physician_queries" ADD CONSTRAINT "physician_queries_org_id_work_item_id_work_items_org_id_id_fk" FOREIGN KEY ("org_id","work_item_id") REFERENCES "public"."work_items"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "physician_queries" ADD CONSTRAINT "physician_queries_org_id_asked_by_id_users_org_id_id_fk" FOREIGN KEY ("org_id","asked_by_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "physician_queries" ADD CONSTRAINT "physician_queries_org_id_answered_by_id_users_org_id_id_fk" FOREIGN KEY ("org_id","answered_by_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "coding_completions_coder_idx" ON "coding_completions" USING btree ("org_id","coder_id","completed_at");--> statement-breakpoint
CREATE INDEX "coding_completions_encounter_idx" ON "coding_completions" USING btree ("org_id","encounter_id","completed_at");--> statement-breakpoint
CREATE INDEX "coding_review_findings_review_idx" ON "coding_review_findings" USING btree ("org_id","review_id");--> statement-breakpoint
CREATE UNIQUE INDEX "coding_reviews_completion_key" ON "coding_reviews" USING btree ("org_id","completion_id");--> statement-breakpoint
CREATE INDEX "encounter_code_changes_encounter_idx" ON "encounter_code_changes" USING btree ("org_id","encounter_id","at");--> statement-breakpoint
CREATE INDEX "physician_queries_encounter_idx" ON "physician_queries" USING btree ("org_id","encounter_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "physician_queries_open_key" ON "physician_queries" USING btree ("org_id","encounter_id") WHERE "physician_queries"."answered_at" is null;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_coding_qa_percent_range" CHECK ("organizations"."coding_qa_percent" between 0 and 100);