import {
  CodingReviewEventResolver,
  CodingReviewFindingResolver,
  CodingReviewResolver,
  EncounterReviewResolver,
} from "./review.resolver.js";

/**
 * The coding review module's front door. Nothing of it is for other modules yet: its resolvers
 * and loaders are the application's.
 */

export const resolvers = [
  CodingReviewResolver,
  CodingReviewFindingResolver,
  EncounterReviewResolver,
  CodingReviewEventResolver,
] as const;
export { reviewLoaders as loaders } from "./review.loaders.js";
