import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import {
  conflict,
  forbidden,
  notFound,
  type Outcome,
  ok,
  refused,
  requireCurrentVersion,
  textTooLong,
  type UserErrorData,
  userError,
} from "../../shared/errors.js";
import { auditEntry } from "../audit/index.js";
import { type Role, requireRole } from "../auth/index.js";
import { billEncounter } from "../claims/index.js";
import { displayCode, normalizeCode } from "../codesets/index.js";
import type { CodeEdit, DiagnosisEntry, EncounterCodes, ProcedureEntry } from "../coding/index.js";
import {
  advanceEncounter,
  blockingEdits,
  completionsOf,
  editsFor,
  encounterCodes,
  parseCodeInput,
  writeEncounterCodes,
} from "../coding/index.js";
import type { EncounterRow } from "../encounters/index.js";
import { findEncounter } from "../encounters/index.js";
import { withEvents } from "../events/index.js";
import { completeOwnItem, heldEncounterItem, MAX_NOTE_LENGTH } from "../work/index.js";
import { diffCodes, type Finding, sameCodes } from "./review.diff.js";
import type { FindingReasonInput, SubmitCodingReviewInput } from "./review.inputs.js";
import { type CodingReviewRow, insertReview, type Positioned } from "./review.store.js";

/** Who reviews coding: auditors, and supervisors standing in for them (never their own coding). */
export const REVIEW_ROLES: Role[] = ["AUDITOR", "SUPERVISOR"];

type CodeFinding = Finding<DiagnosisEntry, ProcedureEntry>;

export interface SubmittedReview {
  review: CodingReviewRow;
  encounter: EncounterRow;
}

/** The code of an entry as coders write it. */
const shown = (finding: CodeFinding, entry: DiagnosisEntry | ProcedureEntry) =>
  finding.codeKind === "DIAGNOSIS"
    ? displayCode("ICD10CM", entry.code)
    : displayCode((entry as ProcedureEntry).system, entry.code);

/**
 * The codes (stored form) an auditor may name in a finding's reason: the coder's, the auditor's, or
 * either for a change.
 */
function codesOf(finding: CodeFinding): string[] {
  if (finding.kind === "ADDED") return [finding.after!.code];
  if (finding.kind === "CHANGED") return [...new Set([finding.before!.code, finding.after!.code])];
  return [finding.before!.code];
}

/** What a line's change touched, in words. */
function lineChanges(before: ProcedureEntry, after: ProcedureEntry): string {
  const same = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const changes = [
    !same(before.modifiers, after.modifiers) && "modifiers",
    before.units !== after.units && "units",
    Number(before.charge) !== Number(after.charge) && "charge",
    before.serviceDate !== after.serviceDate && "date of service",
    !same(before.diagnosisPointers, after.diagnosisPointers) && "diagnosis pointers",
  ].filter((change): change is string => typeof change === "string");
  return changes.join(", ");
}

/** The finding as a phrase: "changing E11.9 to E11.65", "adding Z79.4", "moving I10 from position 2 to 1". */
function describe(finding: CodeFinding, codes: { before: EncounterCodes; after: EncounterCodes }): string {
  const { before, after } = finding;
  const position = (list: readonly unknown[], entry: unknown) => list.indexOf(entry) + 1;
  switch (finding.kind) {
    case "ADDED":
      return `adding ${shown(finding, after!)}`;
    case "REMOVED":
      return `removing ${shown(finding, before!)}`;
    case "RESEQUENCED":
      return (
        `moving ${shown(finding, before!)} from position ${position(codes.before.diagnoses, before)} ` +
        `to ${position(codes.after.diagnoses, after)}`
      );
    case "CHANGED":
      if (before!.code !== after!.code) return `changing ${shown(finding, before!)} to ${shown(finding, after!)}`;
      return finding.codeKind === "DIAGNOSIS"
        ? `changing the present-on-admission indicator of ${shown(finding, before!)}`
        : `changing the ${lineChanges(finding.before!, finding.after!)} of the ${shown(finding, before!)} line`;
  }
}

/**
 * Each finding with its reason, or the user errors: a finding no reason names, a reason that names
 * no finding (a typo in its code, most likely), a reason too long. Reasons for the same code join.
 */
function reasonsFor(
  findings: CodeFinding[],
  reasons: readonly FindingReasonInput[],
  codes: { before: EncounterCodes; after: EncounterCodes },
): Outcome<string[]> {
  const problems: UserErrorData[] = [];
  const byCode = new Map<string, string[]>();
  const named = new Set(findings.flatMap(codesOf));
  reasons.forEach((given, i) => {
    const code = normalizeCode(given.code);
    const reason = given.reason.trim();
    const tooLong = textTooLong(reason, MAX_NOTE_LENGTH, ["reasons", String(i), "reason"]);
    if (!named.has(code)) {
      problems.push(
        userError(
          "REVIEW_REASON_WITHOUT_FINDING",
          `No difference between the coder's codes and yours is about ${given.code.trim()}: ` +
            "name the code a finding is about.",
          ["reasons", String(i), "code"],
        ),
      );
    } else if (tooLong) {
      problems.push(tooLong);
    } else if (reason !== "") {
      byCode.set(code, [...(byCode.get(code) ?? []), reason]);
    }
  });
  const found = findings.map((finding) =>
    [...new Set(codesOf(finding).flatMap((code) => byCode.get(code) ?? []))].join(" "),
  );
  findings.forEach((finding, i) => {
    if (found[i] === "")
      problems.push(userError("REVIEW_REASON_REQUIRED", `Give a reason for ${describe(finding, codes)}.`, ["reasons"]));
  });
  return problems.length > 0 ? refused(problems) : ok(found);
}

