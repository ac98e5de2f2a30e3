import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { connectionType, Node } from "../../graphql/relay.js";
import { DateScalar, DateTimeScalar, MoneyScalar } from "../../graphql/scalars.js";
import type { ClaimStatus } from "./claim.store.js";

const ClaimStatusEnum: Record<ClaimStatus, ClaimStatus> = {
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
    DRAFT: {
      description: "Built and scrubbed without ERROR edits: in the BILLING queue until a biller marks it READY.",
    },
    NEEDS_REVIEW: { description: "The scrubber found ERROR edits (`issues`): in the CLAIM_EDIT queue for a biller." },
    READY: { description: "Clean and marked ready by a biller: waiting to go out in the next 837P batch." },
    SUBMITTED: { description: "Sent to the clearinghouse in an 837P batch." },
    ACCEPTED: { description: "Acknowledged by the payer (277CA accepted)." },
    REJECTED: { description: "Rejected at the front end (999 or 277CA): back in CLAIM_EDIT to fix and resubmit." },
    PAID: { description: "Paid in full by a posted remittance." },
    PARTIALLY_PAID: { description: "Paid in part; a balance remains." },
    DENIED: { description: "Denied by the payer; in the denial queue." },
    APPEALED: { description: "A denial under appeal." },
    VOID: { description: "Cancelled; will not be billed." },
    CLOSED: { description: "Finished: nothing more to collect." },
  },
});

export { ClaimStatusEnum };

@ObjectType({
  implements: Node,
  description:
    "A professional claim (837P) for one coded encounter to one payer. Built when the encounter reaches " +
    "READY_TO_BILL; scrubbed on every change (`issues`); worked by billers in the CLAIM_EDIT and BILLING queues.",
})
export class Claim extends Node {
  @Field(() => ClaimStatusEnum, { description: "Where the claim stands." })
  status!: ClaimStatus;

  @Field(() => String, {
    description:
      "CLM01: unique in the organization, at most 17 characters, never reused; 835 CLP01 and 277CA TRN02 match on it.",
  })
  patientControlNumber!: string;

  @Field(() => String, { description: "CLM05-3: 1 original, 7 replacement, 8 void." })
  frequencyCode!: string;

  @Field(() => String, {
    nullable: true,
    description: "The payer's claim control number (277CA REF*1K or 835 CLP07), once known.",
  })
  payerClaimControlNumber!: string | null;

  @Field(() => DateScalar, { description: "The encounter's date of service." })
  serviceDate!: string;

  @Field(() => String, { description: "Two-digit CMS place of service code (CLM05-1), e.g. 11 office." })
  placeOfService!: string;

  @Field(() => [String], {
    description:
      "ICD-10-CM codes in the coder's order, stored form (no dot): the first is principal. " +
      "Line pointers count from 1 into this list. A diagnosis is changed by returning the claim to coding.",
  })
  diagnoses!: string[];

  @Field(() => MoneyScalar, { description: "Sum of the line charges (CLM02)." })
  totalCharge!: string;

  @Field(() => MoneyScalar, { description: "Sum of payer payments posted so far, net of reversals." })
  paidAmount!: string;

  @Field(() => MoneyScalar, {
    description:
      "What the claim will not collect from its payer: posted reductions of every group but PR (fee schedule, " +
      "sequestration, a prior payer's payment), write-offs, and balances moved to the patient's statement. What a " +
      "payer denied is not in it until the denial is worked: it stays in the balance.",
  })
  adjustedAmount!: string;

  @Field(() => MoneyScalar, {
    description:
      "What payers said the patient owes (PR adjustments: deductible, coinsurance, copay), net of reversals.",
  })
  patientResponsibility!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: "When `issues` were found: the last scrub." })
  scrubbedAt!: Date | null;

  @Field(() => Int, {
    description: "Optimistic-concurrency version: send it back with changes; a stale one is a CONFLICT.",
  })
  version!: number;

  @Field(() => DateTimeScalar, { description: "When the claim was built." })
  createdAt!: Date;
}

export const ClaimConnection = connectionType(Claim, "Claim", "claims");

@ObjectType({ description: "A service line of a claim (837P loop 2400)." })
export class ClaimLine {
  @Field(() => Int, { description: "1-based line number (LX01): how corrections name the line." })
  lineNumber!: number;

  @Field(() => String, { description: "REF*6R; the 835's SVC loop matches on it." })
  lineControlNumber!: string;

  @Field(() => String, { description: "CPT or HCPCS code of the service." })
  code!: string;

  @Field(() => [String], { description: "Up to four two-character modifiers, in order." })
  modifiers!: string[];

  @Field(() => Int, { description: "Units of service." })
  units!: number;

  @Field(() => MoneyScalar, { description: "Charge for the line." })
  charge!: string;

  @Field(() => DateScalar, { description: "The line's date of service." })
  serviceDate!: string;

  @Field(() => [Int], { description: "1-based positions in the claim's `diagnoses`, most important first (1–4)." })
  diagnosisPointers!: number[];

  @Field(() => MoneyScalar, { description: "What payers paid on the line so far." })
  paidAmount!: string;
}

@ObjectType({ description: "One change of a claim's status: who, when, from what, to what and why." })
export class ClaimStatusChange {
  @Field(() => ClaimStatusEnum, { nullable: true, description: "The status before; null when the claim was built." })
  fromStatus!: ClaimStatus | null;

  @Field(() => ClaimStatusEnum, { description: "The status after." })
  toStatus!: ClaimStatus;

  @Field(() => String, { description: "Why, in a sentence." })
  reason!: string;

  @Field(() => DateTimeScalar, { description: "When." })
  at!: Date;
}
