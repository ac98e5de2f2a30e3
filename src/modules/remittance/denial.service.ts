import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import {
  conflict,
  forbidden,
  type Outcome,
  ok,
  refused,
  requireCurrentVersion,
  textTooLong,
  type UserErrorData,
  userError,
} from "../../shared/errors.js";
import { moneySign, subtractMoney } from "../../shared/money.js";
import { hasRole, requireRole } from "../auth/index.js";
import { BILLING_ROLES, type ClaimRow, claimOf, insertStatementLine, recordStatus } from "../claims/index.js";
import { withEvents } from "../events/index.js";
import { finishClaimWork, MAX_NOTE_LENGTH, SUPERVISING_ROLES } from "../work/index.js";
import { appealDaysOf, insertAppeal, insertBillerAdjustment, writeOffApprovalLimit } from "./denial.store.js";
import { type ClaimToPost, claimsToPost, moveClaims, standingPostings } from "./posting.store.js";

/*
 * Working a denial: the biller holding a claim's DENIAL work appeals it, writes its balance off, or moves the
 * balance to the patient's statement (a corrected claim is the claims module's createReplacementClaim). Each is one
 * transaction on the locked claim at the version the biller read, with its history row, event and audit, and it
 * ends the claim's DENIAL work.
 */

/** Chartroom's own reason codes for the adjustments a biller makes: never CARCs (those are the payer's). */
export const WRITE_OFF_REASON = "CHR-WO";
export const PATIENT_TRANSFER_REASON = "CHR-PT";

/** Claims a payer denied in whole or part: what an appeal is about. */
const APPEALABLE = new Set<ClaimRow["status"]>(["DENIED", "PARTIALLY_PAID"]);
/** Claims the payer has answered: their balance may be written off or moved to the patient. */
const ANSWERED = new Set<ClaimRow["status"]>(["PAID", "PARTIALLY_PAID", "DENIED", "APPEALED"]);

const balanceOf = (claim: ClaimRow) =>
  subtractMoney(subtractMoney(claim.totalCharge, claim.paidAmount), claim.adjustedAmount);
const today = () => new Date().toISOString().slice(0, 10);

/** The biller's reason, trimmed, or why it is refused. */
function reasonProblem(reason: string): UserErrorData | null {
  if (reason === "")
    return userError("REASON_REQUIRED", "Say why, in a sentence the claim's history keeps.", ["reason"]);
  return textTooLong(reason, MAX_NOTE_LENGTH, ["reason"]);
}

/**
 * Runs `change` on the claim locked at the version the caller read, once it is in one of `statuses`; a CONFLICT
 * otherwise, saying `why`.
 */
async function onLockedClaim<T>(
  ctx: RequestContext,
  input: { claimId: string; expectedVersion: number },
  statuses: ReadonlySet<ClaimRow["status"]>,
  why: (claim: ClaimRow) => string,
  change: (tx: Database, target: ClaimToPost) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  const actor = actorOf(ctx);
  const found = await claimOf(ctx, input.claimId);
  requireCurrentVersion("claim", found.version, input.expectedVersion);
  return withEvents(ctx, async (tx) => {
    const [target] = (await claimsToPost(tx, actor.scope, { ids: [found.id] })).values();
    if (!target) throw conflict("This claim is no longer visible to you.");
    requireCurrentVersion("claim", target.claim.version, input.expectedVersion);
    if (!statuses.has(target.claim.status)) throw conflict(why(target.claim));
    return change(tx, target);
  });
}

/** The claim's totals and status moved, with its history row, event, audit and the end of its DENIAL work. */
async function settle(
  tx: Database,
  ctx: RequestContext,
  before: ClaimRow,
  change: { adjusted: string; status: ClaimRow["status"]; history: string; audit: string },
): Promise<ClaimRow> {
  const [after] = await moveClaims(tx, actorOf(ctx).scope, [
    {
      claimId: before.id,
      paid: "0.00",
      adjusted: change.adjusted,
      patientResponsibility: "0.00",
      status: change.status,
      payerClaimControlNumber: null,
    },
  ]);
  await recordStatus(tx, ctx, before, after!, change.history, { always: true, audit: change.audit });
  await finishClaimWork(tx, ctx, before.id, ["DENIAL"], change.history);
  return after!;
}

/**
 * An appeal of a denied or partly denied claim: recorded with its reason and deadline (by default the payer's
 * appeal window from the denial's posting), and the claim APPEALED until the payer's next 835 answers it.
 */
