import { createHash } from "node:crypto";
import { v7 as timeOrderedId } from "uuid";
import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import { conflict, forbidden, notFound, type Outcome, ok, refused, userError } from "../../shared/errors.js";
import { uuidOf } from "../../shared/ids.js";
import { sumMoney } from "../../shared/money.js";
import { auditChange } from "../audit/index.js";
import { requireRole } from "../auth/index.js";
import {
  BILLING_ROLES,
  billSecondary,
  type ClaimRow,
  claimEvents,
  insertStatusChanges,
  type PrimaryPayment,
  X12Error,
} from "../claims/index.js";
import { withEvents } from "../events/index.js";
import {
  cancelClaimWork,
  completeOwnItem,
  enqueueUnlessOpen,
  heldClaimPaymentItem,
  type RoutingSubject,
  routeSubject,
} from "../work/index.js";
import { allAdjustments, matchLines, movementOf, REVERSAL, statusAfter } from "./remittance.adjudication.js";
import { denialCategory, NEXT_STEP } from "./remittance.denials.js";
import {
  type Remittance,
  type RemittedClaim,
  type RemittedPayment,
  readRemittance,
  UnbalancedRemittance,
} from "./remittance.reader.js";
import {
  adjustmentCodeTexts,
  type ClaimMovement,
  type ClaimPaymentRow,
  type ClaimToPost,
  claimPaymentForUpdate,
  claimPaymentsByIds,
  claimRemittance,
  claimsToPost,
  insertPosting,
  keepFile,
  moveClaims,
  type Posting,
  payClaimLines,
  payeeFacility,
  payerByIdentification,
  type RemittanceRow,
  remittanceByTrace,
  remittancesByIds,
  settlementOf,
  standingPostings,
} from "./remittance.store.js";

/*
 * Rows are given time-ordered ids (UUIDv7): those written in one transaction share their timestamp, and their ids
 * keep them in file order.
 *
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

/** Claims still waiting for the payer's answer: the statuses a follow-up is about. */
const AWAITING_PAYMENT = new Set<ClaimRow["status"]>(["SUBMITTED", "ACCEPTED"]);

/** Claim statuses a payment may not be posted to: claims never sent, and voided ones. */
const NOT_SENT = new Set<ClaimRow["status"]>(["DRAFT", "NEEDS_REVIEW", "READY", "VOID"]);

/** Reads, checks and posts an 835: refused with userErrors (nothing written) when it cannot be read or balanced. */
export async function postRemittance(ctx: RequestContext, x12: string): Promise<Outcome<PostedRemittances>> {
  const actor = actorOf(ctx);
  requireRole(actor, BILLING_ROLES, "post remittances");
  let file: Remittance;
  try {
    file = await readRemittance(x12);
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
  const contentHash = createHash("sha256").update(x12).digest("hex");
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
        return postPayment(tx, ctx, fileId, payment);
      }),
    );
  }
  return ok({ remittances: posted.map((each) => each.remittance), alreadyPosted: posted.every((each) => each.before) });
}

/** Who paid, for "the same payment": the payer's TRN03 id, else its name. */
const payerKeyOf = (payment: RemittedPayment): string => payment.payerId || payment.payerName;

async function postPayment(
  tx: Database,
  ctx: RequestContext,
  fileId: string,
  payment: RemittedPayment,
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
  for (const claim of payment.claims) plan.add(claim, targets.get(claim.patientControlNumber) ?? null);
  plan.posting.providerAdjustments = payment.providerAdjustments.map((adjustment, position) => ({
    remittanceId: remittance.id,
    providerIdentifier: adjustment.providerId,
    fiscalPeriodEnd: adjustment.fiscalPeriodEnd,
    reasonCode: adjustment.reason,
    reference: adjustment.reference,
    amount: adjustment.amount,
    position,
  }));
  await plan.write(tx, payer?.kind ?? null, payment.paymentDate);
  await auditChange(tx, ctx, "remittance.post", "Remittance", [remittance.id]);
  return { remittance, before: false };
}

/** A claim's state as the postings of one payment move it, in file order. */
interface ClaimState {
  target: ClaimToPost;
  status: ClaimRow["status"];
  movement: { paid: string[]; adjusted: string[]; patientResponsibility: string[] };
  payerClaimControlNumber: string | null;
  /** Postings not yet reversed, oldest first: what a reversal takes back. */
  standing: Pick<ClaimPaymentRow, "id" | "statusBefore">[];
  /** The reasons of this payment's postings, for the claim's history. */
  reasons: { id: string; from: ClaimRow["status"]; to: ClaimRow["status"]; reason: string }[];
}

