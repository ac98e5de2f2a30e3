/*
 * What happened to work items: the history row and the outbox event of every change, written in
 * the transaction that made it, and the reads of that history.
 */
import { and, asc, desc, eq, inArray, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { workItems, workItemTransitions } from "../../db/schema/work.js";
import { type Scope, underFacilities } from "../../db/scope.js";
import { type AuditEntry, auditInsert } from "../audit/index.js";
import { eventsStatement } from "../events/index.js";
import type { WorkItemRow, WorkItemStatus } from "./work.store.js";

export type TransitionRow = typeof workItemTransitions.$inferSelect;

/** The outbox topic of work item changes. */
export const WORK_ITEM_TOPIC = "work_item";

/** What a work item event says: enough to route it to subscribers without reading the item. */
export interface WorkItemEventPayload {
  type: WorkItemEventType;
  workItemId: string;
  queueId: string;
  facilityId: string;
  from: WorkItemStatus | null;
  status: WorkItemStatus;
  assigneeId: string | null;
  /** The assignee before the change: equal to `assigneeId` when the change kept it, null when there was none. */
  previousAssigneeId: string | null;
  /** Null when the system made the change. */
  actorId: string | null;
  version: number;
}

/** What can happen to a work item: the `type` of its events (and of the outbox rows they are read from). */
export const WORK_ITEM_EVENT_TYPES = [
  "created",
  "claimed",
  "lease_extended",
  "released",
  "lease_expired",
  "assigned",
  "reassigned",
  "unassigned",
  "held",
  "resumed",
  "priority_changed",
  "completed",
  "cancelled",
] as const;
export type WorkItemEventType = (typeof WORK_ITEM_EVENT_TYPES)[number];

/** One change of one item, for its history row and its outbox event. */
export interface WorkItemChange {
  item: WorkItemRow;
  from: WorkItemStatus | null;
  /** Null when the system made the change. */
  actorId: string | null;
  /** Event type, e.g. "claimed"; also the history's reason unless `reason` says more. */
  type: WorkItemEventType;
  reason?: string;
  /**
   * Who held the item before this change, when the change gave it to someone or took it from
   * someone (null: nobody did). Left out, the assignee did not change. Subscribers of a user's
   * assignments learn from it that an item left them.
   */
  previousAssigneeId?: string | null;
}

const previousAssignee = (c: WorkItemChange) =>
  c.previousAssigneeId === undefined ? c.item.assigneeId : c.previousAssigneeId;

/**
 * The columns of a relation of changes, one row per change, from which changesStatement writes the history
 * rows and the events (in the order of `n`).
 */
const CHANGE_COLUMNS = [
  ["org_id", "uuid"],
  ["work_item_id", "uuid"],
  ["queue_id", "uuid"],
  ["facility_id", "uuid"],
  ["from_status", "work_item_status"],
  ["to_status", "work_item_status"],
  ["assignee_id", "uuid"],
  ["previous_assignee_id", "uuid"],
  ["actor_id", "uuid"],
  ["type", "text"],
  ["reason", "text"],
  ["version", "integer"],
] as const;
type ChangeColumn = (typeof CHANGE_COLUMNS)[number][0];

const HISTORY_COLUMNS = [
  workItemTransitions.orgId,
  workItemTransitions.workItemId,
  workItemTransitions.fromStatus,
  workItemTransitions.toStatus,
  workItemTransitions.actorId,
  workItemTransitions.assigneeId,
  workItemTransitions.previousAssigneeId,
  workItemTransitions.reason,
].map((column) => sql.identifier(column.name));

/** What a work item event says, built from a row of changes: the one place the payload is made. */
const EVENT_PAYLOAD = sql`jsonb_build_object('type', c.type, 'workItemId', c.work_item_id, 'queueId', c.queue_id,
  'facilityId', c.facility_id, 'from', c.from_status, 'status', c.to_status, 'assigneeId', c.assignee_id,
  'previousAssigneeId', c.previous_assignee_id, 'actorId', c.actor_id, 'version', c.version)`;

/**
 * One statement that records the changes `changes` selects (CHANGE_COLUMNS and `n`), after the named
 * queries `before` (the statement that makes the changes, say): the history rows, the outbox events and
 * the writes `alongside` (the audit row), then answers `result`. Each row is written in its item's
 * organization: the lease sweep changes items of several.
 */
export function changesStatement(
  before: readonly (readonly [string, SQLWrapper])[],
  changes: SQL,
  alongside: readonly (readonly [string, SQLWrapper])[],
  result?: SQL,
): SQL {
  const history = sql`insert into ${workItemTransitions} (${sql.join(HISTORY_COLUMNS, sql`, `)})
    select org_id, work_item_id, from_status, to_status, actor_id, assignee_id, previous_assignee_id, reason
    from changes order by n`;
  return eventsStatement(
    [...before, ["changes", changes], ["history", history], ...alongside],
    sql`select c.org_id, ${WORK_ITEM_TOPIC}::text as topic, ${EVENT_PAYLOAD} as payload, c.n from changes c`,
    result,
  );
}

/**
 * The history rows and outbox events of changes made in the same transaction, and the
 * caller's audit row, in one statement.
 */
export async function recordChanges(db: Database, changes: WorkItemChange[], audit?: AuditEntry): Promise<void> {
  if (changes.length === 0) return;
  const rows = changes.map(
    (c) =>
      ({
        org_id: c.item.orgId,
        work_item_id: c.item.id,
        queue_id: c.item.queueId,
        facility_id: c.item.facilityId,
        from_status: c.from,
        to_status: c.item.status,
        assignee_id: c.item.assigneeId,
        previous_assignee_id: previousAssignee(c),
        actor_id: c.actorId,
        type: c.type,
        reason: c.reason ?? c.type,
        version: c.item.version,
      }) satisfies Record<ChangeColumn, unknown>,
  );
  const declared = sql.raw(CHANGE_COLUMNS.map(([name, type]) => `${name} ${type}`).join(", "));
  const names = sql.raw(CHANGE_COLUMNS.map(([name]) => name).join(", "));
  await db.execute(
    changesStatement(
      [],
      sql`select * from rows from (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as (${declared}))
        with ordinality as c(${names}, n)`,
      audit ? [["audit", auditInsert(db, [audit])]] : [],
    ),
  );
}

/** Who last put the item on hold, whom it left, and from which status; undefined when it never was. */
export async function latestHoldOf(
  db: Database,
  scope: Scope,
  itemId: string,
): Promise<
  { actorId: string | null; previousAssigneeId: string | null; fromStatus: WorkItemStatus | null } | undefined
> {
  const [row] = await db
    .select({
      actorId: workItemTransitions.actorId,
      previousAssigneeId: workItemTransitions.previousAssigneeId,
      fromStatus: workItemTransitions.fromStatus,
    })
    .from(workItemTransitions)
    .where(
      and(
        underFacilities(workItemTransitions, workItemTransitions.workItemId, workItems, scope),
        eq(workItemTransitions.workItemId, itemId),
        eq(workItemTransitions.toStatus, "ON_HOLD"),
      ),
    )
    .orderBy(desc(workItemTransitions.id))
    .limit(1);
  return row;
}

/** The history of items at the caller's facilities, oldest first. */
export function transitionsOfItems(db: Database, scope: Scope, itemIds: readonly string[]): Promise<TransitionRow[]> {
  return db
    .select()
    .from(workItemTransitions)
    .where(
      and(
        underFacilities(workItemTransitions, workItemTransitions.workItemId, workItems, scope),
        inArray(workItemTransitions.workItemId, [...itemIds]),
      ),
    )
    .orderBy(asc(workItemTransitions.id));
}
