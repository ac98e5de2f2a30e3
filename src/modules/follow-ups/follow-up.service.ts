import type { RequestContext, Services } from "../../context.js";
import { actorOf } from "../../context.js";
import { addDays, daysBetween } from "../../shared/calendar.js";
import {
  conflict,
  type Outcome,
  ok,
  refused,
  textTooLong,
  type UserErrorData,
  userError,
} from "../../shared/errors.js";
import { auditChange } from "../audit/index.js";
import { requireRole } from "../auth/index.js";
import { BILLING_ROLES, type ClaimRow, claimOf } from "../claims/index.js";
import { withEvents } from "../events/index.js";
import { completeOwnItem, enqueueBySystem, heldClaimItem, MAX_NOTE_LENGTH, MAX_PRIORITY } from "../work/index.js";
import {
  type ClaimFollowUpRow,
  claimsDueForFollowUp,
  type DueClaim,
  insertFollowUp,
  tryFollowUpSweepLock,
} from "./follow-up.store.js";

/*
 * Follow-up of unpaid claims. A claim with its payer (SUBMITTED or ACCEPTED) and no payment after
 * the payer's follow-up days enters the FOLLOW_UP queue (the sweep); a biller calls or checks the
 * payer's portal and records what they learned and when to ask again (recordClaimFollowUp), and the
 * claim comes back that day if it is still unpaid.
 */

/** How far ahead a biller may set the next follow-up. */
export const MAX_FOLLOW_UP_DAYS = 180;
/** Claims one sweep transaction routes. */
const SWEEP_BATCH = 200;

const today = (now: Date) => now.toISOString().slice(0, 10);

/**
 * Follow-up work is worked deadline first: ten points per day closer to the payer's timely-filing
 * deadline (a claim past it scores highest), then up to nine more for its balance, one per $500.
 */
export function followUpPriority(claim: Pick<DueClaim, "filingDeadline" | "balance">, on: string): number {
  const daysLeft = Math.min(Math.max(daysBetween(on, claim.filingDeadline), 0), 999);
  const balanceSteps = Math.min(Math.max(Math.floor(Number(claim.balance) / 500), 0), 9);
  return Math.min((999 - daysLeft) * 10 + balanceSteps, MAX_PRIORITY);
}

/**
 * Puts every claim due for a follow-up into its organization's FOLLOW_UP queue, a batch per
 * transaction under an advisory lock (one instance sweeps at a time; another finding the lock taken
 * leaves it), and answers how many items it made. `now` is the sweep's clock.
 */
export async function sweepFollowUps(services: Pick<Services, "db" | "events">, now = new Date()): Promise<number> {
  const on = today(now);
  let total = 0;
  for (;;) {
    const swept = await withEvents(services, async (tx) => {
      if (!(await tryFollowUpSweepLock(tx))) return null;
      const due = await claimsDueForFollowUp(tx, on, SWEEP_BATCH);
      const byOrganization = new Map<string, DueClaim[]>();
      for (const claim of due) byOrganization.set(claim.orgId, [...(byOrganization.get(claim.orgId) ?? []), claim]);
      let made = 0;
      for (const [orgId, claims] of byOrganization) {
        const work = claims.map((claim) => ({
          claimId: claim.claimId,
          priority: followUpPriority(claim, on),
          subject: {
            kind: "FOLLOW_UP" as const,
            facilityId: claim.facilityId,
            encounterType: claim.encounterType,
            payerKind: claim.payerKind,
            serviceDate: claim.serviceDate,
            expectedCharge: claim.balance,
          },
        }));
        made += (await enqueueBySystem(tx, orgId, work, "no payment yet: follow up with the payer", now)).length;
      }
      return { found: due.length, made };
    });
    if (swept === null) return total;
    total += swept.made;
    // A batch of claims no queue takes would be found again: stop rather than go round.
    if (swept.found < SWEEP_BATCH || swept.made === 0) return total;
  }
}

export interface RecordFollowUpInput {
  claimId: string;
  note: string;
  nextFollowUpOn: string;
}

function followUpProblems(input: RecordFollowUpInput, on: string): UserErrorData[] {
  const note = input.note.trim();
  const problems: (UserErrorData | null)[] = [
    note === "" ? userError("NOTE_REQUIRED", "Say what the payer told you.", ["note"]) : null,
    textTooLong(note, MAX_NOTE_LENGTH, ["note"]),
    input.nextFollowUpOn <= on || input.nextFollowUpOn > addDays(on, MAX_FOLLOW_UP_DAYS)
      ? userError(
          "NEXT_FOLLOW_UP_OUT_OF_RANGE",
          `The next follow-up is a day after today and at most ${MAX_FOLLOW_UP_DAYS} days ahead.`,
          ["nextFollowUpOn"],
        )
      : null,
  ];
  return problems.filter((problem): problem is UserErrorData => problem !== null);
}

/**
 * A biller records a follow-up of a claim whose FOLLOW_UP work they hold: in one transaction the
 * follow-up is kept (append-only), their work is DONE with the note, and the claim waits until
 * `nextFollowUpOn`, when the sweep brings it back if it is still unpaid.
 */
export async function recordClaimFollowUp(
  ctx: RequestContext,
  input: RecordFollowUpInput,
  now = new Date(),
): Promise<Outcome<{ followUp: ClaimFollowUpRow; claim: ClaimRow }>> {
  const actor = actorOf(ctx);
  requireRole(actor, BILLING_ROLES, "record follow-ups");
  const claim = await claimOf(ctx, input.claimId);
  if (claim.status !== "SUBMITTED" && claim.status !== "ACCEPTED")
    throw conflict(`This claim is ${claim.status}: only a claim waiting on its payer is followed up.`);
  const item = await heldClaimItem(ctx, claim.id, ["FOLLOW_UP"]);
  const problems = followUpProblems(input, today(now));
  if (problems.length > 0) return refused(problems);
  return withEvents(ctx, async (tx) => {
    const note = input.note.trim();
    const followUp = await insertFollowUp(tx, actor.scope, {
      claimId: claim.id,
      workItemId: item.id,
      actorId: actor.userId,
      note,
      nextFollowUpOn: input.nextFollowUpOn,
    });
    await completeOwnItem(tx, ctx, item.id, `Followed up; next on ${input.nextFollowUpOn}.`);
    await auditChange(tx, ctx, "claim.follow_up", "Claim", [claim.id]);
    return ok({ followUp, claim });
  });
}
