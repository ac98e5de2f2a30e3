/*
 * The pull of the next item under a lease (claimNext), and the return of expired leases to READY:
 * at each claim for its organization, and by the periodic sweep (server.ts, shared/periodic-job.ts) for all of them.
 */
import type { RequestContext, Services } from "../../context.js";
import { actorOf } from "../../context.js";
import { EVERY_ORGANIZATION, organizationOnly } from "../../db/scope.js";
import { forbidden, notFound, type Outcome, ok } from "../../shared/errors.js";
import { uuidOf } from "../../shared/ids.js";
import { auditEntry } from "../audit/index.js";
import { requireRole } from "../auth/index.js";
import { withEvents, withEventsStatement } from "../events/index.js";
import { recordChanges, type WorkItemChange } from "./work.history.js";
import { mayWork, WORKER_ROLES, workableQueues } from "./work.policy.js";
import type { WorkItemRow } from "./work.store.js";
import {
  claimNextRecorded,
  claimNextWorkItem,
  type ExpiredLease,
  expireLeases,
  tryLeaseSweepLock,
} from "./work.transitions.js";

/** How many expired leases one transaction (a claim, or one batch of the sweep) returns to READY. */
const EXPIRY_BATCH = 100;

/** The history entry of a lease that ran out: the system's doing, and it names who lost the item. */
const leaseExpired = (item: ExpiredLease): WorkItemChange => ({
  item,
  from: "ASSIGNED",
  actorId: null,
  type: "lease_expired",
  previousAssigneeId: item.previousAssigneeId,
});

/**
 * The best next item the caller may work, leased to them; null when there is none. Expired leases
 * of the organization go back to READY first, in the same transaction, so they can be claimed now
 * rather than at the next sweep. With none expired (the sweep keeps it so), the claim and its records
 * are one statement: one round trip, no transaction.
 */
export async function claimNext(
  ctx: RequestContext,
  queueGlobalId: string | null | undefined,
): Promise<Outcome<WorkItemRow | null>> {
  const actor = actorOf(ctx);
  requireRole(actor, WORKER_ROLES, "claim work");
  let queueId: string | null = null;
  if (queueGlobalId) {
    // Queue names and rules are no secret within the organization: say why, rather than "not found".
    const id = uuidOf(queueGlobalId, "WorkQueue");
    const queue = id ? await ctx.loaders.workQueue.load(id) : null;
    if (!queue) throw notFound("WorkQueue", "queueId");
    if (!mayWork(actor, queue)) {
      throw forbidden(
        `You may not work the queue "${queue.name}"` +
          `${queue.requiredCredential ? ` (it needs ${queue.requiredCredential})` : ""}.`,
      );
    }
    queueId = queue.id;
  }
  const request = { scope: actor.scope, userId: actor.userId, workable: workableQueues(actor), queueId };
  const { entityIds: _none, ...audit } = auditEntry(ctx, "work_item.claimed", "WorkItem", []);
  // Everything the statement depends on but the request id: it is compiled once per claimer and queue.
  const key = JSON.stringify([actor, queueId]);
  const fast = await withEventsStatement(ctx, (db) => claimNextRecorded(db, key, request, audit));
  if (!fast.expired) return ok(fast.item);
  return withEvents(ctx, async (tx) => {
    const expired = await expireLeases(tx, organizationOnly(actor.orgId), EXPIRY_BATCH);
    const claimed = await claimNextWorkItem(tx, request);
    await recordChanges(
      tx,
      [
        ...expired.map(leaseExpired),
        ...(claimed
          ? [
              {
                item: claimed,
                from: "READY" as const,
                actorId: actor.userId,
                type: "claimed" as const,
                previousAssigneeId: null,
              },
            ]
          : []),
      ],
      claimed ? auditEntry(ctx, "work_item.claimed", "WorkItem", [claimed.id]) : undefined,
    );
    return ok(claimed ?? null);
  });
}

/**
 * Returns the expired leases of every organization to READY, a batch per transaction, and answers
 * how many. Each batch's transaction first takes an advisory lock, so one instance sweeps at a
 * time; an instance that finds it taken leaves the sweep to the one holding it.
 */
export async function sweepExpiredLeases(services: Pick<Services, "db" | "events">): Promise<number> {
  let total = 0;
  for (;;) {
    const swept = await withEvents(services, async (tx) => {
      if (!(await tryLeaseSweepLock(tx))) return null;
      const expired = await expireLeases(tx, EVERY_ORGANIZATION, EXPIRY_BATCH);
      await recordChanges(tx, expired.map(leaseExpired));
      return expired.length;
    });
    total += swept ?? 0;
    if (swept === null || swept < EXPIRY_BATCH) return total;
  }
}
