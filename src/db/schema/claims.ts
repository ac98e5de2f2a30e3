import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, money, orgId, updatedAt } from "../columns.js";
import { encounters } from "./encounters.js";
import { facilities, organizations, payers, providers } from "./organizations.js";
import { coverages, patients } from "./patients.js";
import { users } from "./users.js";

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const claimStatus = pgEnum("claim_status", [
  "DRAFT",
  "NEEDS_REVIEW",
  "READY",
  "SUBMITTED",
  "ACCEPTED",
  "REJECTED",
  "PAID",
  "PARTIALLY_PAID",
  "DENIED",
  "APPEALED",
  "VOID",
  "CLOSED",
]);

/**
 * One 837P interchange as it was written for one payer: the file unchanged, its control numbers (each
 * unique in the organization, never reused) and who made it. Its claims are in submission_batch_claims.
 */
export const submissionBatches = pgTable(
  "submission_batches",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    payerId: uuid("payer_id").notNull(),
    /** ISA13, as written with nine digits. */
    interchangeControlNumber: integer("interchange_control_number").notNull(),
    /** GS06. */
    groupControlNumber: integer("group_control_number").notNull(),
    /** ST02 of each transaction set, as written: what a 999 names in AK202. */
    transactionSetControlNumbers: text("transaction_set_control_numbers").array().notNull(),
    /** The interchange exactly as written and sent. */
    x12: text("x12").notNull(),
    claimCount: integer("claim_count").notNull(),
    createdBy: uuid("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.payerId], foreignColumns: [payers.orgId, payers.id] }),
    foreignKey({ columns: [t.orgId, t.createdBy], foreignColumns: [users.orgId, users.id] }),
    uniqueIndex("submission_batches_org_interchange_key").on(t.orgId, t.interchangeControlNumber),
    uniqueIndex("submission_batches_org_group_key").on(t.orgId, t.groupControlNumber),
    check(
      "submission_batches_control_numbers_range",
      sql`${t.interchangeControlNumber} between 1 and 999999999 and ${t.groupControlNumber} between 1 and 999999999`,
    ),
  ],
);

/**
 * A bill for one coded encounter to one payer: the claim's own facts (codes, lines, charges, its
 * numbers) are copied from the encounter when it is built and corrected here by billers; who bills,
 * who rendered and who is insured are read from their records whenever the claim is scrubbed, so a
 * registration fix reaches a claim that has not gone out yet.
 */
export const claims = pgTable(
  "claims",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    encounterId: uuid("encounter_id").notNull(),
    /** The billing facility (837P 2010AA): the encounter's, copied so work and scoping need no join. */
    facilityId: uuid("facility_id").notNull(),
    patientId: uuid("patient_id").notNull(),
    /** The primary coverage in force on the date of service, as of the last scrub; null when there is none. */
    coverageId: uuid("coverage_id"),
    payerId: uuid("payer_id"),
    renderingProviderId: uuid("rendering_provider_id"),
    referringProviderId: uuid("referring_provider_id"),
    /** CLM01: unique in the organization, at most 17 characters, never reused. */
    patientControlNumber: text("patient_control_number").notNull(),
    /** CLM05-3: 1 original, 7 replacement, 8 void. */
    frequencyCode: text("frequency_code").notNull().default("1"),
    /** The payer's id for the claim (277CA REF*1K, 835 CLP07), once known. */
    payerClaimControlNumber: text("payer_claim_control_number"),
    /** The claim this one replaces (frequency 7) or voids (8). */
    replacesClaimId: uuid("replaces_claim_id"),
    /**
     * On a secondary claim: the primary payer's claim whose 835 left the balance it bills. Null on a primary claim,
     * which bills the patient's first coverage.
     */
    primaryClaimId: uuid("primary_claim_id"),
    /**
     * On a secondary claim: what the primary payer adjudicated (its payer and subscriber, paid amount, claim and line
     * adjustments, date), as posted from its 835; the 837P carries it in loops 2320, 2330 and 2430.
     */
    primaryAdjudication: jsonb("primary_adjudication"),
    placeOfService: text("place_of_service").notNull(),
    serviceDate: date("service_date", { mode: "string" }).notNull(),
    /** ICD-10-CM codes in the coder's order, stored form (upper case, no dot): the first is principal. */
    diagnoses: text("diagnoses").array().notNull(),
    status: claimStatus("status").notNull().default("DRAFT"),
    totalCharge: money("total_charge").notNull().default("0.00"),
    /** What payers paid, net of reversals (835 CLP04 posted). */
    paidAmount: money("paid_amount").notNull().default("0.00"),
    /** What the claim will not collect: every posted adjustment but patient responsibility, and write-offs. */
    adjustedAmount: money("adjusted_amount").notNull().default("0.00"),
    /** What the payers said the patient owes (PR adjustments): part of the balance, collected from the patient. */
    patientResponsibility: money("patient_responsibility").notNull().default("0.00"),
    /** The scrubber's edits as of `scrubbedAt`: every change of the claim scrubs it again. */
    scrubEdits: jsonb("scrub_edits").notNull().default(sql`'[]'::jsonb`),
    scrubbedAt: at("scrubbed_at"),
    /** The 837P batch the claim was last submitted in: a claim rejected at the front end is submitted again. */
    batchId: uuid("batch_id"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.encounterId], foreignColumns: [encounters.orgId, encounters.id] }),
    foreignKey({ columns: [t.orgId, t.facilityId], foreignColumns: [facilities.orgId, facilities.id] }),
    foreignKey({ columns: [t.orgId, t.patientId], foreignColumns: [patients.orgId, patients.id] }),
    foreignKey({ columns: [t.orgId, t.coverageId], foreignColumns: [coverages.orgId, coverages.id] }),
    foreignKey({ columns: [t.orgId, t.payerId], foreignColumns: [payers.orgId, payers.id] }),
    foreignKey({ columns: [t.orgId, t.renderingProviderId], foreignColumns: [providers.orgId, providers.id] }),
    foreignKey({ columns: [t.orgId, t.referringProviderId], foreignColumns: [providers.orgId, providers.id] }),
    foreignKey({
      columns: [t.orgId, t.replacesClaimId],
      foreignColumns: [t.orgId, t.id] as [AnyPgColumn, AnyPgColumn],
    }),
    foreignKey({
      columns: [t.orgId, t.primaryClaimId],
      foreignColumns: [t.orgId, t.id] as [AnyPgColumn, AnyPgColumn],
    }),
    foreignKey({ columns: [t.orgId, t.batchId], foreignColumns: [submissionBatches.orgId, submissionBatches.id] }),
    index("claims_org_encounter_idx").on(t.orgId, t.encounterId),
    index("claims_org_batch_idx").on(t.orgId, t.batchId),
    index("claims_org_status_payer_idx").on(t.orgId, t.status, t.payerId),
    // The duplicate-claim edit looks for the patient's other claims on the same date of service.
    index("claims_org_patient_service_date_idx").on(t.orgId, t.patientId, t.serviceDate),
    index("claims_org_primary_claim_idx").on(t.orgId, t.primaryClaimId),
    check("claims_secondary_has_adjudication", sql`(${t.primaryClaimId} is null) = (${t.primaryAdjudication} is null)`),
    uniqueIndex("claims_org_patient_control_number_key").on(t.orgId, t.patientControlNumber),
    check("claims_frequency_code", sql`${t.frequencyCode} in ('1', '7', '8')`),
    check("claims_patient_control_number_length", sql`length(${t.patientControlNumber}) between 1 and 17`),
  ],
);

