import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import {
  conflict,
  notFound,
  type Outcome,
  ok,
  refused,
  requireCurrentVersion,
  userError,
} from "../../shared/errors.js";
import { uuidOf } from "../../shared/ids.js";
import { subtractMoney, sumMoney } from "../../shared/money.js";
import { pageRequest } from "../../shared/pagination.js";
import { auditChange, auditEntry, auditInsert } from "../audit/index.js";
import { type Role, requireRole } from "../auth/index.js";
import type { EncounterCodes } from "../edits/index.js";
import { type EncounterRow, findEncounter } from "../encounters/index.js";
import { withEvents } from "../events/index.js";
import { completeOwnItem, enqueue, heldClaimItem, routeSubject } from "../work/index.js";
import { claimEvents } from "./claim.events.js";
import { primaryCoverageOn } from "./claim.parties.store.js";
import { ERRORS, scrub, scrubbed, statusAfterScrub, UNSENT } from "./claim.scrubber.js";
import {
  type ClaimRow,
  type ClaimSearch,
  type ClaimStatus,
  claimForUpdate,
  claimsByEncounterIds,
  findClaims,
  insertClaim,
  insertStatusChanges,
  type NewClaim,
  type NewClaimLine,
  nextCounterValue,
  updateClaim,
} from "./claim.store.js";
import { insertStatementLine, statementBalanceOfEncounter } from "./patient-statement.store.js";

/** Who bills: billers, and supervisors and admins who may step in. Coders and auditors may not. */
export const BILLING_ROLES: readonly Role[] = ["BILLER", "SUPERVISOR", "ADMIN"];

/** The queues of billers' claim work, which markClaimReady finishes. */
export const BILLER_WORK = ["CLAIM_EDIT", "BILLING"] as const;
/** An encounter's claims that are not voided: while one exists, another is not built. */
const VOIDED: readonly ClaimStatus[] = ["VOID"];

/** The organization's counter of patient control numbers. */
const CLAIM_NUMBERS = "patient_control_number";
/** "C" and nine digits: 17 characters is the most payers echo back, and this leaves room to grow. */
const patientControlNumberOf = (n: number) => `C${String(n).padStart(9, "0")}`;

/** The claim named in an input, visible to the caller, or NOT_FOUND. */
export async function claimOf(ctx: RequestContext, claimId: string, field = "claimId"): Promise<ClaimRow> {
  const id = uuidOf(claimId, "Claim");
  const claim = id ? await ctx.loaders.claim.load(id) : null;
  if (!claim) throw notFound("Claim", field);
  return claim;
}

/** Claim lines from the encounter's procedure lines that go on a professional claim, numbered from 1. */
function linesFrom(encounter: EncounterRow, codes: EncounterCodes, patientControlNumber: string): NewClaimLine[] {
  return codes.procedures
    .filter((line) => line.system === "CPT" || line.system === "HCPCS")
    .map((line, i) => ({
      lineNumber: i + 1,
      lineControlNumber: `${patientControlNumber}-${i + 1}`,
      system: line.system,
      code: line.code,
      modifiers: line.modifiers,
      units: line.units,
      charge: line.charge,
      serviceDate: line.serviceDate ?? encounter.serviceDate,
      diagnosisPointers: line.diagnosisPointers,
    }));
}

/** A new claim's own facts; its numbers are handed out when it is opened. */
export interface ClaimDraft {
  values: Omit<NewClaim, "patientControlNumber" | "totalCharge">;
  /** The lines, given the claim's patient control number (their control numbers derive from it). */
  lines(patientControlNumber: string): NewClaimLine[];
  encounterType: EncounterRow["type"];
  /** The first entry of its history. */
  reason: string;
}

/**
 * Opens, scrubs and routes a claim inside the caller's transaction: a claim with ERROR edits goes
 * NEEDS_REVIEW to the CLAIM_EDIT queue, a clean one stays DRAFT in the BILLING queue for a biller
 * to mark READY. With no queue of that kind for it, the claim waits unrouted.
 */
export async function openClaim(tx: Database, ctx: RequestContext, draft: ClaimDraft): Promise<ClaimRow> {
  const actor = actorOf(ctx);
  const now = new Date();
  const patientControlNumber = patientControlNumberOf(await nextCounterValue(tx, actor.scope, CLAIM_NUMBERS));
  const lines = draft.lines(patientControlNumber);
  const inserted = await insertClaim(
    tx,
    actor.scope,
    { ...draft.values, patientControlNumber, totalCharge: sumMoney(lines.map((line) => line.charge)) },
    lines,
  );
  const result = await scrub(tx, actor.scope, inserted, now);
  const status: ClaimStatus = ERRORS(result.edits).length > 0 ? "NEEDS_REVIEW" : "DRAFT";
  const claim = (await updateClaim(tx, actor.scope, inserted.id, inserted.version, {
    ...scrubbed(inserted, result, now),
    status,
  }))!;
  await insertStatusChanges(tx, actor.scope, [
    { claimId: claim.id, fromStatus: null, toStatus: status, actorId: actor.userId, reason: draft.reason },
  ]);
  const routed = await routeSubject(
    ctx,
    {
      kind: status === "NEEDS_REVIEW" ? "CLAIM_EDIT" : "BILLING",
      facilityId: claim.facilityId,
      encounterType: draft.encounterType,
      payerKind: result.coverage?.payer.kind ?? null,
      serviceDate: claim.serviceDate,
      expectedCharge: claim.totalCharge,
    },
    tx,
  );
  if (routed) await enqueue(tx, actor, routed, { facilityId: claim.facilityId, claimId: claim.id });
  await claimEvents.append(tx, [{ type: "created", claim }]);
  await auditChange(tx, ctx, "claim.create", "Claim", [claim.id]);
  return claim;
}

