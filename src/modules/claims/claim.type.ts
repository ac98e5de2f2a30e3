import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { Node } from "../../graphql/relay.js";
import { MoneyScalar } from "../../graphql/scalars.js";
import type { ClaimRow } from "./claim.store.js";

const ClaimStatusEnum: Record<ClaimRow["status"], ClaimRow["status"]> = {
  DRAFT: "DRAFT",
  NEEDS_REVIEW: "NEEDS_REVIEW",
  READY: "READY",
  SUBMITTED: "SUBMITTED",
  ACCEPTED: "ACCEPTED",
  REJECTED: "REJECTED",
  PAID: "PAID",
  PARTIALLY_PAID: "PARTIALLY_PAID",
  DENIED: "DENIED",
  APPEALED: "APPEALED",
  VOID: "VOID",
  CLOSED: "CLOSED",
};
registerEnumType(ClaimStatusEnum, {
  name: "ClaimStatus",
  description: "Where a claim stands between creation and payment.",
  valuesConfig: {
    DRAFT: { description: "Built from a coded encounter, not yet scrubbed." },
    NEEDS_REVIEW: { description: "The scrubber found problems a biller must fix." },
    READY: { description: "Clean: waiting to go out in the next 837P batch." },
    SUBMITTED: { description: "Sent to the clearinghouse in an 837P batch." },
    ACCEPTED: { description: "Acknowledged by the payer (277CA accepted)." },
    REJECTED: { description: "Rejected at the front end (999 or 277CA); fix and resubmit." },
    PAID: { description: "Paid in full by a posted remittance." },
    PARTIALLY_PAID: { description: "Paid in part; a balance remains." },
    DENIED: { description: "Denied by the payer; in the denial queue." },
    APPEALED: { description: "A denial under appeal." },
    VOID: { description: "Cancelled; will not be billed." },
    CLOSED: { description: "Finished: nothing more to collect." },
  },
});

@ObjectType({ implements: Node, description: "A bill for one coded encounter to one payer." })
export class Claim extends Node {
  @Field(() => ClaimStatusEnum, { description: "Where the claim stands." })
  status!: ClaimRow["status"];

  @Field(() => MoneyScalar, { description: "Sum of the line charges." })
  totalCharge!: string;

  @Field(() => MoneyScalar, { description: "Sum of payer payments posted so far." })
  paidAmount!: string;

  @Field(() => Int, {
    description: "Optimistic-concurrency version: send it back with changes; a stale one is a CONFLICT.",
  })
  version!: number;
}
