/*
 * Changes of one work item after it was created: by the one who holds it (heartbeat, release,
 * complete, and the domain actions that finish or park their item), and by supervisors (hold,
 * resume, assign, unassign, priority). Each is one transaction that writes the item's history row,
 * its event and the audit row with it.
 */
import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import {
  badInput,
  conflict,
  type DomainError,
  forbidden,
  notFound,
  type Outcome,
  ok,
  refused,
  requireCurrentVersion,
  textTooLong,
  type UserErrorData,
  userError,
} from "../../shared/errors.js";
import { uuidOf } from "../../shared/ids.js";
import { auditEntry } from "../audit/index.js";
import { type Actor, hasRole, requireRole } from "../auth/index.js";
import { withEvents } from "../events/index.js";
import { facilitiesByIds } from "../organizations/index.js";
import { type UserWithFacilities, userWithFacilitiesById } from "../users/index.js";
import type {
  AssignWorkItemInput,
  BulkAssignWorkItemsInput,
  CompleteWorkItemInput,
  HoldWorkItemInput,
  SetWorkItemPriorityInput,
  WorkItemRefInput,
} from "./work.inputs.js";
import {
  HOLDING_ROLES,
  ineligibility,
  mayViewItem,
  SUPERVISING_ROLES,
  viewableItems,
  WORKER_ROLES,
} from "./work.policy.js";
import { cancelClaimWork, visibleItems } from "./work.service.js";
import {
  assignItems,
  completeItem,
  extendLease,
  holdItem,
  latestHoldOf,
  OPEN,
  type OwnItem,
  openItemOfSubject,
  type QueueKind,
  queuesByIds,
  recordChanges,
  releaseItem,
  resumeItem,
  setItemPriority,
  unassignItem,
  type WorkItemEventType,
  type WorkItemRow,
  type WorkQueueRow,
  type WorkSubjectRef,
  workItemForUpdate,
  workItemsForUpdate,
} from "./work.store.js";

/** How many items one bulk assignment may name: enough for a morning's worklist, small enough for one transaction. */
export const MAX_BULK_ASSIGN = 500;
/** Hold reasons and completion notes: a sentence or a short paragraph. */
export const MAX_NOTE_LENGTH = 2_000;
/** Highest priority a supervisor may set; the formula gives at most 865, so this puts an item ahead of all of those. */
export const MAX_PRIORITY = 10_000;
/** The item, locked, with its queue; NOT_FOUND when it is missing or not the actor's to see, as in `node`. */
async function lockedVisibleItem(
  tx: Database,
  actor: Actor,
  itemId: string,
): Promise<{ item: WorkItemRow; queue: WorkQueueRow }> {
  const item = await workItemForUpdate(tx, actor.scope, itemId);
  const [queue] = item ? await queuesByIds(tx, actor.scope, [item.queueId]) : [];
  if (!item || !queue || !mayViewItem(actor, queue, item)) throw notFound("WorkItem", "workItemId");
  return { item, queue };
}

/** The row id of a work item named in an input, or NOT_FOUND naming the field. */
function itemIdOf(globalId: string, field = "workItemId"): string {
  const id = uuidOf(globalId, "WorkItem");
  if (!id) throw notFound("WorkItem", field);
  return id;
}

/** Why the actor may not act on the item as the one who holds it; null when they may. */
function notHolder(actor: Actor, item: WorkItemRow): DomainError | null {
  if (item.status !== "ASSIGNED") return conflict(`This item is ${item.status}, not claimed: claim it first.`);
  if (item.assigneeId !== actor.userId) return conflict("This item is assigned to someone else.");
  if (item.leaseExpiresAt !== null && item.leaseExpiresAt <= new Date())
    return conflict("Your lease on this item has expired: claim work again.");
  return null;
}

/** A change of the caller's own claimed item: how history names it and the statement that makes it. */
interface OwnChange {
  type: WorkItemEventType;
  reason?: string;
  /** Explains a refusal when the item looks like the caller's after all. */
  otherwise: string;
  apply: (tx: Database, own: OwnItem) => Promise<WorkItemRow | undefined>;
}

/**
 * The encounter's open item of a kind, held by the caller (claimed with a running lease, or assigned
 * to them): the item a domain action such as completeCoding or a review finishes. A CONFLICT says
 * why when it is not theirs.
 */
