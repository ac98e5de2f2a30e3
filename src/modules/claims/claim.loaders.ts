import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { byId, groupedBy } from "../../graphql/loaders.js";
import { type ClaimRow, claimsByEncounterIds, claimsByIds } from "./claim.store.js";

/** Claims by id and by encounter, visible when their encounter is. */
export function claimLoaders(db: Database, scope: Scope) {
  return {
    claim: byId((ids) => claimsByIds(db, scope, ids)),
    claimsByEncounter: groupedBy(
      (ids) => claimsByEncounterIds(db, scope, ids),
      (row: ClaimRow) => row.encounterId,
    ),
  };
}
