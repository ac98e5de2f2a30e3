import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import { auditChange } from "../audit/index.js";
import { billSecondary, type ClaimRow, claimEvents } from "../claims/index.js";
import { cancelClaimWork, enqueueAll, type NewWork } from "../work/index.js";
import { adjustmentCodeTexts } from "./claim-payment.store.js";
import type { PostingPlan } from "./posting.plan.js";
import {
  type ClaimToPost,
  claimsWithSecondaryCoverage,
  insertPostedStatusChanges,
  insertPosting,
  moveClaims,
  payClaimLines,
} from "./posting.store.js";
import { denialCategory, NEXT_STEP } from "./remittance.denials.js";
import { PhaseClock } from "./remittance.phases.js";
import type { RemittedClaim } from "./remittance.reader.js";

/*
 * Writing a planned payment inside its transaction: its rows, the claims and lines it moves, their history, events
 * and audit, and the work it makes (denials, unmatched payments, follow-ups finished, secondary claims). Each step
 * is a few statements whatever the number of claims, except secondary claims, billed one by one for the claims
 * whose patient has a secondary coverage.
 */

/** Claims still waiting for the payer's answer: the statuses a follow-up is about. */
const AWAITING_PAYMENT = new Set<ClaimRow["status"]>(["SUBMITTED", "ACCEPTED"]);

/** Writes the plan; answers the claims it moved, as they are now. */
export async function writePlan(
  tx: Database,
  plan: PostingPlan,
  payerKind: ClaimToPost["payerKind"],
  paymentDate: string | null,
  clock = new PhaseClock(),
): Promise<ClaimRow[]> {
  const { ctx, remittance } = plan;
  const actor = actorOf(ctx);
  await insertPosting(tx, actor.scope, plan.posting);
  clock.lap("insert postings");
  const changed = plan.changed();
  const moved = await moveClaims(tx, actor.scope, plan.movements());
  clock.lap("move claims");
  await payClaimLines(tx, actor.scope, plan.linesPaid);
  clock.lap("pay lines");
  await insertPostedStatusChanges(
    tx,
    actor.scope,
    changed.flatMap((state) =>
      state.reasons.map((reason) => ({
        id: reason.id,
        claimId: state.target.claim.id,
        fromStatus: reason.from,
        toStatus: reason.to,
        actorId: actor.userId,
        reason: reason.reason,
      })),
    ),
  );
  clock.lap("status history");
  const statusOf = new Map(changed.map((state) => [state.target.claim.id, state.target.claim.status]));
  await claimEvents.append(
    tx,
    moved.map((claim) => ({ type: statusOf.get(claim.id) === claim.status ? "changed" : "status_changed", claim })),
  );
  clock.lap("events");
  const movedIds = moved.map((claim) => claim.id);
  if (movedIds.length > 0) await auditChange(tx, ctx, "claim.payment", "Claim", movedIds);
  clock.lap("audit");
  const answered = moved.filter((claim) => !AWAITING_PAYMENT.has(claim.status)).map((claim) => claim.id);
  await cancelClaimWork(
    tx,
    actor,
    answered,
    ["FOLLOW_UP"],
    `The payer answered in 835 ${remittance.traceNumber}: nothing to follow up.`,
  );
  clock.lap("follow-ups");
  await enqueueAll(tx, ctx, "DENIAL", await denialWork(tx, plan, moved), { unlessOpen: true });
  clock.lap("denial work");
  await enqueueAll(tx, ctx, "UNMATCHED_PAYMENT", unmatchedWork(plan, payerKind, paymentDate));
  clock.lap("unmatched work");
  const standing = plan.standingClaims();
  const covered = await claimsWithSecondaryCoverage(
    tx,
    actor.scope,
    moved.filter((claim) => standing.has(claim.id)).map((claim) => claim.id),
  );
  const payments = plan.primaryPayments(paymentDate, covered);
  for (const claim of moved) if (covered.has(claim.id)) await billSecondary(tx, ctx, claim, payments.get(claim.id)!);
  clock.lap("secondary claims");
  return moved;
}

/**
 * DENIAL work for each claim this payment left denied or partly denied, with the payer's reasons in words. A claim
 * whose denial is being worked already keeps that work.
 */
async function denialWork(tx: Database, plan: PostingPlan, moved: readonly ClaimRow[]): Promise<NewWork[]> {
  const denied = moved.filter((claim) => claim.status === "DENIED" || claim.status === "PARTIALLY_PAID");
  if (denied.length === 0) return [];
  const ids = new Set(denied.map((claim) => claim.id));
  const adjustments = plan.posting.adjustments.filter((adjustment) => ids.has(adjustment.claimId));
  const texts = await adjustmentCodeTexts(
    tx,
    "CARC",
    adjustments.map((adjustment) => adjustment.reasonCode),
  );
  const adjustmentsOf = new Map<string, typeof adjustments>();
  for (const adjustment of adjustments) {
    const own = adjustmentsOf.get(adjustment.claimId);
    if (own) own.push(adjustment);
    else adjustmentsOf.set(adjustment.claimId, [adjustment]);
  }
  return denied.map((claim) => {
    const state = plan.stateOf(claim.id)!;
    const own = adjustmentsOf.get(claim.id) ?? [];
    const category = denialCategory(own);
    const reasons = own
      .filter((adjustment) => adjustment.groupCode !== "PR")
      .map((each) => `${each.groupCode}-${each.reasonCode}: ${texts.get(each.reasonCode) ?? "unknown reason code"}`);
    return {
      routing: {
        kind: "DENIAL",
        facilityId: claim.facilityId,
        encounterType: state.target.encounterType,
        payerKind: state.target.payerKind,
        serviceDate: claim.serviceDate,
        expectedCharge: claim.totalCharge,
      },
      subject: { facilityId: claim.facilityId, claimId: claim.id },
      reason: `${claim.status === "DENIED" ? "Denied" : "Partly denied"} by 835 ${plan.remittance.traceNumber}: ${
        [...new Set(reasons)].join("; ") || "no reason code given"
      }${category ? ` (category ${category}). Next: ${NEXT_STEP[category]}` : ""}`,
    };
  });
}

/** UNMATCHED_PAYMENT work for each claim payment that matched none of ours. */
function unmatchedWork(plan: PostingPlan, payerKind: ClaimToPost["payerKind"], paymentDate: string | null): NewWork[] {
  return plan.unmatched.map((row) => {
    const claim = row.detail as RemittedClaim;
    return {
      routing: {
        kind: "UNMATCHED_PAYMENT",
        facilityId: row.facilityId,
        encounterType: null,
        payerKind,
        serviceDate:
          claim.lines.find((line) => line.serviceDate)?.serviceDate ??
          paymentDate ??
          new Date().toISOString().slice(0, 10),
        expectedCharge: claim.charge,
      },
      subject: { facilityId: row.facilityId, claimPaymentId: row.id },
      reason: row.unmatchedReason ?? "",
    };
  });
}
