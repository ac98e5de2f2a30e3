import { ClaimDenialResolver, DenialResolver } from "./denial.resolver.js";
import {
  ClaimLineAdjustmentsResolver,
  ClaimPaymentResolver,
  ClaimRemittanceResolver,
  RemittanceResolver,
  WorkItemSubjectResolver,
} from "./remittance.resolver.js";

/**
 * The remittance module's front door: 835 payments posted to claims, adjustments, unmatched payments, and the
 * work of denials (appeals, write-offs, balances moved to patients). It builds
 * on claims and work; neither imports it.
 */

export { DenialCategoryEnum } from "./denial.type.js";
// The demo seed, tests and bench answer our batches as a payer would.
export { type PayerVerdict, write835 } from "./payer.js";
// The denial and collection reports read posted adjustments by the same rules as posting.
export { REDUCTIONS } from "./remittance.adjudication.js";
export { CATEGORY_OF_REASON, DENIAL_CATEGORIES, type DenialCategory } from "./remittance.denials.js";
// The posting bench prints where a payment's time goes.
export { onPostingPhases, type PostingPhases } from "./remittance.phases.js";
// The HTTP upload of an 835 (server.ts).
export { remittanceView } from "./remittance.resolver.js";
export { postRemittance } from "./remittance.service.js";

export const resolvers = [
  RemittanceResolver,
  ClaimPaymentResolver,
  ClaimRemittanceResolver,
  ClaimLineAdjustmentsResolver,
  WorkItemSubjectResolver,
  ClaimDenialResolver,
  DenialResolver,
] as const;
export { remittanceLoaders as loaders } from "./remittance.loaders.js";