export function heldEncounterItem(ctx: RequestContext, encounterId: string, kind: QueueKind): Promise<WorkItemRow> {
  return heldItemOf(ctx, { encounterId }, [kind]);
}

/** The claim's open item of one of the kinds (CLAIM_EDIT, BILLING…), held by the caller, as heldEncounterItem. */
export function heldClaimItem(ctx: RequestContext, claimId: string, kinds: readonly QueueKind[]): Promise<WorkItemRow> {
  return heldItemOf(ctx, { claimId }, kinds);
}

/** The unmatched claim payment's open item, held by the caller, as heldEncounterItem. */
export function heldClaimPaymentItem(ctx: RequestContext, claimPaymentId: string): Promise<WorkItemRow> {
  return heldItemOf(ctx, { claimPaymentId }, ["UNMATCHED_PAYMENT"]);
}

const SUBJECT_NAMES = { encounterId: "encounter", claimId: "claim", claimPaymentId: "claim payment" } as const;
const subjectName = (subject: WorkSubjectRef) => SUBJECT_NAMES[Object.keys(subject)[0] as keyof typeof SUBJECT_NAMES];

async function heldItemOf(
  ctx: RequestContext,
  subject: WorkSubjectRef,
  kinds: readonly QueueKind[],
): Promise<WorkItemRow> {
  const actor = actorOf(ctx);
  const found = await openItemOfSubject(ctx.db, actor.scope, subject, kinds);
  const item = found && (await visibleItems(ctx, [found]))[0];
  if (!item) throw conflict(`This ${subjectName(subject)} has no open ${kinds.join(" or ")} work.`);
  const refusal = notHolder(actor, item);
  if (refusal) throw refusal;
  return item;
}

/**
 * Heartbeat and release change only the caller's own claimed item that they may still see
 * (work.policy: a coder whose credential lapsed no longer works the queue), in one conditional
 * statement (the hot path of every worker); anything else is refused with why, nothing changed.
 */
async function changeOwnItem(
  ctx: RequestContext,
  ref: WorkItemRefInput,
  change: OwnChange,
): Promise<Outcome<WorkItemRow>> {
  requireRole(actorOf(ctx), WORKER_ROLES, "work items");
  const itemId = itemIdOf(ref.workItemId);
  const changed = await withEvents(ctx, (tx) => changeOwnItemIn(tx, ctx, itemId, ref.expectedVersion ?? null, change));
  return ok(changed);
}

/**
 * `changeOwnItem` inside the caller's transaction, for domain actions that finish their item with
 * their own change.
 */
async function changeOwnItemIn(
  tx: Database,
  ctx: RequestContext,
  itemId: string,
  expectedVersion: number | null,
  change: OwnChange,
): Promise<WorkItemRow> {
  const applied = await applyOwnChange(tx, ctx, itemId, expectedVersion, change);
  if (!applied.changed) throw whyUnchanged(actorOf(ctx), applied.unchanged, expectedVersion, change.otherwise);
  return applied.changed;
}

/**
 * The own change in one conditional statement, recorded; when the statement left the item alone,
 * the item as it is (locked, NOT_FOUND when the caller may not see it) for the caller to say why.
 */
async function applyOwnChange(
  tx: Database,
  ctx: RequestContext,
  itemId: string,
  expectedVersion: number | null,
  change: OwnChange,
): Promise<{ changed: WorkItemRow; unchanged?: never } | { changed?: never; unchanged: WorkItemRow }> {
  const actor = actorOf(ctx);
  const own: OwnItem = {
    scope: actor.scope,
    itemId,
    userId: actor.userId,
    expectedVersion,
    visible: viewableItems(actor),
  };
  const changed = await change.apply(tx, own);
  if (!changed) return { unchanged: (await lockedVisibleItem(tx, actor, itemId)).item };
  await recordChanges(
    tx,
    [
      {
        item: changed,
        from: "ASSIGNED",
        actorId: actor.userId,
        type: change.type,
        ...(change.reason ? { reason: change.reason } : {}),
        ...(changed.assigneeId === actor.userId ? {} : { previousAssigneeId: actor.userId }),
      },
    ],
    auditEntry(ctx, `work_item.${change.type}`, "WorkItem", [changed.id]),
  );
  return { changed };
}

