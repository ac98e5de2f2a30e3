import type { SQLWrapper } from "drizzle-orm";
import type { RequestContext } from "../../context.js";
import type { Database } from "../../db/client.js";
import { canSeeFacility, organizationOnly, ownedBy } from "../../db/scope.js";
import { appendEvents, type Delivery, type EventRecord, eventIdOf, eventStream } from "../events/index.js";
import type { ClaimRow, ClaimStatus } from "./claim.store.js";

/** The outbox topic of claim changes. */
export const CLAIM_TOPIC = "claim";

/** What can happen to a claim, as its events name it (`ClaimEvent.type`; `kind` is the same in capitals). */
export const CLAIM_EVENT_TYPES = ["created", "status_changed", "changed"] as const;
export type ClaimEventType = (typeof CLAIM_EVENT_TYPES)[number];

/** What a claim event says: enough to route it to subscribers without reading the claim. */
export interface ClaimEventPayload {
  type: ClaimEventType;
  claimId: string;
  facilityId: string;
  status: ClaimStatus;
  version: number;
}

/** A change of a claim, for the outbox. */
export interface ClaimChange {
  type: ClaimEventType;
  claim: Pick<ClaimRow, "orgId" | "id" | "facilityId" | "status" | "version">;
}

export const claimEvents = {
  /** Outbox rows of claim changes, inside the caller's transaction, with `alongside` writes (see appendEvents). */
  append(tx: Database, changes: readonly ClaimChange[], alongside: readonly SQLWrapper[] = []): Promise<void> {
    return appendEvents(
      tx,
      changes.map(({ type, claim }) =>
        ownedBy(organizationOnly(claim.orgId), {
          topic: CLAIM_TOPIC,
          payload: {
            type,
            claimId: claim.id,
            facilityId: claim.facilityId,
            status: claim.status,
            version: claim.version,
          } satisfies ClaimEventPayload,
        }),
      ),
      alongside,
    );
  },

  /**
   * Changes to the claims the caller may see (or to one of them), replayed from `after` then live.
   * Whether the caller may see a claim is its facility's grant, checked again before each delivery.
   */
  stream(ctx: RequestContext, claimId: string | null, after: string | null | undefined): AsyncIterable<Delivery> {
    return eventStream(ctx, {
      topics: [CLAIM_TOPIC],
      afterId: after ? eventIdOf(after, ctx.events.retentionMs) : null,
      accept: (event, actor) => {
        if (event.topic !== CLAIM_TOPIC) return false;
        const change = payloadOf(event);
        return (claimId === null || change.claimId === claimId) && canSeeFacility(actor.scope, change.facilityId);
      },
    });
  },
};

export const payloadOf = (event: EventRecord) => event.payload as unknown as ClaimEventPayload;
