import { EncounterClaimsResolver, WorkItemSubjectResolver } from "./claim.links.resolver.js";
import { ClaimResolver } from "./claim.resolver.js";

/**
 * The claims module's front door: its resolvers and loaders, and what other modules may use of it
 * (nothing yet). Inside the module, files import each other directly.
 */

export const resolvers = [ClaimResolver, EncounterClaimsResolver, WorkItemSubjectResolver] as const;
export { claimLoaders as loaders } from "./claim.loaders.js";
