import { Field, ID, InputType, Int } from "type-graphql";
import { DateScalar } from "../../graphql/scalars.js";
import type { EncounterStatus, EncounterType } from "./encounter.store.js";
import { EncounterStatusEnum, EncounterTypeEnum } from "./encounter.type.js";

@InputType({
  description: "Narrows an encounter list. All given conditions must hold; a list matches any of its values.",
})
export class EncounterFilter {
  @Field(() => [EncounterStatusEnum], { nullable: true, description: "Any of these statuses." })
  status?: EncounterStatus[] | null;

  @Field(() => [EncounterTypeEnum], { nullable: true, description: "Any of these types." })
  type?: EncounterType[] | null;

  @Field(() => ID, { nullable: true, description: "Only this facility's encounters." })
  facilityId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only this patient's encounters." })
  patientId?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Date of service on or after this day." })
  serviceDateFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Date of service on or before this day." })
  serviceDateTo?: string | null;
}

@InputType({
  description: "A new documented encounter, as an EHR interface or a registrar sends it. It starts as DRAFT.",
})
export class CreateEncounterInput {
  @Field(() => ID, { description: "Facility where the service was rendered; the caller must have access to it." })
  facilityId!: string;

  @Field(() => ID, { description: "The patient, registered at this facility (else PATIENT_AT_OTHER_FACILITY)." })
  patientId!: string;

  @Field(() => ID, {
    description: "Rendering provider, from `providers`, billing under this facility (else PROVIDER_AT_OTHER_FACILITY).",
  })
  renderingProviderId!: string;

  @Field(() => EncounterTypeEnum, { description: "Setting of care." })
  type!: EncounterType;

  @Field(() => DateScalar, {
    description: "Date of service (admission date for an inpatient stay); not in the future.",
  })
  serviceDate!: string;

  @Field(() => DateScalar, {
    nullable: true,
    description: "Discharge date; inpatient only, on or after the admission date.",
  })
  dischargeDate?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "CMS place-of-service code (two digits). Defaults by type: 11 " +
      "professional, 22 outpatient, 21 inpatient, 23 emergency.",
  })
  placeOfService?: string | null;

  @Field(() => String, { description: "Clinical documentation to code from, up to 100,000 characters." })
  documentation!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "The sending system's identifier, unique in the organization; a repeat is refused (EXTERNAL_ID_TAKEN).",
  })
  externalId?: string | null;
}

@InputType({ description: "Names one encounter for an action on it." })
export class EncounterRefInput {
  @Field(() => ID, { description: "The encounter." })
  encounterId!: string;

  @Field(() => Int, {
    nullable: true,
    description:
      "The version the caller last read; when given and stale, the action is a CONFLICT and nothing changes.",
  })
  expectedVersion?: number | null;
}
