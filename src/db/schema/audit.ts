import { bigserial, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Append-only record of PHI reads and of every change (HIPAA 164.312(b)).
 * A trigger (migration add_audit_log_append_only) refuses UPDATE, DELETE and TRUNCATE.
 * Rows name entities by id only: no PHI is written here.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    orgId: uuid("org_id").notNull(),
    actorUserId: uuid("actor_user_id"),
    /** What happened, as `<entity>.<verb>`: `patient.read`, `encounter.create`, `auth.login`. */
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityIds: uuid("entity_ids").array().notNull(),
    requestId: text("request_id"),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("audit_log_org_at_idx").on(t.orgId, t.at)],
);
