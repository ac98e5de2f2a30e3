import { Field, ID, InputType, Int } from "type-graphql";
import { DiagnosisInput, ProcedureInput } from "../coding/index.js";

@InputType({
  description:
    "The codes as the auditor says they should be: the complete lists, replacing the coder's, in the " +
    "same form as setEncounterCodes.",
})
export class CodingCorrectionInput {
  @Field(() => [DiagnosisInput], {
    description: "Diagnoses in reporting order, at most 25; the first is the primary (inpatient: principal) diagnosis.",
  })
  diagnoses!: DiagnosisInput[];

  @Field(() => [ProcedureInput], {
    description: "Procedure lines, at most 50; their order does not matter to the review.",
  })
  procedures!: ProcedureInput[];
}

@InputType({
  description:
    "Why the auditor made one change: each finding of the review (an " +
    "added, removed, changed or resequenced code) needs one.",
})
export class FindingReasonInput {
  @Field(() => String, {
    description:
      "The code the finding is about, with or without its dot, any case (E11.65, e1165): the coder's code " +
      "for a removed, changed or resequenced code, the auditor's for an added one; either for a changed " +
      "one. One reason covers every finding about that code.",
  })
  code!: string;

  @Field(() => String, {
    description:
      'The reason, shown to the coder, e.g. "Documentation states diabetic hyperglycemia". At most 2,000 characters.',
  })
  reason!: string;
}

@InputType({
  description:
    "An auditor's review of an encounter's coding: accept it as " +
    "coded, or correct it with a reason for every difference.",
})
export class SubmitCodingReviewInput {
  @Field(() => ID, {
    description:
      "The encounter, whose open CODING_REVIEW work the caller holds " +
      "(claimed with claimNextWorkItem, or assigned by a supervisor).",
  })
  encounterId!: string;

  @Field(() => Int, {
    description: "The encounter's version as last read; a stale one is a CONFLICT and nothing changes.",
  })
  expectedVersion!: number;

  @Field(() => CodingCorrectionInput, {
    nullable: true,
    description: "The corrected codes; absent: the codes are accepted as the coder left them.",
  })
  corrections?: CodingCorrectionInput | null;

  @Field(() => [FindingReasonInput], {
    nullable: true,
    description: "A reason for each difference between the coder's codes and the corrections; unneeded when accepting.",
  })
  reasons?: FindingReasonInput[] | null;

  @Field(() => String, {
    nullable: true,
    description: "A note on the review as a whole, for the coder. At most 2,000 characters.",
  })
  note?: string | null;
}
