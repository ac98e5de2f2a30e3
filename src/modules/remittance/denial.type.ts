import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateScalar, DateTimeScalar, MoneyScalar } from "../../graphql/scalars.js";
import type { ClaimAppealRow } from "./denial.store.js";
import { type DenialCategory, NEXT_STEP } from "./remittance.denials.js";
import type { ClaimPaymentRow } from "./remittance.store.js";
import { FEW, RemarkCode } from "./remittance.type.js";

const DenialCategoryEnum: Record<DenialCategory, DenialCategory> = {
  ELIGIBILITY: "ELIGIBILITY",
  AUTHORIZATION: "AUTHORIZATION",
  CODING: "CODING",
  MEDICAL_NECESSITY: "MEDICAL_NECESSITY",
  TIMELY_FILING: "TIMELY_FILING",
  DUPLICATE: "DUPLICATE",
  COORDINATION_OF_BENEFITS: "COORDINATION_OF_BENEFITS",
  OTHER: "OTHER",
};

const CATEGORY_DESCRIPTIONS: Record<DenialCategory, string> = {
  ELIGIBILITY: "The patient was not covered by this payer on the date of service (CARC 27, 31, 200…).",
  AUTHORIZATION: "A required authorization, precertification or referral was missing (CARC 15, 197, 198…).",
  CODING: "Codes or modifiers are inconsistent, invalid or missing (CARC 4–11, 16, 97, 181…).",
  MEDICAL_NECESSITY: "The payer did not find the service medically necessary (CARC 50, 55, 56, 150…).",
  TIMELY_FILING: "The claim reached the payer after its filing limit (CARC 29).",
  DUPLICATE: "The payer already has this claim or service (CARC 18, B13).",
  COORDINATION_OF_BENEFITS: "Another payer should pay first (CARC 19–24, 109).",
  OTHER: "Any other reason code: read the remarks and the payer's policy.",
};

registerEnumType(DenialCategoryEnum, {
  name: "DenialCategory",
  description: "Why a payer denied, as the CARC that refused the most money says: what the denial worklist sorts by.",
  valuesConfig: Object.fromEntries(
    Object.entries(CATEGORY_DESCRIPTIONS).map(([category, description]) => [
      category,
      { description: `${description} Next: ${NEXT_STEP[category as DenialCategory]}` },
    ]),
  ),
});

export { DenialCategoryEnum };

@ObjectType({ description: "One reason a payer refused money: an adjustment that is not a reduction, in words." })
export class DenialReason {
  @Field(() => String, { description: "CAS group: CO contractual, OA other, PI payer initiated." })
  groupCode!: string;

  @Field(() => String, { description: "The CARC, e.g. 50." })
  reasonCode!: string;

  @Field(() => String, { nullable: true, description: "The CARC's text from the shipped list; null when not in it." })
  reason!: string | null;

  @Field(() => [RemarkCode], {
    ...FEW,
    description: "The payer's remark codes (RARCs) with their texts: the line's (LQ*HE), or the claim's (MOA/MIA).",
  })
  remarks!: RemarkCode[];

  @Field(() => MoneyScalar, { description: "The amount refused for this reason." })
  amount!: string;

  @Field(() => Int, { nullable: true, description: "Our claim line it refused; null for the whole claim." })
  lineNumber!: number | null;
}

@ObjectType({ description: "A biller's appeal of a denial." })
export class ClaimAppeal {
  @Field(() => String, { description: "Why the denial is wrong, as the biller wrote it." })
  reason!: string;

  @Field(() => DateScalar, { description: "The last day the payer accepts it." })
  deadline!: string;

  @Field(() => DateTimeScalar, { description: "When it was recorded." })
  createdAt!: Date;
}

/** A claim's denial as `Claim.denial` resolves it: the posting that denied, read with its adjustments. */
export interface DenialView {
  claimPayment: ClaimPaymentRow;
  category: DenialCategory;
  nextStep: string;
  reasons: DenialReason[];
  latestAppeal: ClaimAppealRow | null;
}

@ObjectType({
  description:
    "Why the payer denied a claim in whole or part, and what to do: read from the claim's latest standing posting.",
})
export class Denial {
  @Field(() => DenialCategoryEnum, { description: "The category of the reason that refused the most money." })
  category!: DenialCategory;

  @Field(() => [DenialReason], { description: "Every reason the payer refused money, claim-level first." })
  reasons!: DenialReason[];

  @Field(() => String, { description: "What a biller does next about a denial of this category." })
  nextStep!: string;

  @Field(() => ClaimAppeal, { nullable: true, description: "The latest appeal of the claim; null before one." })
  latestAppeal!: ClaimAppealRow | null;
}

@InputType({ description: "An appeal of a denied or partly denied claim." })
export class AppealClaimInput {
  @Field(() => ID, { description: "The claim." })
  claimId!: string;

  @Field(() => Int, { description: "The claim's version as read: CONFLICT when it changed meanwhile." })
  expectedVersion!: number;

  @Field(() => String, { description: "Why the denial is wrong (at most 2,000 characters)." })
  reason!: string;

  @Field(() => DateScalar, {
    nullable: true,
    description: "The last day the payer accepts the appeal; by default the payer's appeal window from the denial.",
  })
  deadline?: string | null;
}

@InputType({ description: "A write-off of a claim's balance." })
export class WriteOffClaimBalanceInput {
  @Field(() => ID, { description: "The claim." })
  claimId!: string;

  @Field(() => Int, { description: "The claim's version as read: CONFLICT when it changed meanwhile." })
  expectedVersion!: number;

  @Field(() => String, { description: "Why it will not be collected (at most 2,000 characters)." })
  reason!: string;

  @Field(() => MoneyScalar, { nullable: true, description: "How much; the whole balance when left out." })
  amount?: string | null;
}

@InputType({ description: "A claim's balance to move to the patient's statement." })
export class TransferBalanceToPatientInput {
  @Field(() => ID, { description: "The claim." })
  claimId!: string;

  @Field(() => Int, { description: "The claim's version as read: CONFLICT when it changed meanwhile." })
  expectedVersion!: number;

  @Field(() => String, {
    description: "Why the patient owes it (the deductible, say), shown on their statement (at most 2,000 characters).",
  })
  reason!: string;
}
