import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { byId } from "../../graphql/loaders.js";
import { encountersByIds } from "./encounter.store.js";

/** Encounters by id, as the caller may see them. */
export function encounterLoaders(db: Database, scope: Scope) {
  return { encounter: byId((ids) => encountersByIds(db, scope, ids)) };
}
