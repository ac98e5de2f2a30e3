import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gte,
  inArray,
  isNull,
  like,
  lte,
  min,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import { alias, type PgColumn } from "drizzle-orm/pg-core";
import { type Database, StatementCache, selectRows } from "../../db/client.js";
import {
  type CodeSetDataset,
  codeNotes,
  codeSearchTerms,
  codeSetReleases,
  diagnosisEdits as diagnosisEditLimits,
  FEW_WORDS_SPECIFICITY,
  medicalCodes,
  modifiers,
  mueLimits,
  ncciAddOnCodes,
  ncciPtpEdits,
  ncciRationales,
  type ncciSetting,
} from "../../db/schema/codesets.js";
import type { CodeSystem } from "./codeset.codes.js";
import type { CodeNoteKind } from "./codeset.tabular.js";

const {
  searchVector: _searchVector,
  specificity: _specificity,
  releaseId: _releaseId,
  ...codeColumns
} = getTableColumns(medicalCodes);

export type MedicalCodeRow = Omit<typeof medicalCodes.$inferSelect, "searchVector" | "specificity" | "releaseId">;
export type DiagnosisEditRow = typeof diagnosisEditLimits.$inferSelect;
export type MueLimitRow = typeof mueLimits.$inferSelect;
export type AddOnCodeRow = typeof ncciAddOnCodes.$inferSelect;
export type NcciSetting = (typeof ncciSetting.enumValues)[number];

/**
 * The code rows of a system in force on a date of service: the version a claim for that date must use.
 * `systemTest` tests the system another way where the plan needs it (a search by words: inSystemByWords).
 */
const inForce = (system: CodeSystem, dateOfService: string, systemTest: SQL = eq(medicalCodes.system, system)) =>
  and(
    systemTest,
    lte(medicalCodes.effectiveFrom, dateOfService),
    or(isNull(medicalCodes.effectiveTo), gte(medicalCodes.effectiveTo, dateOfService)),
  )!;

/** These codes (stored form) as in force on the date; missing ones are simply absent. */
export function codesInForce(
  db: Database,
  system: CodeSystem,
  codes: readonly string[],
  dateOfService: string,
): Promise<MedicalCodeRow[]> {
  return db
    .select(codeColumns)
    .from(medicalCodes)
    .where(and(inForce(system, dateOfService), inArray(medicalCodes.code, [...codes])));
}

/** A code of a system to read as in force on a date. */
export interface CodeOnDate {
  system: CodeSystem;
  code: string;
  dateOfService: string;
}

/** A code row in force on the date it was asked for, with its Medicare Code Editor limits (ICD-10-CM only). */
export type CodeInForceRow = MedicalCodeRow & { dateOfService: string; limits: DiagnosisEditRow | null };

/** A JSON object of columns under their property names: rows of several tables in one result. */
const jsonObject = (columns: Record<string, PgColumn | SQL>) =>
  sql`json_build_object(${sql.join(
    Object.entries(columns).map(([name, column]) => sql`${sql.raw(`'${name}'`)}::text, ${column}`),
    sql`, `,
  )})`;

/** A JSON array of the rows of `select`, each the JSON `row`; empty when there are none. */
const jsonRows = (row: SQL | PgColumn, select: SQL) => sql`coalesce((select json_agg(${row}) ${select}), '[]'::json)`;

/**
 * The code rows in force on each asked (system, code, day), the placeholders `systems`, `codes` and `days`
 * (parallel text arrays), with each diagnosis's Code Editor limits.
 */
const codesInForceJson = jsonRows(
  jsonObject({
    ...codeColumns,
    dateOfService: sql`asked.day::text`,
    limits: sql`case when ${diagnosisEditLimits.code} is null then null
                     else ${jsonObject(getTableColumns(diagnosisEditLimits))} end`,
  }),
  sql`from unnest(${sql.placeholder("systems")}::text[]::code_system[], ${sql.placeholder("codes")}::text[],
                  ${sql.placeholder("days")}::text[]::date[]) as asked(system, code, day)
      join ${medicalCodes} on ${medicalCodes.system} = asked.system and ${medicalCodes.code} = asked.code
           and ${medicalCodes.effectiveFrom} <= asked.day
           and (${medicalCodes.effectiveTo} is null or ${medicalCodes.effectiveTo} >= asked.day)
      left join ${diagnosisEditLimits} on ${medicalCodes.system} = 'ICD10CM'
           and ${diagnosisEditLimits.code} = ${medicalCodes.code}`,
);

