import { sql } from "drizzle-orm";
import {
  boolean,
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
import { createdAt, id, money, orgId } from "../columns.js";
import { codeSystem } from "./codesets.js";
import { encounters } from "./encounters.js";
import { users } from "./users.js";
import { workItems } from "./work.js";

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * Present on admission (UB-04 / 837I): Y yes, N no, U
 * documentation insufficient, W clinically undetermined, 1 exempt.
 */
export const presentOnAdmission = pgEnum("present_on_admission", ["Y", "N", "U", "W", "1"]);

/** The encounter's diagnoses in reporting order: sequence 1 is the primary (or, inpatient, the principal) diagnosis. */
export const encounterDiagnoses = pgTable(
  "encounter_diagnoses",
  {
    orgId: orgId(),
    encounterId: uuid("encounter_id").notNull(),
    sequence: smallint("sequence").notNull(),
    /** ICD-10-CM in stored form (upper case, no dot). */
    code: text("code").notNull(),
    /** Inpatient stays only. */
    presentOnAdmission: presentOnAdmission("present_on_admission"),
    /**
     * Codes (stored form) of other diagnoses that an Excludes1 note bars beside this one, and that the coder
     * states are unrelated conditions (ICD-10-CM guideline I.A.12.a): the pair is then a WARNING, not an ERROR.
     */
    unrelatedTo: text("unrelated_to").array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.encounterId, t.sequence] }),
    foreignKey({ columns: [t.orgId, t.encounterId], foreignColumns: [encounters.orgId, encounters.id] }),
    check("encounter_diagnoses_sequence_positive", sql`${t.sequence} > 0`),
  ],
);

/** The encounter's procedure lines: CPT or HCPCS service lines, or ICD-10-PCS procedures of an inpatient stay. */
export const encounterProcedures = pgTable(
  "encounter_procedures",
  {
    orgId: orgId(),
    encounterId: uuid("encounter_id").notNull(),
    sequence: smallint("sequence").notNull(),
    system: codeSystem("system").notNull(),
    code: text("code").notNull(),
    modifiers: text("modifiers").array().notNull().default(sql`'{}'::text[]`),
    units: integer("units").notNull(),
    charge: money("charge").notNull(),
    /** The line's date of service; the encounter's when null. */
    serviceDate: date("service_date", { mode: "string" }),
    /** 1-based positions in the diagnosis list, most important first. */
    diagnosisPointers: smallint("diagnosis_pointers").array().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.encounterId, t.sequence] }),
    foreignKey({ columns: [t.orgId, t.encounterId], foreignColumns: [encounters.orgId, encounters.id] }),
    check("encounter_procedures_sequence_positive", sql`${t.sequence} > 0`),
    check("encounter_procedures_units_positive", sql`${t.units} > 0`),
    check("encounter_procedures_charge_not_negative", sql`${t.charge} >= 0`),
  ],
);

export const codeChangeSource = pgEnum("code_change_source", ["CODING", "REVIEW"]);

/** Every change of an encounter's codes: who, when, the codes before and after. Append-only. */
export const encounterCodeChanges = pgTable(
  "encounter_code_changes",
  {
    orgId: orgId(),
    id: id(),
    encounterId: uuid("encounter_id").notNull(),
    /** The encounter's version the change produced. */
    version: integer("version").notNull(),
    actorId: uuid("actor_id").notNull(),
    source: codeChangeSource("source").notNull(),
    /** `{ diagnoses, procedures }` as the API shows them. */
    before: jsonb("before").notNull(),
    after: jsonb("after").notNull(),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.encounterId], foreignColumns: [encounters.orgId, encounters.id] }),
    index("encounter_code_changes_encounter_idx").on(t.orgId, t.encounterId, t.at),
  ],
);

/**
 * A coder's finished coding of an encounter: who, when, how long they held it, the codes as they
 * left them (what a review compares against) and whether it was sampled for review, and why.
 */