export async function appealClaim(
  ctx: RequestContext,
  input: { claimId: string; expectedVersion: number; reason: string; deadline?: string | null },
): Promise<Outcome<ClaimRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, BILLING_ROLES, "appeal denials");
  const reason = input.reason.trim();
  const problem =
    reasonProblem(reason) ??
    (input.deadline && input.deadline < today()
      ? userError("DEADLINE_PASSED", `The deadline ${input.deadline} has passed: give a day from today on.`, [
          "deadline",
        ])
      : null);
  if (problem) return refused([problem]);
  return onLockedClaim(
    ctx,
    input,
    APPEALABLE,
    (claim) =>
      claim.status === "APPEALED"
        ? "This claim is appealed already: the payer's next 835 answers the appeal."
        : `Only a DENIED or PARTIALLY_PAID claim is appealed; this one is ${claim.status}.`,
    async (tx, { claim }) => {
      const denial = (await standingPostings(tx, actor.scope, [claim.id])).at(-1);
      if (!denial) throw conflict("This claim has no posted denial to appeal.");
      const days = claim.payerId ? await appealDaysOf(tx, actor.scope, claim.payerId) : undefined;
      const deadline = input.deadline ?? addDays(denial.postedAt, days ?? DEFAULT_APPEAL_DAYS);
      await insertAppeal(tx, actor.scope, {
        claimId: claim.id,
        claimPaymentId: denial.id,
        reason,
        deadline,
        createdBy: actor.userId,
      });
      return ok(
        await settle(tx, ctx, claim, {
          adjusted: "0.00",
          status: "APPEALED",
          history: `Appealed (the payer must have it by ${deadline}): ${reason}`,
          audit: "claim.appeal",
        }),
      );
    },
  );
}

/** The payers table's default, for a claim with no payer of ours on it. */
const DEFAULT_APPEAL_DAYS = 120;

const addDays = (from: Date, days: number) => new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A write-off of the claim's balance, or part of it: an adjustment (group CO, reason WRITE_OFF_REASON, the biller's
 * reason as its note) that the claim will not collect. Above the organization's approval limit only a supervisor or
 * an administrator may; the claim is CLOSED when nothing is left.
 */
export async function writeOffClaimBalance(
  ctx: RequestContext,
  input: { claimId: string; expectedVersion: number; reason: string; amount?: string | null },
): Promise<Outcome<ClaimRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, BILLING_ROLES, "write off balances");
  const reason = input.reason.trim();
  const problem =
    reasonProblem(reason) ??
    (input.amount && moneySign(input.amount) <= 0
      ? userError("AMOUNT_NOT_POSITIVE", "Write off an amount above 0.00, or leave it out for the whole balance.", [
          "amount",
        ])
      : null);
  if (problem) return refused([problem]);
  return onLockedClaim(
    ctx,
    input,
    ANSWERED,
    (claim) => `Only a balance the payer has answered is written off; this claim is ${claim.status}.`,
    async (tx, { claim }) => {
      const balance = balanceOf(claim);
      if (moneySign(balance) <= 0) throw conflict(`This claim's balance is ${balance}: there is nothing to write off.`);
      const amount = input.amount ?? balance;
      if (moneySign(subtractMoney(balance, amount)) < 0)
        return refused([
          userError("AMOUNT_OVER_BALANCE", `The claim's balance is ${balance}: write off at most that.`, ["amount"]),
        ]);
      const limit = await writeOffApprovalLimit(tx, actor.scope);
      if (moneySign(subtractMoney(amount, limit)) > 0 && !hasRole(actor, SUPERVISING_ROLES))
        throw forbidden(
          `Write-offs above ${limit} (your organization's approval limit) are made by a supervisor or an ` +
            `administrator; ask one to write off this ${amount}.`,
        );
      await insertBillerAdjustment(tx, actor.scope, {
        claimId: claim.id,
        kind: "WRITE_OFF",
        groupCode: "CO",
        reasonCode: WRITE_OFF_REASON,
        amount,
        note: reason,
        createdBy: actor.userId,
      });
      const left = subtractMoney(balance, amount);
      return ok(
        await settle(tx, ctx, claim, {
          adjusted: amount,
          status: moneySign(left) === 0 ? "CLOSED" : claim.status,
          history: `Wrote off ${amount} of ${balance}: ${reason}`,
          audit: "claim.write_off",
        }),
      );
    },
  );
}

/**
 * The claim's balance moved to the patient: a line on their statement (Patient.statementBalance), an adjustment
 * (group PR, reason PATIENT_TRANSFER_REASON) that takes it off what the payer owes, and the claim CLOSED.
 */
export async function transferBalanceToPatient(
  ctx: RequestContext,
  input: { claimId: string; expectedVersion: number; reason: string },
): Promise<Outcome<ClaimRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, BILLING_ROLES, "move balances to patients");
  const reason = input.reason.trim();
  const problem = reasonProblem(reason);
  if (problem) return refused([problem]);
  return onLockedClaim(
    ctx,
    input,
    ANSWERED,
    (claim) => `Only a balance the payer has answered is moved to the patient; this claim is ${claim.status}.`,
    async (tx, { claim }) => {
      const balance = balanceOf(claim);
      if (moneySign(balance) <= 0) throw conflict(`This claim's balance is ${balance}: there is nothing to move.`);
      await insertStatementLine(tx, actor.scope, {
        patientId: claim.patientId,
        encounterId: claim.encounterId,
        amount: balance,
        description: `Balance of claim ${claim.patientControlNumber} (services on ${claim.serviceDate}): ${reason}`,
      });
      await insertBillerAdjustment(tx, actor.scope, {
        claimId: claim.id,
        kind: "PATIENT_TRANSFER",
        groupCode: "PR",
        reasonCode: PATIENT_TRANSFER_REASON,
        amount: balance,
        note: reason,
        createdBy: actor.userId,
      });
      return ok(
        await settle(tx, ctx, claim, {
          adjusted: balance,
          status: "CLOSED",
          history: `Moved the balance of ${balance} to the patient's statement: ${reason}`,
          audit: "claim.transfer_to_patient",
        }),
      );
    },
  );
}
