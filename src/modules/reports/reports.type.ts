import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateScalar, MoneyScalar } from "../../graphql/scalars.js";
import { type ClaimRow, ClaimStatusEnum } from "../claims/index.js";
import { type DenialCategory, DenialCategoryEnum } from "../remittance/index.js";
import type { AgingBasis } from "./reports.store.js";

export const AgingBasisEnum: Record<AgingBasis, AgingBasis> = {
  SERVICE_DATE: "SERVICE_DATE",
  SUBMISSION_DATE: "SUBMISSION_DATE",
};
registerEnumType(AgingBasisEnum, {
  name: "AgingBasis",
  description: "What a claim's age in the A/R aging report is counted from.",
  valuesConfig: {
    SERVICE_DATE: { description: "The claim's date of service (the default)." },
    SUBMISSION_DATE: {
      description:
        "The day (UTC) the claim was last sent to the payer in an 837P batch; claims never sent are counted apart.",
    },
  },
});

@ObjectType({ description: "Open claims whose age falls in one range of days, and what they are owed." })
export class AgingBucket {
  @Field(() => Int, { description: "First day of the bucket, inclusive: 0, 31, 61, 91 or 121." })
  from!: number;

  @Field(() => Int, { nullable: true, description: "Last day, inclusive: 30, 60, 90, 120, or null for over 120." })
  to!: number | null;

  @Field(() => Int, { description: "Open claims of this age." })
  claimCount!: number;

  @Field(() => MoneyScalar, { description: "Their balance: charges less what was paid and adjusted." })
  balance!: string;
}

@ObjectType({
  description:
    "A/R aging of a set of open claims (not VOID or CLOSED, not a void request, with a balance above zero): in " +
    "all, or of one payer, or of one facility.",
})
export class AgingLine {
  @Field(() => Int, { description: "Open claims." })
  claimCount!: number;

  @Field(() => MoneyScalar, {
    description:
      "Their balance: total charge less paid and adjusted amounts. The patient's share (PR) stays in it until " +
      "collected or written off.",
  })
  balance!: string;

  @Field(() => [AgingBucket], { description: "The five buckets, youngest first: 0–30, 31–60, 61–90, 91–120, 121+." })
  buckets!: AgingBucket[];

  @Field(() => Int, {
    description: "With basis SUBMISSION_DATE, open claims never sent (in no bucket); 0 with SERVICE_DATE.",
  })
  notSubmittedCount!: number;

  @Field(() => MoneyScalar, { description: "The balance of those claims never sent." })
  notSubmittedBalance!: string;
}

@ObjectType({ description: "A/R aging at the caller's facilities, on one day." })
export class ArAgingReport {
  @Field(() => DateScalar, { description: "The day ages are counted to: today, in UTC." })
  asOf!: string;

  @Field(() => AgingBasisEnum, { description: "What ages are counted from." })
  basis!: AgingBasis;

  @Field(() => AgingLine, { description: "Every open claim." })
  total!: AgingLine;

  @Field(() => [AgingLine], {
    description: "Per payer (`payer` set; null for claims with no payer yet), largest balance first.",
  })
  byPayer!: AgingLine[];

  @Field(() => [AgingLine], { description: "Per facility (`facility` set), largest balance first." })
  byFacility!: AgingLine[];
}

@ObjectType({ description: "Days in A/R: how many days of charges are still owed." })
export class DaysInArReport {
  @Field(() => DateScalar, { description: "The last day of the period, and the day the balance is read: today (UTC)." })
  asOf!: string;

  @Field(() => Int, { description: "How many days of service the average daily charges cover, `asOf` included." })
  periodDays!: number;

  @Field(() => MoneyScalar, { description: "Total A/R: the balance of every open claim, as in arAging." })
  balance!: string;

  @Field(() => MoneyScalar, {
    description: "Charges of the claims (not voided) whose date of service is in the period.",
  })
  charges!: string;

  @Field(() => MoneyScalar, { description: "charges ÷ periodDays, to the cent." })
  averageDailyCharges!: string;

  @Field(() => Float, {
    nullable: true,
    description: "balance ÷ average daily charges (unrounded); null when there were no charges in the period.",
  })
  daysInAr!: number | null;
}

@ObjectType({ description: "How many claims a payer denied, and for how much." })
export class DenialFigures {
  @Field(() => Int, {
    description:
      "Claims adjudicated in the range: with a posted payer answer (835 CLP) that still stands. For a category or " +
      "CARC, every claim adjudicated, the rate's base.",
  })
  adjudicatedClaims!: number;

  @Field(() => Int, {
    description:
      "Of them, claims with a denial: an adjustment (claim or line) that is not patient responsibility nor a " +
      "reduction such as the fee schedule. Fully and partly denied claims alike.",
  })
  deniedClaims!: number;

  @Field(() => Float, { nullable: true, description: "deniedClaims ÷ adjudicatedClaims; null when none adjudicated." })
  denialRate!: number | null;

  @Field(() => MoneyScalar, { description: "The sum of those denying adjustments." })
  deniedAmount!: string;
}