/** An original claim (frequency 1) of the encounter's codes. */
function buildClaim(
  tx: Database,
  ctx: RequestContext,
  encounter: EncounterRow,
  codes: EncounterCodes,
  reason: string,
): Promise<ClaimRow> {
  return openClaim(tx, ctx, {
    values: {
      encounterId: encounter.id,
      facilityId: encounter.facilityId,
      patientId: encounter.patientId,
      renderingProviderId: encounter.renderingProviderId,
      referringProviderId: encounter.referringProviderId,
      placeOfService: encounter.placeOfService,
      serviceDate: encounter.serviceDate,
      diagnoses: codes.diagnoses.map((diagnosis) => diagnosis.code),
    },
    lines: (patientControlNumber) => linesFrom(encounter, codes, patientControlNumber),
    encounterType: encounter.type,
    reason,
  });
}

/** What billing an encounter made: a claim, a line on a self-pay patient's statement, or nothing. */
export type Billed = { claim: ClaimRow } | { statementAmount: string } | null;

/**
 * Bills an encounter that has just reached READY_TO_BILL, inside the transaction that moved it
 * (completeCoding, a coding review): a claim to the patient's primary coverage in force on the
 * date of service, or, when that coverage is self-pay, the charges on the patient's statement.
 * An inpatient stay is billed on an institutional claim (837I), which Chartroom does not build yet.
 */
export async function billEncounter(
  tx: Database,
  ctx: RequestContext,
  encounter: EncounterRow,
  codes: EncounterCodes,
): Promise<Billed> {
  if (encounter.type === "INPATIENT") return null;
  const actor = actorOf(ctx);
  const coverage = await primaryCoverageOn(tx, actor.scope, encounter.patientId, encounter.serviceDate);
  if (coverage?.payer.kind === "SELF_PAY") {
    const amount = sumMoney(codes.procedures.map((line) => line.charge));
    await insertStatementLine(tx, actor.scope, {
      patientId: encounter.patientId,
      encounterId: encounter.id,
      amount,
      description: `Services on ${encounter.serviceDate} (self-pay)`,
    });
    await auditChange(tx, ctx, "patient_statement.charge", "Encounter", [encounter.id]);
    return { statementAmount: amount };
  }
  return { claim: await buildClaim(tx, ctx, encounter, codes, "Built from the coded encounter.") };
}

/**
 * A biller builds the claim of a READY_TO_BILL encounter by hand: one whose claim was never built
 * (coded as self-pay before a coverage was found, say) or whose claims were all voided. A self-pay
 * charge already on the patient's statement is reversed there, since the claim now bills it.
 */
export async function createClaimFromEncounter(
  ctx: RequestContext,
  input: { encounterId: string; expectedVersion?: number | null },
): Promise<Outcome<ClaimRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, BILLING_ROLES, "build claims");
  const encounter = await findEncounter(ctx, input.encounterId);
  if (!encounter) throw notFound("Encounter", "encounterId");
  requireCurrentVersion("encounter", encounter.version, input.expectedVersion);
  if (encounter.status !== "READY_TO_BILL")
    throw conflict(`Only a READY_TO_BILL encounter is billed; this one is ${encounter.status}.`);
  if (encounter.type === "INPATIENT")
    throw conflict("An inpatient stay is billed on an institutional claim (837I), which Chartroom does not build.");
  const codes = await ctx.loaders.encounterCodes.load(encounter.id);
  return withEvents(ctx, async (tx) => {
    const open = (await claimsByEncounterIds(tx, actor.scope, [encounter.id])).find(
      (claim) => !VOIDED.includes(claim.status),
    );
    if (open) throw conflict(`This encounter is billed on claim ${open.patientControlNumber} already.`);
    const coverage = await primaryCoverageOn(tx, actor.scope, encounter.patientId, encounter.serviceDate);
    if (coverage?.payer.kind === "SELF_PAY")
      return refused([
        userError(
          "SELF_PAY",
          `The patient's coverage on ${encounter.serviceDate} is self-pay: record their insurance first.`,
          ["encounterId"],
        ),
      ]);
    const claim = await buildClaim(tx, ctx, encounter, codes, "Built by hand from the coded encounter.");
    const owed = await statementBalanceOfEncounter(tx, actor.scope, encounter.id);
    if (owed !== "0.00")
      await insertStatementLine(tx, actor.scope, {
        patientId: encounter.patientId,
        encounterId: encounter.id,
        amount: subtractMoney("0.00", owed),
        description: `Billed to insurance on claim ${claim.patientControlNumber}`,
      });
    return ok(claim);
  });
}

