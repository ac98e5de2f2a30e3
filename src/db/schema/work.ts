import { sql } from "drizzle-orm";
import {
  bigserial,
  check,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, orgId } from "../columns.js";
import { claims } from "./claims.js";
import { encounters, encounterType } from "./encounters.js";
import { organizations, payerKind } from "./organizations.js";
import { claimPayments } from "./remittance.js";
import { users } from "./users.js";

export const queueKind = pgEnum("queue_kind", [
  "CODING",
  "CODING_REVIEW",
  "CLAIM_EDIT",
  "BILLING",
  "DENIAL",
  "FOLLOW_UP",
  "UNMATCHED_PAYMENT",
]);
export const workItemStatus = pgEnum("work_item_status", ["READY", "ASSIGNED", "ON_HOLD", "DONE", "CANCELLED"]);

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * A list of work of one kind. Routing rules are columns, each an array where empty means "any":
 * a subject goes to the first queue of its kind (by `routing_order`) whose rules all match.
 */
export const workQueues = pgTable(
  "work_queues",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    kind: queueKind("kind").notNull(),
    name: text("name").notNull(),
    /** Lower is tried first when several queues of a kind could take a subject. */
    routingOrder: integer("routing_order").notNull().default(100),
    facilityIds: uuid("facility_ids").array().notNull().default(sql`'{}'::uuid[]`),
    encounterTypes: encounterType("encounter_types").array().notNull().default(sql`'{}'::encounter_type[]`),
    payerKinds: payerKind("payer_kinds").array().notNull().default(sql`'{}'::payer_kind[]`),
    /** A credential (CCS, CPC…) a user must hold to work this queue; null when none is needed. */
    requiredCredential: text("required_credential"),
    slaHours: integer("sla_hours"),
    leaseMinutes: integer("lease_minutes").notNull().default(15),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("work_queues_org_name_key").on(t.orgId, t.name),
    check("work_queues_sla_positive", sql`${t.slaHours} is null or ${t.slaHours} > 0`),
    check("work_queues_lease_positive", sql`${t.leaseMinutes} > 0`),
  ],
);

/** One piece of work on one subject (an encounter, a claim or an unmatched claim payment) in one queue. */
export const workItems = pgTable(
  "work_items",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    queueId: uuid("queue_id").notNull(),
    /** Copied from the queue so "one open item per subject and kind" is a plain unique index. */
    queueKind: queueKind("queue_kind").notNull(),
    /** The facility of the subject, copied so claim-next scopes by facility without a join. */
    facilityId: uuid("facility_id").notNull(),
    encounterId: uuid("encounter_id"),
    claimId: uuid("claim_id"),
    /** A claim payment of a remittance that matched none of our claims, to match by hand. */
    claimPaymentId: uuid("claim_payment_id"),
    status: workItemStatus("status").notNull().default("READY"),
    /** Higher is worked first; see work.routing.ts for the formula. */
    priority: integer("priority").notNull().default(0),
    dueAt: at("due_at"),
    assigneeId: uuid("assignee_id"),
    assignedById: uuid("assigned_by_id"),
    /** Set on a claimed item; past it, the item counts as READY again. Supervisor assignments carry none. */
    leaseExpiresAt: at("lease_expires_at"),
    holdReason: text("hold_reason"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.queueId], foreignColumns: [workQueues.orgId, workQueues.id] }),
    foreignKey({ columns: [t.orgId, t.encounterId], foreignColumns: [encounters.orgId, encounters.id] }),
    foreignKey({ columns: [t.orgId, t.claimId], foreignColumns: [claims.orgId, claims.id] }),
    foreignKey({ columns: [t.orgId, t.assigneeId], foreignColumns: [users.orgId, users.id] }),
    foreignKey({ columns: [t.orgId, t.assignedById], foreignColumns: [users.orgId, users.id] }),
    foreignKey({ columns: [t.orgId, t.claimPaymentId], foreignColumns: [claimPayments.orgId, claimPayments.id] }),
    check("work_items_one_subject", sql`num_nonnulls(${t.encounterId}, ${t.claimId}, ${t.claimPaymentId}) = 1`),
    check("work_items_assigned_has_assignee", sql`(${t.status} = 'ASSIGNED') = (${t.assigneeId} is not null)`),
    // claim-next from a named queue: the best READY items of that queue
    // first. Expired leases are the few ASSIGNED rows it also reads.
    index("work_items_ready_idx")
      .on(t.orgId, t.queueId, t.priority.desc(), t.dueAt.asc().nullsLast(), t.createdAt, t.id)
      .where(sql`${t.status} = 'READY'`),
    // claim-next from any of the caller's queues: the organization's best READY items first, read
    // until one is the caller's. Without it a claim sorts every READY item of those queues, a cost
    // that grows with the backlog: 21 ms of the database's time per claim at 20,000 items, 0.1 ms with it.
    index("work_items_ready_org_idx")
      .on(t.orgId, t.priority.desc(), t.dueAt.asc().nullsLast(), t.createdAt, t.id)
      .where(sql`${t.status} = 'READY'`),
    index("work_items_leased_idx")
      .on(t.orgId, t.leaseExpiresAt)
      .where(sql`${t.status} = 'ASSIGNED' and ${t.leaseExpiresAt} is not null`),
    index("work_items_assignee_idx").on(t.orgId, t.assigneeId, t.dueAt).where(sql`${t.status} = 'ASSIGNED'`),
    index("work_items_queue_status_idx").on(t.orgId, t.queueId, t.status),
    uniqueIndex("work_items_open_encounter_key")
      .on(t.orgId, t.encounterId, t.queueKind)
      .where(sql`${t.encounterId} is not null and ${t.status} in ('READY', 'ASSIGNED', 'ON_HOLD')`),
    uniqueIndex("work_items_open_claim_key")
      .on(t.orgId, t.claimId, t.queueKind)
      .where(sql`${t.claimId} is not null and ${t.status} in ('READY', 'ASSIGNED', 'ON_HOLD')`),
    uniqueIndex("work_items_open_claim_payment_key")
      .on(t.orgId, t.claimPaymentId, t.queueKind)
      .where(sql`${t.claimPaymentId} is not null and ${t.status} in ('READY', 'ASSIGNED', 'ON_HOLD')`),
  ],
);

/** Every change of a work item: the history supervisors and auditors read. Append-only. */
export const workItemTransitions = pgTable(
  "work_item_transitions",
  {
    orgId: orgId(),
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workItemId: uuid("work_item_id").notNull(),
    /** Null for the item's creation. */
    fromStatus: workItemStatus("from_status"),
    toStatus: workItemStatus("to_status").notNull(),
    /** Null when the system made the change (an expired lease). */
    actorId: uuid("actor_id"),
    /** Who holds the item after the change, and who held it before (the same when the change kept it). */
    assigneeId: uuid("assignee_id"),
    previousAssigneeId: uuid("previous_assignee_id"),
    reason: text("reason").notNull(),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.orgId, t.workItemId], foreignColumns: [workItems.orgId, workItems.id] }),
    index("work_item_transitions_item_idx").on(t.orgId, t.workItemId, t.id),
  ],
);