/** Why an own change left the item alone: it moved since the caller read it, or it is not theirs (CONFLICT). */
function whyUnchanged(actor: Actor, item: WorkItemRow, expectedVersion: number | null, otherwise: string) {
  requireCurrentVersion("work item", item.version, expectedVersion);
  return notHolder(actor, item) ?? conflict(otherwise);
}

/** DONE, inside the caller's transaction: the item a domain action (completeCoding, a review) finishes. */
export async function completeOwnItem(
  tx: Database,
  ctx: RequestContext,
  itemId: string,
  note: string,
): Promise<WorkItemRow> {
  return changeOwnItemIn(tx, ctx, itemId, null, {
    type: "completed",
    reason: note,
    otherwise: CHANGED_MEANWHILE,
    apply: (db, own) => completeItem(db, own, []),
  });
}

/**
 * Ends the claim's open work of these kinds that a domain action settles (a denial appealed, corrected, written off
 * or moved to the patient), inside the caller's transaction: the caller's own item is completed with the note, as
 * completeOwnItem does; an item nobody holds, or someone else does (a supervisor approved a biller's write-off, say),
 * is cancelled with it, since nothing is left to do on it.
 */
export async function finishClaimWork(
  tx: Database,
  ctx: RequestContext,
  claimId: string,
  kinds: readonly QueueKind[],
  note: string,
): Promise<void> {
  const actor = actorOf(ctx);
  const open = await openItemOfSubject(tx, actor.scope, { claimId }, kinds);
  if (open && notHolder(actor, open) === null) await completeOwnItem(tx, ctx, open.id, note);
  else if (open) await cancelClaimWork(tx, actor, [claimId], kinds, note);
}

/**
 * The mutation that finishes each kind of work that has one: it makes the rest of the change with
 * the item (the coding recorded and the encounter moved on, the review recorded), which
 * completeWorkItem would skip, leaving the subject with no open work.
 */
// DENIAL is not here: a denial may end with no change to the claim here (the payer reprocesses it after a call, or
// the service is billed to another payer), so completeWorkItem with a note still finishes it; appealClaim,
// createReplacementClaim, writeOffClaimBalance and transferBalanceToPatient finish it themselves.
const DOMAIN_ACTION_OF: Partial<Record<QueueKind, string>> = {
  CODING: "completeCoding",
  CODING_REVIEW: "submitCodingReview",
  CLAIM_EDIT: "markClaimReady",
  BILLING: "markClaimReady",
};
const KINDS_WITH_DOMAIN_ACTION = Object.keys(DOMAIN_ACTION_OF) as QueueKind[];

function domainActionRequired(item: WorkItemRow): UserErrorData | null {
  const action = DOMAIN_ACTION_OF[item.queueKind];
  if (!action) return null;
  return userError(
    "DOMAIN_ACTION_REQUIRED",
    `${item.queueKind} work is finished with ${action}, which also moves its encounter or claim on; ` +
      "completeWorkItem does not finish it.",
    ["workItemId"],
  );
}

const CHANGED_MEANWHILE = "This item changed while you acted on it: read it again.";

export function heartbeat(ctx: RequestContext, ref: WorkItemRefInput) {
  return changeOwnItem(ctx, ref, {
    type: "lease_extended",
    otherwise: "This item was assigned to you without a lease: there is nothing to extend.",
    apply: extendLease,
  });
}

export function release(ctx: RequestContext, ref: WorkItemRefInput) {
  return changeOwnItem(ctx, ref, { type: "released", otherwise: CHANGED_MEANWHILE, apply: releaseItem });
}

/**
 * DONE, by whoever holds it, for work without a domain action of its own (DOMAIN_ACTION_REQUIRED
 * otherwise); the note, if any, is the history's reason.
 */
