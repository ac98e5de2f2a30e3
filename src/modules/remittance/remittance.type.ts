import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { connectionType, Node, UserError } from "../../graphql/relay.js";
import { DateScalar, DateTimeScalar, MoneyScalar } from "../../graphql/scalars.js";
import type { ClaimPaymentRow, RemittanceRow } from "./remittance.store.js";

/**
 * What a list of a remittance's remarks or adjustments counts as in a query's cost: the guide allows a few (a CAS
 * holds at most six), and payers send one to three, so the default estimate of unbounded lists overstates them.
 */
export const FEW = { complexity: ({ childComplexity }: { childComplexity: number }) => 1 + childComplexity * 3 };

@InputType({ description: "An 835 remittance to post." })
export class PostRemittanceInput {
  @Field(() => String, {
    description: "The X12 835 (005010X221A1) exactly as received. Larger files: POST them to /remittances.",
  })
  x12!: string;
}

@InputType({ description: "An unmatched claim payment and the claim it belongs to." })
export class MatchClaimPaymentInput {
  @Field(() => ID, { description: "The unmatched ClaimPayment (from the UNMATCHED_PAYMENT work item's subject)." })
  claimPaymentId!: string;

  @Field(() => ID, { description: "Our claim the payer meant." })
  claimId!: string;
}

@ObjectType({ description: "A remark code (RARC) with its text: the payer's explanation of an adjustment." })
export class RemarkCode {
  @Field(() => String, { description: "The RARC, e.g. N130, MA01." })
  code!: string;

  @Field(() => String, {
    nullable: true,
    description: "Its text from the shipped RARC list; null for a code not in it.",
  })
  description!: string | null;
}

export type AdjustmentKind = "REMITTANCE" | "WRITE_OFF" | "PATIENT_TRANSFER";
const AdjustmentKindEnum: Record<AdjustmentKind, AdjustmentKind> = {
  REMITTANCE: "REMITTANCE",
  WRITE_OFF: "WRITE_OFF",
  PATIENT_TRANSFER: "PATIENT_TRANSFER",
};
registerEnumType(AdjustmentKindEnum, {
  name: "AdjustmentKind",
  description: "Where an adjustment comes from: a payer's 835, or a biller's decision about the balance.",
  valuesConfig: {
    REMITTANCE: { description: "A CAS adjustment of a posted 835: its reason code is a CARC." },
    WRITE_OFF: { description: "A biller's write-off (group CO, reason CHR-WO, Chartroom's own code)." },
    PATIENT_TRANSFER: {
      description: "A balance moved to the patient's statement (group PR, reason CHR-PT, Chartroom's own code).",
    },
  },
});

@ObjectType({
  description:
    "One adjustment of a claim: a CAS adjustment from a remittance (group CO, PR, OA or PI, a CARC reason code, an " +
    "amount), or a biller's write-off or move of the balance to the patient.",
})
export class ClaimAdjustment {
  @Field(() => AdjustmentKindEnum, { description: "Where it comes from: an 835, a write-off, a move to the patient." })
  kind!: AdjustmentKind;

  @Field(() => String, { nullable: true, description: "The biller's reason, for a write-off or a move; else null." })
  note!: string | null;

  @Field(() => String, {
    description:
      "Claim adjustment group: CO contractual, PR patient responsibility (the patient owes it), OA other, PI payer " +
      "initiated, CR correction.",
  })
  groupCode!: string;

  @Field(() => String, {
    description: "Claim adjustment reason code (CARC), e.g. 45; CHR-WO or CHR-PT for a write-off or a move.",
  })
  reasonCode!: string;

  @Field(() => String, {
    nullable: true,
    description: "The CARC's text from the shipped list, fit to show a biller; null for a code not in it.",
  })
  reason!: string | null;

  @Field(() => MoneyScalar, { description: "Amount adjusted; negative in a reversal." })
  amount!: string;

  @Field(() => String, { nullable: true, description: "Units the adjustment is about (CAS04), when given." })
  quantity!: string | null;

  @Field(() => Int, { nullable: true, description: "Our claim line it adjusts; null for the whole claim." })
  lineNumber!: number | null;
}

@ObjectType({ description: "One service line of a claim payment (SVC), as the payer answered it." })
export class LinePayment {
  @Field(() => Int, { nullable: true, description: "Our claim line it was matched to; null when none matched." })
  lineNumber!: number | null;

  @Field(() => String, { nullable: true, description: "REF*6R as the payer returned it: our line control number." })
  lineControlNumber!: string | null;

  @Field(() => String, { description: "The procedure code the payer adjudicated (SVC01-2)." })
  code!: string;

  @Field(() => [String], { description: "Its modifiers." })
  modifiers!: string[];

  @Field(() => String, { description: "Units paid (SVC05; 1 when not given)." })
  units!: string;

  @Field(() => MoneyScalar, { description: "The line's charge as the payer read it." })
  charge!: string;

  @Field(() => MoneyScalar, { description: "What the payer paid on the line." })
  paid!: string;

  @Field(() => DateScalar, { nullable: true, description: "The line's date of service (DTM*472)." })
  serviceDate!: string | null;

  @Field(() => [RemarkCode], { ...FEW, description: "LQ*HE remark codes of the line, with their texts." })
  remarks!: RemarkCode[];

  @Field(() => [ClaimAdjustment], { ...FEW, description: "The line's CAS adjustments." })
  adjustments!: ClaimAdjustment[];
}

