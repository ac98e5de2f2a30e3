import { Field, ID, InputType, Int } from "type-graphql";
import { DateScalar } from "../../graphql/scalars.js";
import { SubscriberRelationEnum } from "./coverage.type.js";
import type { CoverageRow } from "./patient.store.js";

@InputType({ description: "The subscriber of a coverage the patient holds as a dependant (relation other than SELF)." })
export class SubscriberInput {
  @Field(() => String, { description: "Given name, 1–60 characters." })
  firstName!: string;

  @Field(() => String, { description: "Family name, 1–60 characters." })
  lastName!: string;

  @Field(() => DateScalar, { description: "Date of birth." })
  birthDate!: string;

  @Field(() => String, { description: "Administrative sex: F, M or U (unknown)." })
  sex!: string;
}

@InputType({ description: "A patient's insurance with one payer, as on the card." })
export class AddCoverageInput {
  @Field(() => ID, { description: "The patient." })
  patientId!: string;

  @Field(() => ID, { description: "The payer (see `payers`)." })
  payerId!: string;

  @Field(() => String, { description: "Member id on the insurance card, 1–80 characters." })
  memberId!: string;

  @Field(() => String, { nullable: true, description: "Group number on the card, when there is one." })
  groupNumber?: string | null;

  @Field(() => Int, { description: "1 primary, 2 secondary, 3 tertiary." })
  priority!: number;

  @Field(() => SubscriberRelationEnum, {
    defaultValue: "SELF",
    description: "The patient's relation to the subscriber; other than SELF, `subscriber` is required.",
  })
  subscriberRelation!: CoverageRow["subscriberRelation"];

  @Field(() => SubscriberInput, {
    nullable: true,
    description: "Required when the relation is not SELF: who holds the coverage.",
  })
  subscriber?: SubscriberInput | null;

  @Field(() => DateScalar, { description: "First day in force." })
  effectiveFrom!: string;

  @Field(() => DateScalar, { nullable: true, description: "Last day in force; absent while it runs on." })
  effectiveTo?: string | null;
}

@InputType({ description: "Corrections to a coverage; absent fields stay as they are." })
export class UpdateCoverageInput {
  @Field(() => ID, { description: "The coverage." })
  coverageId!: string;

  @Field(() => String, { nullable: true, description: "Member id on the insurance card, 1–80 characters." })
  memberId?: string | null;

  @Field(() => String, { nullable: true, description: "Group number on the card; an empty string removes it." })
  groupNumber?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Last day in force (the coverage ended)." })
  effectiveTo?: string | null;
}
