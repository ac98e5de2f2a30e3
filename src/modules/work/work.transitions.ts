/*
 * The statements that move an existing item from one state to another: claim, lease, release,
 * complete, hold, resume, assign, priority, cancel and the lease sweep. Each bumps the version and
 * guards the state it leaves in its WHERE clause, so two sessions racing for an item cannot both win.
 */
import {
  and,
  asc,
  eq,
  getTableColumns,
  inArray,
  isNull,
  lt,
  notInArray,
  or,
  type SQL,
  type SQLWrapper,
  sql,
} from "drizzle-orm";
import { type Database, StatementCache, selectRows } from "../../db/client.js";
import { LOCKS } from "../../db/locks.js";
import { workItems, workQueues } from "../../db/schema/work.js";
import {
  acrossFacilities,
  type EveryOrganization,
  inFacilities,
  type OrganizationScope,
  organizationOnly,
  type Scope,
  sameOrganization,
} from "../../db/scope.js";
import { type AuditEntry, auditInsertFrom } from "../audit/index.js";
import { changesStatement } from "./work.history.js";
import { type NewWorkItem, OPEN, type QueueKind, type WorkItemRow, type WorkItemStatus } from "./work.store.js";

/** Nobody holds it: what leaving ASSIGNED sets, since an ASSIGNED item and only it has an assignee. */
const UNHELD = { assigneeId: null, assignedById: null, leaseExpiresAt: null } as const;
/** Every change of an item bumps its version. */
const bumped = () => ({ version: sql`${workItems.version} + 1`, updatedAt: sql`now()` });
/** A lease of the item's queue's length, from now. */
const freshLease = sql`now() + make_interval(mins => (select ${workQueues.leaseMinutes} from ${workQueues}
  where ${sameOrganization(workQueues, workItems)} and ${workQueues.id} = ${workItems.queueId}))`;

/*
 * The claim's statuses as literals, not parameters: the statements are prepared, and the generic plan
 * PostgreSQL settles on after a few runs can use the partial indexes (work_items_ready_org_idx, "where
 * status = 'READY'") only when the condition is the index's own. With a parameter it sorted every
 * READY item of the organization on each claim.
 */
const READY = sql`${workItems.status} = 'READY'`;
const LEASED = sql`${workItems.status} = 'ASSIGNED'`;

/*
 * The items of one queue, for a claim from that queue, as a range of one value rather than an equality.
 * With an equality PostgreSQL drops the queue from the claim order (it is the same for every row), and
 * the generic plan could then read the organization's ready index, past every item of the other
 * queues, as it did for a day's follow-ups behind a backlog of urgent denials. Kept in the order, the
 * queue's own ready index (work_items_ready_idx) is the only one that gives it.
 */
const ofQueue = (queueId: string) => sql`${workItems.queueId} between ${queueId} and ${queueId}`;

/** An item whose lease ran out, and who lost it. */
export type ExpiredLease = WorkItemRow & { previousAssigneeId: string };

/**
 * Up to `limit` items whose claim lease ran out go back to READY, of one organization
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

/**
 * True when this transaction may sweep; the lock holds until it ends, so one
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

/**
 * One statement. The subquery picks the best READY item the caller may work
 * (the queues `workable` admits, at the caller's facilities) and locks it; SKIP LOCKED
 * makes concurrent claimers pass over rows another is taking instead of waiting for them, so two
 * workers never get the same item and none blocks. The outer UPDATE leases it for the queue's
 * lease minutes. Order: priority (higher first), due time (sooner first, none last), age.
 * `onlyIf`, when given, is one more condition for claiming anything.
 */