/** The placeholders of codesInForceJson for these codes. */
const askedCodes = (keys: readonly CodeOnDate[]) => ({
  systems: keys.map((key) => key.system),
  codes: keys.map((key) => key.code),
  days: keys.map((key) => key.dateOfService),
});

/** A code's version, with its Medicare Code Editor limits (ICD-10-CM only). */
type CodeVersionRow = MedicalCodeRow & { limits: DiagnosisEditRow | null };

/**
 * The versions of each asked (system, code) in force on some day from `firsts` to `lasts` (the placeholders
 * `systems`, `codes`, `firsts` and `lasts`: parallel text arrays, one entry per code), with their limits.
 */
const codeVersionsJson = jsonRows(
  jsonObject({
    ...codeColumns,
    limits: sql`case when ${diagnosisEditLimits.code} is null then null
                     else ${jsonObject(getTableColumns(diagnosisEditLimits))} end`,
  }),
  sql`from unnest(${sql.placeholder("systems")}::text[]::code_system[], ${sql.placeholder("codes")}::text[],
                  ${sql.placeholder("firsts")}::text[]::date[], ${sql.placeholder("lasts")}::text[]::date[])
             as asked(system, code, first_day, last_day)
      join ${medicalCodes} on ${medicalCodes.system} = asked.system and ${medicalCodes.code} = asked.code
           and ${medicalCodes.effectiveFrom} <= asked.last_day
           and (${medicalCodes.effectiveTo} is null or ${medicalCodes.effectiveTo} >= asked.first_day)
      left join ${diagnosisEditLimits} on ${medicalCodes.system} = 'ICD10CM'
           and ${diagnosisEditLimits.code} = ${medicalCodes.code}`,
);

const codeVersionsStatement = new StatementCache<{ rows: CodeVersionRow[] }>({ rows: sql`rows` });

/**
 * Codes of any systems, each as in force on its own date, with each diagnosis's Code Editor limits:
 * one prepared statement, so checking a save's codes costs one round trip whatever systems and dates it
 * spans. Missing codes are simply absent. The statement reads each distinct code's versions once, over
 * the span of its dates, and each date takes its version here: a page of encounters asks the same few
 * codes on fifty dates, which would otherwise be fifty look-ups and rows of each.
 */
export async function codesInForceOn(db: Database, keys: readonly CodeOnDate[]): Promise<CodeInForceRow[]> {
  const spans = new Map<string, { system: CodeSystem; code: string; first: string; last: string }>();
  for (const { system, code, dateOfService } of keys) {
    const span = spans.get(`${system}|${code}`);
    if (!span) spans.set(`${system}|${code}`, { system, code, first: dateOfService, last: dateOfService });
    else if (dateOfService < span.first) span.first = dateOfService;
    else if (dateOfService > span.last) span.last = dateOfService;
  }
  const asked = [...spans.values()];
  const build = () => sql`/* codesInForceOn */ select ${codeVersionsJson} as rows`;
  const [row] = await codeVersionsStatement.run(db, "codesInForceOn", build, {
    systems: asked.map((span) => span.system),
    codes: asked.map((span) => span.code),
    firsts: asked.map((span) => span.first),
    lasts: asked.map((span) => span.last),
  });
  const versions = new Map<string, CodeVersionRow[]>();
  for (const version of row?.rows ?? []) {
    const key = `${version.system}|${version.code}`;
    const known = versions.get(key);
    if (known) known.push(version);
    else versions.set(key, [version]);
  }
  return keys.flatMap(({ system, code, dateOfService }) =>
    (versions.get(`${system}|${code}`) ?? [])
      .filter((version) => inForceOn(version, dateOfService))
      .map((version) => ({ ...version, dateOfService })),
  );
}

/** Whether a version is in force on the day (ISO dates, which compare as text). */
const inForceOn = (version: MedicalCodeRow, day: string) =>
  version.effectiveFrom <= day && (version.effectiveTo === null || version.effectiveTo >= day);

