-- Typo-tolerant code search matches words by trigram similarity.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TYPE "public"."adjustment_code_type" AS ENUM('GROUP', 'CARC', 'RARC');--> statement-breakpoint
CREATE TYPE "public"."code_system" AS ENUM('ICD10CM', 'ICD10PCS', 'CPT', 'HCPCS');--> statement-breakpoint
CREATE TYPE "public"."ncci_setting" AS ENUM('PRACTITIONER', 'OUTPATIENT_HOSPITAL', 'DME_SUPPLIER');--> statement-breakpoint
CREATE TABLE "adjustment_codes" (
	"type" "adjustment_code_type" NOT NULL,
	"code" text NOT NULL,
	"description" text NOT NULL,
	"start_date" date,
	"end_date" date,
	CONSTRAINT "adjustment_codes_type_code_pk" PRIMARY KEY("type","code")
);
--> statement-breakpoint
CREATE TABLE "code_search_terms" (
	"system" "code_system" NOT NULL,
	"term" text NOT NULL,
	"codes" integer NOT NULL,
	CONSTRAINT "code_search_terms_system_term_pk" PRIMARY KEY("system","term")
);
--> statement-breakpoint
CREATE TABLE "code_set_releases" (
	"id" serial PRIMARY KEY NOT NULL,
	"dataset" text NOT NULL,
	"label" text NOT NULL,
	"effective_from" date NOT NULL,
	"source_file" text NOT NULL,
	"sha256" text NOT NULL,
	"row_count" integer NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "diagnosis_edits" (
	"code" text PRIMARY KEY NOT NULL,
	"sex" text,
	"age_min" smallint,
	"age_max" smallint,
	"manifestation" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "medical_codes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"system" "code_system" NOT NULL,
	"code" text NOT NULL,
	"billable" boolean NOT NULL,
	"short_description" text NOT NULL,
	"long_description" text NOT NULL,
	"effective_from" date NOT NULL,
	"effective_to" date,
	"billable_descendants" integer DEFAULT 0 NOT NULL,
	"parent_code" text,
	"search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, long_description || ' ' || short_description)) STORED NOT NULL,
	"specificity" smallint GENERATED ALWAYS AS (length(ts_delete(to_tsvector('simple'::regconfig, long_description), '{unspecified,not,specified,site,essential,primary,nos,without,complication,complications}'::text[]))) STORED NOT NULL,
	"release_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "modifiers" (
	"code" text PRIMARY KEY NOT NULL,
	"levels" text[] NOT NULL,
	"description" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mue_limits" (
	"setting" "ncci_setting" NOT NULL,
	"code" text NOT NULL,
	"units" integer NOT NULL,
	"adjudication_indicator" smallint NOT NULL,
	"rationale" text NOT NULL,
	CONSTRAINT "mue_limits_setting_code_pk" PRIMARY KEY("setting","code")
);
--> statement-breakpoint
CREATE TABLE "ncci_ptp_edits" (
	"setting" "ncci_setting" NOT NULL,
	"column1" text NOT NULL,
	"column2s" text[] NOT NULL,
	"modifier_indicators" smallint[] NOT NULL,
	"deletion_dates" date[] NOT NULL,
	"rationale_ids" smallint[] NOT NULL,
	CONSTRAINT "ncci_ptp_edits_setting_column1_pk" PRIMARY KEY("setting","column1")
);
--> statement-breakpoint
CREATE TABLE "ncci_rationales" (
	"id" smallint PRIMARY KEY NOT NULL,
	"text" text NOT NULL,
	CONSTRAINT "ncci_rationales_text_unique" UNIQUE("text")
);
--> statement-breakpoint
CREATE TABLE "places_of_service" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "medical_codes" ADD CONSTRAINT "medical_codes_release_id_code_set_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."code_set_releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "code_search_terms_trgm_idx" ON "code_search_terms" USING gist ("term" gist_trgm_ops);--> statement-breakpoint
CREATE INDEX "code_search_terms_prefix_idx" ON "code_search_terms" USING btree ("system","term" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "code_set_releases_dataset_sha_key" ON "code_set_releases" USING btree ("dataset","sha256");--> statement-breakpoint
CREATE INDEX "code_set_releases_dataset_idx" ON "code_set_releases" USING btree ("dataset","effective_from");--> statement-breakpoint
CREATE UNIQUE INDEX "medical_codes_system_code_from_key" ON "medical_codes" USING btree ("system","code","effective_from");--> statement-breakpoint
CREATE INDEX "medical_codes_code_prefix_idx" ON "medical_codes" USING btree ("system","code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "medical_codes_parent_idx" ON "medical_codes" USING btree ("system","parent_code");--> statement-breakpoint
CREATE INDEX "medical_codes_search_idx" ON "medical_codes" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "medical_codes_search_order_idx" ON "medical_codes" USING btree ("system",(not "billable"),"specificity","code");