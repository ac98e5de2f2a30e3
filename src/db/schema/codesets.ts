import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  date,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { id, orgId } from "../columns.js";
import { organizations } from "./organizations.js";
import { users } from "./users.js";

/*
 * Code sets are reference data shared by every organization: no org_id. They are
 * versioned by date of service: a code row carries the range of dates it is in force.
 */

/** PostgreSQL's full-text document type; Drizzle has no built-in column for it. */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const codeSystem = pgEnum("code_system", ["ICD10CM", "ICD10PCS", "CPT", "HCPCS"]);

/** The code sets and edit tables Chartroom imports, each versioned by release (`CodeSetRelease.dataset`). */
export const CODE_SET_DATASETS = [
  "ICD10CM",
  "ICD10CM_TABULAR",
  "ICD10PCS",
  "HCPCS",
  "CPT",
  "MCE",
  "MODIFIERS",
  "POS",
  "CARC_RARC",
  "NCCI_PTP_PRACTITIONER",
  "NCCI_PTP_OUTPATIENT_HOSPITAL",
  "NCCI_AOC",
  "MUE_PRACTITIONER",
  "MUE_OUTPATIENT_HOSPITAL",
  "MUE_DME_SUPPLIER",
] as const;
export type CodeSetDataset = (typeof CODE_SET_DATASETS)[number];

/**
 * One imported release of one data set (a code system, NCCI tables, modifiers, …). Importing the
 * same file twice is a no-op.
 */
