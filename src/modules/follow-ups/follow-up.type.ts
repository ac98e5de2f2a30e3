import { Field, ID, InputType, ObjectType } from "type-graphql";
import { UserError } from "../../graphql/relay.js";
import { DateScalar, DateTimeScalar } from "../../graphql/scalars.js";
import { Claim, type ClaimRow } from "../claims/index.js";
import type { ClaimFollowUpRow } from "./follow-up.store.js";

@ObjectType({
  description: "A biller's follow-up of an unpaid claim with its payer: what they learned, and when to ask again.",
})
export class ClaimFollowUp {
  @Field(() => String, { description: "What the payer said (a call, a portal check): the biller's note." })
  note!: string;

  @Field(() => DateScalar, {
    description: "The day the claim comes back to the FOLLOW_UP queue if still unpaid.",
  })
  nextFollowUpOn!: string;

  @Field(() => DateTimeScalar, { description: "When it was recorded." })
  at!: Date;
}

@InputType({ description: "What a biller learned following up a claim, and when to ask again." })
export class RecordClaimFollowUpInput {
  @Field(() => ID, { description: "The claim, whose FOLLOW_UP work the caller holds." })
  claimId!: string;

  @Field(() => String, {
    description: "What the payer said: claim in process, needs records, denied and why… (1–2,000 characters).",
  })
  note!: string;

  @Field(() => DateScalar, {
    description: "When to ask again if still unpaid: after today, at most 180 days ahead.",
  })
  nextFollowUpOn!: string;
}

@ObjectType({ description: "Result of recordClaimFollowUp." })
export class ClaimFollowUpPayload {
  @Field(() => ClaimFollowUp, { nullable: true, description: "The follow-up; null when userErrors is not empty." })
  followUp!: ClaimFollowUpRow | null;

  @Field(() => Claim, { nullable: true, description: "The claim followed up; null when userErrors is not empty." })
  claim!: ClaimRow | null;

  @Field(() => [UserError], {
    description:
      "What to fix; empty on success, and then nothing was written. NOTE_REQUIRED, TEXT_TOO_LONG (note), " +
      "NEXT_FOLLOW_UP_OUT_OF_RANGE (nextFollowUpOn).",
  })
  userErrors!: UserError[];
}
