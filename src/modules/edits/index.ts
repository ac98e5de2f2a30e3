/**
 * The edits module's front door. One engine checks codes against the code sets (in force on the
 * date, billable, sex and age, pointers, modifiers, NCCI and MUE): coding runs it on an encounter's
 * codes, the claim scrubber on a claim's lines. It sits below both so neither imports the other.
 */
export {
  type CodeEdit,
  type CodingFacts,
  type DiagnosisEntry,
  datesOf,
  diagnosisCodeDate,
  type EncounterCodes,
  type EncounterDates,
  lineCodeDate,
  lineDate,
  type PresentOnAdmission,
  type ProcedureEntry,
  type Severity,
} from "./edits.codes.js";
export { codeFields, codingEdits, type EditReads, editReads } from "./edits.engine.js";
export { CodeEditType, SeverityEnum } from "./edits.type.js";