/** A claim's service lines (837P loop 2400), copied from the encounter's procedure lines and corrected by billers. */
export const claimLines = pgTable(
  "claim_lines",
  {
    orgId: orgId(),
    claimId: uuid("claim_id").notNull(),
    /** 1-based: LX01. */
    lineNumber: smallint("line_number").notNull(),
    /** REF*6R: the patient control number and line number, so unique in the organization; the 835 matches on it. */
    lineControlNumber: text("line_control_number").notNull(),
    system: text("system").notNull(),
    code: text("code").notNull(),
    modifiers: text("modifiers").array().notNull().default(sql`'{}'::text[]`),
    units: integer("units").notNull(),
    charge: money("charge").notNull(),
    serviceDate: date("service_date", { mode: "string" }).notNull(),
    /** 1-based positions in the claim's diagnoses. */
    diagnosisPointers: smallint("diagnosis_pointers").array().notNull(),
    paidAmount: money("paid_amount").notNull().default("0.00"),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.claimId, t.lineNumber] }),
    foreignKey({ columns: [t.orgId, t.claimId], foreignColumns: [claims.orgId, claims.id] }),
    uniqueIndex("claim_lines_org_line_control_number_key").on(t.orgId, t.lineControlNumber),
    check("claim_lines_line_number_positive", sql`${t.lineNumber} > 0`),
    check("claim_lines_charge_not_negative", sql`${t.charge} >= 0`),
  ],
);

/** Every status change of a claim: who, when, from, to and why. Append-only. */
export const claimStatusChanges = pgTable(
  "claim_status_changes",
  {
    orgId: orgId(),
    id: id(),
    claimId: uuid("claim_id").notNull(),
    fromStatus: claimStatus("from_status"),
    toStatus: claimStatus("to_status").notNull(),
    /** Null when the system made the change (an acknowledgement imported by a job, say). */
    actorId: uuid("actor_id"),
    reason: text("reason").notNull(),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.claimId], foreignColumns: [claims.orgId, claims.id] }),
    foreignKey({ columns: [t.orgId, t.actorId], foreignColumns: [users.orgId, users.id] }),
    index("claim_status_changes_claim_idx").on(t.orgId, t.claimId, t.at),
  ],
);

/**
 * When each claim first went READY, NEEDS_REVIEW, to an acknowledgement outcome (ACCEPTED or REJECTED) and ACCEPTED:
 * the claim-quality report's firsts, kept by a trigger on `claim_status_changes` in the transaction that writes the
 * history (migration `claim_milestones`), so the report reads one narrow row a claim instead of grouping the whole
 * history. History is append-only, so a first only moves earlier, never away. `facility_id` is the claim's.
 */