/** Every version of one code, newest first: tells "retired on …" from "never existed". */
export function codeVersions(db: Database, system: CodeSystem, code: string): Promise<MedicalCodeRow[]> {
  return db
    .select(codeColumns)
    .from(medicalCodes)
    .where(and(eq(medicalCodes.system, system), eq(medicalCodes.code, code)))
    .orderBy(desc(medicalCodes.effectiveFrom));
}

/** The codes one level beneath each parent, in code order. */
export function childrenInForce(
  db: Database,
  system: CodeSystem,
  parents: readonly string[],
  dateOfService: string,
): Promise<MedicalCodeRow[]> {
  return db
    .select(codeColumns)
    .from(medicalCodes)
    .where(and(inForce(system, dateOfService), inArray(medicalCodes.parentCode, [...parents])))
    .orderBy(asc(medicalCodes.code));
}

/**
 * Billable codes beneath a header (any depth), least specific first, as search ranks them. `code` is
 * a validated stored code.
 */
export function billableDescendantsInForce(
  db: Database,
  system: CodeSystem,
  code: string,
  dateOfService: string,
  limit: number,
): Promise<MedicalCodeRow[]> {
  return db
    .select(codeColumns)
    .from(medicalCodes)
    .where(and(inForce(system, dateOfService), like(medicalCodes.code, `${code}_%`), eq(medicalCodes.billable, true)))
    .orderBy(asc(medicalCodes.specificity), asc(medicalCodes.code))
    .limit(limit);
}

/** The first date of service any code of the system is in force; null when none is loaded. */
export async function firstDateInForce(db: Database, system: CodeSystem): Promise<string | null> {
  const [row] = await db
    .select({ from: min(medicalCodes.effectiveFrom) })
    .from(medicalCodes)
    .where(eq(medicalCodes.system, system));
  return row?.from ?? null;
}

/**
 * One row of an NCCI procedure-to-procedure pair: `column2` is not paid with `column1` on the same
 * date. A pair whose modifier indicator changed has several rows; they follow one another in time.
 */
export interface PtpPair {
  column1: string;
  column2: string;
  /** 0: never together; 1: together with a bypass modifier; 9: no edit while this row is in force. */
  modifierIndicator: 0 | 1 | 9;
  /** The last date of service the row applies to (CMS deletion dates end quarters: 2024-06-30); null while active. */
  deletionDate: string | null;
  rationale: string;
}

/** The tabular list's notes are a data set of their own, versioned by fiscal year like the codes. */
export const TABULAR_DATASET = "ICD10CM_TABULAR" satisfies CodeSetDataset;

/** A tabular note as the coding edits read it. */
export interface CodeNoteRow {
  scope: string;
  kind: CodeNoteKind;
  position: number;
  text: string;
  refs: string[];
}

/** The newest release of a data set, as the edits name it when it predates a date of service. */
export interface LatestRelease {
  dataset: CodeSetDataset;
  label: string;
  effectiveFrom: string;
}

/** What one run of the coding edits reads of the code sets; an empty list reads nothing of its table. */
export interface EditTablesAsk {
  /** Codes to read as in force on their dates, with their Code Editor limits. */
  codes: readonly CodeOnDate[];
  /** Modifiers to tell from ones CPT and HCPCS do not have. */
  modifiers: readonly string[];
  /** The NCCI tables of `setting` for these CPT and HCPCS codes (PTP pairs only among two or more). */
  ncci: { setting: NcciSetting; codes: readonly string[]; from: string } | null;
  /** Tabular notes of these kinds for these diagnoses, from the tabular release in force on the date. */
  notes: { codes: readonly string[]; kinds: readonly CodeNoteKind[]; dateOfService: string } | null;
  /** Data sets whose newest release is asked for. */
  datasets: readonly CodeSetDataset[];
}

