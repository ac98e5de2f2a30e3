import {
  CodeChangeResolver,
  CodingCompletionResolver,
  DiagnosisCodeResolver,
  EncounterCodingResolver,
  PhysicianQueryResolver,
  ProcedureLineResolver,
} from "./coding.resolver.js";

/** The coding module's front door: what other modules may use. Inside the module, files import each other directly. */

// For coding review, which corrects codes as coding writes them, in its own transaction:
// the codes and their inputs, the edits that block, the write of codes, and the encounter's move.
export type { CodeEdit, DiagnosisEntry, EncounterCodes, ProcedureEntry } from "../edits/index.js";
export { DiagnosisInput, ProcedureInput } from "./coding.inputs.js";
export { blockingEdits, editsFor, parseCodeInput } from "./coding.parse.js";
export { visiblePhysicianQuery } from "./coding.physician-queries.js";
export { CODING_ROLES, writeEncounterCodes } from "./coding.service.js";
export { advanceEncounter, type CodingCompletionRow, completionsOf, encounterCodes } from "./coding.store.js";
export { CodedDiagnosis, CodedProcedure, CodingCompletion } from "./coding.type.js";

export const resolvers = [
  EncounterCodingResolver,
  DiagnosisCodeResolver,
  ProcedureLineResolver,
  CodeChangeResolver,
  CodingCompletionResolver,
  PhysicianQueryResolver,
] as const;
export { codingLoaders as loaders } from "./coding.loaders.js";
