import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { byId } from "../../graphql/loaders.js";
import { patientsByIds } from "./patient.store.js";

/** Patients by id, at the caller's facilities. */
export function patientLoaders(db: Database, scope: Scope) {
  return { patient: byId((ids) => patientsByIds(db, scope, ids)) };
}
