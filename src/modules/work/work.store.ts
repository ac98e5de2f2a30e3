import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  inArray,
  isNull,
  lt,
  notInArray,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import { type Database, selectRows } from "../../db/client.js";
import { keysetAfter, keysetOrder } from "../../db/keyset.js";
import { LOCKS } from "../../db/locks.js";
import { workItems, workItemTransitions, workQueues } from "../../db/schema/work.js";
import {
  acrossFacilities,
  atAnyFacility,
  atFacility,
  type EveryOrganization,
  inFacilities,
  inOrg,
  type OrganizationScope,
  organizationOnly,
  ownedBy,
  type Scope,
  sameOrganization,
  underFacilities,
} from "../../db/scope.js";
import { type Page, type PageRequest, toPage } from "../../shared/pagination.js";
import { type AuditEntry, auditInsert } from "../audit/index.js";
import { appendEvents } from "../events/index.js";

export type WorkQueueRow = typeof workQueues.$inferSelect;
export type NewWorkQueue = typeof workQueues.$inferInsert;
export type WorkItemRow = typeof workItems.$inferSelect;
export type NewWorkItem = typeof workItems.$inferInsert;
export type QueueKind = WorkQueueRow["kind"];
export type WorkItemStatus = WorkItemRow["status"];

/** Items still to be worked; a subject has at most one of these per queue kind. */
export const OPEN: WorkItemStatus[] = ["READY", "ASSIGNED", "ON_HOLD"];
export type TransitionRow = typeof workItemTransitions.$inferSelect;

/** Nobody holds it: what leaving ASSIGNED sets, since an ASSIGNED item and only it has an assignee. */
const UNHELD = { assigneeId: null, assignedById: null, leaseExpiresAt: null } as const;
/** Every change of an item bumps its version. */
const bumped = () => ({ version: sql`${workItems.version} + 1`, updatedAt: sql`now()` });
/** A lease of the item's queue's length, from now. */
const freshLease = sql`now() + make_interval(mins => (select ${workQueues.leaseMinutes} from ${workQueues}
  where ${sameOrganization(workQueues, workItems)} and ${workQueues.id} = ${workItems.queueId}))`;

/* queuesOfOrganization: every queue, in routing order. */
export function queuesOfOrganization(db: Database, scope: Scope | OrganizationScope): Promise<WorkQueueRow[]> {
  return db
    .select()
    .from(workQueues)
    .where(inOrg(workQueues, scope))
    .orderBy(asc(workQueues.routingOrder), asc(workQueues.name));
}

/* insertQueuesUnlessNamed: the queues, except those whose name the organization has already. */
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

/* queuesByIds */
export function queuesByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<WorkQueueRow[]> {
  return db
    .select()
    .from(workQueues)
    .where(and(inOrg(workQueues, scope), inArray(workQueues.id, [...ids])));
}

/* workItemsByIds: those at the caller's facilities. */
export function workItemsByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<WorkItemRow[]> {
  return db
    .select()
    .from(workItems)
    .where(and(inFacilities(workItems, scope), inArray(workItems.id, [...ids])));
}

/* workItemsByEncounterIds: every item (open or closed) of these encounters at the caller's facilities, oldest first. */
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

/* openItemOfSubject: the subject's open item of one of the queue kinds (one per kind: a unique index says so). */
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

/*
 * insertWorkItem: at a facility of the caller's; undefined when the subject already has an open item
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

/*
 * insertWorkItems: as `insertWorkItem` for many, in one statement; a subject with an open item of that queue
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

/** One change of one item, for its history row and its outbox event. */
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

/*
 * recordChanges: the history rows and outbox events of changes made in the same transaction, and the
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

/** An item whose lease ran out, and who lost it. */
export type ExpiredLease = WorkItemRow & { previousAssigneeId: string };

