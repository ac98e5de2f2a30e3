import type { RequestContext } from "../../context.js";
import { type Delivery, eventIdOf, eventStream } from "../events/index.js";
import { CODING_REVIEW_TOPIC, type CodingReviewEventPayload } from "./review.store.js";

/** The outbox stores payloads as JSON: this is the one place that says what a review event's holds. */
export const reviewPayloadOf = (delivery: Delivery) => delivery.event.payload as unknown as CodingReviewEventPayload;

/**
 * Reviews of the caller's own coding, replayed from `after` then live. Checked before each
 * delivery against the caller as they are now: still the coder, and still granted the
 * encounter's facility.
 */
export function myCodingReviewEvents(ctx: RequestContext, after: string | null | undefined): AsyncIterable<Delivery> {
  return eventStream(ctx, {
    topics: [CODING_REVIEW_TOPIC],
    afterId: after ? eventIdOf(after, ctx.events.retentionMs) : null,
    accept: (event, actor) => {
      if (event.topic !== CODING_REVIEW_TOPIC) return false;
      const review = event.payload as unknown as CodingReviewEventPayload;
      return review.coderId === actor.userId && actor.scope.facilityIds.includes(review.facilityId);
    },
  });
}
