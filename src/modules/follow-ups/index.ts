import { ClaimFollowUpResolver, ClaimFollowUpsResolver } from "./follow-up.resolver.js";

/**
 * The follow-ups module's front door: unpaid claims chased with their payers. It builds on claims
 * and work; neither imports it.
 */

// The server's periodic sweep (server.ts) and the tests' clock.
export { sweepFollowUps } from "./follow-up.service.js";

export const resolvers = [ClaimFollowUpResolver, ClaimFollowUpsResolver] as const;
export { followUpLoaders as loaders } from "./follow-up.loaders.js";