/**
 * A claim's change, with its event and, when its status changed (or `always`, for a note such as
 * "replaced by"), its history row, inside the caller's transaction. `audit`: the action of the change's
 * audit row, written with the event in one statement.
 */
export async function recordStatus(
  tx: Database,
  ctx: RequestContext,
  before: ClaimRow,
  after: ClaimRow,
  reason: string,
  { always = false, audit }: { always?: boolean; audit?: string } = {},
): Promise<void> {
  const actor = actorOf(ctx);
  if (before.status !== after.status || always)
    await insertStatusChanges(tx, actor.scope, [
      { claimId: after.id, fromStatus: before.status, toStatus: after.status, actorId: actor.userId, reason },
    ]);
  await claimEvents.append(
    tx,
    [{ type: before.status === after.status ? "changed" : "status_changed", claim: after }],
    audit ? [auditInsert(tx, [auditEntry(ctx, audit, "Claim", [after.id])])] : [],
  );
}

/** Runs the scrubber on an unsent claim again (after a coverage or provider fix, say) and keeps what it finds. */
export async function scrubClaim(ctx: RequestContext, input: { claimId: string }): Promise<Outcome<ClaimRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, BILLING_ROLES, "scrub claims");
  // The claim is read once, locked: a claim the caller may not see is NOT_FOUND there, as claimOf says.
  const id = uuidOf(input.claimId, "Claim");
  if (!id) throw notFound("Claim", "claimId");
  return withEvents(ctx, async (tx) => {
    const claim = await lockedUnsent(tx, actor.scope, id);
    const now = new Date();
    const result = await scrub(tx, actor.scope, claim, now);
    const status = statusAfterScrub(claim, result.edits);
    const after = (await updateClaim(tx, actor.scope, claim.id, claim.version, {
      ...scrubbed(claim, result, now),
      status,
    }))!;
    await recordStatus(tx, ctx, claim, after, `Scrubbed: ${ERRORS(result.edits).length} error(s).`, {
      audit: "claim.scrub",
    });
    return ok(after);
  });
}

/** The claim locked for a change; a claim already with a payer is changed by a replacement or void, not here. */
export async function lockedUnsent(tx: Database, scope: Scope, claimId: string): Promise<ClaimRow> {
  const claim = await claimForUpdate(tx, scope, claimId);
  if (!claim) throw notFound("Claim", "claimId");
  if (!UNSENT.includes(claim.status))
    throw conflict(`This claim is ${claim.status}: correct it with a replacement claim, or void it.`);
  return claim;
}

/**
 * A biller marks a claim READY for the next 837P batch: scrubbed again first, and refused with its
 * ERROR edits while any remain. The biller's CLAIM_EDIT or BILLING work on it is finished with it.
 */
export async function markClaimReady(
  ctx: RequestContext,
  input: { claimId: string; expectedVersion: number },
): Promise<Outcome<ClaimRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, BILLING_ROLES, "mark claims ready");
  const found = await claimOf(ctx, input.claimId);
  requireCurrentVersion("claim", found.version, input.expectedVersion);
  if (found.status === "READY") throw conflict("This claim is READY already.");
  const item = await heldClaimItem(ctx, found.id, BILLER_WORK);
  return withEvents(ctx, async (tx) => {
    const claim = await lockedUnsent(tx, actor.scope, found.id);
    requireCurrentVersion("claim", claim.version, input.expectedVersion);
    const now = new Date();
    const result = await scrub(tx, actor.scope, claim, now);
    const blocking = ERRORS(result.edits);
    if (blocking.length > 0) return refused(blocking);
    const after = (await updateClaim(tx, actor.scope, claim.id, claim.version, {
      ...scrubbed(claim, result, now),
      status: "READY",
    }))!;
    await completeOwnItem(tx, ctx, item.id, "Claim marked ready.");
    await recordStatus(tx, ctx, claim, after, "Marked ready by the biller.", { audit: "claim.mark_ready" });
    return ok(after);
  });
}

/** Claims the caller may see that match the filter, newest first, in pages. */
export async function listClaims(
  ctx: RequestContext,
  filter: ClaimSearch,
  first?: number | null,
  after?: string | null,
) {
  const page = await pageRequest("Claim", first, after, (id) => ctx.loaders.claim.load(id));
  return findClaims(ctx.db, actorOf(ctx).scope, filter, page);
}
