import { CodeSetImportResolver } from "./codeset.imports.resolver.js";
import { MedicalCodeResolver } from "./codeset.resolver.js";

/**
 * The code sets module's front door: what other modules may use. Inside the module, files import
 * each other directly.
 */

// What the coding edits read of the code sets, kept per instance until an import commits.
export { CodeSetCache } from "./codeset.cache.js";
// Codes as written and shown, and the checks of a code against the code set in force.
export { type CodeSystem, displayCode, normalizeCode } from "./codeset.codes.js";
export { type CodeSetImports, codeSetImports } from "./codeset.import-jobs.js";
export type { DatedCode } from "./codeset.service.js";
// Reference data the coding edits read: NCCI pairs, MUE limits, add-on codes, modifiers, code versions, tabular notes.
export {
  type AddOnCodeRow,
  type CodeNoteRow,
  codeVersions,
  type EditTables,
  type EditTablesAsk,
  editTablesOf,
  type MueLimitRow,
  type NcciSetting,
  type PtpPair,
  TABULAR_DATASET,
} from "./codeset.store.js";
export { covers } from "./codeset.tabular.js";
export { CodeSystemEnum, MedicalCode } from "./codeset.type.js";
export {
  type CodeCheck,
  type CodeCheckInput,
  checkCodes,
  checkCodesIn,
  codeCheckKeys,
  type PatientFacts,
} from "./codeset.validation.js";

export const resolvers = [MedicalCodeResolver, CodeSetImportResolver] as const;
export { codesetLoaders as loaders } from "./codeset.loaders.js";
