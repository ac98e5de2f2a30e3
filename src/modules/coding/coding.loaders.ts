import DataLoader from "dataloader";
import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { groupedBy } from "../../graphql/loaders.js";
import type { CodeEdit, DiagnosisEntry, EncounterCodes, ProcedureEntry } from "../edits/index.js";
import {
  type CodeChangeRow,
  type CodingCompletionRow,
  codeChangesOf,
  completionsOf,
  diagnosesOf,
  type PhysicianQueryRow,
  physicianQueriesOf,
  proceduresOf,
} from "./coding.store.js";

/** An encounter's codes, their history, its completions and its physician queries. */
export function codingLoaders(db: Database, scope: Scope) {
  const diagnoses = new DataLoader<string, DiagnosisEntry[]>(async (ids) => {
    const found = await diagnosesOf(db, scope, ids);
    return ids.map((id) => found.get(id)!);
  });
  const procedures = new DataLoader<string, ProcedureEntry[]>(async (ids) => {
    const found = await proceduresOf(db, scope, ids);
    return ids.map((id) => found.get(id)!);
  });
  return {
    /** Each encounter's diagnoses: a list showing only them reads no procedure lines. */
    encounterDiagnoses: diagnoses,
    /** Each encounter's diagnoses and procedure lines. */
    encounterCodes: new DataLoader<string, EncounterCodes>((ids) =>
      Promise.all(
        ids.map(async (id) => {
          const [diagnosisList, procedureList] = await Promise.all([diagnoses.load(id), procedures.load(id)]);
          return { diagnoses: diagnosisList, procedures: procedureList };
        }),
      ),
    ),
    /** Each encounter's edits by `id@version`, once computed (a save's answer reuses the save's). */
    encounterEdits: new Map<string, Promise<CodeEdit[]>>(),
    codeHistory: groupedBy(
      (ids) => codeChangesOf(db, scope, ids),
      (row: CodeChangeRow) => row.encounterId,
    ),
    codingCompletions: groupedBy(
      (ids) => completionsOf(db, scope, ids),
      (row: CodingCompletionRow) => row.encounterId,
    ),
    physicianQueries: groupedBy(
      (ids) => physicianQueriesOf(db, scope, ids),
      (row: PhysicianQueryRow) => row.encounterId,
    ),
  };
}
