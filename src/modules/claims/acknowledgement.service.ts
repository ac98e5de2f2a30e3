import { createHash } from "node:crypto";
import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import { type Outcome, ok, refused, userError } from "../../shared/errors.js";
import { auditChange } from "../audit/index.js";
import { requireRole } from "../auth/index.js";
import { withEvents } from "../events/index.js";
import { enqueueAll } from "../work/index.js";
import {
  type Acknowledgement,
  type ClaimAcknowledgementFile,
  type ImplementationAcknowledgementFile,
  readAcknowledgement,
} from "./acknowledgement.reader.js";
import {
  type AcknowledgedChange,
  type AcknowledgedClaimRow,
  type AcknowledgementRow,
  acknowledgeClaims,
  acknowledgementByHash,
  type BatchMember,
  batchesByControlNumbers,
  insertAcknowledgement,
  membersOfBatches,
} from "./acknowledgement.store.js";
import { claimEvents } from "./claim.events.js";
import { BILLING_ROLES } from "./claim.service.js";
import { insertStatusChanges } from "./claim.store.js";
import { X12Error } from "./x12.reader.js";

/*
 * Acknowledgements: a 999 or 277CA matched to the organization's batches and claims, which move to ACCEPTED
 * or REJECTED (rejected ones back to CLAIM_EDIT with why), all in one transaction with the file kept.
 */

/** What the file said of one claim, or of a batch or claim that matched none of ours. */
export interface ClaimOutcome {
  /** The claim's row id; null when unmatched. */
  claimId: string | null;
  /** CLM01 as the file named it; null for a whole batch or set unmatched. */
  patientControlNumber: string | null;
  /** ACCEPTED, REJECTED, RECEIVED (no decision yet), or UNMATCHED. */
  outcome: "ACCEPTED" | "REJECTED" | "RECEIVED" | "UNMATCHED";
  /** The payer's claim control number (277CA REF*1K). */
  payerClaimControlNumber: string | null;
  /** The file's codes as sentences; for UNMATCHED, what matched nothing and why. */
  message: string;
}

/** The outcome summary kept with an acknowledgement. */
interface Matched {
  outcomes: ClaimOutcome[];
  batchIds: string[];
  /** Claims to move, by id, with the message that goes into their history. */
  changes: (AcknowledgedChange & { member: BatchMember; message: string })[];
}

/** Imports a 999 or 277CA: refused with userErrors (the reader's X12 code) when it cannot be read, else applied. */
export async function importAcknowledgement(ctx: RequestContext, x12: string): Promise<Outcome<AcknowledgementRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, BILLING_ROLES, "import acknowledgements");
  let file: Acknowledgement;
  try {
    file = await readAcknowledgement(x12);
  } catch (error) {
    if (error instanceof X12Error) return refused([userError(error.code, error.message, ["x12"])]);
    throw error;
  }
  if (file.kind === "TA1")
    return refused([
      userError(
        "X12_WRONG_TRANSACTION",
        "This file holds only TA1 interchange acknowledgments: import a 999 or 277CA.",
        ["x12"],
      ),
    ]);
  const contentHash = createHash("sha256").update(x12).digest("hex");
  return withEvents(ctx, async (tx) => {
    const earlier = await acknowledgementByHash(tx, actor.scope, contentHash);
    if (earlier) return ok(earlier);
    const matched = file.kind === "999" ? await match999(tx, ctx, file) : await match277(tx, ctx, file);
    const moved = await applyChanges(tx, ctx, matched, file.kind);
    const count = (outcome: ClaimOutcome["outcome"]) => matched.outcomes.filter((o) => o.outcome === outcome).length;
    const row = await insertAcknowledgement(tx, actor.scope, {
      kind: file.kind,
      contentHash,
      x12,
      receivedBy: actor.userId,
      batchIds: matched.batchIds,
      claimsAccepted: count("ACCEPTED"),
      claimsRejected: count("REJECTED"),
      unmatched: count("UNMATCHED"),
      outcomes: matched.outcomes,
    });
    if (moved.length > 0)
      await auditChange(
        tx,
        ctx,
        "claim.acknowledge",
        "Claim",
        moved.map((claim) => claim.id),
      );
    await auditChange(tx, ctx, "acknowledgement.import", "Acknowledgement", [row.id]);
    return ok(row);
  });
}

