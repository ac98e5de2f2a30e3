import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import { conflict, forbidden, notFound, ok, type Outcome } from "../../shared/errors.js";
import { uuidOf } from "../../shared/ids.js";
import { pageRequest } from "../../shared/pagination.js";
import { hasRole, requireRole, type Actor, type Role } from "../auth/actor.js";
import { withEvents } from "../events/event.transaction.js";
import { route, type Route, type RoutingSubject } from "./work.routing.js";
import {
  claimNextWorkItem,
  expireLeases,
  extendLease,
  findWorkItems,
  insertWorkItem,
  queuesOfOrganization,
  recordChanges,
  releaseItem,
  workItemForUpdate,
  type QueueKind,
  type WorkItemRow,
  type WorkItemStatus,
  type WorkQueueRow,
} from "./work.store.js";

/** Roles that work items from queues, and the queue kinds each may work. */
export const WORKER_ROLES: Role[] = ["CODER", "AUDITOR", "BILLER", "SUPERVISOR"];
const KINDS_OF_ROLE: Partial<Record<Role, QueueKind[]>> = {
  CODER: ["CODING"],
  AUDITOR: ["CODING_REVIEW"],
  BILLER: ["CLAIM_EDIT", "BILLING", "DENIAL", "FOLLOW_UP"],
  SUPERVISOR: ["CODING", "CODING_REVIEW", "CLAIM_EDIT", "BILLING", "DENIAL", "FOLLOW_UP"],
};

function workableKinds(actor: Actor): QueueKind[] {
  return [...new Set(actor.roles.flatMap((role) => KINDS_OF_ROLE[role] ?? []))];
}

/** Whether the actor may claim from the queue: a role for its kind and its credential, if it asks for one. */
export function mayWork(actor: Actor, queue: WorkQueueRow): boolean {
  return workableKinds(actor).includes(queue.kind) && (queue.requiredCredential === null || actor.credentials.includes(queue.requiredCredential));
}

/** Supervisors and administrators watch every queue; workers see the queues they may work. */
export function mayView(actor: Actor, queue: WorkQueueRow): boolean {
  return hasRole(actor, ["ADMIN", "SUPERVISOR"]) || mayWork(actor, queue);
}

export async function listQueues(ctx: RequestContext): Promise<WorkQueueRow[]> {
  const actor = actorOf(ctx);
  return (await queuesOfOrganization(ctx.db, actor.scope)).filter((queue) => mayView(actor, queue));
}

/** The queue behind a global id, or null when it is missing or not the caller's to see. */
export async function findQueue(ctx: RequestContext, globalId: string): Promise<WorkQueueRow | null> {
  const id = uuidOf(globalId, "WorkQueue");
  const queue = id ? await ctx.loaders.workQueue.load(id) : null;
  return queue && mayView(actorOf(ctx), queue) ? queue : null;
}

export async function listItems(
  ctx: RequestContext,
  filter: { queueId?: string; status?: WorkItemStatus | null; assigneeId?: string },
  first?: number | null,
  after?: string | null,
) {
  const page = await pageRequest("WorkItem", first, after, (id) => ctx.loaders.workItem.load(id));
  return findWorkItems(ctx.db, actorOf(ctx).scope, filter, page);
}

export function myWork(ctx: RequestContext, first?: number | null, after?: string | null) {
  return listItems(ctx, { status: "ASSIGNED", assigneeId: actorOf(ctx).userId }, first, after);
}

/** Where the subject's work goes in the caller's organization; null when no queue takes it. */
export async function routeSubject(ctx: RequestContext, subject: RoutingSubject): Promise<Route | null> {
  return route(await queuesOfOrganization(ctx.db, actorOf(ctx).scope), subject, new Date());
}

/**
 * Creates the routed item, with its history row and event, inside the caller's transaction.
 * A subject that already has an open item of that kind is a CONFLICT, which rolls the caller back.
 */
