import { Field, ObjectType, registerEnumType } from "type-graphql";
import type { Severity } from "./edits.codes.js";

export const SeverityEnum: Record<Severity, Severity> = { ERROR: "ERROR", WARNING: "WARNING" };
registerEnumType(SeverityEnum, {
  name: "Severity",
  description: "How much an edit matters.",
  valuesConfig: {
    ERROR: { description: "Blocks completing the coding, or marking the claim READY: fix it." },
    WARNING: { description: "Worth a look; does not block." },
  },
});

/** The GraphQL face of a CodeEdit (edits.codes.ts): the same fields, as the schema shows them. */
@ObjectType("CodeEdit", {
  description:
    "A finding of the coding edits on an encounter's codes, or of the claim scrubber on a claim. Fix every ERROR " +
    "before completeCoding (or markClaimReady); WARNINGs are advice.",
})
export class CodeEditType {
  @Field(() => String, {
    description:
      "Stable machine code: NOT_BILLABLE, UNKNOWN_CODE, NOT_IN_FORCE, NCCI_PTP_CONFLICT, MUE_EXCEEDED, " +
      "POINTER_MISSING, BILLING_NPI_INVALID, PAYER_MISSING, TIMELY_FILING_PASSED, … (the README lists them).",
  })
  code!: string;

  @Field(() => SeverityEnum, { description: "ERROR blocks completion; WARNING does not." })
  severity!: Severity;

  @Field(() => String, { description: "What is wrong and how to fix it, in a sentence for the coder or biller." })
  message!: string;

  @Field(() => [String], {
    nullable: true,
    description:
      "Where, indexes from 0: for coding, a path into setEncounterCodes' input, e.g. " +
      '["procedures", "1", "modifiers", "0"]; for a claim, a path into the claim, e.g. ["lines", "0", "units"] ' +
      'or ["billingProvider", "npi"].',
  })
  field!: string[] | null;

  @Field(() => [String], {
    description:
      "Codes the coder may have meant (display form): billable codes beneath a header, or real codes one " +
      "keystroke away from a typo. Empty for claim-form edits.",
  })
  suggestions!: string[];
}
