import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { groupedBy } from "../../graphql/loaders.js";
import { type ClaimFollowUpRow, followUpsOfClaims } from "./follow-up.store.js";

/** Claims' follow-ups, newest first. */
export function followUpLoaders(db: Database, scope: Scope) {
  return {
    claimFollowUps: groupedBy(
      (ids) => followUpsOfClaims(db, scope, ids),
      (row: ClaimFollowUpRow) => row.claimId,
    ),
  };
}
