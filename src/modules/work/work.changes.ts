/*
 * Changes of one work item by the one who holds it: heartbeat, release, complete, and the domain
 * actions that finish their item. Parking an item and moving it between people is work.dispatch.ts.
 * Each is one transaction that writes the item's history row, its event and the audit row with it.
 */
import { sql } from "drizzle-orm";
import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import {
  conflict,
  type DomainError,
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
import { type Actor, requireRole } from "../auth/index.js";
import { withEventsStatement } from "../events/index.js";
import type { WorkItemEventType } from "./work.history.js";
import type { CompleteWorkItemInput, WorkItemRefInput } from "./work.inputs.js";
import { mayViewItem, viewableItems, WORKER_ROLES } from "./work.policy.js";
import { cancelClaimWork, visibleItems } from "./work.service.js";
import {
  openItemOfSubject,
  type QueueKind,
  queuesByIds,
  type WorkItemRow,
  type WorkQueueRow,
  type WorkSubjectRef,
} from "./work.store.js";
import {
  completeItem,
  extendLease,
  type OwnItem,
  type OwnItemUpdate,
  ownChangeRecorded,
  releaseItem,
  workItemForUpdate,
} from "./work.transitions.js";

/** Hold reasons and completion notes: a sentence or a short paragraph. */
export const MAX_NOTE_LENGTH = 2_000;
/** The item, locked, with its queue; NOT_FOUND when it is missing or not the actor's to see, as in `node`. */
export async function lockedVisibleItem(
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
export function itemIdOf(globalId: string, field = "workItemId"): string {
  const id = uuidOf(globalId, "WorkItem");
  if (!id) throw notFound("WorkItem", field);
  return id;
}

/** Why the actor may not act on the item as the one who holds it; null when they may. */
export function notHolder(actor: Actor, item: WorkItemRow): DomainError | null {
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
  apply: (tx: Database, own: OwnItem) => OwnItemUpdate;
  /** Names the statement `apply` builds among all own changes: each is compiled once per holder. */
  statement: string;
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
 * statement (the hot path of every worker) that records the change too, so no transaction is needed;
 * anything else is refused with why, nothing changed.
 */
async function changeOwnItem(
  ctx: RequestContext,
  ref: WorkItemRefInput,
  change: OwnChange,
): Promise<Outcome<WorkItemRow>> {
  requireRole(actorOf(ctx), WORKER_ROLES, "work items");
  const itemId = itemIdOf(ref.workItemId);
  const changed = await withEventsStatement(ctx, (db) =>
    changeOwnItemIn(db, ctx, itemId, ref.expectedVersion ?? null, change),
  );
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
  // The item and version are placeholders: the statement is compiled once per holder and change.
  const own: OwnItem = {
    scope: actor.scope,
    itemId: sql.placeholder("itemId"),
    userId: actor.userId,
    expectedVersion: expectedVersion === null ? null : sql.placeholder("expectedVersion"),
    visible: viewableItems(actor),
  };
  const key = JSON.stringify([change.statement, expectedVersion === null, actor]);
  const { entityIds: _none, requestId, ...audit } = auditEntry(ctx, `work_item.${change.type}`, "WorkItem", []);
  const changed = await ownChangeRecorded(
    tx,
    key,
    () => change.apply(tx, own),
    { actorId: actor.userId, type: change.type, audit },
    { itemId, expectedVersion, reason: change.reason || change.type, requestId },
  );
  if (!changed) return { unchanged: (await lockedVisibleItem(tx, actor, itemId)).item };
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
    statement: "complete held item",
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

/** A fresh lease for the holder who is still working the item, so the sweep does not take it back. */
export function heartbeat(ctx: RequestContext, ref: WorkItemRefInput) {
  return changeOwnItem(ctx, ref, {
    type: "lease_extended",
    otherwise: "This item was assigned to you without a lease: there is nothing to extend.",
    apply: extendLease,
    statement: "extend lease",
  });
}

/** The holder gives the item back to READY, for the next claim in its queue. */
export function release(ctx: RequestContext, ref: WorkItemRefInput) {
  return changeOwnItem(ctx, ref, {
    type: "released",
    otherwise: CHANGED_MEANWHILE,
    apply: releaseItem,
    statement: "release",
  });
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
  return withEventsStatement(ctx, async (db) => {
    const applied = await applyOwnChange(db, ctx, itemId, expectedVersion, {
      type: "completed",
      reason: note,
      otherwise: CHANGED_MEANWHILE,
      apply: (db, own) => completeItem(db, own, KINDS_WITH_DOMAIN_ACTION),
      statement: "complete work item",
    });
    if (applied.changed) return ok(applied.changed);
    // The statement leaves work with a domain action alone: that is what the caller must fix, whoever holds it.
    const misuse = domainActionRequired(applied.unchanged);
    if (misuse) return refused([misuse]);
    throw whyUnchanged(actorOf(ctx), applied.unchanged, expectedVersion, CHANGED_MEANWHILE);
  });
}