/*
 * expireLeases: up to `limit` items whose claim lease ran out go back to READY, of one organization
 * at every facility (a claim clears its own first) or of all (the periodic sweep, a system task that
 * acts for no tenant). SKIP LOCKED leaves alone the rows another transaction is changing (a heartbeat
 * that got there first, another claimer's sweep). The CTE keeps the old assignee, whom the event must name.
 */
export function expireLeases(
  db: Database,
  scope: OrganizationScope | EveryOrganization,
  limit: number,
): Promise<ExpiredLease[]> {
  const old = db.$with("old").as(
    db
      .select({
        orgId: workItems.orgId,
        id: workItems.id,
        previousAssigneeId: sql<string>`${workItems.assigneeId}`.as("previous_assignee_id"),
      })
      .from(workItems)
      .where(
        and(
          acrossFacilities(workItems, scope),
          eq(workItems.status, "ASSIGNED"),
          lt(workItems.leaseExpiresAt, sql`now()`),
        ),
      )
      .orderBy(asc(workItems.leaseExpiresAt))
      .limit(limit)
      .for("update", { skipLocked: true }),
  );
  return db
    .with(old)
    .update(workItems)
    .set({ status: "READY", ...UNHELD, ...bumped() })
    .from(old)
    .where(and(sameOrganization(workItems, old), eq(workItems.id, old.id)))
    .returning({ ...getTableColumns(workItems), previousAssigneeId: old.previousAssigneeId });
}

/*
 * tryLeaseSweepLock: true when this transaction may sweep; the lock holds until it ends, so one
 * instance sweeps at a time.
 */
export async function tryLeaseSweepLock(db: Database): Promise<boolean> {
  const [row] = await selectRows<{ locked: boolean }>(
    db,
    sql`select pg_try_advisory_xact_lock(${LOCKS.leaseSweep}) as locked`,
  );
  return row?.locked === true;
}

export interface ClaimRequest {
  scope: Scope;
  userId: string;
  /** The queues the caller may work, as a condition on work_queues (work.policy's workableQueues). */
  workable: SQL;
  queueId: string | null;
}

/*
 * claimNextWorkItem: one statement. The subquery picks the best READY item the caller may work
 * (the queues `workable` admits, at the caller's facilities) and locks it; SKIP LOCKED
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
        request.workable,
        request.queueId ? eq(workQueues.id, request.queueId) : undefined,
      ),
    );
  const next = db
    .select({ id: workItems.id })
    .from(workItems)
    .where(
      and(inFacilities(workItems, request.scope), eq(workItems.status, "READY"), inArray(workItems.queueId, workable)),
    )
    // "nulls last" as the ready indexes have it (priority is never null): a plain "desc" means nulls
    // first, an order no index gives, and every claim would sort all READY items of the caller's queues.
    .orderBy(
      sql`${workItems.priority} desc nulls last`,
      sql`${workItems.dueAt} asc nulls last`,
      asc(workItems.createdAt),
      asc(workItems.id),
    )
    .limit(1)
    .for("update", { of: workItems, skipLocked: true });
  const [row] = await db
    .update(workItems)
    .set({
      status: "ASSIGNED",
      assigneeId: request.userId,
      assignedById: null,
      leaseExpiresAt: freshLease,
      ...bumped(),
    })
    .where(and(inFacilities(workItems, request.scope), sql`${workItems.id} = (${next})`))
    .returning();
  return row;
}

/** An item its holder acts on; a null `expectedVersion` accepts any version. */
export interface OwnItem {
  scope: Scope;
  itemId: string;
  userId: string;
  expectedVersion: number | null;
  /** The items the holder may see (work.policy's viewableItems): one they may no longer see is not theirs to act on. */
  visible: SQL;
}

/** The caller's own ASSIGNED item, still visible to them, at the expected version if one is given. */
function heldBy(own: OwnItem): SQL {
  return and(
    inFacilities(workItems, own.scope),
    eq(workItems.id, own.itemId),
    eq(workItems.status, "ASSIGNED"),
    eq(workItems.assigneeId, own.userId),
    own.visible,
    own.expectedVersion === null ? undefined : eq(workItems.version, own.expectedVersion),
  )!;
}

