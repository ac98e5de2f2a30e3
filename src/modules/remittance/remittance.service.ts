import { createHash } from "node:crypto";
import { v7 as timeOrderedId } from "uuid";
import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import { conflict, forbidden, notFound, type Outcome, ok, refused, userError } from "../../shared/errors.js";
import { uuidOf } from "../../shared/ids.js";
import { auditChange } from "../audit/index.js";
import { requireRole } from "../auth/index.js";
import { BILLING_ROLES, X12Error } from "../claims/index.js";
import { withEvents } from "../events/index.js";
import { completeOwnItem, heldClaimPaymentItem } from "../work/index.js";
import { claimPaymentForUpdate, claimPaymentsByIds, settlementOf } from "./claim-payment.store.js";
import { NOT_PAYABLE, PostingPlan } from "./posting.plan.js";
import { claimsToPost } from "./posting.store.js";
import { writePlan } from "./posting.write.js";
import { REVERSAL } from "./remittance.adjudication.js";
import { PhaseClock } from "./remittance.phases.js";
import {
  keysOfReadFile,
  payerKeyOf,
  type Remittance,
  type RemittedClaim,
  type RemittedPayment,
  readRemittance,
  UnbalancedRemittance,
} from "./remittance.reader.js";
import {
  type ClaimPaymentRow,
  claimRemittance,
  keepFile,
  keptFile,
  payeeFacility,
  payerByIdentification,
  type RemittanceRow,
  remittanceByTrace,
  remittancesByIds,
  remittancesByKeys,
} from "./remittance.store.js";

/*
 * Posting an 835: each payment (BPR/TRN) in one transaction, exactly once by payer and trace number. Every CLP is
 * posted to our claim by patient control number, its SVCs to our lines by REF*6R (else code, modifiers and date),
 * with every CAS adjustment and remark; what matches nothing is kept whole as an unmatched claim payment, in the
 * UNMATCHED_PAYMENT queue. Denied claims go to the DENIAL queue with the payer's reasons.
 */

/** What posting a file did: its payments, and whether every one of them had been posted before. */
export interface PostedRemittances {
  remittances: RemittanceRow[];
  alreadyPosted: boolean;
}

/** Reads, checks and posts an 835: refused with userErrors (nothing written) when it cannot be read or balanced. */
export async function postRemittance(ctx: RequestContext, x12: string): Promise<Outcome<PostedRemittances>> {
  const actor = actorOf(ctx);
  requireRole(actor, BILLING_ROLES, "post remittances");
  const clock = new PhaseClock();
  const contentHash = createHash("sha256").update(x12).digest("hex");
  const again = await postedBefore(ctx, x12, contentHash);
  clock.lap("posted before");
  if (again) {
    clock.report();
    return ok({ remittances: again, alreadyPosted: true });
  }
  let file: Remittance;
  try {
    file = await readRemittance(x12);
    clock.lap("parse");
  } catch (error) {
    if (error instanceof UnbalancedRemittance)
      return refused([userError("REMITTANCE_UNBALANCED", error.message, ["x12"])]);
    if (error instanceof X12Error) return refused([userError(error.code, error.message, ["x12"])]);
    throw error;
  }
  const nameless = file.payments.find((payment) => !payerKeyOf(payment));
  if (nameless)
    return refused([
      userError(
        "REMITTANCE_PAYER_UNKNOWN",
        `Payment ${nameless.traceNumber} names no payer (TRN03 and N1*PR are empty): who paid cannot be told.`,
        ["x12"],
      ),
    ]);
  const posted: { remittance: RemittanceRow; before: boolean }[] = [];
  for (const payment of file.payments) {
    posted.push(
      await withEvents(ctx, async (tx) => {
        const fileId = await keepFile(tx, actor.scope, {
          contentHash,
          x12,
          senderId: file.senderId,
          interchangeControlNumber: file.controlNumber,
          receivedBy: actor.userId,
        });
        clock.lap("keep file");
        return postPayment(tx, ctx, fileId, payment, clock);
      }),
    );
    clock.lap("commit");
  }
  clock.report();
  return ok({ remittances: posted.map((each) => each.remittance), alreadyPosted: posted.every((each) => each.before) });
}

/**
 * The same file again: when these very bytes were read and kept before and every payment they hold is posted,
 * what was posted, found by the payments' keys without reading the file again (it balanced when first read).
 * Undefined otherwise, and the file is read and posted as new: a payment it holds that was posted since still
 * posts once, by the unique key.
 */
async function postedBefore(
  ctx: RequestContext,
  x12: string,
  contentHash: string,
): Promise<RemittanceRow[] | undefined> {
  const scope = actorOf(ctx).scope;
  if (!(await keptFile(ctx.db, scope, contentHash))) return undefined;
  const keys = keysOfReadFile(x12);
  const posted = await remittancesByKeys(ctx.db, scope, keys);
  const byKey = new Map(posted.map((row) => [`${row.payerIdentifier}\n${row.traceNumber}`, row]));
  const answer = keys.map((key) => byKey.get(`${key.payer}\n${key.traceNumber}`));
  return answer.length > 0 && answer.every((row) => row !== undefined) ? (answer as RemittanceRow[]) : undefined;
}

