import { EncounterClaimsResolver, PatientStatementResolver, WorkItemSubjectResolver } from "./claim.links.resolver.js";
import { ClaimResolver } from "./claim.resolver.js";

/**
 * The claims module's front door: its resolvers and loaders, and what other modules may use of it.
 * Inside the module, files import each other directly.
 */

// Coding and its review bill an encounter in the transaction that leaves it READY_TO_BILL.
export { type Billed, billEncounter } from "./claim.service.js";

export const resolvers = [
  ClaimResolver,
  EncounterClaimsResolver,
  WorkItemSubjectResolver,
  PatientStatementResolver,
] as const;
export { claimLoaders as loaders } from "./claim.loaders.js";
