import { Field, ID, InputType, Int } from "type-graphql";
import { DateScalar, MoneyScalar } from "../../graphql/scalars.js";
import type { CodeSystem } from "../codesets/index.js";
import { CodeSystemEnum } from "../codesets/index.js";
import type { PresentOnAdmission } from "../edits/index.js";
import { PresentOnAdmissionEnum } from "./coding.type.js";

@InputType({
  description:
    "One diagnosis; its position in the list is its sequence (the " +
    "first is the primary, or inpatient principal, diagnosis).",
})
export class DiagnosisInput {
  @Field(() => String, {
    description:
      "ICD-10-CM code, with or without its dot, any case (e11.9, E119). A malformed, unknown or " +
      "not-in-force code is refused with suggestions.",
  })
  code!: string;

  @Field(() => PresentOnAdmissionEnum, {
    nullable: true,
    description:
      "Present on admission: required on INPATIENT stays (POA_MISSING), not used elsewhere (POA_NOT_APPLICABLE).",
  })
  presentOnAdmission?: PresentOnAdmission | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "Codes of other diagnoses of this encounter that an " +
      "Excludes1 note bars beside this one, when the documentation " +
      "shows the conditions are unrelated (guideline I.A.12.a): the EXCLUDES1_CONFLICT error becomes the " +
      "EXCLUDES1_UNRELATED warning. Each must be another diagnosis of the list (UNRELATED_CODE_NOT_LISTED).",
  })
  unrelatedTo?: string[] | null;
}

@InputType({ description: "One procedure or service line." })
export class ProcedureInput {
  @Field(() => String, {
    description:
      "The code: CPT or HCPCS on PROFESSIONAL, OUTPATIENT and EMERGENCY encounters; ICD-10-PCS on INPATIENT stays.",
  })
  code!: string;

  @Field(() => CodeSystemEnum, { description: "The code system of `code`." })
  system!: CodeSystem;

  @Field(() => [String], {
    nullable: true,
    description:
      "Up to four modifiers (59, LT, 25…), most significant first; " +
      "a repeated modifier is refused (MODIFIER_DUPLICATE).",
  })
  modifiers?: string[] | null;

  @Field(() => Int, { description: "Units of service, at least 1." })
  units!: number;

  @Field(() => MoneyScalar, { description: "The line's charge, not negative." })
  charge!: string;

  @Field(() => [Int], {
    description:
      "1 to 4 positions (1-based) in the diagnosis list, the first being the line's primary reason; each " +
      "names one of the first 12 diagnoses.",
  })
  diagnosisPointers!: number[];

  @Field(() => DateScalar, {
    nullable: true,
    description: "The line's date of service, within the encounter; absent: the encounter's date of service.",
  })
  serviceDate?: string | null;
}

@InputType({ description: "The encounter's complete code set, replacing what it had." })
export class SetEncounterCodesInput {
  @Field(() => ID, { description: "The encounter." })
  encounterId!: string;

  @Field(() => Int, {
    description: "The encounter's version as last read; a stale one is a CONFLICT and nothing changes.",
  })
  expectedVersion!: number;

  @Field(() => [DiagnosisInput], { description: "Diagnoses in reporting order, at most 25." })
  diagnoses!: DiagnosisInput[];

  @Field(() => [ProcedureInput], { description: "Procedure lines, at most 50." })
  procedures!: ProcedureInput[];
}

@InputType({
  description: "A question to the rendering provider that holds the encounter's coding until it is answered.",
})
export class QueryPhysicianInput {
  @Field(() => ID, { description: "The encounter, whose coding work the caller holds." })
  encounterId!: string;

  @Field(() => String, {
    description: 'The question, e.g. "Type 2 diabetes with or without hyperglycemia?". At most 4,000 characters.',
  })
  question!: string;

  @Field(() => Int, {
    nullable: true,
    description: "The encounter's version as last read; when given and stale, a CONFLICT.",
  })
  expectedVersion?: number | null;
}

@InputType({ description: "The provider's answer to a physician query." })
export class AnswerPhysicianQueryInput {
  @Field(() => ID, { description: "The query (PhysicianQuery.id)." })
  queryId!: string;

  @Field(() => String, { description: "The answer as the provider gave it. At most 4,000 characters." })
  answer!: string;
}
