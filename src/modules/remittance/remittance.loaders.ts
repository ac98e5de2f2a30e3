import DataLoader from "dataloader";
import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { byId, groupedBy } from "../../graphql/loaders.js";
import {
  adjustmentCodeTexts,
  adjustmentsOfClaims,
  claimPaymentsByIds,
  claimPaymentsOfClaims,
  claimPaymentsOfRemittances,
  type ExplainedAdjustment,
  linePaymentsOfClaimPayments,
  postedCountsOfRemittances,
} from "./claim-payment.store.js";
import { appealsOfClaims, type ClaimAppealRow } from "./denial.store.js";
import {
  type ClaimPaymentRow,
  type LinePaymentRow,
  type ProviderAdjustmentRow,
  providerAdjustmentsOfRemittances,
  remittancesByIds,
} from "./remittance.store.js";

/** Remittances, their claim payments, lines and adjustments, and each claim's postings and appeals. */
export function remittanceLoaders(db: Database, scope: Scope) {
  return {
    remittance: byId((ids) => remittancesByIds(db, scope, ids)),
    claimPayment: byId((ids) => claimPaymentsByIds(db, scope, ids)),
    claimPaymentsOfRemittance: groupedBy(
      (ids) => claimPaymentsOfRemittances(db, scope, ids),
      (row: ClaimPaymentRow) => row.remittanceId,
    ),
    claimPaymentsOfClaim: groupedBy(
      (ids) => claimPaymentsOfClaims(db, scope, ids),
      (row: ClaimPaymentRow) => row.claimId!,
    ),
    linePayments: groupedBy(
      (ids) => linePaymentsOfClaimPayments(db, scope, ids),
      (row: LinePaymentRow) => row.claimPaymentId,
    ),
    claimAdjustments: groupedBy(
      (ids) => adjustmentsOfClaims(db, scope, ids),
      (row: ExplainedAdjustment) => row.claimId,
    ),
    claimAppeals: groupedBy(
      (ids) => appealsOfClaims(db, scope, ids),
      (row: ClaimAppealRow) => row.claimId,
    ),
    providerAdjustments: groupedBy(
      (ids) => providerAdjustmentsOfRemittances(db, scope, ids),
      (row: ProviderAdjustmentRow) => row.remittanceId,
    ),
    /** A CARC's or RARC's text, keyed "CARC:45" or "RARC:N130"; null for a code not in the shipped list. */
    adjustmentCodeText: new DataLoader<string, string | null>(async (keys) => {
      const codesOf = (type: string) => keys.filter((key) => key.startsWith(`${type}:`)).map((key) => key.slice(5));
      const [carc, rarc] = await Promise.all([
        adjustmentCodeTexts(db, "CARC", codesOf("CARC")),
        adjustmentCodeTexts(db, "RARC", codesOf("RARC")),
      ]);
      return keys.map((key) => (key.startsWith("CARC:") ? carc : rarc).get(key.slice(5)) ?? null);
    }),
    remittanceCounts: new DataLoader<string, { posted: number; unmatched: number }>(async (ids) => {
      const counts = new Map((await postedCountsOfRemittances(db, scope, ids)).map((row) => [row.remittanceId, row]));
      return ids.map((id) => counts.get(id) ?? { posted: 0, unmatched: 0 });
    }),
  };
}
