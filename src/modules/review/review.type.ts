import { createUnionType, Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { Node } from "../../graphql/relay.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { CodedDiagnosis, CodedProcedure } from "../coding/index.js";
import type { CodeKind, FindingKind } from "./review.diff.js";
import type { ReviewOutcome } from "./review.store.js";

export const ReviewOutcomeEnum: Record<ReviewOutcome, ReviewOutcome> = { ACCEPTED: "ACCEPTED", CORRECTED: "CORRECTED" };
registerEnumType(ReviewOutcomeEnum, {
  name: "ReviewOutcome",
  description: "What a coding review decided.",
  valuesConfig: {
    ACCEPTED: { description: "The codes stand as the coder left them: no findings." },
    CORRECTED: { description: "The auditor changed the codes; each difference is a finding with a reason." },
  },
});

export const FindingKindEnum: Record<FindingKind, FindingKind> = {
  ADDED: "ADDED",
  REMOVED: "REMOVED",
  CHANGED: "CHANGED",
  RESEQUENCED: "RESEQUENCED",
};
registerEnumType(FindingKindEnum, {
  name: "FindingKind",
  description: "How the auditor's codes differ from the coder's in one place.",
  valuesConfig: {
    ADDED: { description: "A code the coder missed: only `after` is set. It counts against accuracy." },
    REMOVED: { description: "A code the coder should not have reported: only `before` is set." },
    CHANGED: {
      description:
        "A code replaced by another of the same ICD-10-CM category or CPT/HCPCS family (E11.9 → E11.65, " +
        "99213 → 99214), or at the same position; or the same code with another present-on-admission " +
        "indicator, or a line with other modifiers, units, charge, date or pointers.",
    },
    RESEQUENCED: {
      description:
        "A diagnosis in both lists that the auditor moved (the principal " +
        "diagnosis, typically): `beforePosition` and `afterPosition` say where. " +
        "Procedure lines are never resequenced: their order means nothing.",
    },
  },
});

export const CodeKindEnum: Record<CodeKind, CodeKind> = { DIAGNOSIS: "DIAGNOSIS", PROCEDURE: "PROCEDURE" };
registerEnumType(CodeKindEnum, {
  name: "CodeKind",
  description: "Whether a finding is about a diagnosis or a procedure line.",
  valuesConfig: {
    DIAGNOSIS: { description: "An ICD-10-CM diagnosis: `before`/`after` are CodedDiagnosis." },
    PROCEDURE: { description: "A CPT, HCPCS or ICD-10-PCS procedure line: `before`/`after` are CodedProcedure." },
  },
});

export const CodedEntry = createUnionType({
  name: "CodedEntry",
  description:
    "A diagnosis or a procedure line as it stood in a review: ask for both with `... on CodedDiagnosis { " +
    "… } ... on CodedProcedure { … }`.",
  types: () => [CodedDiagnosis, CodedProcedure] as const,
  resolveType: (value) => ("system" in value ? CodedProcedure : CodedDiagnosis),
});

@ObjectType({
  description:
    "One difference a coding review found between the coder's codes and the auditor's, with the auditor's reason.",
})
export class CodingReviewFinding {
  @Field(() => FindingKindEnum, { description: "Added, removed, changed or resequenced." })
  kind!: FindingKind;

  @Field(() => CodeKindEnum, { description: "Diagnosis or procedure line." })
  codeKind!: CodeKind;

  @Field(() => String, {
    description:
      "The code the finding is about, as coders write it (E11.65): the auditor's for an added code, else " +
      "the coder's. For a list's label.",
  })
  code!: string;

  @Field(() => CodedEntry, {
    nullable: true,
    description: "The entry as the coder left it (codes in display form, E11.9); null for an added code.",
  })
  before!: CodedDiagnosis | CodedProcedure | null;

  @Field(() => CodedEntry, { nullable: true, description: "The entry as the auditor set it; null for a removed code." })
  after!: CodedDiagnosis | CodedProcedure | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "1-based position of `before` in the coder's list (diagnoses: 1 is the primary or principal " +
      "diagnosis); null for an added code.",
  })
  beforePosition!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "1-based position of `after` in the auditor's list; null for a removed code.",
  })
  afterPosition!: number | null;

  @Field(() => String, { description: "Why the auditor made the change, for the coder to learn from." })
  reason!: string;
}

@ObjectType({
  implements: Node,
  description: "An auditor's review of one completed coding of an encounter: accepted, or corrected with findings.",
})
export class CodingReview extends Node {
  @Field(() => ReviewOutcomeEnum, { description: "ACCEPTED (no findings) or CORRECTED." })
  outcome!: ReviewOutcome;

  @Field(() => DateTimeScalar, { description: "When the auditor submitted the review." })
  reviewedAt!: Date;

  @Field(() => String, { nullable: true, description: "The auditor's note on the review as a whole; null when none." })
  note!: string | null;

  @Field(() => Int, {
    description:
      "The coder's codes (diagnoses plus procedure lines) plus the " +
      "codes the auditor added: the denominator of `accuracy`.",
  })
  codesReviewed!: number;

  @Field(() => Int, { description: "The coder's codes no finding is about: the numerator of `accuracy`." })
  codesUnchanged!: number;
}