export const claimMilestones = pgTable(
  "claim_milestones",
  {
    orgId: orgId(),
    claimId: uuid("claim_id").notNull(),
    facilityId: uuid("facility_id").notNull(),
    readyAt: at("ready_at"),
    reviewAt: at("review_at"),
    outcomeAt: at("outcome_at"),
    acceptedAt: at("accepted_at"),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.claimId] }),
    foreignKey({ columns: [t.orgId, t.claimId], foreignColumns: [claims.orgId, claims.id] }),
    foreignKey({ columns: [t.orgId, t.facilityId], foreignColumns: [facilities.orgId, facilities.id] }),
  ],
);

/**
 * A biller's follow-up of an unpaid claim with its payer: what they learned, and when to ask again.
 * Append-only: each call is a new row, and the latest says when the claim is due again.
 */
export const claimFollowUps = pgTable(
  "claim_follow_ups",
  {
    orgId: orgId(),
    id: id(),
    claimId: uuid("claim_id").notNull(),
    workItemId: uuid("work_item_id"),
    actorId: uuid("actor_id").notNull(),
    note: text("note").notNull(),
    /** The claim comes back to the FOLLOW_UP queue on this day if still unpaid. */
    nextFollowUpOn: date("next_follow_up_on", { mode: "string" }).notNull(),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.claimId], foreignColumns: [claims.orgId, claims.id] }),
    foreignKey({ columns: [t.orgId, t.actorId], foreignColumns: [users.orgId, users.id] }),
    index("claim_follow_ups_claim_idx").on(t.orgId, t.claimId, t.at),
  ],
);

/**
 * Which claims went out in which batch and transaction set (ST02): every submission of a claim, kept when
 * it is submitted again, so a 999 about an older batch still finds the claims it names.
 */
export const submissionBatchClaims = pgTable(
  "submission_batch_claims",
  {
    orgId: orgId(),
    batchId: uuid("batch_id").notNull(),
    claimId: uuid("claim_id").notNull(),
    transactionSetControlNumber: text("transaction_set_control_number").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.batchId, t.claimId] }),
    foreignKey({ columns: [t.orgId, t.batchId], foreignColumns: [submissionBatches.orgId, submissionBatches.id] }),
    foreignKey({ columns: [t.orgId, t.claimId], foreignColumns: [claims.orgId, claims.id] }),
    index("submission_batch_claims_claim_idx").on(t.orgId, t.claimId),
  ],
);

/**
 * What a self-pay patient owes for an encounter: the patient statement's lines. A self-pay encounter
 * gets one instead of a claim.
 */
export const patientStatementLines = pgTable(
  "patient_statement_lines",
  {
    orgId: orgId(),
    id: id(),
    patientId: uuid("patient_id").notNull(),
    encounterId: uuid("encounter_id").notNull(),
    amount: money("amount").notNull(),
    description: text("description").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.patientId], foreignColumns: [patients.orgId, patients.id] }),
    foreignKey({ columns: [t.orgId, t.encounterId], foreignColumns: [encounters.orgId, encounters.id] }),
    index("patient_statement_lines_patient_idx").on(t.orgId, t.patientId),
    index("patient_statement_lines_encounter_idx").on(t.orgId, t.encounterId),
  ],
);

/**
 * Numbers an organization hands out once and never again: patient control numbers now,
 * interchange and group control numbers with submission.
 */
export const organizationCounters = pgTable(
  "organization_counters",
  {
    orgId: orgId().references(() => organizations.id),
    name: text("name").notNull(),
    lastValue: bigint("last_value", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.name] })],
);

/**
 * A 999 or 277CA imported for the organization's batches: the file unchanged (unique by its SHA-256, so the
 * same file imported twice is answered with the first import), who brought it in, and what it did to each claim.
 */
export const acknowledgements = pgTable(
  "acknowledgements",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    /** 999 or 277CA. */
    kind: text("kind").$type<"999" | "277CA">().notNull(),
    /** SHA-256 of the file as received, hex. */
    contentHash: text("content_hash").notNull(),
    x12: text("x12").notNull(),
    receivedAt: at("received_at").notNull().defaultNow(),
    receivedBy: uuid("received_by").notNull(),
    /** Batches the file answers that were found. */
    batchIds: uuid("batch_ids").array().notNull(),
    claimsAccepted: integer("claims_accepted").notNull(),
    claimsRejected: integer("claims_rejected").notNull(),
    unmatched: integer("unmatched").notNull(),
    /** Per claim (or unmatched reference) what the file said, its codes explained. */
    outcomes: jsonb("outcomes").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.receivedBy], foreignColumns: [users.orgId, users.id] }),
    uniqueIndex("acknowledgements_org_content_hash_key").on(t.orgId, t.contentHash),
    index("acknowledgements_org_received_idx").on(t.orgId, t.receivedAt),
    check("acknowledgements_kind", sql`${t.kind} in ('999', '277CA')`),
  ],
);
