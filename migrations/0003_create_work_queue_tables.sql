CREATE TYPE "public"."queue_kind" AS ENUM('CODING', 'CODING_REVIEW', 'CLAIM_EDIT', 'BILLING', 'DENIAL', 'FOLLOW_UP');--> statement-breakpoint
CREATE TYPE "public"."work_item_status" AS ENUM('READY', 'ASSIGNED', 'ON_HOLD', 'DONE', 'CANCELLED');--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"topic" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_item_transitions" (
	"org_id" uuid NOT NULL,
	"id" bigserial PRIMARY KEY NOT NULL,
	"work_item_id" uuid NOT NULL,
	"from_status" "work_item_status",
	"to_status" "work_item_status" NOT NULL,
	"actor_id" uuid,
	"reason" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_items" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"queue_id" uuid NOT NULL,
	"queue_kind" "queue_kind" NOT NULL,
	"facility_id" uuid NOT NULL,
	"encounter_id" uuid,
	"claim_id" uuid,
	"status" "work_item_status" DEFAULT 'READY' NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone,
	"assignee_id" uuid,
	"assigned_by_id" uuid,
	"lease_expires_at" timestamp with time zone,
	"hold_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "work_items_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "work_items_one_subject" CHECK (("work_items"."encounter_id" is null) <> ("work_items"."claim_id" is null)),
	CONSTRAINT "work_items_assigned_has_assignee" CHECK (("work_items"."status" = 'ASSIGNED') = ("work_items"."assignee_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "work_queues" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" "queue_kind" NOT NULL,
	"name" text NOT NULL,
	"routing_order" integer DEFAULT 100 NOT NULL,
	"facility_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"encounter_types" "encounter_type"[] DEFAULT '{}'::encounter_type[] NOT NULL,
	"payer_kinds" "payer_kind"[] DEFAULT '{}'::payer_kind[] NOT NULL,
	"required_credential" text,
	"sla_hours" integer,
	"lease_minutes" integer DEFAULT 15 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "work_queues_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "work_queues_sla_positive" CHECK ("work_queues"."sla_hours" is null or "work_queues"."sla_hours" > 0),
	CONSTRAINT "work_queues_lease_positive" CHECK ("work_queues"."lease_minutes" > 0)
);
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_item_transitions" ADD CONSTRAINT "work_item_transitions_org_id_work_item_id_work_items_org_id_id_fk" FOREIGN KEY ("org_id","work_item_id") REFERENCES "public"."work_items"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_org_id_queue_id_work_queues_org_id_id_fk" FOREIGN KEY ("org_id","queue_id") REFERENCES "public"."work_queues"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_org_id_encounter_id_encounters_org_id_id_fk" FOREIGN KEY ("org_id","encounter_id") REFERENCES "public"."encounters"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_org_id_claim_id_claims_org_id_id_fk" FOREIGN KEY ("org_id","claim_id") REFERENCES "public"."claims"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_org_id_assignee_id_users_org_id_id_fk" FOREIGN KEY ("org_id","assignee_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_org_id_assigned_by_id_users_org_id_id_fk" FOREIGN KEY ("org_id","assigned_by_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_queues" ADD CONSTRAINT "work_queues_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "events_org_topic_id_idx" ON "events" USING btree ("org_id","topic","id");--> statement-breakpoint
CREATE INDEX "events_created_at_idx" ON "events" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "work_item_transitions_item_idx" ON "work_item_transitions" USING btree ("org_id","work_item_id","id");--> statement-breakpoint
CREATE INDEX "work_items_ready_idx" ON "work_items" USING btree ("org_id","queue_id","priority" DESC NULLS LAST,"due_at","created_at","id") WHERE "work_items"."status" = 'READY';--> statement-breakpoint
CREATE INDEX "work_items_leased_idx" ON "work_items" USING btree ("org_id","lease_expires_at") WHERE "work_items"."status" = 'ASSIGNED' and "work_items"."lease_expires_at" is not null;--> statement-breakpoint
CREATE INDEX "work_items_assignee_idx" ON "work_items" USING btree ("org_id","assignee_id","due_at") WHERE "work_items"."status" = 'ASSIGNED';--> statement-breakpoint
CREATE INDEX "work_items_queue_status_idx" ON "work_items" USING btree ("org_id","queue_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "work_items_open_encounter_key" ON "work_items" USING btree ("org_id","encounter_id","queue_kind") WHERE "work_items"."encounter_id" is not null and "work_items"."status" in ('READY', 'ASSIGNED', 'ON_HOLD');--> statement-breakpoint
CREATE UNIQUE INDEX "work_items_open_claim_key" ON "work_items" USING btree ("org_id","claim_id","queue_kind") WHERE "work_items"."claim_id" is not null and "work_items"."status" in ('READY', 'ASSIGNED', 'ON_HOLD');--> statement-breakpoint
CREATE UNIQUE INDEX "work_queues_org_name_key" ON "work_queues" USING btree ("org_id","name");