/** The rows EditTablesAsk asks for, table by table. */
export interface EditTables {
  codes: CodeInForceRow[];
  /** The asked modifiers that are CPT or HCPCS modifiers. */
  modifiers: string[];
  /** The medically unlikely edits of the codes in the setting; codes without one are absent. */
  mueLimits: MueLimitRow[];
  /** The add-on code edits of the codes; codes that are not add-on codes are absent. */
  addOnCodes: AddOnCodeRow[];
  /** The PTP pair rows among the codes not deleted before `from` (the earliest date of service asked about). */
  ptpPairs: PtpPair[];
  /**
   * The notes at each code and the codes above it (E11 for E11.9), and every section and chapter note
   * (a range: the caller keeps those whose range holds a code), in scope, kind and list order.
   */
  notes: CodeNoteRow[];
  releases: LatestRelease[];
}

/**
 * The tables of EditTables, each a JSON array of a subquery: one statement for them all, compiled once.
 * The PTP pairs of a column 1 code are parallel arrays, unnested together and filtered to the column 2
 * codes asked about, in one index probe per column 1 code. The tabular release is the one in force on the
 * date, else the earliest loaded, for a date before it.
 */
const editTableColumns = {
  codes: codesInForceJson,
  modifiers: jsonRows(
    modifiers.code,
    sql`from ${modifiers} where ${modifiers.code} = any(${sql.placeholder("modifiers")}::text[])`,
  ),
  mueLimits: jsonRows(
    jsonObject(getTableColumns(mueLimits)),
    sql`from ${mueLimits} where ${mueLimits.setting} = ${sql.placeholder("setting")}::ncci_setting
          and ${mueLimits.code} = any(${sql.placeholder("ncciCodes")}::text[])`,
  ),
  addOnCodes: jsonRows(
    jsonObject(getTableColumns(ncciAddOnCodes)),
    sql`from ${ncciAddOnCodes} where ${ncciAddOnCodes.addOnCode} = any(${sql.placeholder("ncciCodes")}::text[])`,
  ),
  ptpPairs: jsonRows(
    jsonObject({
      column1: ncciPtpEdits.column1,
      column2: sql`p.column2`,
      modifierIndicator: sql`p.modifier_indicator`,
      deletionDate: sql`p.deletion_date`,
      rationale: ncciRationales.text,
    }),
    sql`from ${ncciPtpEdits}
        cross join lateral unnest(${ncciPtpEdits.column2s}, ${ncciPtpEdits.modifierIndicators},
                                  ${ncciPtpEdits.deletionDates}, ${ncciPtpEdits.rationaleIds})
              as p(column2, modifier_indicator, deletion_date, rationale_id)
        join ${ncciRationales} on ${ncciRationales.id} = p.rationale_id
        where cardinality(${sql.placeholder("ncciCodes")}::text[]) > 1
          and ${ncciPtpEdits.setting} = ${sql.placeholder("setting")}::ncci_setting
          and ${ncciPtpEdits.column1} = any(${sql.placeholder("ncciCodes")}::text[])
          and p.column2 = any(${sql.placeholder("ncciCodes")}::text[])
          and (p.deletion_date is null or p.deletion_date >= ${sql.placeholder("from")}::date)`,
  ),
  notes: jsonRows(
    sql`${jsonObject({
      scope: codeNotes.scope,
      kind: codeNotes.kind,
      position: codeNotes.position,
      text: codeNotes.text,
      refs: codeNotes.refs,
    })} order by ${codeNotes.scope}, ${codeNotes.kind}, ${codeNotes.position}`,
    sql`from ${codeNotes}
        where cardinality(${sql.placeholder("noteKinds")}::text[]) > 0
          and ${codeNotes.releaseId} = (
                select ${codeSetReleases.id} from ${codeSetReleases}
                 where ${codeSetReleases.dataset} = ${TABULAR_DATASET}
                 order by case when ${codeSetReleases.effectiveFrom} <= ${sql.placeholder("noteDate")}::date
                               then ${codeSetReleases.effectiveFrom} end desc nulls last,
                          ${codeSetReleases.effectiveFrom}, ${codeSetReleases.id} desc
                 limit 1)
          and ${codeNotes.kind}::text = any(${sql.placeholder("noteKinds")}::text[])
          and (${codeNotes.scope} = any(${sql.placeholder("notePrefixes")}::text[]) or ${codeNotes.scope} like '%-%')`,
  ),
  releases: jsonRows(
    sql`json_build_object('dataset', newest.dataset, 'label', newest.label, 'effectiveFrom', newest.effective_from)`,
    sql`from (select distinct on (${codeSetReleases.dataset}) ${codeSetReleases.dataset} as dataset,
                     ${codeSetReleases.label} as label, ${codeSetReleases.effectiveFrom} as effective_from
                from ${codeSetReleases}
               where ${codeSetReleases.dataset} = any(${sql.placeholder("datasets")}::text[])
               order by ${codeSetReleases.dataset}, ${codeSetReleases.effectiveFrom} desc, ${codeSetReleases.id} desc
             ) newest`,
  ),
};

