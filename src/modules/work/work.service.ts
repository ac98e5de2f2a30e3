import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import { organizationOnly } from "../../db/scope.js";
import { conflict, notFound } from "../../shared/errors.js";
import { uuidOf } from "../../shared/ids.js";
import { pageRequest } from "../../shared/pagination.js";
import type { Actor } from "../auth/index.js";
import { defaultQueues } from "./work.defaults.js";
import { recordChanges } from "./work.history.js";
import type { WorkItemFilter } from "./work.inputs.js";
import { mayView, mayViewItem, viewableItems } from "./work.policy.js";
import { type Route, type RoutingSubject, route } from "./work.routing.js";
import {
  findWorkItems,
  insertQueuesUnlessNamed,
  insertSystemWorkItem,
  insertWorkItem,
  insertWorkItems,
  type QueueKind,
  queuesOfOrganization,
  type WorkItemRow,
  type WorkItemSearch,
  type WorkQueueRow,
} from "./work.store.js";
import { cancelOpenItemsOfClaims } from "./work.transitions.js";

/*
 * Work queues and items as the caller may see them, and the creation of work (routing, enqueue):
 * most of what other modules use. The pull of the next item (claimNext) and the return of expired
 * leases are in work.leases.ts; changes of an item once created in work.changes.ts and
 * work.dispatch.ts; who may see and work what, in work.policy.ts.
 */

/** The queues the caller may view, in routing order: hiding the others is what keeps them unlisted. */
export async function listQueues(ctx: RequestContext): Promise<WorkQueueRow[]> {
  const actor = actorOf(ctx);
  return (await queuesOfOrganization(ctx.db, actor.scope)).filter((queue) => mayView(actor, queue));
}

/** The queue with this row id, or null when it is missing or not the caller's to see (workQueue, node). */
export async function visibleQueue(ctx: RequestContext, id: string): Promise<WorkQueueRow | null> {
  const queue = await ctx.loaders.workQueue.load(id);
  return queue && mayView(actorOf(ctx), queue) ? queue : null;
}

/** The queue behind a global id, or null when it is missing or not the caller's to see. */
export async function findQueue(ctx: RequestContext, globalId: string): Promise<WorkQueueRow | null> {
  const id = uuidOf(globalId, "WorkQueue");
  return id ? visibleQueue(ctx, id) : null;
}

/**
 * The item with this row id, or null when it is missing or not the caller's to see (work.policy's
 * mayViewItem): node, PhysicianQuery.workItem.
 */
export async function visibleItem(ctx: RequestContext, id: string): Promise<WorkItemRow | null> {
  const item = await ctx.loaders.workItem.load(id);
  return item && (await visibleItems(ctx, [item]))[0] ? item : null;
}

/** Those of `items` the caller may see, in order: what Encounter.workItems shows. */
export async function visibleItems(ctx: RequestContext, items: readonly WorkItemRow[]): Promise<WorkItemRow[]> {
  const actor = actorOf(ctx);
  const queues = await ctx.loaders.workQueue.loadMany([...new Set(items.map((item) => item.queueId))]);
  const byId = new Map(
    queues.flatMap((queue) => (queue && !(queue instanceof Error) ? [[queue.id, queue] as const] : [])),
  );
  return items.filter((item) => {
    const queue = byId.get(item.queueId);
    return queue !== undefined && mayViewItem(actor, queue, item);
  });
}

/** The encounter's work items that the caller may see, oldest first. */
export async function visibleItemsOfEncounter(ctx: RequestContext, encounterId: string): Promise<WorkItemRow[]> {
  return visibleItems(ctx, await ctx.loaders.workItemsByEncounter.load(encounterId));
}

/** Items the caller may see (work.policy's viewableItems) that match the filter, oldest first, in pages. */
export async function listItems(
  ctx: RequestContext,
  filter: WorkItemSearch,
  first?: number | null,
  after?: string | null,
) {
  const page = await pageRequest("WorkItem", first, after, (id) => visibleItem(ctx, id));
  return findWorkItems(ctx.db, viewableItems(actorOf(ctx)), filter, page);
}

/** The caller's ASSIGNED items: what they claimed or were given, to pick up where they left off. */
export function myWork(ctx: RequestContext, first?: number | null, after?: string | null) {
  return listItems(ctx, { status: ["ASSIGNED"], assigneeId: actorOf(ctx).userId }, first, after);
}