export function complete(ctx: RequestContext, input: CompleteWorkItemInput): Promise<Outcome<WorkItemRow>> {
  const note = input.note?.trim() ?? "";
  const problem = textTooLong(note, MAX_NOTE_LENGTH, ["note"]);
  if (problem) return Promise.resolve(refused([problem]));
  requireRole(actorOf(ctx), WORKER_ROLES, "work items");
  const itemId = itemIdOf(input.workItemId);
  const expectedVersion = input.expectedVersion ?? null;
  return withEvents(ctx, async (tx) => {
    const applied = await applyOwnChange(tx, ctx, itemId, expectedVersion, {
      type: "completed",
      reason: note,
      otherwise: CHANGED_MEANWHILE,
      apply: (db, own) => completeItem(db, own, KINDS_WITH_DOMAIN_ACTION),
    });
    if (applied.changed) return ok(applied.changed);
    // The statement leaves work with a domain action alone: that is what the caller must fix, whoever holds it.
    const misuse = domainActionRequired(applied.unchanged);
    if (misuse) return refused([misuse]);
    throw whyUnchanged(actorOf(ctx), applied.unchanged, expectedVersion, CHANGED_MEANWHILE);
  });
}

/** What a change of a locked item did: the new row and how the history names it. */
interface LockedChange {
  item: WorkItemRow;
  type: WorkItemEventType;
  reason?: string;
}

/**
 * The changes that depend on more than who holds the item (hold, resume, assign, unassign,
 * priority): lock the item, check the expected version and the rules, change it and record the
 * change, in one transaction. An item in a queue the caller may not view is not found, as in `node`.
 */
function changeLockedItem(
  ctx: RequestContext,
  ref: WorkItemRefInput,
  change: LockedChangeRule,
): Promise<Outcome<WorkItemRow>> {
  const itemId = itemIdOf(ref.workItemId);
  return withEvents(ctx, async (tx) =>
    ok(await changeLockedItemIn(tx, ctx, itemId, ref.expectedVersion ?? null, change)),
  );
}

/** The change a rule makes of the locked item; it throws what refuses it (a wrong state is a CONFLICT). */
type LockedChangeRule = (tx: Database, item: WorkItemRow, queue: WorkQueueRow) => Promise<LockedChange>;

/** `changeLockedItem` inside the caller's transaction. */
async function changeLockedItemIn(
  tx: Database,
  ctx: RequestContext,
  itemId: string,
  expectedVersion: number | null,
  change: LockedChangeRule,
): Promise<WorkItemRow> {
  const actor = actorOf(ctx);
  const { item, queue } = await lockedVisibleItem(tx, actor, itemId);
  requireCurrentVersion("work item", item.version, expectedVersion);
  const { item: changed, type, reason } = await change(tx, item, queue);
  await recordChanges(
    tx,
    [
      {
        item: changed,
        from: item.status,
        actorId: actor.userId,
        type,
        ...(reason ? { reason } : {}),
        previousAssigneeId: item.assigneeId,
      },
    ],
    auditEntry(ctx, `work_item.${type}`, "WorkItem", [changed.id]),
  );
  return changed;
}

/**
 * ON_HOLD with a reason, by the one who holds the item or by a supervisor (who may also park READY
 * work). Nobody holds it meanwhile: it leaves its assignee and keeps no lease.
 */
export function hold(ctx: RequestContext, input: HoldWorkItemInput): Promise<Outcome<WorkItemRow>> {
  const reason = input.reason.trim();
  const rule = holding(ctx, reason);
  const problem =
    reason === ""
      ? userError("HOLD_REASON_REQUIRED", "Say why the item is on hold, e.g. the query sent to the physician.", [
          "reason",
        ])
      : textTooLong(reason, MAX_NOTE_LENGTH, ["reason"]);
  if (problem) return Promise.resolve(refused([problem]));
  return changeLockedItem(ctx, input, rule);
}

/** `hold` inside the caller's transaction, for a domain action that parks its item (a physician query). */
export async function holdItemIn(
  tx: Database,
  ctx: RequestContext,
  itemId: string,
  reason: string,
): Promise<WorkItemRow> {
  return changeLockedItemIn(tx, ctx, itemId, null, holding(ctx, reason));
}

function holding(ctx: RequestContext, reason: string): LockedChangeRule {
  const actor = actorOf(ctx);
  requireRole(actor, HOLDING_ROLES, "put work on hold");
  return async (tx, item) => {
    if (hasRole(actor, SUPERVISING_ROLES)) {
      if (item.status !== "READY" && item.status !== "ASSIGNED")
        throw conflict(`This item is ${item.status}: only READY or ASSIGNED work can be put on hold.`);
    } else {
      const refusal = notHolder(actor, item);
      if (refusal) throw refusal;
    }
    return { item: await holdItem(tx, actor.scope, item, reason), type: "held", reason };
  };
}

