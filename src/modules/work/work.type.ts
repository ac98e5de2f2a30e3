import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import type { encounterType, payerKind } from "../../db/schema/index.js";
import { connectionType, Node } from "../../graphql/relay.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { PayerKindEnum } from "../organizations/index.js";
import type { QueueKind, WorkItemStatus } from "./work.store.js";

export const QueueKindEnum: Record<QueueKind, QueueKind> = {
  CODING: "CODING",
  CODING_REVIEW: "CODING_REVIEW",
  CLAIM_EDIT: "CLAIM_EDIT",
  BILLING: "BILLING",
  DENIAL: "DENIAL",
  FOLLOW_UP: "FOLLOW_UP",
  UNMATCHED_PAYMENT: "UNMATCHED_PAYMENT",
};
registerEnumType(QueueKindEnum, {
  name: "QueueKind",
  description: "What kind of work a queue holds, which decides who may work it.",
  valuesConfig: {
    CODING: { description: "Encounters to code; worked by coders." },
    CODING_REVIEW: { description: "Coded encounters to review; worked by auditors." },
    CLAIM_EDIT: { description: "Claims the scrubber stopped; worked by billers." },
    BILLING: { description: "Clean claims to bill; worked by billers." },
    DENIAL: { description: "Denied claims to appeal or correct; worked by billers." },
    FOLLOW_UP: { description: "Unpaid claims to chase with the payer; worked by billers." },
    UNMATCHED_PAYMENT: {
      description: "Claim payments from an 835 that matched none of our claims, to match by hand; worked by billers.",
    },
  },
});

export const WorkItemStatusEnum: Record<WorkItemStatus, WorkItemStatus> = {
  READY: "READY",
  ASSIGNED: "ASSIGNED",
  ON_HOLD: "ON_HOLD",
  DONE: "DONE",
  CANCELLED: "CANCELLED",
};
registerEnumType(WorkItemStatusEnum, {
  name: "WorkItemStatus",
  description:
    "Where a work item stands: READY → ASSIGNED → DONE, with ON_HOLD and CANCELLED, " +
    "and back to READY on release or lease expiry.",
  valuesConfig: {
    READY: { description: "Waiting for anyone who may work its queue." },
    ASSIGNED: { description: "Someone holds it: claimed (with a lease) or assigned by a supervisor (without)." },
    ON_HOLD: { description: "Parked with a reason until it can be worked." },
    DONE: { description: "Finished." },
    CANCELLED: { description: "No longer needed." },
  },
});

@ObjectType({ description: "Live counts of a queue's open items at the caller's facilities." })
export class QueueStats {
  @Field(() => ID, { description: "Global id of the queue." })
  queueId!: string;

  @Field(() => Int, { description: "Items waiting to be claimed, including those whose lease has run out." })
  ready!: number;

  @Field(() => Int, { description: "Items someone holds." })
  assigned!: number;

  @Field(() => Int, { description: "Items on hold." })
  onHold!: number;

  @Field(() => Int, { description: "Open items past their due time." })
  overdue!: number;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "When the oldest ready item was created; null when none is ready.",
  })
  oldestReadyAt!: Date | null;
}

type EncounterType = (typeof encounterType.enumValues)[number];
type PayerKind = (typeof payerKind.enumValues)[number];

@ObjectType({
  description:
    "Which work a queue takes. New work of the queue's kind goes to the first queue, lowest `order` first, whose " +
    "lists all admit it; an empty list admits everything.",
})
export class QueueRouting {
  @Field(() => Int, { description: "Lower is tried first among the organization's queues of the same kind." })
  order!: number;

  /** The facilities' ids; `facilities` (below) resolves them. */
  facilityIds!: string[];

  encounterTypes!: EncounterType[];

  @Field(() => [PayerKindEnum], { description: "Only work billed to these kinds of payer; empty: any payer." })
  payerKinds!: PayerKind[];
}

@ObjectType({ implements: Node, description: "A list of work of one kind, with the rules that route work to it." })
export class WorkQueue extends Node {
  @Field(() => QueueKindEnum, { description: "What kind of work it holds, which decides who may work it." })
  kind!: QueueKind;

  @Field(() => String, { description: "Display name, unique in the organization." })
  name!: string;

  @Field(() => Int, {
    nullable: true,
    description: "Hours from creation until an item is due; null when the queue has no SLA.",
  })
  slaHours!: number | null;

  @Field(() => Int, {
    description:
      "How long a claimNextWorkItem lease lasts without a heartbeat before the item goes back to READY, in minutes.",
  })
  leaseMinutes!: number;

  @Field(() => String, {
    nullable: true,
    description:
      "A credential (CCS, CPC, …) a user must hold to work this queue, besides a role for its kind; null when none.",
  })
  requiredCredential!: string | null;
}

@ObjectType({ implements: Node, description: "One piece of work on one encounter or claim, in one queue." })
export class WorkItem extends Node {
  @Field(() => WorkItemStatusEnum, { description: "Where the item stands." })
  status!: WorkItemStatus;

  @Field(() => Int, {
    description:
      "Higher is worked first: days since the date of service (up to 365) " +
      "plus one per $100 of expected charge (up to 500).",
  })
  priority!: number;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "When the queue's SLA says it must be done; null when the queue has none.",
  })
  dueAt!: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "When a claim's lease runs out unless heartbeated; null when not claimed.",
  })
  leaseExpiresAt!: Date | null;

  @Field(() => Int, {
    description:
      "Bumped by every change of the item; pass it as `expectedVersion` to change the item only if nobody has since.",
  })
  version!: number;

  @Field(() => String, { nullable: true, description: "Why it is on hold; null unless ON_HOLD." })
  holdReason!: string | null;

  @Field(() => DateTimeScalar, { description: "When the item was created." })
  createdAt!: Date;
}

export const WorkItemConnection = connectionType(WorkItem, "WorkItem", "work items");

@ObjectType({
  description: "One change of a work item, from its history: who moved it from which status to which, when and why.",
})
export class WorkItemTransition {
  @Field(() => String, {
    description:
      "Why: created, claimed, lease_extended, released, lease_expired, assigned, reassigned, unassigned, " +
      'resumed, completed (or the completion note), the hold reason, "priority <old> → <new>", or why it was ' +
      "created or cancelled when a change made it (a rejection, a denial, a payment).",
  })
  reason!: string;

  @Field(() => DateTimeScalar, { description: "When." })
  at!: Date;
}
