import { randomFillSync } from "node:crypto";
import { v7 } from "uuid";
import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import { sumMoney } from "../../shared/money.js";
import type { ClaimRow, PrimaryPayment } from "../claims/index.js";
import { type ClaimMovement, type ClaimToPost, type Posting, standingPostings } from "./posting.store.js";
import { allAdjustments, matchLines, movementOf, REVERSAL, statusAfter } from "./remittance.adjudication.js";
import type { RemittedClaim } from "./remittance.reader.js";
import type { ClaimPaymentRow, RemittanceRow } from "./remittance.store.js";

/*
 * One payment's postings, planned in memory from the 835 and the claims it names, then written set-wise by
 * `writePlan`. Rows are given time-ordered ids (UUIDv7): those written in one transaction share their timestamp,
 * and their ids keep them in file order.
 */

/** Claim statuses a payment may not be posted to, and why, in the words of the unmatched payment. */
export const NOT_PAYABLE: ReadonlyMap<ClaimRow["status"], string> = new Map([
  ["DRAFT", "it was never sent"],
  ["NEEDS_REVIEW", "it was never sent"],
  ["READY", "it was never sent"],
  ["VOID", "it was voided"],
]);

/** Rows by a key, in their order (Map.groupBy comes with Node 21). */
function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/*
 * A plan's row ids: UUIDv7 of the plan's start, in the order they are asked for (uuid's `msecs` and `seq`, the
 * sequence starting at a random point with room for 2^30 ids), their random bytes drawn 4 KiB at a time: uuid draws
 * 16 bytes from the system for every id, half the planning of an 835 of 10,000 claims.
 */
function timeOrderedIds(): () => string {
  const msecs = Date.now();
  const pool = new Uint8Array(4096);
  randomFillSync(pool);
  let seq = new DataView(pool.buffer).getUint32(0) >>> 2;
  let used = 16;
  return () => {
    if (used === pool.length) {
      randomFillSync(pool);
      used = 0;
    }
    used += 16;
    return v7({ msecs, seq: seq++, random: pool.subarray(used - 16, used) });
  };
}

/** A claim's state as the postings of one payment move it, in file order. */
export interface ClaimState {
  target: ClaimToPost;
  status: ClaimRow["status"];
  movement: { paid: string[]; adjusted: string[]; patientResponsibility: string[] };
  payerClaimControlNumber: string | null;
  /** Postings not yet reversed, oldest first: what a reversal takes back. */
  standing: Pick<ClaimPaymentRow, "id" | "statusBefore">[];
  /** The reasons of this payment's postings, for the claim's history. */
  reasons: { id: string; from: ClaimRow["status"]; to: ClaimRow["status"]; reason: string }[];
}

export class PostingPlan {
  readonly posting: Posting = { claimPayments: [], linePayments: [], adjustments: [], providerAdjustments: [] };
  /** Lines of ours this payment pays, with what: one entry per matched SVC. */
  readonly linesPaid: { claimId: string; lineNumber: number; amount: string }[] = [];
  /** The claim payments that matched no claim of ours, with the file's CLP in `detail`. */
  readonly unmatched: Posting["claimPayments"][number][] = [];
  private readonly states = new Map<string, ClaimState>();
  private readonly timeOrderedId = timeOrderedIds();

  constructor(
    readonly ctx: RequestContext,
    readonly remittance: RemittanceRow,
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
    const standingOf = groupBy(standing, (row) => row.claimId ?? "");
    for (const target of targets) {
      this.states.set(target.claim.id, {
        target,
        status: target.claim.status,
        movement: { paid: [], adjusted: [], patientResponsibility: [] },
        payerClaimControlNumber: null,
        standing: standingOf.get(target.claim.id) ?? [],
        reasons: [],
      });
    }
  }

  /** The claims this payment posts to, with how each moves. */
  changed(): ClaimState[] {
    return [...this.states.values()].filter((state) => state.reasons.length > 0);
  }

  stateOf(claimId: string): ClaimState | undefined {
    return this.states.get(claimId);
  }

  /** Each posted claim's totals and status, as `moveClaims` writes them. */
  movements(): ClaimMovement[] {
    return this.changed().map((state) => ({
      claimId: state.target.claim.id,
      paid: sumMoney(state.movement.paid),
      adjusted: sumMoney(state.movement.adjusted),
      patientResponsibility: sumMoney(state.movement.patientResponsibility),
      status: state.status,
      payerClaimControlNumber: state.payerClaimControlNumber,
    }));
  }

