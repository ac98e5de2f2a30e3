CREATE TYPE "public"."claim_status" AS ENUM('DRAFT', 'NEEDS_REVIEW', 'READY', 'SUBMITTED', 'ACCEPTED', 'REJECTED', 'PAID', 'PARTIALLY_PAID', 'DENIED', 'APPEALED', 'VOID', 'CLOSED');--> statement-breakpoint
CREATE TYPE "public"."encounter_status" AS ENUM('DRAFT', 'READY_FOR_CODING', 'CODING', 'ON_HOLD', 'CODED', 'IN_REVIEW', 'READY_TO_BILL', 'BILLED', 'CLOSED');--> statement-breakpoint
CREATE TYPE "public"."encounter_type" AS ENUM('PROFESSIONAL', 'OUTPATIENT', 'INPATIENT', 'EMERGENCY');--> statement-breakpoint
CREATE TYPE "public"."payer_kind" AS ENUM('MEDICARE', 'MEDICAID', 'COMMERCIAL', 'SELF_PAY');--> statement-breakpoint
CREATE TYPE "public"."administrative_sex" AS ENUM('F', 'M', 'U');--> statement-breakpoint
CREATE TYPE "public"."eligibility_status" AS ENUM('UNVERIFIED', 'ACTIVE', 'INACTIVE');--> statement-breakpoint
CREATE TYPE "public"."subscriber_relation" AS ENUM('SELF', 'SPOUSE', 'CHILD', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('CODER', 'BILLER', 'AUDITOR', 'SUPERVISOR', 'ADMIN');--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"actor_user_id" uuid,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_ids" uuid[] NOT NULL,
	"request_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claims" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"encounter_id" uuid NOT NULL,
	"payer_id" uuid,
	"status" "claim_status" DEFAULT 'DRAFT' NOT NULL,
	"total_charge" numeric(12, 2) DEFAULT '0.00' NOT NULL,
	"paid_amount" numeric(12, 2) DEFAULT '0.00' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claims_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "encounters" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"facility_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"rendering_provider_id" uuid NOT NULL,
	"type" "encounter_type" NOT NULL,
	"service_date" date NOT NULL,
	"discharge_date" date,
	"place_of_service" text NOT NULL,
	"documentation" text NOT NULL,
	"status" "encounter_status" DEFAULT 'DRAFT' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"external_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "encounters_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "encounters_discharge_after_admission" CHECK ("encounters"."discharge_date" is null or "encounters"."discharge_date" >= "encounters"."service_date"),
	CONSTRAINT "encounters_place_of_service_format" CHECK ("encounters"."place_of_service" ~ '^[0-9]{2}$')
);
--> statement-breakpoint
CREATE TABLE "facilities" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"npi" text NOT NULL,
	"tax_id" text NOT NULL,
	"address_line1" text NOT NULL,
	"city" text NOT NULL,
	"state" text NOT NULL,
	"postal_code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "facilities_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "payers" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"payer_id" text NOT NULL,
	"kind" "payer_kind" NOT NULL,
	"timely_filing_days" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payers_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "providers" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"facility_id" uuid NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"credential" text,
	"npi" text NOT NULL,
	"taxonomy_code" text NOT NULL,
	"specialty" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "providers_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "coverages" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"payer_id" uuid NOT NULL,
	"member_id" text NOT NULL,
	"group_number" text,
	"subscriber_relation" "subscriber_relation" DEFAULT 'SELF' NOT NULL,
	"priority" integer NOT NULL,
	"effective_from" date NOT NULL,
	"effective_to" date,
	"eligibility_status" "eligibility_status" DEFAULT 'UNVERIFIED' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coverages_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "patients" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"facility_id" uuid NOT NULL,
	"mrn" text NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"birth_date" date NOT NULL,
	"sex" "administrative_sex" NOT NULL,
	"address_line1" text,
	"city" text,
	"state" text,
	"postal_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "patients_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "login_failures" (
	"email" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "user_facility_access" (
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	CONSTRAINT "user_facility_access_org_id_user_id_facility_id_pk" PRIMARY KEY("org_id","user_id","facility_id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"roles" "role"[] NOT NULL,
	"credentials" text[] DEFAULT '{}'::text[] NOT NULL,
	"password_hash" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_org_id_encounter_id_encounters_org_id_id_fk" FOREIGN KEY ("org_id","encounter_id") REFERENCES "public"."encounters"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_org_id_payer_id_payers_org_id_id_fk" FOREIGN KEY ("org_id","payer_id") REFERENCES "public"."payers"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_org_id_facility_id_facilities_org_id_id_fk" FOREIGN KEY ("org_id","facility_id") REFERENCES "public"."facilities"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_org_id_patient_id_patients_org_id_id_fk" FOREIGN KEY ("org_id","patient_id") REFERENCES "public"."patients"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_org_id_rendering_provider_id_providers_org_id_id_fk" FOREIGN KEY ("org_id","rendering_provider_id") REFERENCES "public"."providers"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payers" ADD CONSTRAINT "payers_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers" ADD CONSTRAINT "providers_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers" ADD CONSTRAINT "providers_org_id_facility_id_facilities_org_id_id_fk" FOREIGN KEY ("org_id","facility_id") REFERENCES "public"."facilities"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coverages" ADD CONSTRAINT "coverages_org_id_patient_id_patients_org_id_id_fk" FOREIGN KEY ("org_id","patient_id") REFERENCES "public"."patients"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coverages" ADD CONSTRAINT "coverages_org_id_payer_id_payers_org_id_id_fk" FOREIGN KEY ("org_id","payer_id") REFERENCES "public"."payers"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients" ADD CONSTRAINT "patients_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients" ADD CONSTRAINT "patients_org_id_facility_id_facilities_org_id_id_fk" FOREIGN KEY ("org_id","facility_id") REFERENCES "public"."facilities"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_facility_access" ADD CONSTRAINT "user_facility_access_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_facility_access" ADD CONSTRAINT "user_facility_access_org_id_facility_id_facilities_org_id_id_fk" FOREIGN KEY ("org_id","facility_id") REFERENCES "public"."facilities"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_org_at_idx" ON "audit_log" USING btree ("org_id","at");--> statement-breakpoint
CREATE INDEX "claims_org_encounter_idx" ON "claims" USING btree ("org_id","encounter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "encounters_org_external_id_key" ON "encounters" USING btree ("org_id","external_id") WHERE "encounters"."external_id" is not null;--> statement-breakpoint
CREATE INDEX "encounters_org_service_date_idx" ON "encounters" USING btree ("org_id","service_date" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "encounters_org_facility_service_date_idx" ON "encounters" USING btree ("org_id","facility_id","service_date" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "encounters_org_patient_idx" ON "encounters" USING btree ("org_id","patient_id");--> statement-breakpoint
CREATE INDEX "encounters_org_status_idx" ON "encounters" USING btree ("org_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "facilities_org_npi_key" ON "facilities" USING btree ("org_id","npi");--> statement-breakpoint
CREATE UNIQUE INDEX "payers_org_payer_id_key" ON "payers" USING btree ("org_id","payer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "providers_org_npi_key" ON "providers" USING btree ("org_id","npi");--> statement-breakpoint
CREATE INDEX "providers_org_facility_idx" ON "providers" USING btree ("org_id","facility_id");--> statement-breakpoint
CREATE INDEX "coverages_org_patient_idx" ON "coverages" USING btree ("org_id","patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "patients_org_facility_mrn_key" ON "patients" USING btree ("org_id","facility_id","mrn");--> statement-breakpoint
CREATE INDEX "patients_org_name_idx" ON "patients" USING btree ("org_id","last_name","first_name");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");