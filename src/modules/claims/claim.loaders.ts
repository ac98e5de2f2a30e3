import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { byId, groupedBy } from "../../graphql/loaders.js";
import {
  type ClaimLineRow,
  type ClaimRow,
  type ClaimStatusChangeRow,
  claimsByEncounterIds,
  claimsByIds,
  correctionsOfClaims,
  linesOfClaims,
  secondariesOfClaims,
  statusChangesOfClaims,
} from "./claim.store.js";
import { batchesByIds } from "./claim.submission.store.js";
import { type StatementLineRow, statementLinesOfPatients } from "./patient-statement.store.js";

/** Claims by id and by encounter, their lines, history and batches, and patients' statement lines. */
export function claimLoaders(db: Database, scope: Scope) {
  return {
    claim: byId((ids) => claimsByIds(db, scope, ids)),
    claimsByEncounter: groupedBy(
      (ids) => claimsByEncounterIds(db, scope, ids),
      (row: ClaimRow) => row.encounterId,
    ),
    claimCorrections: groupedBy(
      (ids) => correctionsOfClaims(db, scope, ids),
      (row: ClaimRow) => row.replacesClaimId!,
    ),
    secondaryClaims: groupedBy(
      (ids) => secondariesOfClaims(db, scope, ids),
      (row: ClaimRow) => row.primaryClaimId!,
    ),
    claimLines: groupedBy(
      (ids) => linesOfClaims(db, scope, ids),
      (row: ClaimLineRow) => row.claimId,
    ),
    claimStatusChanges: groupedBy(
      (ids) => statusChangesOfClaims(db, scope, ids),
      (row: ClaimStatusChangeRow) => row.claimId,
    ),
    submissionBatch: byId((ids) => batchesByIds(db, scope, ids)),
    statementLinesByPatient: groupedBy(
      (ids) => statementLinesOfPatients(db, scope, ids),
      (row: StatementLineRow) => row.patientId,
    ),
  };
}