const unmatched = (patientControlNumber: string | null, message: string): ClaimOutcome => ({
  claimId: null,
  patientControlNumber,
  outcome: "UNMATCHED",
  payerClaimControlNumber: null,
  message,
});

/** Claims a file may still move: SUBMITTED ones. Others are reported as matched to nothing awaiting an answer. */
function awaiting(member: BatchMember): boolean {
  return member.claim.status === "SUBMITTED";
}

/** A 999: every claim of a rejected transaction set (or of a rejected group) is REJECTED with the set's errors. */
async function match999(tx: Database, ctx: RequestContext, file: ImplementationAcknowledgementFile): Promise<Matched> {
  const scope = actorOf(ctx).scope;
  const numbers = file.groups.map((group) => Number(group.groupControlNumber)).filter(Number.isSafeInteger);
  const batches = await batchesByControlNumbers(tx, scope, "group", numbers);
  const batchOf = new Map(batches.map((batch) => [String(batch.groupControlNumber), batch.id]));
  const members = await membersOfBatches(
    tx,
    scope,
    batches.map((batch) => batch.id),
  );
  const result: Matched = { outcomes: [], batchIds: batches.map((batch) => batch.id), changes: [] };
  for (const group of file.groups) {
    const batchId = batchOf.get(String(Number(group.groupControlNumber)));
    if (!batchId) {
      result.outcomes.push(unmatched(null, `Group ${group.groupControlNumber} (AK102) is none of our batches.`));
      continue;
    }
    const ofBatch = members.filter((member) => member.batchId === batchId);
    const groupRejected = group.verdict === "REJECTED";
    for (const set of group.transactionSets) {
      if (!ofBatch.some((member) => member.transactionSetControlNumber === set.controlNumber))
        result.outcomes.push(
          unmatched(null, `Transaction set ${set.controlNumber} (AK202) is not in batch ${group.groupControlNumber}.`),
        );
    }
    for (const member of ofBatch) {
      const set = group.transactionSets.find((s) => s.controlNumber === member.transactionSetControlNumber);
      const rejected = groupRejected || set?.verdict === "REJECTED";
      const message = rejected
        ? `999 rejected transaction set ${member.transactionSetControlNumber}: ${
            set?.message ?? `group ${group.groupControlNumber} ${group.code.meaning}`
          }`
        : `999 accepted transaction set ${member.transactionSetControlNumber}.`;
      add(result, member, rejected ? "REJECTED" : "ACCEPTED", null, message, rejected);
    }
  }
  return result;
}

