import { Field, ID, InputType, Int } from "type-graphql";
import { MoneyScalar } from "../../graphql/scalars.js";
import type { ClaimStatus } from "./claim.store.js";
import { ClaimStatusEnum } from "./claim.type.js";

@InputType({ description: "Which claims to list." })
export class ClaimFilter {
  @Field(() => [ClaimStatusEnum], { nullable: true, description: "Any of these statuses; absent: every status." })
  status?: ClaimStatus[] | null;

  @Field(() => ID, { nullable: true, description: "Only claims to this payer." })
  payerId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only claims of this encounter." })
  encounterId?: string | null;
}

@InputType({ description: "A claim to act on." })
export class ClaimRefInput {
  @Field(() => ID, { description: "Claim id." })
  claimId!: string;
}

@InputType({ description: "A claim to change, at the version last read." })
export class ClaimVersionInput {
  @Field(() => ID, { description: "Claim id." })
  claimId!: string;

  @Field(() => Int, {
    description: "The claim's `version` as last read: a stale one is a CONFLICT and changes nothing.",
  })
  expectedVersion!: number;
}

@InputType({ description: "What changes on one line; absent fields stay as they are." })
export class ClaimLineCorrectionInput {
  @Field(() => Int, { description: "The line's `lineNumber`." })
  lineNumber!: number;

  @Field(() => [String], { nullable: true, description: 'The line\'s modifiers, all of them, in order (e.g. ["25"]).' })
  modifiers?: string[] | null;

  @Field(() => Int, { nullable: true, description: "Units of service." })
  units?: number | null;

  @Field(() => MoneyScalar, { nullable: true, description: "Charge for the line." })
  charge?: string | null;

  @Field(() => [Int], {
    nullable: true,
    description: "1-based positions in the claim's diagnoses, most important first (1–4 on a claim).",
  })
  diagnosisPointers?: number[] | null;
}

@InputType({ description: "A biller's corrections to the lines of a claim not yet sent." })
export class CorrectClaimInput {
  @Field(() => ID, { description: "Claim id." })
  claimId!: string;

  @Field(() => Int, {
    description: "The claim's `version` as last read: a stale one is a CONFLICT and changes nothing.",
  })
  expectedVersion!: number;

  @Field(() => [ClaimLineCorrectionInput], { description: "The lines to change." })
  lines!: ClaimLineCorrectionInput[];
}

@InputType({ description: "A claim whose encounter goes back to coding, and why." })
export class ReturnToCodingInput {
  @Field(() => ID, { description: "Claim id." })
  claimId!: string;

  @Field(() => Int, {
    description: "The claim's `version` as last read: a stale one is a CONFLICT and changes nothing.",
  })
  expectedVersion!: number;

  @Field(() => String, {
    description: 'What the coder must look at (e.g. "Documentation supports E11.65, not E11.9"); 1–2,000 characters.',
  })
  reason!: string;
}
