import { sql } from "drizzle-orm";
import {
  check,
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
import { createdAt, id, orgId, updatedAt } from "../columns.js";
import { facilities, organizations, providers } from "./organizations.js";
import { patients } from "./patients.js";

export const encounterType = pgEnum("encounter_type", ["PROFESSIONAL", "OUTPATIENT", "INPATIENT", "EMERGENCY"]);
export const encounterStatus = pgEnum("encounter_status", [
  "DRAFT",
  "READY_FOR_CODING",
  "CODING",
  "ON_HOLD",
  "CODED",
  "IN_REVIEW",
  "READY_TO_BILL",
  "BILLED",
  "CLOSED",
]);

/** A documented visit or stay: what coders code and billers bill. */
export const encounters = pgTable(
  "encounters",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    facilityId: uuid("facility_id").notNull(),
    patientId: uuid("patient_id").notNull(),
    renderingProviderId: uuid("rendering_provider_id").notNull(),
    /** The clinician who referred the patient, when a payer needs one on the claim (837P 2310A). */
    referringProviderId: uuid("referring_provider_id"),
    type: encounterType("type").notNull(),
    /** Date of service; for an inpatient stay, the admission date. */
    serviceDate: date("service_date", { mode: "string" }).notNull(),
    /** Inpatient stays only. */
    dischargeDate: date("discharge_date", { mode: "string" }),
    /** CMS place-of-service code, two digits. */
    placeOfService: text("place_of_service").notNull(),
    documentation: text("documentation").notNull(),
    status: encounterStatus("status").notNull().default("DRAFT"),
    /** Optimistic concurrency: bumped by every change; a stale write is a CONFLICT. */
    version: integer("version").notNull().default(1),
    /** The sending system's identifier (EHR visit number), unique per organization. */
    externalId: text("external_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.facilityId], foreignColumns: [facilities.orgId, facilities.id] }),
    foreignKey({ columns: [t.orgId, t.patientId], foreignColumns: [patients.orgId, patients.id] }),
    foreignKey({ columns: [t.orgId, t.renderingProviderId], foreignColumns: [providers.orgId, providers.id] }),
    foreignKey({ columns: [t.orgId, t.referringProviderId], foreignColumns: [providers.orgId, providers.id] }),
    uniqueIndex("encounters_org_external_id_key").on(t.orgId, t.externalId).where(sql`${t.externalId} is not null`),
    index("encounters_org_service_date_idx").on(t.orgId, t.serviceDate.desc(), t.id.desc()),
    index("encounters_org_facility_service_date_idx").on(t.orgId, t.facilityId, t.serviceDate.desc(), t.id.desc()),
    index("encounters_org_patient_idx").on(t.orgId, t.patientId),
    index("encounters_org_status_idx").on(t.orgId, t.status),
    check(
      "encounters_discharge_after_admission",
      sql`${t.dischargeDate} is null or ${t.dischargeDate} >= ${t.serviceDate}`,
    ),
    check("encounters_place_of_service_format", sql`${t.placeOfService} ~ '^[0-9]{2}$'`),
  ],
);
