import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { byId, groupedBy } from "../../graphql/loaders.js";
import {
  type CodingReviewRow,
  findingsOfReviews,
  type ReviewFindingRow,
  reviewsByIds,
  reviewsOfEncounters,
} from "./review.store.js";

/** Coding reviews by id and by encounter, and each review's findings. */
export function reviewLoaders(db: Database, scope: Scope) {
  return {
    codingReview: byId((ids) => reviewsByIds(db, scope, ids)),
    /** Each encounter's coding reviews, newest first. */
    codingReviews: groupedBy(
      (ids) => reviewsOfEncounters(db, scope, ids),
      (row: CodingReviewRow) => row.encounterId,
    ),
    reviewFindings: groupedBy(
      (ids) => findingsOfReviews(db, scope, ids),
      (row: ReviewFindingRow) => row.reviewId,
    ),
  };
}
