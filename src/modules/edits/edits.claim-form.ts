/*
 * What an encounter's codes get wrong against the claim form that will carry them, with no table to
 * read: the diagnosis list, present-on-admission indicators, each line's code system, pointers and
 * modifiers, and repeated lines.
 */
import {
  CLAIM_LINE_MODIFIERS_MAX,
  CLAIM_LINE_POINTERS_MAX,
  PROFESSIONAL_CLAIM_DIAGNOSES_MAX,
} from "../../shared/claim-limits.js";
import { displayCode } from "../codesets/index.js";
import {
  type CodeEdit,
  type CodingFacts,
  type DiagnosisEntry,
  type EncounterCodes,
  lineDate,
  type ProcedureEntry,
} from "./edits.codes.js";

/**
 * The diagnosis list as a claim carries it: at least one when there are procedures to point to,
 * no more than a professional claim holds, and no code twice (a payer rejects the claim otherwise).
 */
export function diagnosisListEdits(facts: CodingFacts, { diagnoses, procedures }: EncounterCodes): CodeEdit[] {
  const edits: CodeEdit[] = [];
  if (diagnoses.length === 0) {
    const message =
      procedures.length > 0
        ? "Add the diagnoses that support the procedures: a claim needs at least one."
        : "No codes yet: add at least one diagnosis.";
    edits.push({ code: "NO_DIAGNOSIS", severity: "ERROR", message, field: ["diagnoses"] });
  }
  if (facts.encounterType === "PROFESSIONAL" && diagnoses.length > PROFESSIONAL_CLAIM_DIAGNOSES_MAX) {
    const message =
      `A professional claim holds ${PROFESSIONAL_CLAIM_DIAGNOSES_MAX} diagnoses; this encounter has ` +
      `${diagnoses.length}. Keep the ${PROFESSIONAL_CLAIM_DIAGNOSES_MAX} the procedures point to.`;
    edits.push({
      code: "TOO_MANY_DIAGNOSES",
      severity: "ERROR",
      message,
      field: ["diagnoses", `${PROFESSIONAL_CLAIM_DIAGNOSES_MAX}`, "code"],
    });
  }
  const firstAt = new Map<string, number>();
  for (const [i, { code }] of diagnoses.entries()) {
    const first = firstAt.get(code);
    if (first === undefined) {
      firstAt.set(code, i);
      continue;
    }
    const message = `${displayCode("ICD10CM", code)} is already diagnosis ${first + 1}; remove the repeat.`;
    edits.push({ code: "DUPLICATE_DIAGNOSIS", severity: "ERROR", message, field: ["diagnoses", `${i}`, "code"] });
  }
  return [...edits, ...diagnoses.flatMap((d, i) => presentOnAdmissionEdits(facts, d, i))];
}

function presentOnAdmissionEdits(
  facts: CodingFacts,
  { code, presentOnAdmission }: DiagnosisEntry,
  i: number,
): CodeEdit[] {
  const field = ["diagnoses", `${i}`, "presentOnAdmission"];
  const shown = displayCode("ICD10CM", code);
  if (facts.encounterType === "INPATIENT" && presentOnAdmission === null) {
    return [
      {
        code: "POA_MISSING",
        severity: "ERROR",
        field,
        message: `Say whether ${shown} was present on admission (Y, N, U, W, or 1 when exempt).`,
      },
    ];
  }
  if (facts.encounterType !== "INPATIENT" && presentOnAdmission !== null) {
    return [
      {
        code: "POA_NOT_APPLICABLE",
        severity: "WARNING",
        field,
        message: `Present on admission applies to inpatient stays only; it is not sent for ${shown} on this encounter.`,
      },
    ];
  }
  return [];
}

/** What one procedure line gets wrong on its own: its code system, pointers and modifier count. */
export function lineEdits(facts: CodingFacts, codes: EncounterCodes, line: ProcedureEntry, i: number): CodeEdit[] {
  const edits = [...codeSystemEdits(facts, line, i), ...pointerEdits(codes.diagnoses.length, line, i)];
  if (line.modifiers.length > CLAIM_LINE_MODIFIERS_MAX) {
    const count = line.modifiers.length;
    const message = `A line takes at most ${CLAIM_LINE_MODIFIERS_MAX} modifiers; line ${i + 1} has ${count}.`;
    edits.push({
      code: "TOO_MANY_MODIFIERS",
      severity: "ERROR",
      message,
      field: ["procedures", `${i}`, "modifiers", `${CLAIM_LINE_MODIFIERS_MAX}`],
    });
  }
  return edits;
}