/** Items across queues: every queue for supervisors and administrators, the queues they may work for the others. */
export async function searchItems(
  ctx: RequestContext,
  filter: WorkItemFilter | null | undefined,
  first?: number | null,
  after?: string | null,
) {
  let queueId: string | null = null;
  if (filter?.queueId) {
    queueId = (await findQueue(ctx, filter.queueId))?.id ?? null;
    if (!queueId) throw notFound("WorkQueue", "filter.queueId");
  }
  const assigneeId = filter?.assigneeId ? uuidOf(filter.assigneeId, "User") : null;
  if (filter?.assigneeId && !assigneeId) throw notFound("User", "filter.assigneeId");
  return listItems(
    ctx,
    { queueId, assigneeId, status: filter?.status ?? null, overdue: filter?.overdue ?? null },
    first,
    after,
  );
}

/**
 * Where the subject's work goes in the caller's organization; null when no queue takes it. Inside a
 * transaction, pass it as `db`: embedded PGlite has one connection, which the transaction holds.
 */
export async function routeSubject(
  ctx: RequestContext,
  subject: RoutingSubject,
  db: Database = ctx.db,
): Promise<Route | null> {
  return route(await queuesTaking(ctx, subject.kind, db), subject, new Date());
}

/** The organization's queues, with a default one of `kind` made first when it has none of that kind. */
async function queuesTaking(ctx: RequestContext, kind: QueueKind, db: Database): Promise<WorkQueueRow[]> {
  const scope = actorOf(ctx).scope;
  const queues = await queuesOfOrganization(db, scope);
  if (queues.some((queue) => queue.kind === kind)) return queues;
  // An organization made before this kind of work existed (unmatched payments came with remittance) gets
  // its default queue of the kind when the first such work arrives; the enum value cannot be used by the
  // migration that adds it.
  const defaults = defaultQueues(scope.orgId).filter((queue) => queue.kind === kind);
  await insertQueuesUnlessNamed(
    db,
    scope,
    defaults.map(({ orgId: _org, ...queue }) => queue),
  );
  return queuesOfOrganization(db, scope);
}

/**
 * Cancels the claims' open work of these kinds, inside the caller's transaction, with history rows and events
 * saying why: work a change made moot (a follow-up of a claim just paid).
 */
export async function cancelClaimWork(
  tx: Database,
  actor: Actor,
  claimIds: readonly string[],
  kinds: readonly QueueKind[],
  reason: string,
): Promise<WorkItemRow[]> {
  const cancelled = await cancelOpenItemsOfClaims(tx, actor.scope, claimIds, kinds);
  await recordChanges(
    tx,
    cancelled.map(({ item, from, previousAssigneeId }) => ({
      item,
      from,
      previousAssigneeId,
      actorId: actor.userId,
      type: "cancelled" as const,
      reason,
    })),
  );
  return cancelled.map(({ item }) => item);
}

/**
 * Creates the routed item, with its history row and event, inside the caller's transaction; `reason`
 * says why in its history ("created" otherwise). A subject that already has an open item of that kind
 * is a CONFLICT, which rolls the caller back.
 */
export async function enqueue(
  tx: Database,
  actor: Actor,
  routed: Route,
  subject: WorkSubject,
  reason?: string,
): Promise<WorkItemRow> {
  const item = await enqueueUnlessOpen(tx, actor, routed, subject, reason);
  const what = subject.encounterId ? "encounter" : subject.claimId ? "claim" : "claim payment";
  if (!item) throw conflict(`This ${what} already has open ${routed.queue.kind} work.`);
  return item;
}

/** The row of a subject's new item where routing sends it. */
const newItem = (routed: Route, subject: WorkSubject) => ({
  queueId: routed.queue.id,
  queueKind: routed.queue.kind,
  facilityId: subject.facilityId,
  encounterId: subject.encounterId ?? null,
  claimId: subject.claimId ?? null,
  claimPaymentId: subject.claimPaymentId ?? null,
  priority: routed.priority,
  dueAt: routed.dueAt,
});

/** What new work is about, at the facility where it is done. */
type WorkSubject = { facilityId: string; encounterId?: string; claimId?: string; claimPaymentId?: string };

/**
 * As `enqueue`, for work that is due whether or not some is open already (a claim denied again while its
 * denial is being worked): a subject with open work of the kind keeps it, and the answer is null.
 */
