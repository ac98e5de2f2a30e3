import DataLoader from "dataloader";
import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { groupedBy } from "../../graphql/loaders.js";
import type { CodeEdit, EncounterCodes } from "../edits/index.js";
import {
  type CodeChangeRow,
  type CodingCompletionRow,
  codeChangesOf,
  completionsOf,
  encounterCodes,
  type PhysicianQueryRow,
  physicianQueriesOf,
} from "./coding.store.js";

/** An encounter's codes, their history, its completions and its physician queries. */
export function codingLoaders(db: Database, scope: Scope) {
  return {
    /** Each encounter's diagnoses and procedure lines. */
    encounterCodes: new DataLoader<string, EncounterCodes>(async (ids) => {
      const codes = await encounterCodes(db, scope, ids);
      return ids.map((id) => codes.get(id)!);
    }),
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
