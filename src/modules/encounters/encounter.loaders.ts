import type DataLoader from "dataloader";
import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { byId } from "../../graphql/loaders.js";
import type { PatientRow } from "../patients/index.js";
import { encountersWithPatients } from "./encounter.store.js";

/**
 * Encounters by id, as the caller may see them. Each is read with its patient, which goes into the
 * patient loader: a list of encounters with their patients costs one statement, not two.
 */
export function encounterLoaders(
  db: Database,
  scope: Scope,
  others: { patient: DataLoader<string, PatientRow | null> },
) {
  return {
    encounter: byId(async (ids) => {
      const rows = await encountersWithPatients(db, scope, ids);
      for (const { patient } of rows) others.patient.prime(patient.id, patient);
      return rows.map(({ encounter }) => encounter);
    }),
  };
}