/** One payment's postings, planned in memory and then written set-wise. */
class PostingPlan {
  readonly posting: Posting = { claimPayments: [], linePayments: [], adjustments: [], providerAdjustments: [] };
  private readonly states = new Map<string, ClaimState>();
  private readonly linesPaid: { claimId: string; lineNumber: number; amount: string }[] = [];
  private readonly unmatched: Posting["claimPayments"][number][] = [];

  constructor(
    private readonly ctx: RequestContext,
    private readonly remittance: RemittanceRow,
    private readonly unmatchedFacility: string,
    /** For a match by hand: the unmatched claim payment this posting settles. */
    private readonly resolves: string | null = null,
  ) {}

  async loadStanding(tx: Database, targets: readonly ClaimToPost[]): Promise<void> {
    const standing = await standingPostings(
      tx,
      actorOf(this.ctx).scope,
      targets.map((target) => target.claim.id),
    );
    for (const target of targets) {
      this.states.set(target.claim.id, {
        target,
        status: target.claim.status,
        movement: { paid: [], adjusted: [], patientResponsibility: [] },
        payerClaimControlNumber: null,
        standing: standing.filter((row) => row.claimId === target.claim.id),
        reasons: [],
      });
    }
  }

  /** Plans one CLP: posted to its claim, or kept unmatched saying why. */
  add(claim: RemittedClaim, target: ClaimToPost | null): void {
    const state = target ? this.states.get(target.claim.id)! : null;
    const reversed = claim.status === REVERSAL ? state?.standing.at(-1) : undefined;
    const why = !state
      ? `No claim you may see has patient control number ${claim.patientControlNumber}.`
      : NOT_SENT.has(state.status)
        ? `Claim ${claim.patientControlNumber} is ${state.status}: it was never sent, so nothing can be paid on it.`
        : claim.status === REVERSAL && !reversed
          ? `Claim ${claim.patientControlNumber} has no posted payment for this reversal to take back.`
          : null;
    if (why !== null || !state) {
      this.keepUnmatched(claim, why ?? "");
      return;
    }
    const id = timeOrderedId();
    const before = state.status;
    const after = reversed ? (reversed.statusBefore ?? before) : statusAfter(claim);
    const actorId = actorOf(this.ctx).userId;
    this.posting.claimPayments.push({
      ...this.claimPaymentOf(claim, id, state.target.claim.facilityId),
      claimId: state.target.claim.id,
      statusBefore: before,
      statusAfter: after,
      reversesId: reversed?.id ?? null,
      resolvesId: this.resolves,
    });
    const lineNumbers = matchLines(claim.lines, state.target.lines);
    claim.lines.forEach((line, index) => {
      const linePaymentId = timeOrderedId();
      const lineNumber = lineNumbers[index] ?? null;
      this.posting.linePayments.push({
        id: linePaymentId,
        claimPaymentId: id,
        claimId: state.target.claim.id,
        lineNumber,
        lineControlNumber: line.lineControlNumber,
        code: line.code,
        modifiers: line.modifiers,
        units: line.units,
        charge: line.charge,
        paid: line.paid,
        serviceDate: line.serviceDate,
        remarks: line.remarks,
      });
      if (lineNumber !== null) this.linesPaid.push({ claimId: state.target.claim.id, lineNumber, amount: line.paid });
      for (const adjustment of line.adjustments)
        this.posting.adjustments.push({
          id: timeOrderedId(),
          claimId: state.target.claim.id,
          claimPaymentId: id,
          linePaymentId,
          lineNumber,
          groupCode: adjustment.group,
          reasonCode: adjustment.reason,
          amount: adjustment.amount,
          quantity: adjustment.quantity,
          createdBy: actorId,
        });
    });
    for (const adjustment of claim.adjustments)
      this.posting.adjustments.push({
        id: timeOrderedId(),
        claimId: state.target.claim.id,
        claimPaymentId: id,
        linePaymentId: null,
        lineNumber: null,
        groupCode: adjustment.group,
        reasonCode: adjustment.reason,
        amount: adjustment.amount,
        quantity: adjustment.quantity,
        createdBy: actorId,
      });
    const movement = movementOf(claim);
    state.movement.paid.push(movement.paid);
    state.movement.adjusted.push(movement.adjusted);
    state.movement.patientResponsibility.push(movement.patientResponsibility);
    state.payerClaimControlNumber = claim.payerClaimControlNumber ?? state.payerClaimControlNumber;
    state.status = after;
    if (reversed) state.standing.pop();
    else state.standing.push({ id, statusBefore: before });
    state.reasons.push({
      id: timeOrderedId(),
      from: before,
      to: after,
      reason: this.reasonOf(claim, reversed !== undefined),
    });
  }

