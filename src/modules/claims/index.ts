import { AcknowledgementResolver, BatchAcknowledgementsResolver } from "./acknowledgement.resolver.js";
import { EncounterClaimsResolver, PatientStatementResolver } from "./claim.links.resolver.js";
import { ClaimResolver } from "./claim.resolver.js";
import { ClaimBatchResolver, SubmissionBatchResolver } from "./claim.submission.resolver.js";

/**
 * The claims module's front door: its resolvers and loaders, and what other modules may use of it.
 * Inside the module, files import each other directly.
 */

// The HTTP upload of an acknowledgement (server.ts).
export { acknowledgementView } from "./acknowledgement.resolver.js";
export { importAcknowledgement } from "./acknowledgement.service.js";
// Remittance posting moves claims, with the history and events every claim change writes.
export { claimEvents } from "./claim.events.js";
export { ClaimPayload } from "./claim.resolver.js";
// Remittance posting bills the balance a primary payer left to the secondary coverage, in the posting's transaction.
export { billSecondary, type PrimaryPayment } from "./claim.secondary.js";
// Coding and its review bill an encounter in the transaction that leaves it READY_TO_BILL.
// Follow-ups read the claim they are about, as billing roles may see it.
// Working a denial (remittance) changes the claim with its history and event, returns it as claim mutations do,
// and may move its balance to the patient's statement.
export { BILLING_ROLES, type Billed, billEncounter, claimOf, recordStatus } from "./claim.service.js";
export type { ClaimLineRow, ClaimRow } from "./claim.store.js";
export { insertStatusChanges } from "./claim.store.js";
// The HTTP download of a batch's file (server.ts).
export { batchToDownload } from "./claim.submission.js";
export { Claim, ClaimLine, ClaimStatusEnum } from "./claim.type.js";
// The demo's first day answers its batches as a clearinghouse would.
export { write277ca, write999 } from "./clearinghouse.js";
export { insertStatementLine } from "./patient-statement.store.js";
// The remittance module reads 835s with the same X12 reader as acknowledgements.
export {
  components,
  describeLocation,
  element,
  locate,
  MAX_X12_CHARACTERS,
  malformed,
  readAmount,
  readDate,
  readX12,
  required,
  X12Error,
  type X12Location,
  type X12Segment,
  type X12TransactionSet,
} from "./x12.reader.js";

export const resolvers = [
  ClaimResolver,
  EncounterClaimsResolver,
  PatientStatementResolver,
  SubmissionBatchResolver,
  ClaimBatchResolver,
  AcknowledgementResolver,
  BatchAcknowledgementsResolver,
] as const;
export { claimLoaders as loaders } from "./claim.loaders.js";
