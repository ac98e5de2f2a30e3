import DataLoader from "dataloader";
import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { byId } from "../../graphql/loaders.js";
import { facilityIdsOfUsers, usersByIds } from "./user.store.js";

/** Users by id, of the caller's organization; the facilities of each (every one for an administrator). */
export function userLoaders(db: Database, scope: Scope) {
  return {
    user: byId((ids) => usersByIds(db, scope, ids)),
    userFacilityIds: new DataLoader<string, string[]>(async (ids) => {
      const rows = new Map((await facilityIdsOfUsers(db, scope, ids)).map((row) => [row.id, row.facilityIds]));
      return ids.map((id) => rows.get(id) ?? []);
    }),
  };
}