@ObjectType({ description: "Denials of one payer's claims (`payer`, null for claims with no payer)." })
export class PayerDenials extends DenialFigures {}

@ObjectType({
  description:
    "Denials of one category: claims with an adjustment of it (a claim may count in several categories) and the sum " +
    "of those adjustments.",
})
export class CategoryDenials extends DenialFigures {
  @Field(() => DenialCategoryEnum, { description: "The category, from the CARC." })
  category!: DenialCategory;
}

@ObjectType({ description: "Denials for one reason code (CARC): claims with an adjustment of it, and their sum." })
export class ReasonDenials extends DenialFigures {
  @Field(() => String, { description: "The CARC (X12 list 139), e.g. 50." })
  reasonCode!: string;
}

@ObjectType({
  description:
    "Denial rates over the payer answers posted in a range (UTC dates, inclusive) for claims at the caller's " +
    "facilities. A reversed posting counts no more; the posting that corrects it counts on its own date.",
})
export class DenialRateReport {
  @Field(() => DateScalar, { description: "First day of the range." })
  from!: string;

  @Field(() => DateScalar, { description: "Last day of the range." })
  to!: string;

  @Field(() => DenialFigures, { description: "Every claim adjudicated in the range." })
  total!: DenialFigures;

  @Field(() => [PayerDenials], { description: "Per payer, most denied claims first." })
  byPayer!: PayerDenials[];

  @Field(() => [CategoryDenials], { description: "Per denial category, most denied claims first." })
  byCategory!: CategoryDenials[];

  @Field(() => [ReasonDenials], { description: "Per CARC, most denied claims first." })
  byReason!: ReasonDenials[];
}

@ObjectType({
  description:
    "Clean-claim rate and first-pass acceptance over a range (UTC dates, inclusive), from the status history of " +
    "claims at the caller's facilities.",
})
export class ClaimQualityReport {
  @Field(() => DateScalar, { description: "First day of the range." })
  from!: string;

  @Field(() => DateScalar, { description: "Last day of the range." })
  to!: string;

  @Field(() => Int, { description: "Claims that first became READY in the range." })
  readied!: number;

  @Field(() => Int, {
    description: "Of them, clean claims: never NEEDS_REVIEW (scrubber ERROR edits) before they became READY.",
  })
  clean!: number;

  @Field(() => Float, { nullable: true, description: "clean ÷ readied; null when none became READY." })
  cleanClaimRate!: number | null;

  @Field(() => Int, {
    description:
      "Claims whose first acknowledgement outcome, ACCEPTED (277CA) or REJECTED (999 or 277CA), came in the range. " +
      "Claims paid without an acknowledgement are not counted.",
  })
  acknowledged!: number;

  @Field(() => Int, { description: "Of them, claims ACCEPTED with no REJECTED before." })
  acceptedFirst!: number;

  @Field(() => Float, {
    nullable: true,
    description: "acceptedFirst ÷ acknowledged (first-pass acceptance); null when none was acknowledged.",
  })
  firstPassAcceptanceRate!: number | null;
}

@ObjectType({
  description:
    "Net collection rate over the payer answers posted in a range (UTC dates, inclusive) for claims at the " +
    "caller's facilities, reversals netted: what was collected of what could be.",
})
export class NetCollectionReport {
  @Field(() => DateScalar, { description: "First day of the range." })
  from!: string;

  @Field(() => DateScalar, { description: "Last day of the range." })
  to!: string;

  @Field(() => MoneyScalar, { description: "Charges the payers adjudicated (835 CLP03)." })
  charges!: string;

  @Field(() => MoneyScalar, { description: "What they paid (CLP04)." })
  payments!: string;

  @Field(() => MoneyScalar, {
    description:
      "Contractual adjustments: CO adjustments that reduce rather than deny (the fee schedule, CARC 45, and the " +
      "like). CO denials are money lost, not contractual, and stay in the base.",
  })
  contractual!: string;

  @Field(() => Float, {
    nullable: true,
    description:
      "payments ÷ (charges − contractual); null when that is zero. Patients' payments are not posted in Chartroom, " +
      "so their share counts as not collected.",
  })
  netCollectionRate!: number | null;
}

@ObjectType({ description: "Claims of one status at the caller's facilities, and their money." })
export class ClaimStatusTotals {
  @Field(() => ClaimStatusEnum, { description: "The status." })
  status!: ClaimRow["status"];

  @Field(() => Int, { description: "Claims in it." })
  claimCount!: number;

  @Field(() => MoneyScalar, { description: "Their charges." })
  totalCharge!: string;

  @Field(() => MoneyScalar, { description: "What payers paid on them, net of reversals." })
  paidAmount!: string;

  @Field(() => MoneyScalar, { description: "What was adjusted away (every adjustment but patient responsibility)." })
  adjustedAmount!: string;

  @Field(() => MoneyScalar, { description: "What payers said the patients owe (PR)." })
  patientResponsibility!: string;

  @Field(() => MoneyScalar, { description: "Charges less paid and adjusted: still owed, by payer or patient." })
  balance!: string;
}