const editTablesStatement = new StatementCache<EditTables>(editTableColumns);

/**
 * Everything one run of the coding edits reads of the code sets, in one prepared statement: the edits
 * of a save or a scrub cost one round trip, planned once per connection.
 */
export async function editTablesOf(db: Database, ask: EditTablesAsk): Promise<EditTables> {
  const build = () =>
    sql`/* editTablesOf */ select ${sql.join(
      Object.entries(editTableColumns).map(([name, column]) => sql`${column} as ${sql.identifier(name)}`),
      sql`, `,
    )}`;
  const prefixes = (ask.notes?.codes ?? []).flatMap((code) => [...code].map((_, i) => code.slice(0, i + 1)));
  const [row] = await editTablesStatement.run(db, "editTablesOf", build, {
    ...askedCodes(ask.codes),
    modifiers: ask.modifiers,
    setting: ask.ncci?.setting ?? null,
    ncciCodes: ask.ncci?.codes ?? [],
    from: ask.ncci?.from ?? null,
    noteKinds: ask.notes?.kinds ?? [],
    notePrefixes: [...new Set(prefixes)],
    noteDate: ask.notes?.dateOfService ?? null,
    datasets: ask.datasets,
  });
  return row!;
}

/** The imported releases, newest first within each data set. */
export function releases(db: Database) {
  return db.select().from(codeSetReleases).orderBy(asc(codeSetReleases.dataset), desc(codeSetReleases.effectiveFrom));
}

export interface CodeSearch {
  system: CodeSystem;
  dateOfService: string;
  billableOnly: boolean;
  limit: number;
  /** A stored-form code or code prefix the query may be. */
  code: string | null;
  /** A `to_tsquery('simple', …)` text built from sanitized words only: what a description must match. */
  words: string | null;
  /**
   * The part of `words` (implied by it) that the full-text index looks up, the rest being checked on the rows
   * it finds; absent: all of `words`.
   */
  indexWords?: string | null;
  /** A single word that many codes use: its matches are read in rank order, not all read and sorted. */
  broad: boolean;
  /** Rows whose description is only a placeholder (unlicensed CPT) match codes, not words. */
  placeholder: string;
  /** The stored-form code the query means by default (`data/codesets/preferred-codes.tsv`): offered first. */
  preferred?: string | null;
}

/** `term` starts with the word: a range of the byte-ordered index ('{' follows 'z'; words hold only [a-z0-9]). */
const startsWith = (word: SQL) =>
  sql`${codeSearchTerms.term} ~>=~ ${word} and ${codeSearchTerms.term} ~<~ (${word} || '{')`;

/** A text[] parameter: the driver sends the words as one array value, quoting each (a word "null" stays a word). */
const textArray = (words: readonly string[]) => sql`${sql.param([...words])}::text[]`;

/** The hits of all tiers, several per code: the search keeps each code's best. */
const hits = alias(medicalCodes, "hits");

/**
 * Ranks an ICD-10-CM injury code's subsequent-encounter and sequela versions (7th character D to S)
 * after every initial one: "Sprain of ankle, sequela" has fewer words, yet a coder means the initial
 * encounter far more often.
 */
const LATER_ENCOUNTER_RANK = 1000;

/** One tier of search hits: its codes, their order, and (descriptions) the rank they sort by within it. */
interface Tier {
  tier: number;
  where: SQL;
  /** Absent for a tier of one code. */
  order?: SQL;
  rank?: SQL;
  /** The tier's whole select (columns, `rank`, `tier`), where a plain one over `where` would not do. */
  select?: SQL;
}