function codeSystemEdits(facts: CodingFacts, line: ProcedureEntry, i: number): CodeEdit[] {
  const message = wrongSystem(facts.encounterType === "INPATIENT", line);
  return message
    ? [{ code: "WRONG_CODE_SYSTEM", severity: "ERROR", message, field: ["procedures", `${i}`, "system"] }]
    : [];
}

/**
 * Why a procedure's code system does not fit the encounter: an
 * inpatient stay reports ICD-10-PCS, anything else CPT or HCPCS.
 */
function wrongSystem(inpatient: boolean, { system, code }: ProcedureEntry): string | null {
  if (system === "ICD10CM")
    return `${displayCode(system, code)} is a diagnosis code: list it under diagnoses, not as a procedure.`;
  if (system === "ICD10PCS" && !inpatient)
    return (
      `${code} is an ICD-10-PCS code, reported for inpatient stays ` +
      `only: report the procedure with its CPT or HCPCS code.`
    );
  if (system !== "ICD10PCS" && inpatient)
    return `An inpatient stay reports its procedures in ICD-10-PCS; ${code} is a ${system} code.`;
  return null;
}

function pointerEdits(
  diagnosisCount: number,
  { system, diagnosisPointers: pointers }: ProcedureEntry,
  i: number,
): CodeEdit[] {
  const at = (k: number) => ["procedures", `${i}`, "diagnosisPointers", `${k}`];
  const edits: CodeEdit[] = [];
  // An ICD-10-PCS procedure is reported on the institutional claim, which has no pointers.
  if (pointers.length === 0 && (system === "CPT" || system === "HCPCS")) {
    edits.push({
      code: "POINTER_MISSING",
      severity: "ERROR",
      message: `Point line ${i + 1} to the diagnosis that supports it.`,
      field: ["procedures", `${i}`, "diagnosisPointers"],
    });
  }
  if (pointers.length > CLAIM_LINE_POINTERS_MAX) {
    edits.push({
      code: "TOO_MANY_POINTERS",
      severity: "ERROR",
      message:
        `A line points to at most ${CLAIM_LINE_POINTERS_MAX} ` +
        `diagnoses; line ${i + 1} points to ${pointers.length}.`,
      field: at(CLAIM_LINE_POINTERS_MAX),
    });
  }
  pointers.forEach((pointer, k) => {
    const message =
      pointer < 1 || pointer > PROFESSIONAL_CLAIM_DIAGNOSES_MAX
        ? `Diagnosis pointers run from 1 to ${PROFESSIONAL_CLAIM_DIAGNOSES_MAX}; line ${i + 1} has ${pointer}.`
        : pointer > diagnosisCount
          ? `Line ${i + 1} points to diagnosis ${pointer} but there are ${diagnosisCount}.`
          : null;
    if (message) edits.push({ code: "POINTER_INVALID", severity: "ERROR", message, field: at(k) });
    if (pointers.indexOf(pointer) < k) {
      edits.push({
        code: "POINTER_DUPLICATE",
        severity: "ERROR",
        message: `Line ${i + 1} points to diagnosis ${pointer} twice.`,
        field: at(k),
      });
    }
  });
  return edits;
}

/** A line repeating an earlier one (system, code, modifiers and date): a payer denies the second as a duplicate. */
export function duplicateLines(facts: CodingFacts, procedures: readonly ProcedureEntry[]): CodeEdit[] {
  const firstAt = new Map<string, number>();
  const edits: CodeEdit[] = [];
  for (const [i, line] of procedures.entries()) {
    const date = lineDate(facts, line);
    const key = [line.system, line.code, [...new Set(line.modifiers)].sort().join(","), date].join(" ");
    const first = firstAt.get(key);
    if (first === undefined) {
      firstAt.set(key, i);
      continue;
    }
    const message =
      `Line ${i + 1} repeats line ${first + 1} (${line.code} on ` +
      `${date}, same modifiers): combine the units on one line.`;
    edits.push({ code: "DUPLICATE_LINE", severity: "ERROR", message, field: ["procedures", `${i}`, "code"] });
  }
  return edits;
}