  private claimPaymentOf(claim: RemittedClaim, id: string, facilityId: string) {
    return {
      id,
      remittanceId: this.remittance.id,
      facilityId,
      patientControlNumber: claim.patientControlNumber,
      claimStatusCode: claim.status,
      charge: claim.charge,
      paid: claim.paid,
      patientResponsibility: claim.patientResponsibility ?? "0.00",
      payerClaimControlNumber: claim.payerClaimControlNumber,
      remarks: claim.remarks,
      detail: claim,
      postedBy: actorOf(this.ctx).userId,
    };
  }

  private keepUnmatched(claim: RemittedClaim, why: string): void {
    const row = {
      ...this.claimPaymentOf(claim, timeOrderedId(), this.unmatchedFacility),
      claimId: null,
      unmatchedReason: why,
    };
    this.posting.claimPayments.push(row);
    this.unmatched.push(row);
  }

  private reasonOf(claim: RemittedClaim, reversal: boolean): string {
    const trace = `835 ${this.remittance.traceNumber} from ${this.remittance.payerName}`;
    if (reversal) return `${trace} reversed an earlier payment (${claim.paid} paid back).`;
    const adjustments = allAdjustments(claim).map((each) => `${each.group}-${each.reason} ${each.amount}`);
    return `${trace}: paid ${claim.paid} of ${claim.charge}${
      adjustments.length ? `; adjustments ${adjustments.join(", ")}` : ""
    }.`;
  }

