import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { byId } from "../../graphql/loaders.js";
import { facilitiesByIds, payersByIds, providersByIds } from "./organization.store.js";

/** Facilities, providers and payers by id, as the caller may see them. */
export function organizationLoaders(db: Database, scope: Scope) {
  return {
    facility: byId((ids) => facilitiesByIds(db, scope, ids)),
    provider: byId((ids) => providersByIds(db, scope, ids)),
    payer: byId((ids) => payersByIds(db, scope, ids)),
  };
}