/**
 * Off hold. Work that was assigned when it was held goes back to its assignee (ASSIGNED, without a lease)
 * when they may still work it — active, with the queue's role and credential and the item's
 * facility; otherwise, and for work parked while READY, it goes back to READY. The one who held it
 * or a supervisor may resume it.
 */
export function resume(ctx: RequestContext, ref: WorkItemRefInput): Promise<Outcome<WorkItemRow>> {
  return changeLockedItem(ctx, ref, resuming(ctx));
}

/** `resume` inside the caller's transaction, for a domain action that ends a hold (an answered physician query). */
export async function resumeItemIn(tx: Database, ctx: RequestContext, itemId: string): Promise<WorkItemRow> {
  return changeLockedItemIn(tx, ctx, itemId, null, resuming(ctx));
}

function resuming(ctx: RequestContext): LockedChangeRule {
  const actor = actorOf(ctx);
  requireRole(actor, HOLDING_ROLES, "resume work");
  return async (tx, item, queue) => {
    if (item.status !== "ON_HOLD") throw conflict(`This item is ${item.status}, not on hold.`);
    const held = await latestHoldOf(tx, actor.scope, item.id);
    if (held?.actorId !== actor.userId && !hasRole(actor, SUPERVISING_ROLES)) {
      throw forbidden("Only the one who put this item on hold, or a supervisor, may resume it.");
    }
    const holder =
      held?.fromStatus === "ASSIGNED" && held.previousAssigneeId
        ? await userWithFacilitiesById(tx, actor.scope, held.previousAssigneeId)
        : undefined;
    const backToHolder = holder && ineligibility(holder, queue, item, new Map()).length === 0;
    return {
      item: await resumeItem(
        tx,
        actor.scope,
        item,
        backToHolder ? { assigneeId: holder.id, byId: actor.userId } : null,
      ),
      type: "resumed",
    };
  };
}

/** Names of the items' facilities that `user` lacks, for saying so; no query when they lack none. */
async function missingFacilityNames(
  tx: Database,
  actor: Actor,
  user: UserWithFacilities,
  items: WorkItemRow[],
): Promise<Map<string, string>> {
  const missing = [...new Set(items.map((item) => item.facilityId))].filter((id) => !user.facilityIds.includes(id));
  if (missing.length === 0) return new Map();
  return new Map((await facilitiesByIds(tx, actor.scope, missing)).map((facility) => [facility.id, facility.name]));
}

/**
 * READY or ASSIGNED (a reassignment) items to `userGlobalId`, without a lease; userErrors name the
 * items the user may not work.
 */
async function assignTo(
  ctx: RequestContext,
  request: { itemIds: string[]; userId: string; expectedVersion: number | null; fieldOf: (index: number) => string[] },
): Promise<Outcome<WorkItemRow[]>> {
  const actor = actorOf(ctx);
  requireRole(actor, SUPERVISING_ROLES, "assign work");
  const userId = uuidOf(request.userId, "User");
  if (!userId) throw notFound("User", "userId");
  return withEvents(ctx, async (tx) => {
    const assignee = await userWithFacilitiesById(tx, actor.scope, userId);
    if (!assignee) throw notFound("User", "userId");
    const locked = new Map((await workItemsForUpdate(tx, actor.scope, request.itemIds)).map((item) => [item.id, item]));
    const missing = request.itemIds.findIndex((id) => !locked.has(id));
    if (missing >= 0) throw notFound("WorkItem", request.fieldOf(missing).join("."));
    const items = request.itemIds.map((id) => locked.get(id)!);
    const queues = new Map(
      (await queuesByIds(tx, actor.scope, [...new Set(items.map((item) => item.queueId))])).map((queue) => [
        queue.id,
        queue,
      ]),
    );

    const facilityNames = await missingFacilityNames(tx, actor, assignee, items);
    const problems: UserErrorData[] = [];
    for (const [index, item] of items.entries()) {
      requireCurrentVersion("work item", item.version, request.expectedVersion);
      if (item.status !== "READY" && item.status !== "ASSIGNED") {
        const which = items.length > 1 ? `Item ${request.fieldOf(index).join(".")}` : "This item";
        const hint = item.status === "ON_HOLD" ? " (resume it first)" : "";
        throw conflict(`${which} is ${item.status}: only READY or ASSIGNED work can be assigned${hint}.`);
      }
      const reasons = ineligibility(assignee, queues.get(item.queueId)!, item, facilityNames);
      if (reasons.length > 0)
        problems.push(
          userError(
            "ASSIGNEE_NOT_ELIGIBLE",
            `${assignee.name} may not be given this item: ${reasons.join("; ")}.`,
            request.fieldOf(index),
          ),
        );
    }
    if (problems.length > 0) return refused(problems);

    const assigned = new Map(
      (await assignItems(tx, actor.scope, request.itemIds, { assigneeId: assignee.id, byId: actor.userId })).map(
        (row) => [row.id, row],
      ),
    );
    await recordChanges(
      tx,
      items.map((before) => ({
        item: assigned.get(before.id)!,
        from: before.status,
        actorId: actor.userId,
        type: before.assigneeId !== null && before.assigneeId !== assignee.id ? "reassigned" : "assigned",
        previousAssigneeId: before.assigneeId,
      })),
      auditEntry(ctx, "work_item.assigned", "WorkItem", request.itemIds),
    );
    return ok(items.map((before) => assigned.get(before.id)!));
  });
}

