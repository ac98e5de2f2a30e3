import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { notFound } from "../../shared/errors.js";
import { type CodeEdit, codingEdits, type EncounterCodes } from "../edits/index.js";
import { claimDocument } from "./claim.assemble.js";
import type { ClaimDocument } from "./claim.document.js";
import {
  type BilledCoverage,
  type ClaimParties,
  SECONDARY_PRIORITY,
  scrubbedParties,
  sentLinesOfPatientOn,
} from "./claim.parties.store.js";
import { claimEdits } from "./claim.scrub.js";
import { type ClaimRow, type ClaimStatus, linesOfClaims } from "./claim.store.js";

/*
 * The scrubber run on a stored claim: what it reads (lines, parties, the coverage in force, the organization's
 * other claims), the coding engine's edits and the claim-form rules of claim.scrub.ts, and what it leaves.
 */

/** Statuses of a claim not yet with a payer: its parties are read afresh and billers may change it. */
export const UNSENT: readonly ClaimStatus[] = ["DRAFT", "NEEDS_REVIEW", "READY", "REJECTED"];

const todayOf = (now: Date) => now.toISOString().slice(0, 10);
export const ERRORS = (edits: readonly CodeEdit[]) => edits.filter((e) => e.severity === "ERROR");

/** A claim's code edits from the coding engine, on its lines as a professional claim, with claim field paths. */
async function codeEditsOf(
  db: Database,
  document: ClaimDocument,
  patient: ClaimParties["patient"],
): Promise<CodeEdit[]> {
  const codes: EncounterCodes = {
    diagnoses: document.diagnoses.map((code) => ({ code, presentOnAdmission: null })),
    procedures: document.lines.map(({ lineNumber: _number, lineControlNumber: _control, ...line }) => line),
  };
  const edits = await codingEdits(
    db,
    {
      encounterType: "PROFESSIONAL",
      serviceDate: document.serviceDate,
      dischargeDate: null,
      patient: { sex: patient.sex, birthDate: patient.birthDate },
    },
    codes,
  );
  return edits.map((edit) => ({
    ...edit,
    field: edit.field[0] === "procedures" ? ["lines", ...edit.field.slice(1)] : edit.field,
    // A claim carries its codes, not the coder's statement that an Excludes1 pair is unrelated; coding could
    // not complete with the pair unless the coder made it, so the scrubber only reminds.
    ...(edit.code === "EXCLUDES1_CONFLICT" && { severity: "WARNING" as const }),
  }));
}

/** What a scrub found and what it read: the coverage in force, for a claim not yet sent. */
interface Scrub {
  edits: CodeEdit[];
  coverage: BilledCoverage | null;
}

/**
 * Every edit on the claim as it is now, ERROR first. A claim not yet sent bills the patient's
 * primary coverage in force on the date of service as registration says today, so a coverage fix
 * reaches it on the next scrub.
 */
export async function scrub(tx: Database, scope: Scope, claim: ClaimRow, now: Date): Promise<Scrub> {
  const unsent = UNSENT.includes(claim.status);
  // What the claim names goes in one round of statements (on PostgreSQL the transaction's connection pipelines
  // them), the coding engine's reads of the codes' tables in a second.
  const [lines, read, sent] = await Promise.all([
    linesOfClaims(tx, scope, [claim.id]),
    // A secondary claim bills the second coverage; every other claim the first.
    scrubbedParties(
      tx,
      scope,
      claim,
      unsent ? { priority: claim.primaryClaimId ? SECONDARY_PRIORITY : undefined } : undefined,
    ),
    sentLinesOfPatientOn(tx, claim),
  ]);
  if (!read) throw notFound("Claim", "claimId");
  const document = claimDocument(claim, lines, read.parties);
  const codeEdits = await codeEditsOf(tx, document, read.parties.patient);
  const formEdits = claimEdits(document, {
    today: todayOf(now),
    patientControlNumberTaken: read.patientControlNumberTaken,
    sentLines: sent.map((line) => ({
      patientControlNumber: line.patientControlNumber,
      code: line.code,
      sameRenderingProvider: line.renderingProviderId === claim.renderingProviderId,
    })),
    knownPlacesOfService: new Set(read.placeOfServiceKnown ? [claim.placeOfService] : []),
  });
  const edits = [...codeEdits, ...formEdits];
  return { edits: [...ERRORS(edits), ...edits.filter((e) => e.severity !== "ERROR")], coverage: read.coverage };
}

/** The scrub's result as claim columns: the edits, and the coverage billed while the claim is unsent. */
export function scrubbed(claim: ClaimRow, result: Scrub, now: Date) {
  const unsent = UNSENT.includes(claim.status);
  return {
    scrubEdits: result.edits,
    scrubbedAt: now,
    ...(unsent ? { coverageId: result.coverage?.coverage.id ?? null, payerId: result.coverage?.payer.id ?? null } : {}),
  };
}

/** The status a scrub leaves an unsent claim in: ERRORs send it back for review; a clean one keeps its place. */
export function statusAfterScrub(claim: ClaimRow, edits: readonly CodeEdit[]): ClaimStatus {
  if (ERRORS(edits).length > 0) return claim.status === "REJECTED" ? "REJECTED" : "NEEDS_REVIEW";
  return claim.status === "NEEDS_REVIEW" ? "DRAFT" : claim.status;
}
