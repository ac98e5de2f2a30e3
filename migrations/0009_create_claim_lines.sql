CREATE TABLE "claim_lines" (
	"org_id" uuid NOT NULL,
	"claim_id" uuid NOT NULL,
	"line_number" smallint NOT NULL,
	"line_control_number" text NOT NULL,
	"system" text NOT NULL,
	"code" text NOT NULL,
	"modifiers" text[] DEFAULT '{}'::text[] NOT NULL,
	"units" integer NOT NULL,
	"charge" numeric(12, 2) NOT NULL,
	"service_date" date NOT NULL,
	"diagnosis_pointers" smallint[] NOT NULL,
	"paid_amount" numeric(12, 2) DEFAULT '0.00' NOT NULL,
	CONSTRAINT "claim_lines_org_id_claim_id_line_number_pk" PRIMARY KEY("org_id","claim_id","line_number"),
	CONSTRAINT "claim_lines_line_number_positive" CHECK ("claim_lines"."line_number" > 0),
	CONSTRAINT "claim_lines_charge_not_negative" CHECK ("claim_lines"."charge" >= 0)
);
--> statement-breakpoint
CREATE TABLE "claim_status_changes" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"from_status" "claim_status",
	"to_status" "claim_status" NOT NULL,
	"actor_id" uuid,
	"reason" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claim_status_changes_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "organization_counters" (
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"last_value" bigint NOT NULL,
	CONSTRAINT "organization_counters_org_id_name_pk" PRIMARY KEY("org_id","name")
);
--> statement-breakpoint
CREATE TABLE "patient_statement_lines" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"encounter_id" uuid NOT NULL,
	"amount" numeric(12, 2) NOT NULL,
	"description" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "patient_statement_lines_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "facility_id" uuid NOT NULL;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "patient_id" uuid NOT NULL;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "coverage_id" uuid;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "rendering_provider_id" uuid;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "referring_provider_id" uuid;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "patient_control_number" text NOT NULL;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "frequency_code" text DEFAULT '1' NOT NULL;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "payer_claim_control_number" text;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "replaces_claim_id" uuid;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "place_of_service" text NOT NULL;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "service_date" date NOT NULL;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "diagnoses" text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "scrub_edits" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "scrubbed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "encounters" ADD COLUMN "referring_provider_id" uuid;--> statement-breakpoint
ALTER TABLE "facilities" ADD COLUMN "taxonomy_code" text;--> statement-breakpoint
ALTER TABLE "coverages" ADD COLUMN "subscriber_first_name" text;--> statement-breakpoint
ALTER TABLE "coverages" ADD COLUMN "subscriber_last_name" text;--> statement-breakpoint
ALTER TABLE "coverages" ADD COLUMN "subscriber_birth_date" date;--> statement-breakpoint
ALTER TABLE "coverages" ADD COLUMN "subscriber_sex" "administrative_sex";--> statement-breakpoint
ALTER TABLE "claim_lines" ADD CONSTRAINT "claim_lines_org_id_claim_id_claims_org_id_id_fk" FOREIGN KEY ("org_id","claim_id") REFERENCES "public"."claims"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_status_changes" ADD CONSTRAINT "claim_status_changes_org_id_claim_id_claims_org_id_id_fk" FOREIGN KEY ("org_id","claim_id") REFERENCES "public"."claims"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_status_changes" ADD CONSTRAINT "claim_status_changes_org_id_actor_id_users_org_id_id_fk" FOREIGN KEY ("org_id","actor_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_counters" ADD CONSTRAINT "organization_counters_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_statement_lines" ADD CONSTRAINT "patient_statement_lines_org_id_patient_id_patients_org_id_id_fk" FOREIGN KEY ("org_id","patient_id") REFERENCES "public"."patients"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_statement_lines" ADD CONSTRAINT "patient_statement_lines_org_id_encounter_id_encounters_org_id_id_fk" FOREIGN KEY ("org_id","encounter_id") REFERENCES "public"."encounters"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "claim_lines_org_line_control_number_key" ON "claim_lines" USING btree ("org_id","line_control_number");--> statement-breakpoint
CREATE INDEX "claim_status_changes_claim_idx" ON "claim_status_changes" USING btree ("org_id","claim_id","at");--> statement-breakpoint
CREATE INDEX "patient_statement_lines_patient_idx" ON "patient_statement_lines" USING btree ("org_id","patient_id");--> statement-breakpoint
CREATE INDEX "patient_statement_lines_encounter_idx" ON "patient_statement_lines" USING btree ("org_id","encounter_id");--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_org_id_facility_id_facilities_org_id_id_fk" FOREIGN KEY ("org_id","facility_id") REFERENCES "public"."facilities"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_org_id_patient_id_patients_org_id_id_fk" FOREIGN KEY ("org_id","patient_id") REFERENCES "public"."patients"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_org_id_coverage_id_coverages_org_id_id_fk" FOREIGN KEY ("org_id","coverage_id") REFERENCES "public"."coverages"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_org_id_rendering_provider_id_providers_org_id_id_fk" FOREIGN KEY ("org_id","rendering_provider_id") REFERENCES "public"."providers"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_org_id_referring_provider_id_providers_org_id_id_fk" FOREIGN KEY ("org_id","referring_provider_id") REFERENCES "public"."providers"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_org_id_replaces_claim_id_claims_org_id_id_fk" FOREIGN KEY ("org_id","replaces_claim_id") REFERENCES "public"."claims"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_org_id_referring_provider_id_providers_org_id_id_fk" FOREIGN KEY ("org_id","referring_provider_id") REFERENCES "public"."providers"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claims_org_status_payer_idx" ON "claims" USING btree ("org_id","status","payer_id");--> statement-breakpoint
CREATE INDEX "claims_org_patient_service_date_idx" ON "claims" USING btree ("org_id","patient_id","service_date");--> statement-breakpoint
CREATE UNIQUE INDEX "claims_org_patient_control_number_key" ON "claims" USING btree ("org_id","patient_control_number");--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_frequency_code" CHECK ("claims"."frequency_code" in ('1', '7', '8'));--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_patient_control_number_length" CHECK (length("claims"."patient_control_number") between 1 and 17);--> statement-breakpoint
-- A claim's status history is append-only, as the audit log is (0006).
REVOKE UPDATE, DELETE ON claim_status_changes FROM chartroom_app;