export const codeSetReleases = pgTable(
  "code_set_releases",
  {
    id: serial("id").primaryKey(),
    dataset: text("dataset").$type<CodeSetDataset>().notNull(),
    label: text("label").notNull(),
    /** First date of service the release applies to; it stays in force until a newer one starts. */
    effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
    sourceFile: text("source_file").notNull(),
    sha256: text("sha256").notNull(),
    rowCount: integer("row_count").notNull(),
    importedAt: timestamp("imported_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("code_set_releases_dataset_sha_key").on(t.dataset, t.sha256),
    index("code_set_releases_dataset_idx").on(t.dataset, t.effectiveFrom),
  ],
);

/**
 * Codes whose descriptions say no more than this (specificity) have a full-text index of their own: a broad
 * word's first answers are among them, found there without reading the codes ranked before them.
 */
export const FEW_WORDS_SPECIFICITY = 6;

/** The words that only mark a default: a description's specificity leaves them out. */
const DEFAULT_WORDS =
  "'{unspecified,not,specified,site,essential,primary,nos,without,complication,complications}'::text[]";

/** A code of a code system over the dates it is in force with this text and billability. */
export const medicalCodes = pgTable(
  "medical_codes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    system: codeSystem("system").notNull(),
    /** Without dot, upper case: E119. The display form (E11.9) is derived. */
    code: text("code").notNull(),
    /** False for ICD-10-CM/PCS headers, which may not be reported on a claim. */
    billable: boolean("billable").notNull(),
    shortDescription: text("short_description").notNull(),
    longDescription: text("long_description").notNull(),
    effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
    /** Last date in force; null while current. */
    effectiveTo: date("effective_to", { mode: "string" }),
    /** For a header: how many billable codes lie beneath it in the same release. */
    billableDescendants: integer("billable_descendants").notNull().default(0),
    /** The longest shorter code of the same system this code starts with: S72001A → S72001, E119 → E11. */
    parentCode: text("parent_code"),
    /** Words of both descriptions; the short one carries CMS's own abbreviations ("init", "subs", "fx"). */
    searchVector: tsvector("search_vector")
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('simple'::regconfig, long_description || ' ' || short_description)`),
    /**
     * How much a description says beyond "the condition, unspecified": its distinct words, less
     * those that only mark a default (unspecified, essential, primary, without complications).
     * Search ranks fewer first, so "htn" offers I10 before "Portal hypertension".
     */
    specificity: smallint("specificity")
      .notNull()
      .generatedAlwaysAs(
        sql`length(ts_delete(to_tsvector('simple'::regconfig, long_description), ${sql.raw(DEFAULT_WORDS)}))`,
      ),
    releaseId: integer("release_id")
      .notNull()
      .references(() => codeSetReleases.id),
  },
  (t) => [
    uniqueIndex("medical_codes_system_code_from_key").on(t.system, t.code, t.effectiveFrom),
    index("medical_codes_code_prefix_idx").on(t.system, sql`${t.code} text_pattern_ops`),
    index("medical_codes_parent_idx").on(t.system, t.parentCode),
    index("medical_codes_search_idx").using("gin", t.searchVector),
    // Search order (billable first, least specific first): a broad word reads codes in this order and stops at `first`.
    index("medical_codes_search_order_idx").on(t.system, sql`(not ${t.billable})`, t.specificity, t.code),
    // Small: no pending list (fastupdate), which every search would scan until a vacuum merged it.
    index("medical_codes_search_few_words_idx")
      .using("gin", t.searchVector)
      .where(sql`${t.specificity} <= ${sql.raw(`${FEW_WORDS_SPECIFICITY}`)}`)
      .with({ fastupdate: false }),
  ],
);

/** Every distinct word of the descriptions, for correcting a misspelled search word and sizing a query. */
export const codeSearchTerms = pgTable(
  "code_search_terms",
  {
    system: codeSystem("system").notNull(),
    term: text("term").notNull(),
    /**
     * How many codes of the system use the word: search walks codes in rank order for a common word
     * instead of sorting them all.
     */
    codes: integer("codes").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.system, t.term] }),
    // GIN, not GiST: the closest words are among those similar enough (term % word), which GIN finds
    // reading a few trigrams' lists, then sorted; GiST's nearest-neighbour walk read ten times the pages.
    index("code_search_terms_trgm_idx").using("gin", sql`${t.term} gin_trgm_ops`),
    // Byte order, so "words starting with w" is an index range: term ~>=~ w and term ~<~ w || '{'.
    index("code_search_terms_prefix_idx").on(t.system, sql`${t.term} text_pattern_ops`),
  ],
);

export const codeNoteKind = pgEnum("code_note_kind", [
  "EXCLUDES1",
  "EXCLUDES2",
  "CODE_FIRST",
  "USE_ADDITIONAL_CODE",
  "CODE_ALSO",
]);

/**
 * The instructional notes of the ICD-10-CM tabular list, one row per note as CMS lists it, kept per
 * tabular release (dataset ICD10CM_TABULAR). A note applies to the codes its scope covers: a code and
 * every code beneath it (E11 covers E11.9), or a section's or chapter's range of categories (G60-G65).
 */
export const codeNotes = pgTable(
  "code_notes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    releaseId: integer("release_id")
      .notNull()
      .references(() => codeSetReleases.id),
    /** A code without its dot (E11, E119), or a range of categories (G60-G65) for a section or chapter. */
    scope: text("scope").notNull(),
    kind: codeNoteKind("kind").notNull(),
    /** The note's place among the notes of its kind at its scope: a "code first" list reads in this order. */
    position: smallint("position").notNull(),
    /** As CMS wrote it: "type 1 diabetes mellitus (E10.-)". */
    text: text("text").notNull(),
    /**
     * The codes the note names, in the scope's form: a code or prefix (E10 for "E10.-", P702), or a
     * range (N181-N186). Empty where it names none or only in a form read as words ("with fifth character 1").
     */
    refs: text("refs").array().notNull(),
  },
  (t) => [
    index("code_notes_scope_idx").on(t.releaseId, t.scope),
    // The few section and chapter notes, which every look-up reads besides the notes of its codes.
    index("code_notes_ranges_idx").on(t.releaseId).where(sql`${t.scope} like '%-%'`),
  ],
);

/** Medicare Code Editor limits on ICD-10-CM codes: the sex and the ages a diagnosis fits, and manifestation codes. */
export const diagnosisEdits = pgTable("diagnosis_edits", {
  code: text("code").primaryKey(),
  /** F or M when the code fits one sex only. */
  sex: text("sex"),
  ageMin: smallint("age_min"),
  ageMax: smallint("age_max"),
  /** A manifestation code may not be the principal (first) diagnosis. */
  manifestation: boolean("manifestation").notNull().default(false),
});

export const modifiers = pgTable("modifiers", {
  code: text("code").primaryKey(),
  /** "I" (CPT) or "II" (HCPCS); P1–P6 are both. */
  levels: text("levels").array().notNull(),
  description: text("description").notNull(),
});

export const placesOfService = pgTable("places_of_service", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  description: text("description").notNull(),
});

export const adjustmentCodeType = pgEnum("adjustment_code_type", ["GROUP", "CARC", "RARC"]);

/** Claim adjustment group codes, reason codes (CARC) and remark codes (RARC), as 835 remittances use them. */
export const adjustmentCodes = pgTable(
  "adjustment_codes",
  {
    type: adjustmentCodeType("type").notNull(),
    code: text("code").notNull(),
    description: text("description").notNull(),
    startDate: date("start_date", { mode: "string" }),
    endDate: date("end_date", { mode: "string" }),
  },
  (t) => [primaryKey({ columns: [t.type, t.code] })],
);

export const ncciSetting = pgEnum("ncci_setting", ["PRACTITIONER", "OUTPATIENT_HOSPITAL", "DME_SUPPLIER"]);

/**
 * NCCI procedure-to-procedure edits: a column 2 code is not paid with its column 1 code on the
 * same date, unless the modifier indicator allows a bypass modifier. One row per column 1 code,
 * its pairs in parallel arrays (unnest them together): the tables hold millions of pairs, and
 * this keeps loading them at first start within seconds while a lookup by column 1 stays one
 * index probe.
 */
export const ncciPtpEdits = pgTable(
  "ncci_ptp_edits",
  {
    setting: ncciSetting("setting").notNull(),
    column1: text("column1").notNull(),
    column2s: text("column2s").array().notNull(),
    /** Per pair. 0: never together; 1: allowed with a bypass modifier; 9: the edit does not apply. */
    modifierIndicators: smallint("modifier_indicators").array().notNull(),
    /** Per pair: the last date the edit applies; null while active. */
    deletionDates: date("deletion_dates", { mode: "string" }).array().notNull(),
    /** Per pair: index into `ncci_rationales`. */
    rationaleIds: smallint("rationale_ids").array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.setting, t.column1] })],
);

/** The few distinct reasons CMS gives for a PTP edit, e.g. "Mutually exclusive procedures". */
export const ncciRationales = pgTable("ncci_rationales", {
  id: smallint("id").primaryKey(),
  text: text("text").notNull().unique(),
});

/** NCCI medically unlikely edits: most units of a code per line or per day. */
export const mueLimits = pgTable(
  "mue_limits",
  {
    setting: ncciSetting("setting").notNull(),
    code: text("code").notNull(),
    units: integer("units").notNull(),
    /** 1: per claim line; 2: per day, policy; 3: per day, clinical. */
    adjudicationIndicator: smallint("adjudication_indicator").notNull(),
    rationale: text("rationale").notNull(),
  },
  (t) => [primaryKey({ columns: [t.setting, t.code] })],
);

/**
 * NCCI add-on code edits: an add-on code is paid only with one of its primary codes, by the same
 * practitioner on the same date. One row per add-on code; the CMS table applies in every setting.
 */
export const ncciAddOnCodes = pgTable("ncci_add_on_codes", {
  addOnCode: text("add_on_code").primaryKey(),
  /**
   * 1: only with a listed primary code; 2: CMS lists none (each payer keeps its own); 3: some listed,
   * a payer may accept others.
   */
  editType: smallint("edit_type").notNull(),
  /** The primary codes CMS lists; empty where it names none ("CCCCC" in its table). */
  primaryCodes: text("primary_codes").array().notNull(),
});

export const codeSetImportState = pgEnum("code_set_import_state", ["RUNNING", "SUCCEEDED", "FAILED"]);

/**
 * An administrator's import of a code-set release through the API, and how it went: the release
 * itself is shared by every organization, the record of who asked is their organization's.
 */
export const codeSetImportJobs = pgTable(
  "code_set_import_jobs",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    /** The file's name in the server's import folder. */
    file: text("file").notNull(),
    requestedBy: uuid("requested_by").notNull(),
    state: codeSetImportState("state").notNull().default("RUNNING"),
    /** The importer's progress lines so far, in order. */
    progress: text("progress").array().notNull().default(sql`'{}'::text[]`),
    /** The release the file holds, once imported (or found imported before). */
    releaseId: integer("release_id").references(() => codeSetReleases.id),
    /** FILE_REFUSED, RELEASE_OUT_OF_ORDER, IMPORT_FAILED or IMPORT_INTERRUPTED, with the message, once FAILED. */
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    startedAt: timestamp("started_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }),
    /**
     * The newest event id when the job was created: its events all come after it, so a subscription
     * to the job replays them from here (null for jobs created before it was recorded).
     */
    eventsAfter: bigint("events_after", { mode: "number" }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.requestedBy], foreignColumns: [users.orgId, users.id] }),
    index("code_set_import_jobs_org_started_idx").on(t.orgId, t.startedAt),
  ],
);
