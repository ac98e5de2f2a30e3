/*
 * What happened to work items: the history row and the outbox event of every change, written in
 * the transaction that made it, and the reads of that history.
 */
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { workItems, workItemTransitions } from "../../db/schema/work.js";
import { organizationOnly, ownedBy, type Scope, underFacilities } from "../../db/scope.js";
import { type AuditEntry, auditInsert } from "../audit/index.js";
import { appendEvents } from "../events/index.js";
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
 * The history rows and outbox events of changes made in the same transaction, and the
 * caller's audit row. Each row is written in its item's organization: the lease sweep changes items
 * of several.
 */
export async function recordChanges(db: Database, changes: WorkItemChange[], audit?: AuditEntry): Promise<void> {
  if (changes.length === 0) return;
  const history = db.insert(workItemTransitions).values(
    changes.map((c) =>
      ownedBy(organizationOnly(c.item.orgId), {
        workItemId: c.item.id,
        fromStatus: c.from,
        toStatus: c.item.status,
        actorId: c.actorId,
        assigneeId: c.item.assigneeId,
        previousAssigneeId: previousAssignee(c),
        reason: c.reason ?? c.type,
      }),
    ),
  );
  // One statement, one round trip, for the history rows, the events and the audit row.
  await appendEvents(
    db,
    changes.map((c) =>
      ownedBy(organizationOnly(c.item.orgId), {
        topic: WORK_ITEM_TOPIC,
        payload: {
          type: c.type,
          workItemId: c.item.id,
          queueId: c.item.queueId,
          facilityId: c.item.facilityId,
          from: c.from,
          status: c.item.status,
          assigneeId: c.item.assigneeId,
          previousAssigneeId: previousAssignee(c),
          actorId: c.actorId,
          version: c.item.version,
        } satisfies WorkItemEventPayload,
      }),
    ),
    audit ? [history, auditInsert(db, [audit])] : [history],
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