export async function enqueueUnlessOpen(
  tx: Database,
  actor: Actor,
  routed: Route,
  subject: WorkSubject,
  reason?: string,
): Promise<WorkItemRow | null> {
  const item = await insertWorkItem(tx, actor.scope, newItem(routed, subject));
  if (!item) return null;
  await recordChanges(tx, [
    { item, from: null, actorId: actor.userId, type: "created", ...(reason ? { reason } : {}) },
  ]);
  return item;
}

/** One subject's new work for `enqueueAll`: how it routes, what it is about, and why it is made. */
export interface NewWork {
  routing: RoutingSubject;
  subject: WorkSubject;
  reason: string;
}

/** Subjects per statement: the items' and their history's bound parameters stay well under PostgreSQL's 65,535. */
const ENQUEUE_CHUNK = 2_000;

/**
 * As `enqueue` for many subjects of one kind at once (an acknowledgement rejecting a thousand claims): the
 * queues are read once, and the items, their history rows and events written a few statements per chunk rather
 * than per subject. A subject no queue takes is passed over; one with open work of the kind is a CONFLICT, or,
 * with `unlessOpen` (as `enqueueUnlessOpen`), keeps its open work and gets no new item.
 */
export async function enqueueAll(
  tx: Database,
  ctx: RequestContext,
  kind: QueueKind,
  work: readonly NewWork[],
  options: { unlessOpen?: boolean } = {},
): Promise<WorkItemRow[]> {
  if (work.length === 0) return [];
  const actor = actorOf(ctx);
  const queues = await queuesTaking(ctx, kind, tx);
  const now = new Date();
  const made: WorkItemRow[] = [];
  for (let start = 0; start < work.length; start += ENQUEUE_CHUNK) {
    const routed = work.slice(start, start + ENQUEUE_CHUNK).flatMap((each) => {
      const to = route(queues, each.routing, now);
      return to ? [{ ...each, to }] : [];
    });
    const items = await insertWorkItems(
      tx,
      actor.scope,
      routed.map(({ to, subject }) => newItem(to, subject)),
    );
    if (items.length < routed.length && !options.unlessOpen)
      throw conflict(`A subject of this work already has open ${kind} work.`);
    const reasonOf = new Map(routed.map(({ subject, reason }) => [subjectKey(subject), reason]));
    await recordChanges(
      tx,
      items.map((item) => ({
        item,
        from: null,
        actorId: actor.userId,
        type: "created" as const,
        reason: reasonOf.get(subjectKey(item))!,
      })),
    );
    made.push(...items);
  }
  return made;
}

/** What an item is about, as one string: how `enqueueAll` finds each new row's reason. */
const subjectKey = (subject: {
  encounterId?: string | null;
  claimId?: string | null;
  claimPaymentId?: string | null;
}) => `${subject.encounterId ?? ""}/${subject.claimId ?? ""}/${subject.claimPaymentId ?? ""}`;

/** Work a system task makes for one subject: where routing sends it, and the priority it is given if not routing's. */
export interface SystemWork {
  subject: RoutingSubject;
  claimId: string;
  priority?: number;
}

/**
 * Work a system task (a sweep) makes in one organization, inside the caller's transaction, with
 * history rows and events that name no actor. A subject no queue takes, or that has open work of
 * its kind already, is passed over: the answer holds the items made.
 */
export async function enqueueBySystem(
  tx: Database,
  orgId: string,
  work: readonly SystemWork[],
  reason: string,
  now: Date,
): Promise<WorkItemRow[]> {
  const scope = organizationOnly(orgId);
  const queues = await queuesOfOrganization(tx, scope);
  const made: WorkItemRow[] = [];
  for (const { subject, claimId, priority } of work) {
    const routed = route(queues, subject, now);
    if (!routed) continue;
    const item = await insertSystemWorkItem(tx, scope, {
      queueId: routed.queue.id,
      queueKind: routed.queue.kind,
      facilityId: subject.facilityId,
      claimId,
      priority: priority ?? routed.priority,
      dueAt: routed.dueAt,
    });
    if (item) made.push(item);
  }
  await recordChanges(
    tx,
    made.map((item) => ({ item, from: null, actorId: null, type: "created" as const, reason })),
  );
  return made;
}
