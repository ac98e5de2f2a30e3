import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import { CLAIM_LINE_MODIFIERS_MAX, STORED_LINE_POINTERS_MAX } from "../../shared/claim-limits.js";
import {
  conflict,
  type Outcome,
  ok,
  refused,
  requireCurrentVersion,
  textTooLong,
  type UserErrorData,
  userError,
} from "../../shared/errors.js";
import { sumMoney } from "../../shared/money.js";
import { hasRole, requireRole } from "../auth/index.js";
import { returnEncounterToCoding } from "../encounters/index.js";
import { withEvents } from "../events/index.js";
import {
  completeOwnItem,
  enqueue,
  heldClaimItem,
  MAX_NOTE_LENGTH,
  routeSubject,
  SUPERVISING_ROLES,
} from "../work/index.js";
import type { ClaimLineCorrectionInput, CorrectClaimInput, ReturnToCodingInput } from "./claim.inputs.js";
import { scrub, scrubbed, statusAfterScrub } from "./claim.scrubber.js";
import { BILLER_WORK, BILLING_ROLES, claimOf, lockedUnsent, recordStatus } from "./claim.service.js";
import { type ClaimLineRow, type ClaimRow, linesOfClaims, replaceClaimLines, updateClaim } from "./claim.store.js";

/*
 * What a biller changes on a claim not yet sent: its lines (modifiers, units, charges, pointers),
 * and, when a diagnosis or code is wrong, the encounter itself, which goes back to coding. The
 * claim is scrubbed again in the same transaction, so `issues` always describe it as it is.
 */

/** Modifiers stored on a line: more than an 837P line carries is the scrubber's TOO_MANY_MODIFIERS. */
const STORED_MODIFIERS_MAX = CLAIM_LINE_MODIFIERS_MAX * 2;
const MODIFIER = /^[A-Z0-9]{2}$/;

function correctionProblems(corrections: readonly ClaimLineCorrectionInput[], lines: readonly ClaimLineRow[]) {
  const problems: UserErrorData[] = [];
  if (corrections.length === 0)
    problems.push(userError("NOTHING_TO_CORRECT", "Name at least one line and what changes on it.", ["lines"]));
  const seen = new Set<number>();
  corrections.forEach((correction, i) => {
    const at = (field: string) => ["lines", `${i}`, field];
    if (!lines.some((line) => line.lineNumber === correction.lineNumber))
      problems.push(userError("LINE_NOT_FOUND", `The claim has no line ${correction.lineNumber}.`, at("lineNumber")));
    if (seen.has(correction.lineNumber))
      problems.push(
        userError("LINE_CORRECTED_TWICE", `Line ${correction.lineNumber} is named twice.`, at("lineNumber")),
      );
    seen.add(correction.lineNumber);
    const modifiers = correction.modifiers ?? [];
    if (modifiers.length > STORED_MODIFIERS_MAX)
      problems.push(
        userError("LIST_TOO_LONG", `A line holds at most ${STORED_MODIFIERS_MAX} modifiers.`, at("modifiers")),
      );
    modifiers.forEach((modifier, k) => {
      if (!MODIFIER.test(modifier.trim().toUpperCase()))
        problems.push(
          userError("INVALID_MODIFIER", `"${modifier}" is not a modifier: two letters or digits.`, [
            ...at("modifiers"),
            `${k}`,
          ]),
        );
    });
    if ((correction.diagnosisPointers?.length ?? 0) > STORED_LINE_POINTERS_MAX)
      problems.push(
        userError(
          "LIST_TOO_LONG",
          `A line holds at most ${STORED_LINE_POINTERS_MAX} pointers.`,
          at("diagnosisPointers"),
        ),
      );
  });
  return problems;
}

/** The lines after the corrections: what is not named stays as it was. */
function corrected(lines: readonly ClaimLineRow[], corrections: readonly ClaimLineCorrectionInput[]) {
  return lines.map(({ orgId: _org, claimId: _claim, ...line }) => {
    const change = corrections.find((correction) => correction.lineNumber === line.lineNumber);
    if (!change) return line;
    return {
      ...line,
      modifiers: change.modifiers?.map((modifier) => modifier.trim().toUpperCase()) ?? line.modifiers,
      units: change.units ?? line.units,
      charge: change.charge ?? line.charge,
      diagnosisPointers: change.diagnosisPointers ?? line.diagnosisPointers,
    };
  });
}

