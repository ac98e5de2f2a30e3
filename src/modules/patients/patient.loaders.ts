import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { byId, groupedBy } from "../../graphql/loaders.js";
import { type CoverageRow, coveragesByIds, coveragesOfPatients, patientsByIds } from "./patient.store.js";

/** Patients by id, at the caller's facilities, and their coverages. */
export function patientLoaders(db: Database, scope: Scope) {
  return {
    patient: byId((ids) => patientsByIds(db, scope, ids)),
    coverage: byId((ids) => coveragesByIds(db, scope, ids)),
    coveragesByPatient: groupedBy(
      (ids) => coveragesOfPatients(db, scope, ids),
      (row: CoverageRow) => row.patientId,
    ),
  };
}