/* extendLease: a fresh lease of the queue's length on the caller's leased, unexpired item. */
export async function extendLease(db: Database, own: OwnItem): Promise<WorkItemRow | undefined> {
  const [row] = await db
    .update(workItems)
    .set({ leaseExpiresAt: freshLease, ...bumped() })
    .where(and(heldBy(own), sql`${workItems.leaseExpiresAt} > now()`))
    .returning();
  return row;
}

/* releaseItem: the caller's item back to READY for anyone. */
export async function releaseItem(db: Database, own: OwnItem): Promise<WorkItemRow | undefined> {
  const [row] = await db
    .update(workItems)
    .set({ status: "READY", ...UNHELD, ...bumped() })
    .where(heldBy(own))
    .returning();
  return row;
}

/*
 * completeItem: the caller's item DONE, if their claim still runs (or it was assigned to them
 * without a lease) and it is not of one of `exceptKinds`. An expired lease is no longer theirs:
 * the sweep or the next claim takes it back.
 */
export async function completeItem(
  db: Database,
  own: OwnItem,
  exceptKinds: readonly QueueKind[],
): Promise<WorkItemRow | undefined> {
  const [row] = await db
    .update(workItems)
    .set({ status: "DONE", ...UNHELD, ...bumped() })
    .where(
      and(
        heldBy(own),
        or(isNull(workItems.leaseExpiresAt), sql`${workItems.leaseExpiresAt} > now()`),
        exceptKinds.length > 0 ? notInArray(workItems.queueKind, [...exceptKinds]) : undefined,
      ),
    )
    .returning();
  return row;
}

/*
 * cancelOpenItemsOfClaims: the claims' open items of these kinds become CANCELLED, nobody holding them, each with
 * its status before and who held it, for its history and event.
 */
export async function cancelOpenItemsOfClaims(
  db: Database,
  scope: Scope,
  claimIds: readonly string[],
  kinds: readonly QueueKind[],
): Promise<{ item: WorkItemRow; from: WorkItemStatus; previousAssigneeId: string | null }[]> {
  if (claimIds.length === 0) return [];
  const open = await db
    .select()
    .from(workItems)
    .where(
      and(
        inFacilities(workItems, scope),
        sql`${workItems.claimId} = any(${sql.param([...claimIds])}::uuid[])`,
        inArray(workItems.queueKind, [...kinds]),
        inArray(workItems.status, OPEN),
      ),
    )
    .orderBy(asc(workItems.id))
    .for("update");
  if (open.length === 0) return [];
  const cancelled = await db
    .update(workItems)
    .set({ status: "CANCELLED", holdReason: null, ...UNHELD, ...bumped() })
    .where(
      and(
        inFacilities(workItems, scope),
        inArray(
          workItems.id,
          open.map((item) => item.id),
        ),
      ),
    )
    .returning();
  const before = new Map(open.map((item) => [item.id, item]));
  return cancelled.map((item) => ({
    item,
    from: before.get(item.id)!.status,
    previousAssigneeId: before.get(item.id)!.assigneeId,
  }));
}

/*
 * workItemForUpdate: one item at the caller's facilities, locked: to change it after checking the
 * rules, or to explain a refusal.
 */
export async function workItemForUpdate(db: Database, scope: Scope, itemId: string): Promise<WorkItemRow | undefined> {
  const [row] = await db
    .select()
    .from(workItems)
    .where(and(inFacilities(workItems, scope), eq(workItems.id, itemId)))
    .for("update");
  return row;
}