function claimUpdate(db: Database, request: ClaimRequest, onlyIf?: SQL) {
  // A filter on each item read, not a join: OFFSET keeps PostgreSQL from turning it into one (written
  // out, as Drizzle leaves out an offset of 0). Joined,
  // the plan could start from the queues and sort every READY item in them, a cost that grows with the
  // backlog, and it did whenever the table's statistics were older than the backlog. So the items are
  // read in claim order from a ready index (of the named queue, or of the organization) until one is
  // workable: the first, as a rule.
  const workable = sql`exists (select 1 from ${workQueues}
    where ${and(sameOrganization(workQueues, workItems), eq(workQueues.id, workItems.queueId), request.workable)}
    offset 0)`;
  const next = db
    .select({ id: workItems.id })
    .from(workItems)
    .where(
      and(
        inFacilities(workItems, request.scope),
        READY,
        request.queueId ? ofQueue(request.queueId) : undefined,
        workable,
        onlyIf,
      ),
    )
    // "nulls last" as the ready indexes have it (priority is never null): a plain "desc" means nulls
    // first, an order no index gives, and every claim would sort all READY items of the caller's queues.
    .orderBy(
      ...(request.queueId ? [workItems.queueId] : []),
      sql`${workItems.priority} desc nulls last`,
      sql`${workItems.dueAt} asc nulls last`,
      asc(workItems.createdAt),
      asc(workItems.id),
    )
    .limit(1)
    .for("update", { of: workItems, skipLocked: true });
  return db
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
}

/** claimUpdate, run: the claimed item, or undefined when there was none to claim. */
export async function claimNextWorkItem(db: Database, request: ClaimRequest): Promise<WorkItemRow | undefined> {
  const [row] = await claimUpdate(db, request);
  return row;
}

/** The work item columns, as `relation` (a CTE returning them) has them, under the names of WorkItemRow. */
const itemColumns = (relation: string) =>
  sql.join(
    Object.entries(getTableColumns(workItems)).map(
      ([key, column]) => sql`${sql.identifier(relation)}.${sql.identifier(column.name)} as ${sql.identifier(key)}`,
    ),
    sql`, `,
  );

/** What a one-statement change (`changed`, a CTE returning work item columns) records as its history row. */
interface RecordedChange {
  changed: string;
  from: WorkItemStatus;
  actorId: string;
  /** Who held the item before: nobody for a claim, the actor for a change of their own item. */
  previousAssigneeId: string | null;
  type: SQLWrapper;
  reason: SQLWrapper;
}

/** The change as a row of changes for changesStatement. */
const changeRow = (change: RecordedChange) =>
  sql`select c.org_id, c.id as work_item_id, c.queue_id, c.facility_id, ${change.from}::work_item_status as from_status,
    c.status as to_status, c.assignee_id, ${change.previousAssigneeId}::uuid as previous_assignee_id,
    ${change.actorId}::uuid as actor_id, ${change.type}::text as type, ${change.reason}::text as reason, c.version,
    1 as n from ${sql.identifier(change.changed)} c`;

/** One-statement claims, compiled once per claimer and queue (claimNextRecorded). */
const claimStatements = new StatementCache<WorkItemRow & { expired: boolean }>({
  expired: sql`expired`,
  ...getTableColumns(workItems),
});

/**
 * claimNextWorkItem with its history row, event and audit row, in one statement (atomic without a
 * transaction), as long as no lease of the organization has expired: `expired` then says so, nothing is
 * claimed, and the caller returns those items to READY first (claimNext). The sweep keeps that rare.
 * `key` names all the statement depends on but the request id (the claimer as now, and the queue): the
 * statement is built once per key.
 */
export async function claimNextRecorded(
  db: Database,
  key: string,
  request: ClaimRequest,
  audit: Omit<AuditEntry, "entityIds">,
): Promise<{ expired: boolean; item: WorkItemRow | null }> {
  const build = () => {
    const expired = db
      .select({ one: sql`1` })
      .from(workItems)
      .where(
        and(
          acrossFacilities(workItems, organizationOnly(request.scope.orgId)),
          LEASED,
          lt(workItems.leaseExpiresAt, sql`now()`),
        ),
      );
    return changesStatement(
      [
        ["stale", sql`select exists ${expired} as found`],
        ["claimed", claimUpdate(db, request, sql`not (select found from stale)`)],
      ],
      changeRow({
        changed: "claimed",
        from: "READY",
        actorId: request.userId,
        previousAssigneeId: null,
        type: sql`'claimed'`,
        reason: sql`'claimed'`,
      }),
      [["audit", auditInsertFrom({ ...audit, requestId: sql.placeholder("requestId") }, sql`array[id]`, sql`claimed`)]],
      sql`select (select found from stale) as "expired", ${itemColumns("claimed")}
        from (values (1)) one left join claimed on true`,
    );
  };
  const [row] = await claimStatements.run(db, key, build, { requestId: audit.requestId });
  const { expired: found, ...item } = row!;
  return { expired: found, item: item.id === null ? null : item };
}