export async function enqueue(tx: Database, actor: Actor, routed: Route, subject: { facilityId: string; encounterId?: string; claimId?: string }): Promise<WorkItemRow> {
  const item = await insertWorkItem(tx, {
    orgId: actor.orgId,
    queueId: routed.queue.id,
    queueKind: routed.queue.kind,
    facilityId: subject.facilityId,
    encounterId: subject.encounterId ?? null,
    claimId: subject.claimId ?? null,
    priority: routed.priority,
    dueAt: routed.dueAt,
  });
  if (!item) throw conflict(`This ${subject.encounterId ? "encounter" : "claim"} already has open ${routed.queue.kind} work.`);
  await recordChanges(tx, [{ item, from: null, actorId: actor.userId, type: "created" }]);
  return item;
}

/**
 * The best next item the caller may work, leased to them; null when there is none. Expired leases
 * of the organization go back to READY first, in the same transaction, so they can be claimed now.
 */
export async function claimNext(ctx: RequestContext, queueGlobalId: string | null | undefined): Promise<Outcome<WorkItemRow | null>> {
  const actor = actorOf(ctx);
  requireRole(actor, WORKER_ROLES, "claim work");
  let queueId: string | null = null;
  if (queueGlobalId) {
    // Queue names and rules are no secret within the organization: say why, rather than "not found".
    const id = uuidOf(queueGlobalId, "WorkQueue");
    const queue = id ? await ctx.loaders.workQueue.load(id) : null;
    if (!queue) throw notFound("WorkQueue", "queueId");
    if (!mayWork(actor, queue)) {
      throw forbidden(`You may not work the queue "${queue.name}"${queue.requiredCredential ? ` (it needs ${queue.requiredCredential})` : ""}.`);
    }
    queueId = queue.id;
  }
  return withEvents(ctx, async (tx) => {
    const expired = await expireLeases(tx, actor.orgId);
    const claimed = await claimNextWorkItem(tx, {
      scope: actor.scope,
      userId: actor.userId,
      kinds: workableKinds(actor),
      credentials: actor.credentials,
      queueId,
    });
    await recordChanges(tx, [
      ...expired.map((item) => ({ item, from: "ASSIGNED" as const, actorId: null, type: "lease_expired" })),
      ...(claimed ? [{ item: claimed, from: "READY" as const, actorId: actor.userId, type: "claimed" }] : []),
    ]);
    return ok(claimed ?? null);
  });
}

/** Heartbeat and release change only the caller's own claimed item; anything else is refused with why, nothing changed. */
async function changeOwnItem(
  ctx: RequestContext,
  globalId: string,
  type: string,
  change: (tx: Database, orgId: string, itemId: string, userId: string) => Promise<WorkItemRow | undefined>,
): Promise<Outcome<WorkItemRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, WORKER_ROLES, "work items");
  const itemId = uuidOf(globalId, "WorkItem");
  if (!itemId) throw notFound("WorkItem", "workItemId");
  return withEvents(ctx, async (tx) => {
    const changed = await change(tx, actor.orgId, itemId, actor.userId);
    if (!changed) throw await refusal(tx, actor, itemId);
    const previousAssigneeId = changed.assigneeId === actor.userId ? null : actor.userId;
    await recordChanges(tx, [{ item: changed, from: "ASSIGNED", actorId: actor.userId, type, previousAssigneeId }]);
    return ok(changed);
  });
}

async function refusal(tx: Database, actor: Actor, itemId: string) {
  const item = await workItemForUpdate(tx, actor.scope, itemId);
  if (!item) return notFound("WorkItem", "workItemId");
  if (item.status !== "ASSIGNED") return conflict(`This item is ${item.status}, not claimed: claim it first.`);
  if (item.assigneeId !== actor.userId) return conflict("This item is assigned to someone else.");
  if (item.leaseExpiresAt === null) return conflict("This item was assigned to you without a lease: there is nothing to extend.");
  return conflict("Your lease on this item has expired: claim work again.");
}

export function heartbeat(ctx: RequestContext, globalId: string) {
  return changeOwnItem(ctx, globalId, "lease_extended", extendLease);
}

export function release(ctx: RequestContext, globalId: string) {
  return changeOwnItem(ctx, globalId, "released", releaseItem);
}