export const codingCompletions = pgTable(
  "coding_completions",
  {
    orgId: orgId(),
    id: id(),
    encounterId: uuid("encounter_id").notNull(),
    workItemId: uuid("work_item_id").notNull(),
    coderId: uuid("coder_id").notNull(),
    completedAt: at("completed_at").notNull().defaultNow(),
    /** Seconds the coder held the item (assigned to them), holds excluded. */
    handleSeconds: integer("handle_seconds").notNull(),
    codes: jsonb("codes").notNull(),
    /** Diagnoses plus procedure lines: the denominator of the coder's accuracy. */
    codeCount: integer("code_count").notNull(),
    sampled: boolean("sampled").notNull(),
    samplingReason: text("sampling_reason").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.encounterId], foreignColumns: [encounters.orgId, encounters.id] }),
    foreignKey({ columns: [t.orgId, t.workItemId], foreignColumns: [workItems.orgId, workItems.id] }),
    foreignKey({ columns: [t.orgId, t.coderId], foreignColumns: [users.orgId, users.id] }),
    index("coding_completions_coder_idx").on(t.orgId, t.coderId, t.completedAt),
    index("coding_completions_encounter_idx").on(t.orgId, t.encounterId, t.completedAt),
  ],
);

export const reviewOutcome = pgEnum("review_outcome", ["ACCEPTED", "CORRECTED"]);

/** An auditor's review of one coding completion. */
export const codingReviews = pgTable(
  "coding_reviews",
  {
    orgId: orgId(),
    id: id(),
    completionId: uuid("completion_id").notNull(),
    encounterId: uuid("encounter_id").notNull(),
    auditorId: uuid("auditor_id").notNull(),
    outcome: reviewOutcome("outcome").notNull(),
    /** The coder's codes the auditor reviewed, and how many of them the review left unchanged. */
    codesReviewed: integer("codes_reviewed").notNull(),
    codesUnchanged: integer("codes_unchanged").notNull(),
    note: text("note"),
    reviewedAt: at("reviewed_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.completionId], foreignColumns: [codingCompletions.orgId, codingCompletions.id] }),
    foreignKey({ columns: [t.orgId, t.encounterId], foreignColumns: [encounters.orgId, encounters.id] }),
    foreignKey({ columns: [t.orgId, t.auditorId], foreignColumns: [users.orgId, users.id] }),
    uniqueIndex("coding_reviews_completion_key").on(t.orgId, t.completionId),
    check("coding_reviews_unchanged_within_reviewed", sql`${t.codesUnchanged} between 0 and ${t.codesReviewed}`),
  ],
);

export const findingKind = pgEnum("finding_kind", ["ADDED", "REMOVED", "CHANGED", "RESEQUENCED"]);
export const codeKind = pgEnum("code_kind", ["DIAGNOSIS", "PROCEDURE"]);

/** One difference a review found between the coder's codes and the auditor's, with the auditor's reason. */
export const codingReviewFindings = pgTable(
  "coding_review_findings",
  {
    orgId: orgId(),
    id: id(),
    reviewId: uuid("review_id").notNull(),
    kind: findingKind("kind").notNull(),
    codeKind: codeKind("code_kind").notNull(),
    /** The code as the coder left it, and as the auditor set it; null for an added or removed code. */
    before: jsonb("before"),
    after: jsonb("after"),
    reason: text("reason").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.reviewId], foreignColumns: [codingReviews.orgId, codingReviews.id] }),
    index("coding_review_findings_review_idx").on(t.orgId, t.reviewId),
  ],
);

/** A coder's question to the rendering provider, holding the encounter until it is answered. */
export const physicianQueries = pgTable(
  "physician_queries",
  {
    orgId: orgId(),
    id: id(),
    encounterId: uuid("encounter_id").notNull(),
    workItemId: uuid("work_item_id").notNull(),
    askedById: uuid("asked_by_id").notNull(),
    question: text("question").notNull(),
    askedAt: createdAt(),
    answer: text("answer"),
    answeredById: uuid("answered_by_id"),
    answeredAt: at("answered_at"),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.encounterId], foreignColumns: [encounters.orgId, encounters.id] }),
    foreignKey({ columns: [t.orgId, t.workItemId], foreignColumns: [workItems.orgId, workItems.id] }),
    foreignKey({ columns: [t.orgId, t.askedById], foreignColumns: [users.orgId, users.id] }),
    foreignKey({ columns: [t.orgId, t.answeredById], foreignColumns: [users.orgId, users.id] }),
    index("physician_queries_encounter_idx").on(t.orgId, t.encounterId, t.askedAt),
    uniqueIndex("physician_queries_open_key").on(t.orgId, t.encounterId).where(sql`${t.answeredAt} is null`),
    check("physician_queries_answer_complete", sql`(${t.answer} is null) = (${t.answeredAt} is null)`),
  ],
);