  /** Plans one CLP: posted to its claim, or kept unmatched saying why. */
  add(claim: RemittedClaim, target: ClaimToPost | null): void {
    const state = target ? this.states.get(target.claim.id)! : null;
    const reversed = claim.status === REVERSAL ? state?.standing.at(-1) : undefined;
    const notPayable = state ? NOT_PAYABLE.get(state.status) : undefined;
    const why = !state
      ? `No claim you may see has patient control number ${claim.patientControlNumber}.`
      : notPayable
        ? `Claim ${claim.patientControlNumber} is ${state.status}: ${notPayable}, so nothing can be paid on it.`
        : claim.status === REVERSAL && !reversed
          ? `Claim ${claim.patientControlNumber} has no posted payment for this reversal to take back.`
          : null;
    if (why !== null || !state) {
      this.keepUnmatched(claim, why ?? "");
      return;
    }
    const id = this.timeOrderedId();
    const before = state.status;
    const after = reversed ? (reversed.statusBefore ?? before) : statusAfter(claim);
    const claimId = state.target.claim.id;
    this.posting.claimPayments.push({
      ...this.claimPaymentOf(claim, id, state.target.claim.facilityId),
      claimId,
      statusBefore: before,
      statusAfter: after,
      reversesId: reversed?.id ?? null,
      resolvesId: this.resolves,
    });
    this.addLines(claim, id, state.target);
    this.addAdjustments(claim.adjustments, { claimId, claimPaymentId: id, linePaymentId: null, lineNumber: null });
    const movement = movementOf(claim);
    state.movement.paid.push(movement.paid);
    state.movement.adjusted.push(movement.adjusted);
    state.movement.patientResponsibility.push(movement.patientResponsibility);
    state.payerClaimControlNumber = claim.payerClaimControlNumber ?? state.payerClaimControlNumber;
    state.status = after;
    if (reversed) state.standing.pop();
    else state.standing.push({ id, statusBefore: before });
    state.reasons.push({
      id: this.timeOrderedId(),
      from: before,
      to: after,
      reason: this.reasonOf(claim, reversed !== undefined),
    });
  }

  /** The CLP's SVCs, each matched to a line of ours when one matches, with their adjustments. */
  private addLines(claim: RemittedClaim, claimPaymentId: string, target: ClaimToPost): void {
    const claimId = target.claim.id;
    const lineNumbers = matchLines(claim.lines, target.lines);
    claim.lines.forEach((line, index) => {
      const linePaymentId = this.timeOrderedId();
      const lineNumber = lineNumbers[index] ?? null;
      this.posting.linePayments.push({
        id: linePaymentId,
        claimPaymentId,
        claimId,
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
      if (lineNumber !== null) this.linesPaid.push({ claimId, lineNumber, amount: line.paid });
      this.addAdjustments(line.adjustments, { claimId, claimPaymentId, linePaymentId, lineNumber });
    });
  }

  private addAdjustments(
    adjustments: RemittedClaim["adjustments"],
    of: { claimId: string; claimPaymentId: string; linePaymentId: string | null; lineNumber: number | null },
  ): void {
    const createdBy = actorOf(this.ctx).userId;
    for (const adjustment of adjustments)
      this.posting.adjustments.push({
        id: this.timeOrderedId(),
        ...of,
        groupCode: adjustment.group,
        reasonCode: adjustment.reason,
        amount: adjustment.amount,
        quantity: adjustment.quantity,
        createdBy,
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
      postedBy: actorOf(this.ctx).userId,
    };
  }

  /** A CLP that matched nothing, kept whole (`detail`) for the biller who matches it by hand. */
  private keepUnmatched(claim: RemittedClaim, why: string): void {
    const row = {
      ...this.claimPaymentOf(claim, this.timeOrderedId(), this.unmatchedFacility),
      claimId: null,
      detail: claim,
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

  /** Each claim's last posting of this payment. */
  private lastPostings(): Map<string, Posting["claimPayments"][number]> {
    const last = new Map<string, Posting["claimPayments"][number]>();
    for (const row of this.posting.claimPayments) if (row.claimId) last.set(row.claimId, row);
    return last;
  }

  /** The claims this payment leaves with a standing posting: its last posting of them is not a reversal. */
  standingClaims(): Set<string> {
    return new Set([...this.lastPostings()].filter(([, row]) => !row.reversesId).map(([claimId]) => claimId));
  }

  /**
   * What this payment's standing posting of each of `claimIds` says, as a secondary claim carries it (none when its
   * last posting here was a reversal): paid, claim and line adjustments, and the payment date as the adjudication
   * date. Only the claims asked for (those with a secondary coverage, a few of an 835's thousands) are indexed.
   */
  primaryPayments(paymentDate: string | null, claimIds: ReadonlySet<string>): Map<string, PrimaryPayment> {
    if (claimIds.size === 0) return new Map();
    const last = new Map([...this.lastPostings()].filter(([claimId]) => claimIds.has(claimId)));
    const wanted = (row: { claimId?: string | null }) => claimIds.has(row.claimId ?? "");
    const adjustmentsOf = groupBy(
      this.posting.adjustments.filter(wanted),
      (row) => `${row.claimPaymentId}/${row.linePaymentId}`,
    );
    const linesOf = groupBy(this.posting.linePayments.filter(wanted), (row) => row.claimPaymentId);
    const adjudicatedOn = paymentDate ?? new Date().toISOString().slice(0, 10);
    const shown = (claimPaymentId: string, linePaymentId: string | null) =>
      (adjustmentsOf.get(`${claimPaymentId}/${linePaymentId}`) ?? []).map((row) => ({
        group: row.groupCode,
        reason: row.reasonCode,
        amount: row.amount,
        quantity: row.quantity ?? null,
      }));
    const payments = new Map<string, PrimaryPayment>();
    for (const [claimId, row] of last) {
      if (row.reversesId) continue;
      payments.set(claimId, {
        paid: row.paid,
        adjudicatedOn,
        payerClaimControlNumber: row.payerClaimControlNumber ?? null,
        adjustments: shown(row.id, null),
        lines: (linesOf.get(row.id) ?? []).flatMap((line) =>
          line.lineNumber === null || line.lineNumber === undefined
            ? []
            : [{ lineNumber: line.lineNumber, paid: line.paid, adjustments: shown(row.id, line.id) }],
        ),
      });
    }
    return payments;
  }
}