  /** Writes the rows, moves the claims and their lines, and makes the work: denials, and unmatched payments. */
  async write(tx: Database, payerKind: ClaimToPost["payerKind"], paymentDate: string | null): Promise<ClaimRow[]> {
    const actor = actorOf(this.ctx);
    await insertPosting(tx, actor.scope, this.posting);
    const changed = [...this.states.values()].filter((state) => state.reasons.length > 0);
    const moves: ClaimMovement[] = changed.map((state) => ({
      claimId: state.target.claim.id,
      paid: sumMoney(state.movement.paid),
      adjusted: sumMoney(state.movement.adjusted),
      patientResponsibility: sumMoney(state.movement.patientResponsibility),
      status: state.status,
      payerClaimControlNumber: state.payerClaimControlNumber,
    }));
    const moved = await moveClaims(tx, actor.scope, moves);
    await payClaimLines(tx, actor.scope, this.linesPaid);
    await insertStatusChanges(
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
    const statusOf = new Map(changed.map((state) => [state.target.claim.id, state.target.claim.status]));
    await claimEvents.append(
      tx,
      moved.map((claim) => ({
        type: statusOf.get(claim.id) === claim.status ? "changed" : "status_changed",
        claim,
      })),
    );
    if (moved.length > 0)
      await auditChange(
        tx,
        this.ctx,
        "claim.payment",
        "Claim",
        moved.map((claim) => claim.id),
      );
    const answered = moved.filter((claim) => !AWAITING_PAYMENT.has(claim.status)).map((claim) => claim.id);
    await cancelClaimWork(
      tx,
      actor,
      answered,
      ["FOLLOW_UP"],
      `The payer answered in 835 ${this.remittance.traceNumber}: nothing to follow up.`,
    );
    await this.denialWork(tx, moved);
    await this.unmatchedWork(tx, payerKind, paymentDate);
    for (const claim of moved) {
      const payment = this.primaryPaymentOf(claim.id, paymentDate);
      if (payment) await billSecondary(tx, this.ctx, claim, payment);
    }
    return moved;
  }

  /**
   * What this payment's standing posting of the claim says, as a secondary claim carries it (null when its last
   * posting here was a reversal): paid, claim and line adjustments, and the payment date as the adjudication date.
   */
  private primaryPaymentOf(claimId: string, paymentDate: string | null): PrimaryPayment | null {
    const last = this.posting.claimPayments.filter((row) => row.claimId === claimId).at(-1);
    if (!last || last.reversesId) return null;
    const adjustmentsOf = (linePaymentId: string | null) =>
      this.posting.adjustments
        .filter((row) => row.claimPaymentId === last.id && row.linePaymentId === linePaymentId)
        .map((row) => ({
          group: row.groupCode,
          reason: row.reasonCode,
          amount: row.amount,
          quantity: row.quantity ?? null,
        }));
    return {
      paid: last.paid,
      adjudicatedOn: paymentDate ?? new Date().toISOString().slice(0, 10),
      payerClaimControlNumber: last.payerClaimControlNumber ?? null,
      adjustments: adjustmentsOf(null),
      lines: this.posting.linePayments
        .filter((line) => line.claimPaymentId === last.id && line.lineNumber !== null && line.lineNumber !== undefined)
        .map((line) => ({ lineNumber: line.lineNumber!, paid: line.paid, adjustments: adjustmentsOf(line.id) })),
    };
  }

  /** New work where routing sends it, unless the subject has open work of its kind already. */
  private async work(
    tx: Database,
    routing: RoutingSubject,
    subject: { claimId: string } | { claimPaymentId: string },
    reason: string,
  ): Promise<void> {
    const routed = await routeSubject(this.ctx, routing, tx);
    if (routed)
      await enqueueUnlessOpen(tx, actorOf(this.ctx), routed, { facilityId: routing.facilityId, ...subject }, reason);
  }

  /** DENIAL work for each claim this payment left denied or partly denied, with the payer's reasons in words. */
  private async denialWork(tx: Database, moved: readonly ClaimRow[]): Promise<void> {
    const denied = moved.filter((claim) => claim.status === "DENIED" || claim.status === "PARTIALLY_PAID");
    if (denied.length === 0) return;
    const ids = new Set(denied.map((claim) => claim.id));
    const adjustments = this.posting.adjustments.filter((adjustment) => ids.has(adjustment.claimId));
    const texts = await adjustmentCodeTexts(
      tx,
      "CARC",
      adjustments.map((adjustment) => adjustment.reasonCode),
    );
    for (const claim of denied) {
      const state = this.states.get(claim.id)!;
      const own = adjustments.filter((adjustment) => adjustment.claimId === claim.id);
      const category = denialCategory(own);
      const reasons = own
        .filter((adjustment) => adjustment.groupCode !== "PR")
        .map((each) => `${each.groupCode}-${each.reasonCode}: ${texts.get(each.reasonCode) ?? "unknown reason code"}`);
      await this.work(
        tx,
        {
          kind: "DENIAL",
          facilityId: claim.facilityId,
          encounterType: state.target.encounterType,
          payerKind: state.target.payerKind,
          serviceDate: claim.serviceDate,
          expectedCharge: claim.totalCharge,
        },
        { claimId: claim.id },
        `${claim.status === "DENIED" ? "Denied" : "Partly denied"} by 835 ${this.remittance.traceNumber}: ${
          [...new Set(reasons)].join("; ") || "no reason code given"
        }${category ? ` (category ${category}). Next: ${NEXT_STEP[category]}` : ""}`,
      );
    }
  }

  /** UNMATCHED_PAYMENT work for each claim payment that matched none of ours. */
  private async unmatchedWork(
    tx: Database,
    payerKind: ClaimToPost["payerKind"],
    paymentDate: string | null,
  ): Promise<void> {
    for (const row of this.unmatched) {
      const claim = row.detail as RemittedClaim;
      await this.work(
        tx,
        {
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
        { claimPaymentId: row.id },
        row.unmatchedReason ?? "",
      );
    }
  }
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
    if (NOT_SENT.has(target.claim.status) || detail.status === REVERSAL)
      return refused([
        userError(
          "CLAIM_NOT_PAYABLE",
          detail.status === REVERSAL
            ? "A reversal takes back a posted payment: match the payment it reverses instead."
            : `Claim ${target.claim.patientControlNumber} is ${target.claim.status}: it was never sent.`,
          ["claimId"],
        ),
      ]);
    const [remittance] = await remittancesByIds(tx, actor.scope, [unmatched.remittanceId]);
    const plan = new PostingPlan(ctx, remittance!, unmatched.facilityId, unmatched.id);
    await plan.loadStanding(tx, [target]);
    plan.add(detail, target);
    await plan.write(tx, target.payerKind, remittance!.paymentDate);
    await completeOwnItem(tx, ctx, item.id, `Matched to claim ${target.claim.patientControlNumber}.`);
    await auditChange(tx, ctx, "claim_payment.match", "ClaimPayment", [unmatched.id]);
    const [posted] = await claimPaymentsByIds(tx, actor.scope, [plan.posting.claimPayments[0]!.id]);
    return ok(posted!);
  });
}