/* workItemsForUpdate: items at the caller's facilities, locked in id order so that two bulk changes never deadlock. */
export function workItemsForUpdate(db: Database, scope: Scope, itemIds: readonly string[]): Promise<WorkItemRow[]> {
  return db
    .select()
    .from(workItems)
    .where(and(inFacilities(workItems, scope), inArray(workItems.id, [...itemIds])))
    .orderBy(asc(workItems.id))
    .for("update");
}

/**
 * A change of an item the caller has locked (workItemForUpdate) and checked: the statement needs no
 * conditions of its own but the caller's scope.
 */
async function updateLocked(
  db: Database,
  scope: Scope,
  item: WorkItemRow,
  values: Partial<NewWorkItem>,
): Promise<WorkItemRow> {
  const [row] = await db
    .update(workItems)
    .set({ ...values, ...bumped() })
    .where(and(inFacilities(workItems, scope), eq(workItems.id, item.id)))
    .returning();
  return row!;
}

/* holdItem: parked with its reason; nobody holds it meanwhile. */
export function holdItem(db: Database, scope: Scope, item: WorkItemRow, reason: string): Promise<WorkItemRow> {
  return updateLocked(db, scope, item, { status: "ON_HOLD", ...UNHELD, holdReason: reason });
}

/* resumeItem: off hold, to `assignee` without a lease (assigned by `byId`), or to READY when there is none. */
export function resumeItem(
  db: Database,
  scope: Scope,
  item: WorkItemRow,
  to: { assigneeId: string; byId: string } | null,
): Promise<WorkItemRow> {
  return updateLocked(db, scope, item, {
    ...(to
      ? { status: "ASSIGNED", assigneeId: to.assigneeId, assignedById: to.byId, leaseExpiresAt: null }
      : { status: "READY", ...UNHELD }),
    holdReason: null,
  });
}

/* unassignItem: back to READY for anyone. */
export function unassignItem(db: Database, scope: Scope, item: WorkItemRow): Promise<WorkItemRow> {
  return updateLocked(db, scope, item, { status: "READY", ...UNHELD });
}

/* setItemPriority */
export function setItemPriority(db: Database, scope: Scope, item: WorkItemRow, priority: number): Promise<WorkItemRow> {
  return updateLocked(db, scope, item, { priority });
}

/*
 * assignItems: locked, checked items ASSIGNED to `assigneeId` by `byId`, in one statement. A
 * supervisor's assignment carries no lease: it is theirs until they finish, release or are unassigned.
 */
export function assignItems(
  db: Database,
  scope: Scope,
  itemIds: readonly string[],
  assignment: { assigneeId: string; byId: string },
): Promise<WorkItemRow[]> {
  return db
    .update(workItems)
    .set({
      status: "ASSIGNED",
      assigneeId: assignment.assigneeId,
      assignedById: assignment.byId,
      leaseExpiresAt: null,
      ...bumped(),
    })
    .where(and(inFacilities(workItems, scope), inArray(workItems.id, [...itemIds])))
    .returning();
}

/* latestHoldOf: who last put the item on hold, whom it left, and from which status; undefined when it never was. */
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

/* transitionsOfItems: the history of items at the caller's facilities, oldest first. */
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

export interface QueueStatsRow {
  queueId: string;
  ready: number;
  assigned: number;
  onHold: number;
  overdue: number;
  oldestReadyAt: Date | null;
}

/*
 * queueStats: counts of open items at the caller's facilities, one row per queue asked for, in
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

/* findWorkItems: those the caller may see (work.policy's viewableItems), oldest first (keyset), with an exact total. */
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
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(workItems)
      .where(and(where, after))
      .orderBy(...keysetOrder(BY_AGE, "asc"))
      .limit(page.first + 1),
    db.select({ n: count() }).from(workItems).where(where),
  ]);
  return toPage(rows, page, total?.n ?? 0);
}

/*
 * openWorkCounts: items assigned to each user at the caller's facilities, claimed leases not yet
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

/*
 * queueDepths: READY items and the oldest one's wait, per queue of every organization, in one
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
