import { Field, Int, ObjectType, registerEnumType, UseMiddleware } from "type-graphql";
import { connectionType, Node } from "../../graphql/relay.js";
import { DateScalar, DateTimeScalar } from "../../graphql/scalars.js";
import { PhiRead } from "../audit/index.js";
import type { EncounterOrder, EncounterStatus, EncounterType } from "./encounter.store.js";

export const EncounterTypeEnum: Record<EncounterType, EncounterType> = {
  PROFESSIONAL: "PROFESSIONAL",
  OUTPATIENT: "OUTPATIENT",
  INPATIENT: "INPATIENT",
  EMERGENCY: "EMERGENCY",
};
registerEnumType(EncounterTypeEnum, {
  name: "EncounterType",
  description: "The setting of care; it decides code sets, claim form and coding queue.",
  valuesConfig: {
    PROFESSIONAL: { description: "A clinician's service in an office or clinic (CPT/HCPCS, 837P)." },
    OUTPATIENT: { description: "Hospital outpatient service: surgery, imaging, observation." },
    INPATIENT: { description: "A hospital stay from admission to discharge (ICD-10-PCS procedures; CCS coders)." },
    EMERGENCY: { description: "An emergency department visit." },
  },
});

export const EncounterStatusEnum: Record<EncounterStatus, EncounterStatus> = {
  DRAFT: "DRAFT",
  READY_FOR_CODING: "READY_FOR_CODING",
  CODING: "CODING",
  ON_HOLD: "ON_HOLD",
  CODED: "CODED",
  IN_REVIEW: "IN_REVIEW",
  READY_TO_BILL: "READY_TO_BILL",
  BILLED: "BILLED",
  CLOSED: "CLOSED",
};
registerEnumType(EncounterStatusEnum, {
  name: "EncounterStatus",
  description: "Where an encounter stands in the flow from documentation to payment.",
  valuesConfig: {
    DRAFT: { description: "Received; documentation may still change. Not yet in a coding queue." },
    READY_FOR_CODING: { description: "Waiting in a coding queue." },
    CODING: { description: "A coder holds it." },
    ON_HOLD: { description: "Paused, typically for a query to the physician." },
    CODED: { description: "Codes complete and free of blocking edits." },
    IN_REVIEW: { description: "Sampled for coding QA; an auditor reviews it." },
    READY_TO_BILL: { description: "Coded (and reviewed if sampled); a claim can be built." },
    BILLED: { description: "A claim has been submitted." },
    CLOSED: { description: "Finished." },
  },
});

export const EncounterOrderEnum: Record<EncounterOrder, EncounterOrder> = {
  SERVICE_DATE_DESC: "SERVICE_DATE_DESC",
  SERVICE_DATE_ASC: "SERVICE_DATE_ASC",
};
registerEnumType(EncounterOrderEnum, {
  name: "EncounterOrder",
  description: "Order of an encounter list.",
  valuesConfig: {
    SERVICE_DATE_DESC: { description: "Newest date of service first (the default)." },
    SERVICE_DATE_ASC: { description: "Oldest date of service first: the natural order for working a backlog." },
  },
});

@ObjectType({ implements: Node, description: "A documented visit or stay: what coders code and billers bill." })
export class Encounter extends Node {
  @Field(() => EncounterStatusEnum, { description: "Where the encounter stands in the coding and billing flow." })
  status!: EncounterStatus;

  @Field(() => EncounterTypeEnum, { description: "Setting of care." })
  type!: EncounterType;

  @Field(() => DateScalar, { description: "Date of service; for an inpatient stay, the admission date." })
  serviceDate!: string;

  @Field(() => DateScalar, {
    nullable: true,
    description: "Discharge date of an inpatient stay; null while admitted and for other types.",
  })
  dischargeDate!: string | null;

  @Field(() => String, {
    description:
      "CMS place-of-service code, two digits (11 office, 21 inpatient " +
      "hospital, 22 outpatient hospital, 23 emergency room).",
  })
  placeOfService!: string;

  @Field(() => String, {
    nullable: true,
    description: "The clinical documentation (note text) to code from. PHI: each read is recorded in the audit log.",
  })
  @UseMiddleware(PhiRead("Encounter"))
  documentation!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The sending system's identifier (EHR visit number), unique in the organization.",
  })
  externalId!: string | null;

  @Field(() => Int, {
    description: "Optimistic-concurrency version: send it back with changes; a stale one is a CONFLICT.",
  })
  version!: number;

  @Field(() => DateTimeScalar, { description: "When Chartroom received the encounter." })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { description: "When the encounter last changed." })
  updatedAt!: Date;
}

export const EncounterConnection = connectionType(Encounter, "Encounter", "encounters");
