import {
  date,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, orgId } from "../columns.js";
import { facilities, organizations, payers } from "./organizations.js";

/** Administrative sex as X12 DMG03 carries it: F, M or U (unknown). */
export const administrativeSex = pgEnum("administrative_sex", ["F", "M", "U"]);

export const patients = pgTable(
  "patients",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    /** The facility that registered the patient; access to the patient follows access to it. */
    facilityId: uuid("facility_id").notNull(),
    mrn: text("mrn").notNull(),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    birthDate: date("birth_date", { mode: "string" }).notNull(),
    sex: administrativeSex("sex").notNull(),
    addressLine1: text("address_line1"),
    city: text("city"),
    state: text("state"),
    postalCode: text("postal_code"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.facilityId], foreignColumns: [facilities.orgId, facilities.id] }),
    uniqueIndex("patients_org_facility_mrn_key").on(t.orgId, t.facilityId, t.mrn),
    index("patients_org_name_idx").on(t.orgId, t.lastName, t.firstName),
  ],
);

export const subscriberRelation = pgEnum("subscriber_relation", ["SELF", "SPOUSE", "CHILD", "OTHER"]);
export const eligibilityStatus = pgEnum("eligibility_status", ["UNVERIFIED", "ACTIVE", "INACTIVE"]);

/** A patient's insurance with one payer; priority 1 is primary, 2 secondary, 3 tertiary. */
export const coverages = pgTable(
  "coverages",
  {
    orgId: orgId(),
    id: id(),
    patientId: uuid("patient_id").notNull(),
    payerId: uuid("payer_id").notNull(),
    memberId: text("member_id").notNull(),
    groupNumber: text("group_number"),
    subscriberRelation: subscriberRelation("subscriber_relation").notNull().default("SELF"),
    /** The subscriber when not the patient (relation other than SELF): the 837P names them in 2010BA. */
    subscriberFirstName: text("subscriber_first_name"),
    subscriberLastName: text("subscriber_last_name"),
    subscriberBirthDate: date("subscriber_birth_date", { mode: "string" }),
    subscriberSex: administrativeSex("subscriber_sex"),
    priority: integer("priority").notNull(),
    effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
    effectiveTo: date("effective_to", { mode: "string" }),
    eligibilityStatus: eligibilityStatus("eligibility_status").notNull().default("UNVERIFIED"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.patientId], foreignColumns: [patients.orgId, patients.id] }),
    foreignKey({ columns: [t.orgId, t.payerId], foreignColumns: [payers.orgId, payers.id] }),
    index("coverages_org_patient_idx").on(t.orgId, t.patientId),
  ],
);