/**
 * A biller corrects lines of a claim not yet sent: modifiers, units, charge, diagnosis pointers. The
 * total follows the lines and the claim is scrubbed again (NEEDS_REVIEW while ERRORs remain, DRAFT
 * once clean). A biller must hold the claim's CLAIM_EDIT or BILLING work; supervisors may step in.
 */
export async function correctClaim(ctx: RequestContext, input: CorrectClaimInput): Promise<Outcome<ClaimRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, BILLING_ROLES, "correct claims");
  const found = await claimOf(ctx, input.claimId);
  requireCurrentVersion("claim", found.version, input.expectedVersion);
  if (!hasRole(actor, SUPERVISING_ROLES)) await heldClaimItem(ctx, found.id, BILLER_WORK);
  return withEvents(ctx, async (tx) => {
    const claim = await lockedUnsent(tx, actor.scope, found.id);
    requireCurrentVersion("claim", claim.version, input.expectedVersion);
    const lines = await linesOfClaims(tx, actor.scope, [claim.id]);
    const problems = correctionProblems(input.lines, lines);
    if (problems.length > 0) return refused(problems);
    const next = corrected(lines, input.lines);
    await replaceClaimLines(tx, actor.scope, claim, next);
    const totalCharge = sumMoney(next.map((line) => line.charge));
    const now = new Date();
    const result = await scrub(tx, actor.scope, { ...claim, totalCharge }, now);
    const after = (await updateClaim(tx, actor.scope, claim.id, claim.version, {
      ...scrubbed(claim, result, now),
      totalCharge,
      status: statusAfterScrub(claim, result.edits),
    }))!;
    await recordStatus(tx, ctx, claim, after, "Lines corrected by the biller.", { audit: "claim.correct" });
    return ok(after);
  });
}

/**
 * A biller sends a claim's encounter back to coding, with why: a diagnosis or procedure code is
 * wrong, and codes are the coder's to change. In one transaction the claim (never sent) is VOID, the
 * biller's work on it DONE, the encounter READY_FOR_CODING again with coding work whose history
 * carries the reason. When the coder completes it again, a new claim is built.
 */
export async function returnToCoding(ctx: RequestContext, input: ReturnToCodingInput): Promise<Outcome<ClaimRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, BILLING_ROLES, "return claims to coding");
  const reason = input.reason.trim();
  const problem =
    reason === ""
      ? userError("REASON_REQUIRED", "Say what the coder must look at.", ["reason"])
      : textTooLong(reason, MAX_NOTE_LENGTH, ["reason"]);
  if (problem) return refused([problem]);
  const found = await claimOf(ctx, input.claimId);
  requireCurrentVersion("claim", found.version, input.expectedVersion);
  const item = await heldClaimItem(ctx, found.id, BILLER_WORK);
  const encounter = await ctx.loaders.encounter.load(found.encounterId);
  if (!encounter) throw conflict("This claim's encounter is not visible to you.");
  return withEvents(ctx, async (tx) => {
    const claim = await lockedUnsent(tx, actor.scope, found.id);
    requireCurrentVersion("claim", claim.version, input.expectedVersion);
    const returned = await returnEncounterToCoding(tx, actor.scope, encounter.id);
    if (!returned) throw conflict("The claim's encounter is no longer READY_TO_BILL: read it again.");
    const coding = await routeSubject(
      ctx,
      {
        kind: "CODING",
        facilityId: encounter.facilityId,
        encounterType: encounter.type,
        payerKind: null,
        serviceDate: encounter.serviceDate,
        expectedCharge: claim.totalCharge,
      },
      tx,
    );
    if (!coding) throw conflict(`No coding queue takes ${encounter.type} encounters of this facility.`);
    const why = `Returned by billing (claim ${claim.patientControlNumber}): ${reason}`;
    await enqueue(tx, actor, coding, { facilityId: encounter.facilityId, encounterId: encounter.id }, why);
    await completeOwnItem(tx, ctx, item.id, why);
    const after = (await updateClaim(tx, actor.scope, claim.id, claim.version, { status: "VOID" }))!;
    await recordStatus(tx, ctx, claim, after, why, { audit: "claim.return_to_coding" });
    return ok(after);
  });
}
