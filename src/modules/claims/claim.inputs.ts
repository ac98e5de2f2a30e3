import { Field, ID, InputType, Int } from "type-graphql";
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