/** Supervisor push: a READY item to a user, or an ASSIGNED one to another (reassign). */
export async function assign(ctx: RequestContext, input: AssignWorkItemInput): Promise<Outcome<WorkItemRow>> {
  const outcome = await assignTo(ctx, {
    itemIds: [itemIdOf(input.workItemId)],
    userId: input.userId,
    expectedVersion: input.expectedVersion ?? null,
    fieldOf: () => ["workItemId"],
  });
  return outcome.value ? ok(outcome.value[0]!) : refused(outcome.userErrors);
}

/** Many items to one user, all or none, in one transaction. */
export function bulkAssign(ctx: RequestContext, input: BulkAssignWorkItemsInput): Promise<Outcome<WorkItemRow[]>> {
  const ids = input.workItemIds.map((id, index) => itemIdOf(id, `workItemIds.${index}`));
  if (ids.length === 0) throw badInput("Name at least one work item.", "workItemIds");
  if (ids.length > MAX_BULK_ASSIGN) throw badInput(`At most ${MAX_BULK_ASSIGN} items at a time.`, "workItemIds");
  if (new Set(ids).size !== ids.length) throw badInput("An item is named twice.", "workItemIds");
  return assignTo(ctx, {
    itemIds: ids,
    userId: input.userId,
    expectedVersion: null,
    fieldOf: (index) => ["workItemIds", String(index)],
  });
}

/** ASSIGNED back to READY, by a supervisor. */
export function unassign(ctx: RequestContext, ref: WorkItemRefInput): Promise<Outcome<WorkItemRow>> {
  requireRole(actorOf(ctx), SUPERVISING_ROLES, "unassign work");
  return changeLockedItem(ctx, ref, async (tx, item) => {
    if (item.status !== "ASSIGNED") throw conflict(`This item is ${item.status}: nobody holds it.`);
    return { item: await unassignItem(tx, actorOf(ctx).scope, item), type: "unassigned" };
  });
}

/** A supervisor's priority for open work, from 0 to MAX_PRIORITY; the history keeps the old one. */
export function setPriority(ctx: RequestContext, input: SetWorkItemPriorityInput): Promise<Outcome<WorkItemRow>> {
  requireRole(actorOf(ctx), SUPERVISING_ROLES, "set priorities");
  if (!Number.isInteger(input.priority) || input.priority < 0 || input.priority > MAX_PRIORITY) {
    return Promise.resolve(
      refused([
        userError("PRIORITY_OUT_OF_RANGE", `Priority runs from 0 to ${MAX_PRIORITY}; higher is worked first.`, [
          "priority",
        ]),
      ]),
    );
  }
  return changeLockedItem(ctx, input, async (tx, item) => {
    if (!OPEN.includes(item.status))
      throw conflict(`This item is ${item.status}: only open work has a priority to change.`);
    return {
      item: await setItemPriority(tx, actorOf(ctx).scope, item, input.priority),
      type: "priority_changed",
      reason: `priority ${item.priority} → ${input.priority}`,
    };
  });
}