/** A finding's entry as stored: the entry and its 1-based position in its list. */
function positioned(entry: DiagnosisEntry | ProcedureEntry | null, list: readonly unknown[]): Positioned | null {
  return entry === null ? null : { ...entry, sequence: list.indexOf(entry) + 1 };
}

/** The user errors of the corrections, with their fields under `corrections`. */
const underCorrections = (problems: UserErrorData[]) =>
  problems.map((p) => ({ ...p, field: ["corrections", ...(p.field ?? [])] }));

/**
 * An auditor's review of the latest coding of an encounter whose CODING_REVIEW work they hold:
 * accepted as coded, or corrected with a reason for every finding. In one transaction the review
 * and its findings are recorded, the corrected codes become the encounter's (code history source
 * REVIEW) and it goes READY_TO_BILL, the review item is DONE, and the coder is told (event
 * `coding_review`). Nothing is written when there are user errors.
 */
export async function submitCodingReview(
  ctx: RequestContext,
  input: SubmitCodingReviewInput,
): Promise<Outcome<SubmittedReview>> {
  const actor = actorOf(ctx);
  requireRole(actor, REVIEW_ROLES, "review coding");
  const encounter = await findEncounter(ctx, input.encounterId);
  if (!encounter) throw notFound("Encounter", "encounterId");
  requireCurrentVersion("encounter", encounter.version, input.expectedVersion);
  const item = await heldEncounterItem(ctx, encounter.id, "CODING_REVIEW");
  const [completion] = await completionsOf(ctx.db, actor.scope, [encounter.id]);
  if (!completion) throw conflict("This encounter has no completed coding to review.");
  if (completion.coderId === actor.userId) throw forbidden("You coded this encounter: someone else must review it.");

  const note = input.note?.trim() || null;
  const noteTooLong = note === null ? null : textTooLong(note, MAX_NOTE_LENGTH, ["note"]);
  if (noteTooLong) return refused([noteTooLong]);
  const before = completion.codes as EncounterCodes;
  let after = before;
  let edits: CodeEdit[] | null = null;
  if (input.corrections) {
    const parsed = await parseCodeInput(ctx, encounter, input.corrections);
    if (!parsed.value) return refused(underCorrections(parsed.userErrors));
    ({ codes: after, edits } = parsed.value);
  }
  const diff = diffCodes(before, after);
  const codes = { before, after };
  const blocking = blockingEdits(edits ?? (await editsFor(ctx, encounter, after)));
  const reasons = reasonsFor(diff.findings, input.reasons ?? [], codes);
  const problems = [
    ...(input.corrections ? underCorrections(blocking) : blocking.map((p) => ({ ...p, field: null }))),
    ...reasons.userErrors,
  ];
  if (problems.length > 0 || !reasons.value) return refused(problems);
  const findingReasons = reasons.value;

  const outcome = diff.findings.length === 0 ? "ACCEPTED" : "CORRECTED";
  return withEvents(ctx, async (tx) => {
    await completeOwnItem(
      tx,
      ctx,
      item.id,
      outcome === "ACCEPTED" ? "Review: accepted as coded." : `Review: corrected, ${diff.findings.length} finding(s).`,
    );
    const current = (await encounterCodes(tx, actor.scope, [encounter.id])).get(encounter.id)!;
    const reviewed = sameCodes(current, after)
      ? await advanceEncounter(tx, actor.scope, encounter.id, input.expectedVersion, "READY_TO_BILL")
      : await writeEncounterCodes(tx, ctx, encounter, input.expectedVersion, after, "REVIEW", "READY_TO_BILL");
    if (!reviewed) throw conflict("The encounter changed while you were reviewing it: read it again.");
    await billEncounter(tx, ctx, reviewed, after);
    const review = await insertReview(
      tx,
      actor.scope,
      {
        completionId: completion.id,
        encounterId: encounter.id,
        facilityId: encounter.facilityId,
        coderId: completion.coderId,
        auditorId: actor.userId,
        outcome,
        codesReviewed: diff.codesReviewed,
        codesUnchanged: diff.codesUnchanged,
        note,
        findings: diff.findings.map((finding, i) => ({
          kind: finding.kind,
          codeKind: finding.codeKind,
          before: positioned(finding.before, finding.codeKind === "DIAGNOSIS" ? before.diagnoses : before.procedures),
          after: positioned(finding.after, finding.codeKind === "DIAGNOSIS" ? after.diagnoses : after.procedures),
          reason: findingReasons[i]!,
        })),
      },
      (reviewId) => auditEntry(ctx, "coding_review.submitted", "CodingReview", [reviewId]),
    );
    if (!review) throw conflict("This coding has been reviewed already.");
    return ok({ review, encounter: reviewed });
  });
}
