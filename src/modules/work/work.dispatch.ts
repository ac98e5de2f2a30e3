/*
 * Changes that park an item or move it between people: hold and resume (by its holder or a
 * supervisor), assign, bulk assign, unassign and priority (by supervisors). Each locks the item,
 * checks it against a rule and writes its history, event and audit row in one transaction.
 */
import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import {
  badInput,
  conflict,
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
import { itemIdOf, lockedVisibleItem, MAX_NOTE_LENGTH, notHolder } from "./work.changes.js";
import { latestHoldOf, recordChanges, type WorkItemEventType } from "./work.history.js";
import type {
  AssignWorkItemInput,
  BulkAssignWorkItemsInput,
  HoldWorkItemInput,
  SetWorkItemPriorityInput,
  WorkItemRefInput,
} from "./work.inputs.js";
import { HOLDING_ROLES, ineligibility, SUPERVISING_ROLES } from "./work.policy.js";
import { OPEN, queuesByIds, type WorkItemRow, type WorkQueueRow } from "./work.store.js";
import {
  assignItems,
  holdItem,
  resumeItem,
  setItemPriority,
  unassignItem,
  workItemsForUpdate,
} from "./work.transitions.js";

/** How many items one bulk assignment may name: enough for a morning's worklist, small enough for one transaction. */
export const MAX_BULK_ASSIGN = 500;
/** Highest priority a supervisor may set; the formula gives at most 865, so this puts an item ahead of all of those. */
export const MAX_PRIORITY = 10_000;

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