/**
 * The system test written as the function behind `=`, which no index serves: a query of words reads its
 * rows from a full-text index alone. ANDed with the system's 150,000 rows of a btree index (which the
 * planner likes for it), the index read cost more than the rows it ruled out.
 */
const inSystemByWords = (system: CodeSystem) => sql`enum_eq(${medicalCodes.system}, ${system}::code_system)`;

/**
 * One statement, three tiers: the exact code, codes starting with it, then descriptions
 * holding every word (as prefixes). Within a tier billable codes come first, then the least
 * specific (the fewest words beyond the ones typed: what a coder means by "htn" is I10, not
 * "Portal hypertension"), then code order.
 * Before them all, the code the query means by default (`preferred`), and in the sorted matches
 * an injury's initial encounter before its later ones (`LATER_ENCOUNTER_RANK`). A query of one
 * tier is that tier's plain select, which PostgreSQL plans in a fraction of the time.
 *
 * Descriptions are matched one of two ways. A broad word ("fracture", in 20,000 codes) is looked up
 * among the codes of few words (FEW_WORDS_SPECIFICITY, their own full-text index): when `limit`
 * billable ones match, they are the first answers, as every other billable code is more specific;
 * else the search walks the rank-ordered index and stops at `limit`. Anything else reads its
 * matches from the full-text index (`indexWords`), checks them against all `words`, and sorts them
 * (several words intersect to few codes). The planner cannot choose well alone: it assumes matches
 * spread evenly along the rank-ordered index, and cannot tell a rare word of a query from a common
 * one. The match test an index must not answer is written as the function behind `@@`
 * (ts_match_vq), which no index serves, and the system test as inSystemByWords.
 */
export async function searchCodeRows(db: Database, search: CodeSearch): Promise<MedicalCodeRow[]> {
  const { system, dateOfService, limit } = search;
  const inForceOnDate = (systemTest?: SQL) => {
    const dated = inForce(system, dateOfService, systemTest);
    return search.billableOnly ? and(dated, sql`${medicalCodes.billable}`)! : dated;
  };
  const candidates = inForceOnDate();
  const tiers: Tier[] = [];
  if (search.preferred) {
    tiers.push({ tier: 0, where: sql`${candidates} and ${medicalCodes.code} = ${search.preferred}` });
  }
  if (search.code) {
    // A range of the prefix index, in its byte order (code order for codes' letters and digits): the exact
    // code first, and only billable codes walk the index and stop at `limit`.
    const prefix = sql`${medicalCodes.code} like ${`${search.code}%`}`;
    if (search.billableOnly) {
      tiers.push({ tier: 1, where: sql`${candidates} and ${prefix}`, order: sql`${medicalCodes.code} using ~<~` });
    } else {
      tiers.push({ tier: 0, where: sql`${candidates} and ${medicalCodes.code} = ${search.code}` });
      tiers.push({
        tier: 1,
        where: sql`${candidates} and ${prefix} and ${medicalCodes.code} <> ${search.code}`,
        order: sql`(not ${medicalCodes.billable}), ${medicalCodes.code}`,
      });
    }
  }
  if (search.words) {
    const query = (words: string) => sql`to_tsquery('simple', ${words})`;
    const notPlaceholder = sql`${medicalCodes.longDescription} <> ${search.placeholder}`;
    const byWords = sql`${inForceOnDate(inSystemByWords(system))} and ${notPlaceholder}`;
    if (search.broad) {
      const rank = sql`${medicalCodes.specificity}`;
      const order = sql`(not ${medicalCodes.billable}), ${rank}, ${medicalCodes.code}`;
      const walked = sql`${candidates} and ${notPlaceholder}
        and ts_match_vq(${medicalCodes.searchVector}, ${query(search.words)})`;
      const columns = tierColumns(2, rank);
      // The few-words index's condition is written out as its own: the planner uses a partial index only then.
      const fewWords = sql`${byWords} and ${medicalCodes.specificity} <= ${sql.raw(`${FEW_WORDS_SPECIFICITY}`)}
        and ${medicalCodes.searchVector} @@ ${query(search.words)}`;
      // `+ 0` keeps the planner off the rank-ordered index, which would walk every short code.
      const select = sql`(with few as (select ${columns} from ${medicalCodes} where ${fewWords}
                                        order by (not ${medicalCodes.billable}), ${rank} + 0, ${medicalCodes.code}
                                        limit ${limit})
                          select * from few
                          union all
                          (select ${columns} from ${medicalCodes}
                            where ${walked} and (select count(*) from few where few.billable) < ${limit}
                            order by ${order} limit ${limit}))`;
      tiers.push({ tier: 2, where: walked, select });
    } else {
      const indexWords = search.indexWords ?? search.words;
      const match =
        indexWords === search.words
          ? sql`${medicalCodes.searchVector} @@ ${query(search.words)}`
          : sql`${medicalCodes.searchVector} @@ ${query(indexWords)}
                and ts_match_vq(${medicalCodes.searchVector}, ${query(search.words)})`;
      // The sum keeps the planner off the rank-ordered index too: a narrow query sorts its few matches.
      const later = sql.raw(`${LATER_ENCOUNTER_RANK}`);
      const laterEncounter = sql`case when ${medicalCodes.code} ~ '^.{6}[D-S]$' then ${later} else 0 end`;
      const rank = sql`${medicalCodes.specificity} + ${system === "ICD10CM" ? laterEncounter : sql`0`}`;
      const order = sql`(not ${medicalCodes.billable}), ${rank}, ${medicalCodes.code}`;
      tiers.push({ tier: 2, where: sql`${byWords} and ${match}`, order, rank });
    }
  }
  const [only] = tiers;
  if (!only) return [];
  if (tiers.length === 1 && !only.select) {
    return db
      .select(codeColumns)
      .from(medicalCodes)
      .where(only.where)
      .orderBy(only.order ?? sql`${medicalCodes.code}`)
      .limit(limit);
  }
  const selects = tiers.map(({ tier, where, order, rank, select }) => {
    if (select) return select;
    const ordered = order ? sql` order by ${order}` : sql``;
    return sql`(select ${tierColumns(tier, rank)} from ${medicalCodes} where ${where}${ordered} limit ${limit})`;
  });
  // Referenced once, the CTE is inlined: PostgreSQL plans it as the subquery it is.
  const best = db.$with("best", codeColumns).as(
    sql`select distinct on (${hits.id}) * from (${sql.join(selects, sql` union all `)}) ${hits}
          order by ${hits.id}, tier`,
  );
  return db
    .with(best)
    .select()
    .from(best)
    .orderBy(sql`tier`, sql`(not ${best.billable})`, sql`rank`, best.code)
    .limit(limit);
}