/** A 277CA: each claim, matched by its batch (2200B TRN02, our BHT03) and patient control number (2200D TRN02). */
async function match277(tx: Database, ctx: RequestContext, file: ClaimAcknowledgementFile): Promise<Matched> {
  const scope = actorOf(ctx).scope;
  // BHT03 is our ISA13 (nine digits) then the set's ST02.
  const interchangeOf = (trace: string) => (/^\d{9}/.test(trace) ? Number(trace.slice(0, 9)) : null);
  const numbers = [...new Set(file.claims.map((claim) => interchangeOf(claim.receiver.traceNumber)))];
  const batches = await batchesByControlNumbers(
    tx,
    scope,
    "interchange",
    numbers.filter((n): n is number => n !== null),
  );
  const batchOf = new Map(batches.map((batch) => [batch.interchangeControlNumber, batch.id]));
  const members = await membersOfBatches(
    tx,
    scope,
    batches.map((batch) => batch.id),
  );
  const memberOf = new Map(members.map((member) => [`${member.batchId}/${member.claim.patientControlNumber}`, member]));
  const result: Matched = { outcomes: [], batchIds: batches.map((batch) => batch.id), changes: [] };
  for (const claim of file.claims) {
    const interchange = interchangeOf(claim.receiver.traceNumber);
    const batchId = interchange === null ? undefined : batchOf.get(interchange);
    const member = batchId ? memberOf.get(`${batchId}/${claim.patientControlNumber}`) : undefined;
    if (!member) {
      result.outcomes.push(
        unmatched(
          claim.patientControlNumber,
          batchId
            ? `Claim ${claim.patientControlNumber} (segment ${claim.segment}) is not one of yours in that batch.`
            : `Batch ${claim.receiver.traceNumber} (2200B TRN02) is none of our batches.`,
        ),
      );
      continue;
    }
    const statuses = [...claim.statuses, ...claim.lines.flatMap((line) => line.statuses)];
    const explained = statuses.map((status) => status.message).join(" ");
    if (claim.outcome === "ACCEPTED")
      add(result, member, "ACCEPTED", claim.payerClaimControlNumber, `277CA accepted: ${explained}`, true);
    else if (claim.outcome === "REJECTED") add(result, member, "REJECTED", null, `277CA rejected: ${explained}`, true);
    else add(result, member, "RECEIVED", null, `277CA: ${explained}`, false);
  }
  return result;
}

/** One matched claim's outcome, and its change when it moves (a claim no longer SUBMITTED is reported only). */
function add(
  result: Matched,
  member: BatchMember,
  outcome: "ACCEPTED" | "REJECTED" | "RECEIVED",
  payerClaimControlNumber: string | null,
  message: string,
  moves: boolean,
): void {
  const claim = member.claim;
  if (moves && !awaiting(member)) {
    result.outcomes.push({
      ...unmatched(claim.patientControlNumber, `Claim ${claim.patientControlNumber} is ${claim.status}: ${message}`),
      claimId: claim.id,
    });
    return;
  }
  result.outcomes.push({
    claimId: claim.id,
    patientControlNumber: claim.patientControlNumber,
    outcome,
    payerClaimControlNumber,
    message,
  });
  if (moves && outcome !== "RECEIVED")
    result.changes.push({ claimId: claim.id, status: outcome, payerClaimControlNumber, member, message });
}

/** Moves the claims set-wise, with history, events and, for each rejected claim, CLAIM_EDIT work saying why. */
async function applyChanges(
  tx: Database,
  ctx: RequestContext,
  matched: Matched,
  kind: string,
): Promise<AcknowledgedClaimRow[]> {
  const actor = actorOf(ctx);
  if (matched.changes.length === 0) return [];
  const moved = await acknowledgeClaims(tx, actor.scope, matched.changes);
  const changeOf = new Map(matched.changes.map((change) => [change.claimId, change]));
  await insertStatusChanges(
    tx,
    actor.scope,
    moved.map((claim) => ({
      claimId: claim.id,
      fromStatus: "SUBMITTED",
      toStatus: claim.status,
      actorId: actor.userId,
      reason: changeOf.get(claim.id)!.message,
    })),
  );
  await claimEvents.append(
    tx,
    moved.map((claim) => ({ type: "status_changed", claim })),
  );
  await enqueueAll(
    tx,
    ctx,
    "CLAIM_EDIT",
    moved
      .filter((claim) => claim.status === "REJECTED")
      .map((claim) => {
        const change = changeOf.get(claim.id)!;
        return {
          routing: {
            kind: "CLAIM_EDIT",
            facilityId: claim.facilityId,
            encounterType: change.member.encounterType,
            payerKind: change.member.payerKind,
            serviceDate: claim.serviceDate,
            expectedCharge: claim.totalCharge,
          },
          subject: { facilityId: claim.facilityId, claimId: claim.id },
          reason: `${kind}: ${change.message}`,
        };
      }),
  );
  return moved;
}
