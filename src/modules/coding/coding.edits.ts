import type { Database } from "../../db/client.js";
import { displayCode } from "../codesets/codeset.codes.js";
import { checkCode } from "../codesets/codeset.validation.js";
import type { CodeEdit, CodingFacts, EncounterCodes } from "./coding.codes.js";

export type { CodeEdit, CodingFacts, DiagnosisEntry, EncounterCodes, PresentOnAdmission, ProcedureEntry, Severity } from "./coding.codes.js";

/** Every edit on the codes: each code checked for the date of service and the patient. */
export async function codingEdits(db: Database, facts: CodingFacts, codes: EncounterCodes): Promise<CodeEdit[]> {
  const edits: CodeEdit[] = [];
  for (const [i, diagnosis] of codes.diagnoses.entries()) {
    const check = await checkCode(db, { system: "ICD10CM", code: diagnosis.code, dateOfService: facts.dischargeDate ?? facts.serviceDate, patient: facts.patient, principal: i === 0 });
    for (const problem of check.problems) {
      edits.push({ code: problem.code, severity: "ERROR", message: problem.message, field: ["diagnoses", String(i), "code"], suggestions: check.suggestions.map((c) => displayCode("ICD10CM", c.code)) });
    }
  }
  for (const [i, line] of codes.procedures.entries()) {
    const check = await checkCode(db, { system: line.system, code: line.code, dateOfService: line.serviceDate ?? facts.serviceDate, patient: facts.patient });
    for (const problem of check.problems) {
      edits.push({ code: problem.code, severity: "ERROR", message: problem.message, field: ["procedures", String(i), "code"] });
    }
  }
  return edits;
}