@ObjectType({
  implements: Node,
  description:
    "A claim payment (835 CLP) as posted: to one of our claims, or unmatched (claim null) and waiting in the " +
    "UNMATCHED_PAYMENT queue for a biller to match it. Never changed: a reversal or a match by hand is a new one.",
})
export class ClaimPayment extends Node {
  @Field(() => String, { description: "CLP01 as the payer sent it: our patient control number, if the payer kept it." })
  patientControlNumber!: string;

  @Field(() => String, {
    description:
      "CLP02: 1 processed as primary, 2 as secondary, 3 as tertiary, 4 denied, 19–21 forwarded, 22 reversal of an " +
      "earlier payment, 23 not our claim.",
  })
  claimStatusCode!: string;

  @Field(() => MoneyScalar, { description: "CLP03: the claim's charge as the payer read it." })
  charge!: string;

  @Field(() => MoneyScalar, { description: "CLP04: what the payer paid (negative in a reversal)." })
  paid!: string;

  @Field(() => MoneyScalar, { description: "CLP05: what the payer says the patient owes." })
  patientResponsibility!: string;

  @Field(() => String, { nullable: true, description: "CLP07: the payer's claim control number." })
  payerClaimControlNumber!: string | null;

  @Field(() => Boolean, { description: "True for a reversal (CLP02 22), which takes back the payment it reverses." })
  reversal!: boolean;

  @Field(() => String, { nullable: true, description: "Why nothing of ours matched; null once posted to a claim." })
  unmatchedReason!: string | null;

  @Field(() => DateTimeScalar, { description: "When it was posted." })
  postedAt!: Date;
}

export const ClaimPaymentConnection = connectionType(ClaimPayment, "ClaimPayment", "claim payments");

@ObjectType({ description: "A provider-level adjustment of a payment (PLB): not about any one claim." })
export class ProviderAdjustment {
  @Field(() => String, { description: "PLB01: the provider id the payer used (NPI or tax id)." })
  providerIdentifier!: string;

  @Field(() => DateScalar, { nullable: true, description: "PLB02: the end of the provider's fiscal period." })
  fiscalPeriodEnd!: string | null;

  @Field(() => String, {
    description:
      "PLB03-1: L6 interest, WO overpayment recovery, FB forwarding balance, CS adjustment, 72 authorized return…",
  })
  reasonCode!: string;

  @Field(() => String, { nullable: true, description: "PLB03-2: the payer's reference (the claim it recovers from)." })
  reference!: string | null;

  @Field(() => MoneyScalar, {
    description: "Positive takes money from the payment (a recoupment); negative adds to it (interest).",
  })
  amount!: string;
}

@ObjectType({
  implements: Node,
  description:
    "One payment from an 835 (BPR/TRN) and what was posted from it. The same payment (payer and trace number) " +
    "is posted once, whichever file brings it.",
})
export class Remittance extends Node {
  @Field(() => String, { description: "The payer as the 835 names it (N1*PR)." })
  payerName!: string;

  @Field(() => String, { description: "TRN02: the check or EFT trace number." })
  traceNumber!: string;

  @Field(() => String, { description: "TRN03 (1 and the payer's EIN, usually), else the payer's name." })
  payerIdentifier!: string;

  @Field(() => MoneyScalar, { description: "BPR02: the money paid, after provider-level adjustments." })
  paymentAmount!: string;

  @Field(() => String, { description: "BPR01: C payment with advice, I advice only, H notification, D debit." })
  handling!: string;

  @Field(() => String, { description: "BPR04: ACH, CHK (check), FWT (wire), BOP, NON (no payment)." })
  method!: string;

  @Field(() => DateScalar, { nullable: true, description: "BPR16: when the money moves." })
  paymentDate!: string | null;

  @Field(() => String, { description: "The payee as the 835 names it (N1*PE)." })
  payeeName!: string;

  @Field(() => String, { nullable: true, description: "N1*PE04: the payee's NPI or tax id." })
  payeeIdentifier!: string | null;

  @Field(() => DateTimeScalar, { description: "When it was posted." })
  postedAt!: Date;
}

export const RemittanceConnection = connectionType(Remittance, "Remittance", "remittances");

@ObjectType({ description: "Result of postRemittance." })
export class RemittancePayload {
  @Field(() => Remittance, {
    nullable: true,
    description: "The file's first payment (most 835s hold one); null on userErrors. All of them: `remittances`.",
  })
  remittance!: RemittanceRow | null;

  @Field(() => [Remittance], { description: "Every payment of the file, in file order; empty on userErrors." })
  remittances!: RemittanceRow[];

  @Field(() => Boolean, {
    description: "True when every payment of the file had been posted before: this import changed nothing.",
  })
  alreadyPosted!: boolean;

  @Field(() => [UserError], {
    description:
      "Why the file was refused, nothing written: REMITTANCE_UNBALANCED (the message names the line, claim or " +
      "payment and the amounts), REMITTANCE_PAYER_UNKNOWN, X12_TOO_LARGE, X12_NOT_X12, X12_TRUNCATED, " +
      "X12_CONTROL_NUMBER_MISMATCH, X12_COUNT_MISMATCH, X12_MALFORMED, X12_WRONG_TRANSACTION.",
  })
  userErrors!: UserError[];
}

@ObjectType({ description: "Result of matchClaimPayment." })
export class ClaimPaymentPayload {
  @Field(() => ClaimPayment, { nullable: true, description: "The new claim payment posted to the claim." })
  claimPayment!: ClaimPaymentRow | null;

  @Field(() => [UserError], { description: "CLAIM_NOT_PAYABLE: the claim was never sent, or this is a reversal." })
  userErrors!: UserError[];
}
