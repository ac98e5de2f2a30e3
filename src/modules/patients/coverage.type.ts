import { Field, Int, ObjectType, registerEnumType, UseMiddleware } from "type-graphql";
import { Node } from "../../graphql/relay.js";
import { DateScalar } from "../../graphql/scalars.js";
import { PhiRead } from "../audit/index.js";
import type { CoverageRow } from "./patient.store.js";

type SubscriberRelation = CoverageRow["subscriberRelation"];
type EligibilityStatus = CoverageRow["eligibilityStatus"];

export const SubscriberRelationEnum: Record<SubscriberRelation, SubscriberRelation> = {
  SELF: "SELF",
  SPOUSE: "SPOUSE",
  CHILD: "CHILD",
  OTHER: "OTHER",
};
registerEnumType(SubscriberRelationEnum, {
  name: "SubscriberRelation",
  description: "The patient's relation to the coverage's subscriber (837P SBR02 and PAT01).",
  valuesConfig: {
    SELF: { description: "The patient is the subscriber." },
    SPOUSE: { description: "The patient is the subscriber's spouse." },
    CHILD: { description: "The patient is the subscriber's child." },
    OTHER: { description: "Another relation (a dependant of another kind)." },
  },
});

const EligibilityStatusEnum: Record<EligibilityStatus, EligibilityStatus> = {
  UNVERIFIED: "UNVERIFIED",
  ACTIVE: "ACTIVE",
  INACTIVE: "INACTIVE",
};
registerEnumType(EligibilityStatusEnum, {
  name: "EligibilityStatus",
  description: "What the payer said when eligibility was last checked.",
  valuesConfig: {
    UNVERIFIED: { description: "Not checked yet." },
    ACTIVE: { description: "The payer confirmed the coverage is in force." },
    INACTIVE: { description: "The payer says the coverage is not in force." },
  },
});

/** The coverage's identifying fields are the patient's PHI: reading one is recorded as reading the patient. */
const PatientPhi = () => PhiRead<CoverageRow>("Patient", (row) => row.patientId);

@ObjectType({
  implements: Node,
  description:
    "A patient's insurance with one payer. The claim of an encounter bills the coverage of lowest priority in " +
    "force on the date of service.",
})
export class Coverage extends Node {
  @Field(() => String, { description: "Member id on the insurance card (837P 2010BA NM109)." })
  @UseMiddleware(PatientPhi())
  memberId!: string;

  @Field(() => String, { nullable: true, description: "Group number on the card." })
  @UseMiddleware(PatientPhi())
  groupNumber!: string | null;

  @Field(() => Int, { description: "1 primary, 2 secondary, 3 tertiary." })
  priority!: number;

  @Field(() => SubscriberRelationEnum, { description: "The patient's relation to the subscriber." })
  subscriberRelation!: SubscriberRelation;

  @Field(() => String, { nullable: true, description: "The subscriber's given name when not the patient." })
  @UseMiddleware(PatientPhi())
  subscriberFirstName!: string | null;

  @Field(() => String, { nullable: true, description: "The subscriber's family name when not the patient." })
  @UseMiddleware(PatientPhi())
  subscriberLastName!: string | null;

  @Field(() => DateScalar, { nullable: true, description: "The subscriber's date of birth when not the patient." })
  @UseMiddleware(PatientPhi())
  subscriberBirthDate!: string | null;

  @Field(() => DateScalar, { description: "First day in force." })
  effectiveFrom!: string;

  @Field(() => DateScalar, { nullable: true, description: "Last day in force; null while it runs on." })
  effectiveTo!: string | null;

  @Field(() => EligibilityStatusEnum, { description: "Eligibility as last checked." })
  eligibilityStatus!: EligibilityStatus;
}