/**
 * An item its holder acts on; a null `expectedVersion` accepts any version. The item and version may be
 * placeholders, for a statement compiled once and run for many items.
 */
export interface OwnItem {
  scope: Scope;
  itemId: string | SQLWrapper;
  userId: string;
  expectedVersion: number | SQLWrapper | null;
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

/** A change of the caller's own item, not yet run: one conditional statement returning the changed row, if any. */
export type OwnItemUpdate = SQLWrapper;

/** A fresh lease of the queue's length on the caller's leased, unexpired item. */
export function extendLease(db: Database, own: OwnItem): OwnItemUpdate {
  return db
    .update(workItems)
    .set({ leaseExpiresAt: freshLease, ...bumped() })
    .where(and(heldBy(own), sql`${workItems.leaseExpiresAt} > now()`))
    .returning();
}

/** The caller's item back to READY for anyone. */
export function releaseItem(db: Database, own: OwnItem): OwnItemUpdate {
  return db
    .update(workItems)
    .set({ status: "READY", ...UNHELD, ...bumped() })
    .where(heldBy(own))
    .returning();
}

/**
 * The caller's item DONE, if their claim still runs (or it was assigned to them
 * without a lease) and it is not of one of `exceptKinds`. An expired lease is no longer theirs:
 * the sweep or the next claim takes it back.
 */
export function completeItem(db: Database, own: OwnItem, exceptKinds: readonly QueueKind[]): OwnItemUpdate {
  return db
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
}

/** One-statement own changes, compiled once per holder and kind of change (ownChangeRecorded). */
const ownChangeStatements = new StatementCache<WorkItemRow>(getTableColumns(workItems));

/**
 * The own change `update` builds, with its history row, event and audit row, in one statement (atomic
 * without a transaction): the changed item, or undefined when the statement left it alone. The item was
 * ASSIGNED to the actor before, whether or not it still is. `key` names all the statement depends on but
 * `values`, which fill its placeholders (the item's, its version's, and `reason` and `requestId`, this
 * function's): the statement is built once per key.
 */
export async function ownChangeRecorded(
  db: Database,
  key: string,
  update: () => OwnItemUpdate,
  change: { actorId: string; type: string; audit: Omit<AuditEntry, "entityIds" | "requestId"> },
  values: Record<string, unknown> & { reason: string; requestId: string | null },
): Promise<WorkItemRow | undefined> {
  const build = () =>
    changesStatement(
      [["changed", update()]],
      changeRow({
        changed: "changed",
        from: "ASSIGNED",
        actorId: change.actorId,
        previousAssigneeId: change.actorId,
        type: sql`${change.type}`,
        reason: sql.placeholder("reason"),
      }),
      [
        [
          "audit",
          auditInsertFrom({ ...change.audit, requestId: sql.placeholder("requestId") }, sql`array[id]`, sql`changed`),
        ],
      ],
      sql`select ${itemColumns("changed")} from changed`,
    );
  const [row] = await ownChangeStatements.run(db, key, build, values);
  return row;
}

/**
 * The claims' open items of these kinds become CANCELLED, nobody holding them, each with
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

/**
 * One item at the caller's facilities, locked: to change it after checking the
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

/** Items at the caller's facilities, locked in id order so that two bulk changes never deadlock. */
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

/** Parked with its reason; nobody holds it meanwhile. */
export function holdItem(db: Database, scope: Scope, item: WorkItemRow, reason: string): Promise<WorkItemRow> {
  return updateLocked(db, scope, item, { status: "ON_HOLD", ...UNHELD, holdReason: reason });
}

/** Off hold, to `assignee` without a lease (assigned by `byId`), or to READY when there is none. */
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

/** Back to READY for anyone. */
export function unassignItem(db: Database, scope: Scope, item: WorkItemRow): Promise<WorkItemRow> {
  return updateLocked(db, scope, item, { status: "READY", ...UNHELD });
}

/** A new priority on a locked item; the caller checked the range and that the item is still open. */
export function setItemPriority(db: Database, scope: Scope, item: WorkItemRow, priority: number): Promise<WorkItemRow> {
  return updateLocked(db, scope, item, { priority });
}

/**
 * Locked, checked items ASSIGNED to `assigneeId` by `byId`, in one statement. A
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
