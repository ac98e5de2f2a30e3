import DataLoader from "dataloader";
import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { groupedBy } from "../../graphql/loaders.js";
import type { CodeEdit, DiagnosisEntry, EncounterCodes } from "../edits/index.js";
import {
  type CodeChangeRow,
  type CodingCompletionRow,
  codeChangesOf,
  completionsOf,
  diagnosesOf,
  encounterCodes,
  type PhysicianQueryRow,
  physicianQueriesOf,
} from "./coding.store.js";

/** An encounter's codes, their history, its completions and its physician queries. */
export function codingLoaders(db: Database, scope: Scope) {
  const codes = new DataLoader<string, EncounterCodes>(async (ids) => {
    const found = await encounterCodes(db, scope, ids);
    return ids.map((id) => found.get(id)!);
  });
  /** Encounters whose lines this request reads too: their diagnoses come in the same statement. */
  const withLines = new Set<string>();
  return {
    /**
     * Each encounter's diagnoses: a list showing only them reads no procedure lines. The fields of one
     * encounter ask in the same turn, before a batch is read: when its lines or edits are asked too, the
     * diagnoses are read with them.
     */
    encounterDiagnoses: new DataLoader<string, DiagnosisEntry[]>(async (ids) => {
      const alone = ids.filter((id) => !withLines.has(id));
      const found = alone.length > 0 ? await diagnosesOf(db, scope, alone) : null;
      return Promise.all(
        ids.map((id) => (withLines.has(id) ? codes.load(id).then((both) => both.diagnoses) : found!.get(id)!)),
      );
    }),
    /** Each encounter's diagnoses and procedure lines, in one statement. */
    encounterCodes: {
      load(id: string): Promise<EncounterCodes> {
        withLines.add(id);
        return codes.load(id);
      },
    },
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
