/*
 * The rows of queues and work items: reads as the caller may see them, new items, search and the
 * counts dashboards show. What changes an existing item is work.transitions.ts; its history and
 * events, work.history.ts.
 */
import { and, asc, count, eq, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { keysetAfter, keysetOrder } from "../../db/keyset.js";
import { workItems, workQueues } from "../../db/schema/work.js";
import {
  atAnyFacility,
  atFacility,
  inFacilities,
  inOrg,
  type OrganizationScope,
  ownedBy,
  type Scope,
  sameOrganization,
} from "../../db/scope.js";
import { lazyCount, type Page, type PageRequest, toPage } from "../../shared/pagination.js";

export type WorkQueueRow = typeof workQueues.$inferSelect;
export type NewWorkQueue = typeof workQueues.$inferInsert;
export type WorkItemRow = typeof workItems.$inferSelect;
export type NewWorkItem = typeof workItems.$inferInsert;
export type QueueKind = WorkQueueRow["kind"];
export type WorkItemStatus = WorkItemRow["status"];

/** Items still to be worked; a subject has at most one of these per queue kind. */
export const OPEN: WorkItemStatus[] = ["READY", "ASSIGNED", "ON_HOLD"];

/** Every queue, in routing order. */
export function queuesOfOrganization(db: Database, scope: Scope | OrganizationScope): Promise<WorkQueueRow[]> {
  return db
    .select()
    .from(workQueues)
    .where(inOrg(workQueues, scope))
    .orderBy(asc(workQueues.routingOrder), asc(workQueues.name));
}

/** The queues, except those whose name the organization has already. */
export async function insertQueuesUnlessNamed(
  db: Database,
  scope: Scope | OrganizationScope,
  queues: readonly Omit<NewWorkQueue, "orgId">[],
): Promise<void> {
  if (queues.length === 0) return;
  await db
    .insert(workQueues)
    .values(queues.map((queue) => ownedBy(scope, queue)))
    .onConflictDoNothing({ target: [workQueues.orgId, workQueues.name] });
}

/** Queues of the caller's organization, for the loaders; whether the caller may view one is the policy's. */
export function queuesByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<WorkQueueRow[]> {
  return db
    .select()
    .from(workQueues)
    .where(and(inOrg(workQueues, scope), inArray(workQueues.id, [...ids])));
}

/** Those at the caller's facilities. */
export function workItemsByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<WorkItemRow[]> {
  return db
    .select()
    .from(workItems)
    .where(and(inFacilities(workItems, scope), inArray(workItems.id, [...ids])));
}

/** Every item (open or closed) of these encounters at the caller's facilities, oldest first. */
export function workItemsByEncounterIds(
  db: Database,
  scope: Scope,
  encounterIds: readonly string[],
): Promise<WorkItemRow[]> {
  return db
    .select()
    .from(workItems)
    .where(and(inFacilities(workItems, scope), inArray(workItems.encounterId, [...encounterIds])))
    .orderBy(...keysetOrder(BY_AGE, "asc"));
}

/** An encounter, a claim or an unmatched claim payment: what one work item is about. */
export type WorkSubjectRef = { encounterId: string } | { claimId: string } | { claimPaymentId: string };

/** The item's subject column, equal to the subject. */
function ofSubject(subject: WorkSubjectRef): SQL {
  if ("encounterId" in subject) return eq(workItems.encounterId, subject.encounterId);
  if ("claimId" in subject) return eq(workItems.claimId, subject.claimId);
  return eq(workItems.claimPaymentId, subject.claimPaymentId);
}

/** The subject's open item of one of the queue kinds (one per kind: a unique index says so). */
export async function openItemOfSubject(
  db: Database,
  scope: Scope,
  subject: WorkSubjectRef,
  kinds: readonly QueueKind[],
): Promise<WorkItemRow | undefined> {
  const [row] = await db
    .select()
    .from(workItems)
    .where(
      and(
        inFacilities(workItems, scope),
        ofSubject(subject),
        inArray(workItems.queueKind, [...kinds]),
        inArray(workItems.status, OPEN),
      ),
    )
    .orderBy(asc(workItems.createdAt))
    .limit(1);
  return row;
}

/**
 * At a facility of the caller's; undefined when the subject already has an open item
 * of that queue kind.
 */
export async function insertWorkItem(
  db: Database,
  scope: Scope,
  values: Omit<NewWorkItem, "orgId">,
): Promise<WorkItemRow | undefined> {
  const [row] = await db.insert(workItems).values(atFacility(scope, values)).onConflictDoNothing().returning();
  return row;
}

/**
 * As `insertWorkItem` for many, in one statement; a subject with an open item of that queue
 * kind gets none, so fewer rows may come back than were given.
 */
export function insertWorkItems(
  db: Database,
  scope: Scope,
  values: readonly Omit<NewWorkItem, "orgId">[],
): Promise<WorkItemRow[]> {
  if (values.length === 0) return Promise.resolve([]);
  return db
    .insert(workItems)
    .values(values.map((each) => atFacility(scope, each)))
    .onConflictDoNothing()
    .returning();
}

/** A system task's new item (a sweep's, for no user): at any facility of the organization; undefined as above. */
export async function insertSystemWorkItem(
  db: Database,
  scope: OrganizationScope,
  values: Omit<NewWorkItem, "orgId">,
): Promise<WorkItemRow | undefined> {
  const [row] = await db.insert(workItems).values(atAnyFacility(scope, values)).onConflictDoNothing().returning();
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

/**
 * Counts of open items at the caller's facilities, one row per queue asked for, in
 * that order (all zeros for a queue with none).
 * An item whose lease has run out counts as ready: the next claim takes it back.
 */
export async function queueStats(db: Database, scope: Scope, queueIds: readonly string[]): Promise<QueueStatsRow[]> {
  // A supervisor's assignment (or a resume) has no lease: "is not null" keeps the test false, not
  // NULL, so "not ready" counts it as assigned.
  const ready = sql`(${workItems.status} = 'READY' or (${workItems.status} = 'ASSIGNED'
    and ${workItems.leaseExpiresAt} is not null and ${workItems.leaseExpiresAt} <= now()))`;
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
    .where(
      and(inFacilities(workItems, scope), inArray(workItems.queueId, [...queueIds]), inArray(workItems.status, OPEN)),
    )
    .groupBy(workItems.queueId);
  const byQueue = new Map(
    rows.map((row) => [
      row.queueId,
      { ...row, oldestReadyAt: row.oldestReadyAt === null ? null : new Date(row.oldestReadyAt) },
    ]),
  );
  return queueIds.map(
    (queueId) => byQueue.get(queueId) ?? { queueId, ready: 0, assigned: 0, onHold: 0, overdue: 0, oldestReadyAt: null },
  );
}

export interface WorkItemSearch {
  queueId?: string | null;
  status?: readonly WorkItemStatus[] | null;
  assigneeId?: string | null;
  /** True: open items past due; false: every other item. */
  overdue?: boolean | null;
}

const BY_AGE = [workItems.createdAt, workItems.id];

/** Those the caller may see (work.policy's viewableItems), oldest first (keyset), with an exact total. */
export async function findWorkItems(
  db: Database,
  visible: SQL,
  filter: WorkItemSearch,
  page: PageRequest<WorkItemRow>,
): Promise<Page<WorkItemRow>> {
  const overdue = and(inArray(workItems.status, OPEN), lt(workItems.dueAt, sql`now()`))!;
  const where = and(
    visible,
    filter.queueId ? eq(workItems.queueId, filter.queueId) : undefined,
    filter.status && filter.status.length > 0 ? inArray(workItems.status, [...filter.status]) : undefined,
    filter.assigneeId ? eq(workItems.assigneeId, filter.assigneeId) : undefined,
    filter.overdue === true ? overdue : filter.overdue === false ? sql`not coalesce(${overdue}, false)` : undefined,
  );
  const after = page.after
    ? keysetAfter(BY_AGE, [page.after.createdAt.toISOString(), page.after.id], "asc")
    : undefined;
  // Prepared (each connection plans a text once): the filters and the scope's facilities vary the text a
  // little, so a connection holds a few, and every list screen of work starts here.
  const rows = await db
    .select()
    .from(workItems)
    .where(and(where, after))
    .orderBy(...keysetOrder(BY_AGE, "asc"))
    .limit(page.first + 1)
    .prepare("findWorkItems")
    .execute();
  return toPage(rows, page, lazyCount(db.select({ n: count() }).from(workItems).where(where)));
}

/**
 * Items assigned to each user at the caller's facilities, claimed leases not yet
 * expired (an expired one counts as READY), in one statement for any number of users.
 */
export async function openWorkCounts(db: Database, scope: Scope, userIds: readonly string[]): Promise<number[]> {
  const rows = await db
    .select({ userId: workItems.assigneeId, n: count() })
    .from(workItems)
    .where(
      and(
        inFacilities(workItems, scope),
        eq(workItems.status, "ASSIGNED"),
        inArray(workItems.assigneeId, [...userIds]),
        or(isNull(workItems.leaseExpiresAt), sql`${workItems.leaseExpiresAt} > now()`),
      ),
    )
    .groupBy(workItems.assigneeId);
  const counts = new Map(rows.map((row) => [row.userId, row.n]));
  return userIds.map((id) => counts.get(id) ?? 0);
}

export interface QueueDepthRow {
  orgId: string;
  queueId: string;
  queue: string;
  ready: number;
  /** Seconds since the longest-waiting READY item became READY; 0 when none waits. */
  oldestReadySeconds: number;
}

/**
 * READY items and the oldest one's wait, per queue of every organization, in one
 * statement (the READY partial indexes serve it): what /metrics shows, for no user.
 */
export function queueDepths(db: Database): Promise<QueueDepthRow[]> {
  return db
    .select({
      orgId: workQueues.orgId,
      queueId: workQueues.id,
      queue: workQueues.name,
      ready: sql<number>`count(${workItems.id})::int`,
      oldestReadySeconds: sql<number>`coalesce(extract(epoch from now() - min(${workItems.updatedAt})), 0)::float8`,
    })
    .from(workQueues)
    .leftJoin(
      workItems,
      and(sameOrganization(workItems, workQueues), eq(workItems.queueId, workQueues.id), eq(workItems.status, "READY")),
    )
    .groupBy(workQueues.orgId, workQueues.id, workQueues.name);
}
