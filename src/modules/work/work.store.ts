import { and, asc, count, desc, eq, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { keysetAfter, keysetOrder } from "../../db/keyset.js";
import { inFacilities, inOrg, type Scope } from "../../db/scope.js";
import { workItems, workItemTransitions, workQueues } from "../../db/schema/work.js";
import { appendEvents } from "../events/event.store.js";
import { toPage, type Page, type PageRequest } from "../../shared/pagination.js";

export type WorkQueueRow = typeof workQueues.$inferSelect;
export type NewWorkQueue = typeof workQueues.$inferInsert;
export type WorkItemRow = typeof workItems.$inferSelect;
export type NewWorkItem = typeof workItems.$inferInsert;
export type QueueKind = WorkQueueRow["kind"];
export type WorkItemStatus = WorkItemRow["status"];

/** Items still to be worked; a subject has at most one of these per queue kind. */
const OPEN: WorkItemStatus[] = ["READY", "ASSIGNED", "ON_HOLD"];
/** How many expired leases one claim returns to READY before it claims. */
const EXPIRY_BATCH = 100;

/* insertQueues */
export async function insertQueues(db: Database, rows: NewWorkQueue[]): Promise<WorkQueueRow[]> {
  return db.insert(workQueues).values(rows).returning();
}

/* queuesOfOrganization: every queue, in routing order. */
export function queuesOfOrganization(db: Database, scope: Scope): Promise<WorkQueueRow[]> {
  return db.select().from(workQueues).where(inOrg(workQueues, scope)).orderBy(asc(workQueues.routingOrder), asc(workQueues.name));
}

/* queuesByIds */
export function queuesByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<WorkQueueRow[]> {
  return db.select().from(workQueues).where(and(inOrg(workQueues, scope), inArray(workQueues.id, [...ids])));
}

/* workItemsByIds: those at the caller's facilities. */
export function workItemsByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<WorkItemRow[]> {
  return db.select().from(workItems).where(and(inFacilities(workItems, scope), inArray(workItems.id, [...ids])));
}

/* workItemsByEncounterIds: every item (open or closed) of these encounters at the caller's facilities, oldest first. */
export function workItemsByEncounterIds(db: Database, scope: Scope, encounterIds: readonly string[]): Promise<WorkItemRow[]> {
  return db
    .select()
    .from(workItems)
    .where(and(inFacilities(workItems, scope), inArray(workItems.encounterId, [...encounterIds])))
    .orderBy(...keysetOrder(BY_AGE, "asc"));
}

/* insertWorkItem: undefined when the subject already has an open item of that queue kind. */
export async function insertWorkItem(db: Database, values: NewWorkItem): Promise<WorkItemRow | undefined> {
  const [row] = await db.insert(workItems).values(values).onConflictDoNothing().returning();
  return row;
}

/** The outbox topic of work item changes. */
export const WORK_ITEM_TOPIC = "work_item";

/** What a work item event says: enough to route it to subscribers without reading the item. */
export interface WorkItemEventPayload {
  type: string;
  workItemId: string;
  queueId: string;
  facilityId: string;
  from: WorkItemStatus | null;
  status: WorkItemStatus;
  assigneeId: string | null;
  /** Who held the item before this change took it from them; null when the change took it from no one. */
  previousAssigneeId: string | null;
  /** Null when the system made the change. */
  actorId: string | null;
  version: number;
}

/** One change of one item, for its history row and its outbox event. */
export interface WorkItemChange {
  item: WorkItemRow;
  from: WorkItemStatus | null;
  /** Null when the system made the change. */
  actorId: string | null;
  /** Who held the item before, when this change takes it from them (release, expiry, reassignment…). */
  previousAssigneeId?: string | null;
  /** Event type, e.g. "claimed"; also the history's reason unless `reason` says more. */
  type: string;
  reason?: string;
}

/* recordChanges: the history rows and outbox events of changes made in the same transaction. */
export async function recordChanges(db: Database, changes: WorkItemChange[]): Promise<void> {
  if (changes.length === 0) return;
  await db.insert(workItemTransitions).values(
    changes.map((c) => ({
      orgId: c.item.orgId,
      workItemId: c.item.id,
      fromStatus: c.from,
      toStatus: c.item.status,
      actorId: c.actorId,
      reason: c.reason ?? c.type,
    })),
  );
  await appendEvents(
    db,
    changes.map((c) => ({
      orgId: c.item.orgId,
      topic: WORK_ITEM_TOPIC,
      payload: {
        type: c.type,
        workItemId: c.item.id,
        queueId: c.item.queueId,
        facilityId: c.item.facilityId,
        from: c.from,
        status: c.item.status,
        assigneeId: c.item.assigneeId,
        previousAssigneeId: c.previousAssigneeId ?? null,
        actorId: c.actorId,
        version: c.item.version,
      } satisfies WorkItemEventPayload,
    })),
  );
}

/*
 * expireLeases: items whose claim lease ran out go back to READY. SKIP LOCKED leaves alone the
 * rows another transaction is changing (a heartbeat that got there first, another claimer's sweep).
 */
export function expireLeases(db: Database, orgId: string): Promise<WorkItemRow[]> {
  const expired = db
    .select({ id: workItems.id })
    .from(workItems)
    .where(and(eq(workItems.orgId, orgId), eq(workItems.status, "ASSIGNED"), lt(workItems.leaseExpiresAt, sql`now()`)))
    .limit(EXPIRY_BATCH)
    .for("update", { skipLocked: true });
  return db
    .update(workItems)
    .set({ status: "READY", assigneeId: null, assignedById: null, leaseExpiresAt: null, version: sql`${workItems.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(workItems.orgId, orgId), inArray(workItems.id, expired)))
    .returning();
}

export interface ClaimRequest {
  scope: Scope;
  userId: string;
  /** Queue kinds the caller's roles may work. */
  kinds: QueueKind[];
  credentials: readonly string[];
  queueId: string | null;
}

/*
 * claimNextWorkItem: one statement. The subquery picks the best READY item the caller may work
 * (queue kind by role, the queue's credential, the item's facility) and locks it; SKIP LOCKED
 * makes concurrent claimers pass over rows another is taking instead of waiting for them, so two
 * workers never get the same item and none blocks. The outer UPDATE leases it for the queue's
 * lease minutes. Order: priority (higher first), due time (sooner first, none last), age.
 */
export async function claimNextWorkItem(db: Database, request: ClaimRequest): Promise<WorkItemRow | undefined> {
  const workable = db
    .select({ id: workQueues.id })
    .from(workQueues)
    .where(
      and(
        inOrg(workQueues, request.scope),
        inArray(workQueues.kind, request.kinds),
        request.credentials.length > 0
          ? or(isNull(workQueues.requiredCredential), inArray(workQueues.requiredCredential, [...request.credentials]))
          : isNull(workQueues.requiredCredential),
        request.queueId ? eq(workQueues.id, request.queueId) : undefined,
      ),
    );
  const next = db
    .select({ id: workItems.id })
    .from(workItems)
    .where(and(inFacilities(workItems, request.scope), eq(workItems.status, "READY"), inArray(workItems.queueId, workable)))
    .orderBy(desc(workItems.priority), sql`${workItems.dueAt} asc nulls last`, asc(workItems.createdAt), asc(workItems.id))
    .limit(1)
    .for("update", { of: workItems, skipLocked: true });
  const [row] = await db
    .update(workItems)
    .set({
      status: "ASSIGNED",
      assigneeId: request.userId,
      assignedById: null,
      leaseExpiresAt: sql`now() + make_interval(mins => (select ${workQueues.leaseMinutes} from ${workQueues} where ${workQueues.orgId} = ${workItems.orgId} and ${workQueues.id} = ${workItems.queueId}))`,
      version: sql`${workItems.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(workItems.orgId, request.scope.orgId), sql`${workItems.id} = (${next})`))
    .returning();
  return row;
}

/** The caller's own claimed item whose lease still runs: what heartbeat and release may change. */
function heldBy(orgId: string, itemId: string, userId: string): SQL {
  return and(eq(workItems.orgId, orgId), eq(workItems.id, itemId), eq(workItems.status, "ASSIGNED"), eq(workItems.assigneeId, userId))!;
}

/* extendLease: a fresh lease of the queue's length on the caller's leased, unexpired item. */
export async function extendLease(db: Database, orgId: string, itemId: string, userId: string): Promise<WorkItemRow | undefined> {
  const [row] = await db
    .update(workItems)
    .set({
      leaseExpiresAt: sql`now() + make_interval(mins => (select ${workQueues.leaseMinutes} from ${workQueues} where ${workQueues.orgId} = ${workItems.orgId} and ${workQueues.id} = ${workItems.queueId}))`,
      version: sql`${workItems.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(heldBy(orgId, itemId, userId), sql`${workItems.leaseExpiresAt} > now()`))
    .returning();
  return row;
}

/* releaseItem: the caller's item back to READY for anyone. */
export async function releaseItem(db: Database, orgId: string, itemId: string, userId: string): Promise<WorkItemRow | undefined> {
  const [row] = await db
    .update(workItems)
    .set({ status: "READY", assigneeId: null, assignedById: null, leaseExpiresAt: null, version: sql`${workItems.version} + 1`, updatedAt: sql`now()` })
    .where(heldBy(orgId, itemId, userId))
    .returning();
  return row;
}

/* workItemForUpdate: one item at the caller's facilities, locked, to explain why a change was refused. */
export async function workItemForUpdate(db: Database, scope: Scope, itemId: string): Promise<WorkItemRow | undefined> {
  const [row] = await db.select().from(workItems).where(and(inFacilities(workItems, scope), eq(workItems.id, itemId))).for("update");
  return row;
}

export interface QueueStatsRow {
  queueId: string;
  ready: number;
  assigned: number;
  onHold: number;
  overdue: number;
  oldestReadyAt: Date | null;
}

/*
 * queueStats: counts of open items at the caller's facilities, one row per queue that has any.
 * An item whose lease has run out counts as ready: the next claim takes it back.
 */
export async function queueStats(db: Database, scope: Scope, queueIds: readonly string[]): Promise<QueueStatsRow[]> {
  const ready = sql`(${workItems.status} = 'READY' or (${workItems.status} = 'ASSIGNED' and ${workItems.leaseExpiresAt} <= now()))`;
  const rows = await db
    .select({
      queueId: workItems.queueId,
      ready: sql<number>`count(*) filter (where ${ready})::int`,
      assigned: sql<number>`count(*) filter (where ${workItems.status} = 'ASSIGNED' and not ${ready})::int`,
      onHold: sql<number>`count(*) filter (where ${workItems.status} = 'ON_HOLD')::int`,
      overdue: sql<number>`count(*) filter (where ${workItems.dueAt} < now())::int`,
      oldestReadyAt: sql<string | null>`min(${workItems.createdAt}) filter (where ${ready})`,
    })
    .from(workItems)
    .where(and(inFacilities(workItems, scope), inArray(workItems.queueId, [...queueIds]), inArray(workItems.status, OPEN)))
    .groupBy(workItems.queueId);
  return rows.map((row) => ({ ...row, oldestReadyAt: row.oldestReadyAt === null ? null : new Date(row.oldestReadyAt) }));
}

export interface WorkItemSearch {
  queueId?: string | null;
  status?: WorkItemStatus | null;
  assigneeId?: string | null;
}

const BY_AGE = [workItems.createdAt, workItems.id];

/* findWorkItems: at the caller's facilities, oldest first (keyset), with an exact total. */
export async function findWorkItems(db: Database, scope: Scope, filter: WorkItemSearch, page: PageRequest<WorkItemRow>): Promise<Page<WorkItemRow>> {
  const where = and(
    inFacilities(workItems, scope),
    filter.queueId ? eq(workItems.queueId, filter.queueId) : undefined,
    filter.status ? eq(workItems.status, filter.status) : undefined,
    filter.assigneeId ? eq(workItems.assigneeId, filter.assigneeId) : undefined,
  );
  const after = page.after ? keysetAfter(BY_AGE, [page.after.createdAt.toISOString(), page.after.id], "asc") : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(workItems).where(and(where, after)).orderBy(...keysetOrder(BY_AGE, "asc")).limit(page.first + 1),
    db.select({ n: count() }).from(workItems).where(where),
  ]);
  return toPage(rows, page, total?.n ?? 0);
}