async function postPayment(
  tx: Database,
  ctx: RequestContext,
  fileId: string,
  payment: RemittedPayment,
  clock: PhaseClock,
): Promise<{ remittance: RemittanceRow; before: boolean }> {
  const scope = actorOf(ctx).scope;
  const payer = payment.payerIdentification
    ? await payerByIdentification(tx, scope, payment.payerIdentification)
    : undefined;
  const remittance = await claimRemittance(tx, scope, {
    id: timeOrderedId(),
    fileId,
    payerIdentifier: payerKeyOf(payment),
    traceNumber: payment.traceNumber,
    payerId: payer?.id ?? null,
    payerName: payment.payerName,
    paymentAmount: payment.amount,
    handling: payment.handling,
    method: payment.method,
    paymentDate: payment.paymentDate,
    payeeName: payment.payeeName,
    payeeIdentifier: payment.payeeId,
    postedBy: actorOf(ctx).userId,
  });
  clock.lap("claim payment");
  if (!remittance) {
    const earlier = await remittanceByTrace(tx, scope, payerKeyOf(payment), payment.traceNumber);
    return { remittance: earlier!, before: true };
  }
  const targets = await claimsToPost(tx, scope, {
    patientControlNumbers: payment.claims.map((claim) => claim.patientControlNumber),
  });
  const unmatchedFacility = await payeeFacility(tx, scope, payment.payeeId);
  if (!unmatchedFacility) throw forbidden("You are granted no facility: remittances are posted at one.");
  const plan = new PostingPlan(ctx, remittance, unmatchedFacility);
  await plan.loadStanding(tx, [...targets.values()]);
  clock.lap("load claims");
  for (const claim of payment.claims) plan.add(claim, targets.get(claim.patientControlNumber) ?? null);
  clock.lap("plan");
  plan.posting.providerAdjustments = payment.providerAdjustments.map((adjustment, position) => ({
    remittanceId: remittance.id,
    providerIdentifier: adjustment.providerId,
    fiscalPeriodEnd: adjustment.fiscalPeriodEnd,
    reasonCode: adjustment.reason,
    reference: adjustment.reference,
    amount: adjustment.amount,
    position,
  }));
  await writePlan(tx, plan, payer?.kind ?? null, payment.paymentDate, clock);
  await auditChange(tx, ctx, "remittance.post", "Remittance", [remittance.id]);
  return { remittance, before: false };
}

/**
 * A biller posts an unmatched claim payment to the claim it belongs to (the payer mistyped CLP01, say): a new
 * claim payment that settles the unmatched one, posted as the 835 would have posted it, and its work finished.
 * The caller must hold its UNMATCHED_PAYMENT work, which the match finishes.
 */
export async function matchClaimPayment(
  ctx: RequestContext,
  input: { claimPaymentId: string; claimId: string },
): Promise<Outcome<ClaimPaymentRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, BILLING_ROLES, "match claim payments");
  const claimPaymentId = uuidOf(input.claimPaymentId, "ClaimPayment");
  if (!claimPaymentId) throw notFound("ClaimPayment", "claimPaymentId");
  const claimId = uuidOf(input.claimId, "Claim");
  if (!claimId) throw notFound("Claim", "claimId");
  const item = await heldClaimPaymentItem(ctx, claimPaymentId);
  return withEvents(ctx, async (tx) => {
    const unmatched = await claimPaymentForUpdate(tx, actor.scope, claimPaymentId);
    if (!unmatched) throw notFound("ClaimPayment", "claimPaymentId");
    if (unmatched.claimId !== null)
      throw conflict("This claim payment was posted to a claim already; only unmatched ones are matched by hand.");
    if (await settlementOf(tx, actor.scope, unmatched.id)) throw conflict("This claim payment was matched already.");
    const [target] = (await claimsToPost(tx, actor.scope, { ids: [claimId] })).values();
    if (!target) throw notFound("Claim", "claimId");
    const detail = unmatched.detail as RemittedClaim;
    const notPayable = NOT_PAYABLE.get(target.claim.status);
    if (notPayable || detail.status === REVERSAL)
      return refused([
        userError(
          "CLAIM_NOT_PAYABLE",
          detail.status === REVERSAL
            ? "A reversal takes back a posted payment: match the payment it reverses instead."
            : `Claim ${target.claim.patientControlNumber} is ${target.claim.status}: ${notPayable}.`,
          ["claimId"],
        ),
      ]);
    const [remittance] = await remittancesByIds(tx, actor.scope, [unmatched.remittanceId]);
    const plan = new PostingPlan(ctx, remittance!, unmatched.facilityId, unmatched.id);
    await plan.loadStanding(tx, [target]);
    plan.add(detail, target);
    await writePlan(tx, plan, target.payerKind, remittance!.paymentDate);
    await completeOwnItem(tx, ctx, item.id, `Matched to claim ${target.claim.patientControlNumber}.`);
    await auditChange(tx, ctx, "claim_payment.match", "ClaimPayment", [unmatched.id]);
    const [posted] = await claimPaymentsByIds(tx, actor.scope, [plan.posting.claimPayments[0]!.id]);
    return ok(posted!);
  });
}
