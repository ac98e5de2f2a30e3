import { Field, Int, ObjectType, registerEnumType, UseMiddleware } from "type-graphql";
import { Node } from "../../graphql/relay.js";
import { DateScalar, DateTimeScalar, MoneyScalar } from "../../graphql/scalars.js";
import { PhiRead } from "../audit/index.js";
import type { CodeSystem } from "../codesets/index.js";
import { CodeSystemEnum } from "../codesets/index.js";
import type { PresentOnAdmission } from "../edits/index.js";

export const PresentOnAdmissionEnum: Record<string, PresentOnAdmission> = {
  Y: "Y",
  N: "N",
  U: "U",
  W: "W",
  EXEMPT: "1",
};
registerEnumType(PresentOnAdmissionEnum, {
  name: "PresentOnAdmission",
  description:
    "Whether an inpatient's condition was present when the order for admission was written (the POA " +
    "indicator of the UB-04 and 837I).",
  valuesConfig: {
    Y: { description: "Present at the time of inpatient admission." },
    N: { description: "Not present at the time of inpatient admission." },
    U: { description: "Documentation is insufficient to determine it." },
    W: { description: "Clinically undetermined: the provider cannot say." },
    EXEMPT: { description: "Exempt from POA reporting (reported as 1 on the claim)." },
  },
});

export enum CodeChangeSourceEnum {
  CODING = "CODING",
  REVIEW = "REVIEW",
}
registerEnumType(CodeChangeSourceEnum, {
  name: "CodeChangeSource",
  description: "Who changed an encounter's codes, in which role.",
  valuesConfig: {
    CODING: { description: "A coder (or a supervisor) through setEncounterCodes." },
    REVIEW: { description: "An auditor's correction in a coding review." },
  },
});

@ObjectType({ description: "A diagnosis of an encounter, in reporting order." })
export class DiagnosisCode {
  @Field(() => Int, {
    description: "1 is the primary (inpatient: principal) diagnosis; procedure lines point at these numbers.",
  })
  sequence!: number;

  @Field(() => PresentOnAdmissionEnum, {
    nullable: true,
    description: "Present-on-admission indicator; inpatient stays only.",
  })
  presentOnAdmission!: PresentOnAdmission | null;
}

@ObjectType({ description: "A procedure or service line of an encounter." })
export class ProcedureLine {
  @Field(() => Int, { description: "The line number, from 1." })
  sequence!: number;

  @Field(() => [String], { description: "Modifiers, most significant first." })
  modifiers!: string[];

  @Field(() => Int, { description: "Units of service." })
  units!: number;

  @Field(() => MoneyScalar, { description: "The line's charge." })
  charge!: string;

  @Field(() => DateScalar, { description: "The line's date of service." })
  serviceDate!: string;

  @Field(() => [Int], { description: "Positions (1-based) in the diagnosis list, most important first." })
  diagnosisPointers!: number[];
}

@ObjectType({
  description: "A diagnosis as it was entered at some point (code history, reviews): the code without its description.",
})
export class CodedDiagnosis {
  @Field(() => String, { description: "ICD-10-CM code as coders write it (E11.9)." })
  code!: string;

  @Field(() => PresentOnAdmissionEnum, { nullable: true, description: "Present-on-admission indicator." })
  presentOnAdmission!: PresentOnAdmission | null;
}

@ObjectType({ description: "A procedure line as it was entered at some point (code history, reviews)." })
export class CodedProcedure {
  @Field(() => CodeSystemEnum, { description: "The code system." })
  system!: CodeSystem;

  @Field(() => String, { description: "The code as published (99213, J1100, 0DTJ4ZZ)." })
  code!: string;

  @Field(() => [String], { description: "Modifiers." })
  modifiers!: string[];

  @Field(() => Int, { description: "Units." })
  units!: number;

  @Field(() => MoneyScalar, { description: "Charge." })
  charge!: string;

  @Field(() => DateScalar, { nullable: true, description: "The line's date of service; null: the encounter's." })
  serviceDate!: string | null;

  @Field(() => [Int], { description: "Diagnosis pointers." })
  diagnosisPointers!: number[];
}

@ObjectType({ description: "An encounter's codes at one moment." })
export class CodeSnapshot {
  @Field(() => [CodedDiagnosis], { description: "Diagnoses in reporting order." })
  diagnoses!: CodedDiagnosis[];

  @Field(() => [CodedProcedure], { description: "Procedure lines in order." })
  procedures!: CodedProcedure[];
}

@ObjectType({ description: "One change of an encounter's codes: who, when, before and after." })
export class CodeChange {
  @Field(() => Int, { description: "The encounter's version this change produced." })
  version!: number;

  @Field(() => CodeChangeSourceEnum, { description: "Coding or a review's correction." })
  source!: CodeChangeSourceEnum;

  @Field(() => DateTimeScalar, { description: "When." })
  at!: Date;
}

@ObjectType({
  description:
    "A coder's completion of an encounter: who, when, how long it " +
    "took, and whether (and why) it was sampled for coding review.",
})
export class CodingCompletion {
  @Field(() => DateTimeScalar, { description: "When the coder completed it." })
  completedAt!: Date;

  @Field(() => Int, { description: "Seconds the coder held the work (assigned to them), time on hold excluded." })
  handleSeconds!: number;

  @Field(() => Boolean, { description: "Whether it went to the CODING_REVIEW queue." })
  sampled!: boolean;

  @Field(() => String, {
    description:
      "Why it was or was not sampled: a coder's first 20 encounters are all reviewed; after that the " +
      "organization's QA rate decides by a draw from the encounter id, the same every time.",
  })
  samplingReason!: string;
}

@ObjectType({
  implements: Node,
  description:
    "A coder's question to the rendering provider about an encounter. " +
    "Question and answer are clinical text: each read is audited.",
})
export class PhysicianQuery extends Node {
  @Field(() => String, { description: "The coder's question." })
  @UseMiddleware(PhiRead("PhysicianQuery"))
  question!: string;

  @Field(() => DateTimeScalar, { description: "When it was asked." })
  askedAt!: Date;

  @Field(() => String, { nullable: true, description: "The provider's answer; null while open." })
  @UseMiddleware(PhiRead("PhysicianQuery"))
  answer!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "When it was answered; null while open." })
  answeredAt!: Date | null;
}