/** A tier's columns: the code's, its `rank` within the tier, and the tier. */
const tierColumns = (tier: number, rank: SQL | undefined) =>
  sql.join(
    [...Object.values(codeColumns), sql`${rank ?? sql`0`} as rank`, sql`${sql.raw(`${tier}`)} as tier`],
    sql`, `,
  );

/** Every word of a system's code descriptions, with how many codes use it. */
export function searchTerms(db: Database, system: CodeSystem): Promise<{ term: string; codes: number }[]> {
  return db
    .select({ term: codeSearchTerms.term, codes: codeSearchTerms.codes })
    .from(codeSearchTerms)
    .where(eq(codeSearchTerms.system, system));
}

/**
 * For each word that no description word of the system starts with, the description words nearest to it
 * by trigram distance (of those similar enough, which the trigram index finds), closest first, with how
 * many codes use each. Known words are left out.
 */
export async function nearestTerms(
  db: Database,
  system: CodeSystem,
  words: readonly string[],
  perWord: number,
): Promise<{ word: string; term: string; codes: number }[]> {
  return selectRows(
    db,
    sql`select word, near.term, near.codes
          from unnest(${textArray(words)}) as word,
               lateral (select ${codeSearchTerms.term} as term, ${codeSearchTerms.codes} as codes
                          from ${codeSearchTerms}
                         where ${codeSearchTerms.system} = ${system} and ${codeSearchTerms.term} % word
                         order by ${codeSearchTerms.term} <-> word, ${codeSearchTerms.term} limit ${perWord}) as near
         where not exists (select 1 from ${codeSearchTerms}
                            where ${codeSearchTerms.system} = ${system} and ${startsWith(sql`word`)})`,
  );
}
