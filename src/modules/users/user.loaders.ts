import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { byId } from "../../graphql/loaders.js";
import { usersByIds } from "./user.store.js";

/** Users by id, of the caller's organization. */
export function userLoaders(db: Database, scope: Scope) {
  return { user: byId((ids) => usersByIds(db, scope, ids)) };
}
