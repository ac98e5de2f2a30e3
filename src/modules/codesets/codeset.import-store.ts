import { and, desc, eq, getTableName, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { bulkInsert } from "../../db/bulk.js";
import { type Database, selectRows } from "../../db/client.js";
import { LOCKS } from "../../db/locks.js";
import {
  codeSearchTerms,
  codeSetReleases,
  medicalCodes,
  mueLimits,
  ncciAddOnCodes,
  ncciPtpEdits,
  ncciRationales,
} from "../../db/schema/codesets.js";
import { type CodeSystem, CPT_PLACEHOLDER } from "./codeset.codes.js";

export type ReleaseRow = typeof codeSetReleases.$inferSelect;

/** An insert's column list: names alone, as the target of an insert takes them. */
const columnNames = (columns: readonly AnyPgColumn[]) =>
  sql.join(
    columns.map((column) => sql.identifier(column.name)),
    sql`, `,
  );

/** Held until the importing transaction ends: one import at a time per database. */
export async function lockCodeSetImports(db: Database): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${LOCKS.codeSetImport})`);
}

/** A dataset's release imported from a file with this checksum. */
export async function findRelease(db: Database, dataset: string, sha256: string): Promise<ReleaseRow | undefined> {
  const [row] = await db
    .select()
    .from(codeSetReleases)
    .where(and(eq(codeSetReleases.dataset, dataset), eq(codeSetReleases.sha256, sha256)));
  return row;
}

export async function latestRelease(db: Database, dataset: string): Promise<ReleaseRow | undefined> {
  const [row] = await db
    .select()
    .from(codeSetReleases)
    .where(eq(codeSetReleases.dataset, dataset))
    .orderBy(desc(codeSetReleases.effectiveFrom))
    .limit(1);
  return row;
}

export async function insertRelease(db: Database, release: typeof codeSetReleases.$inferInsert): Promise<number> {
  const [row] = await db.insert(codeSetReleases).values(release).returning({ id: codeSetReleases.id });
  return row!.id;
}

export async function setReleaseRowCount(db: Database, id: number, rows: number): Promise<void> {
  await db.update(codeSetReleases).set({ rowCount: rows }).where(eq(codeSetReleases.id, id));
}

export interface StagedCode {
  code: string;
  billable: boolean;
  short: string;
  long: string;
  /** Per-code dates where the source carries them (HCPCS added and termination dates). */
  from: string | null;
  to: string | null;
}

/**
 * Applies one release of a code system as date ranges. Codes that vanish or change (text,
 * billability, parent, billable codes beneath) close the day before the release starts, so
 * earlier dates of service keep what was true then; new and changed codes open on it.
 * Unchanged codes keep their row, so a release that changes nothing writes no code rows.
 * Set-based, through a staging table, in the caller's transaction.
 *
 * The hierarchy is worked out in the staging table (temporary, so unlogged and cheap to
 * update): each code's parent is its longest shorter code (S72001A → S72001, T360X1A →
 * T360X1 → T360X), and each header counts the billable codes beneath it. Codes are inserted
 * with both, so a first import writes each row once.
 */
export async function mergeCodeRelease(
  db: Database,
  system: CodeSystem,
  releaseId: number,
  effectiveFrom: string,
  codes: readonly StagedCode[],
): Promise<void> {
  await db.execute(sql`
    create temp table staged_codes (code text primary key, billable boolean, short text, long text, "from" date, "to" date,
                                    parent text, descendants integer not null default 0) on commit drop`);
  await bulkInsert(
    db,
    "staged_codes",
    { code: "text", billable: "boolean", short: "text", long: "text", from: "date", to: "date" },
    codes,
  );
  await db.execute(sql`analyze staged_codes`);
  await db.execute(sql`
    update staged_codes s set parent = p.prefix
      from (select distinct on (c.code) c.code, left(c.code, len) as prefix
              from staged_codes c, generate_series(1, length(c.code) - 1) as len
             where exists (select 1 from staged_codes m where m.code = left(c.code, len))
             order by c.code, len desc) p
     where s.code = p.code`);
  await db.execute(sql`
    update staged_codes h set descendants = d.n
      from (select left(c.code, len) as prefix, count(*)::int as n
              from staged_codes c, generate_series(1, length(c.code) - 1) as len
             where c.billable and c."to" is null
             group by 1) d
     where h.code = d.prefix and not h.billable`);

  const m = medicalCodes;
  // Unchanged: the release says the same of the code (text, billability, place in the hierarchy).
  const same = sql`s.billable = ${m.billable} and s.short = ${m.shortDescription} and s.long = ${m.longDescription}
                   and s.parent is not distinct from ${m.parentCode} and s.descendants = ${m.billableDescendants}`;
  // A release of the same date as the last (a corrected file, or licensed CPT over the code numbers) replaces its rows.
  await db.execute(sql`
    delete from ${m}
     where ${m.system} = ${system} and ${m.effectiveFrom} = ${effectiveFrom}::date
       and not exists (select 1 from staged_codes s where s.code = ${m.code} and ${same} and ${m.effectiveTo} is not distinct from s."to")`);
  await db.execute(sql`
    update ${m} set ${sql.identifier(m.effectiveTo.name)} = ${effectiveFrom}::date - 1
     where ${m.system} = ${system} and ${m.effectiveTo} is null and ${m.effectiveFrom} < ${effectiveFrom}::date
       and not exists (select 1 from staged_codes s where s.code = ${m.code} and ${same})`);
  // Codes the release itself ends (HCPCS termination dates) close on that date.
  await db.execute(sql`
    update ${m} set ${sql.identifier(m.effectiveTo.name)} = s."to"
      from staged_codes s
     where ${m.system} = ${system} and ${m.code} = s.code and ${m.effectiveTo} is null and ${same}
       and s."to" is not null and s."to" >= ${m.effectiveFrom}`);
  await db.execute(sql`
    insert into ${m} (${columnNames([
      m.system,
      m.code,
      m.billable,
      m.shortDescription,
      m.longDescription,
      m.effectiveFrom,
      m.effectiveTo,
      m.parentCode,
      m.billableDescendants,
      m.releaseId,
    ])})
    select ${system}, s.code, s.billable, s.short, s.long,
           case when exists (select 1 from ${m} where ${m.system} = ${system} and ${m.code} = s.code)
                then greatest(coalesce(s."from", ${effectiveFrom}::date), ${effectiveFrom}::date)
                else coalesce(s."from", ${effectiveFrom}::date) end,
           s."to", s.parent, s.descendants, ${releaseId}
      from staged_codes s
     where not exists (select 1 from ${m} where ${m.system} = ${system} and ${m.code} = s.code
                          and ${m.effectiveTo} is not distinct from s."to" and ${same})`);
}

/**
 * After a bulk load: fresh planner statistics, so the first searches use the indexes well, and
 * the full-text index's pending list merged, which every search would otherwise scan.
 */
export async function analyzeCodes(db: Database): Promise<void> {
  await db.execute(sql`analyze ${medicalCodes}, ${codeSearchTerms}`);
  await db.execute(sql`select gin_clean_pending_list('medical_codes_search_idx'::regclass)`);
}

/**
 * The words of a system's descriptions (both: the short ones carry CMS's abbreviations), each
 * with how many codes use it: what misspelled search words are corrected against, and how
 * search tells a broad word from a narrow one. CPT placeholder texts are no words.
 */
export async function rebuildSearchTerms(db: Database, system: CodeSystem): Promise<void> {
  await db.delete(codeSearchTerms).where(eq(codeSearchTerms.system, system));
  await db.execute(sql`
    insert into ${codeSearchTerms} (${columnNames([codeSearchTerms.system, codeSearchTerms.term, codeSearchTerms.codes])})
    select ${system}, word, count(distinct id)
      from (select ${medicalCodes.id} as id,
                   regexp_split_to_table(lower(${medicalCodes.longDescription} || ' ' || ${medicalCodes.shortDescription}), '[^a-z0-9]+') as word
              from ${medicalCodes} where ${medicalCodes.system} = ${system} and ${medicalCodes.longDescription} <> ${CPT_PLACEHOLDER}) words
     where length(word) >= 3
     group by word`);
}

/** Reference lists (modifiers, places of service, adjustment codes, MCE edits) are replaced whole. */
export async function replaceTable(
  db: Database,
  table: PgTable,
  columns: Record<string, string>,
  rows: readonly object[],
): Promise<void> {
  await db.delete(table);
  await bulkInsert(db, getTableName(table), columns, rows);
}

/** One setting's PTP or MUE rows, replaced by a newer quarter. */
export async function replaceNcciSetting(
  db: Database,
  table: typeof ncciPtpEdits | typeof mueLimits,
  setting: string,
  columns: Record<string, string>,
  rows: readonly object[],
): Promise<void> {
  await db.execute(sql`delete from ${table} where ${table.setting} = ${setting}`);
  await bulkInsert(db, getTableName(table), columns, rows, table === ncciPtpEdits ? 500 : 10_000);
}

/** Ids of the given rationale texts, adding the new ones. */
export async function ncciRationaleIds(db: Database, texts: readonly string[]): Promise<Map<string, number>> {
  const rows = await db.select().from(ncciRationales);
  const ids = new Map(rows.map((r) => [r.text, r.id]));
  let next = Math.max(0, ...ids.values()) + 1;
  const added = texts.filter((t) => !ids.has(t)).map((text) => ({ id: next++, text }));
  if (added.length > 0) await bulkInsert(db, getTableName(ncciRationales), { id: "smallint", text: "text" }, added);
  for (const { id, text } of added) ids.set(text, id);
  return ids;
}

/** A code the NCCI tables name, and the last date a row naming it applies (null while one is active). */
export interface NamedCode {
  code: string;
  to: string | null;
}

/**
 * Every code the NCCI tables name (CPT numbers among them), in force while any row naming it is:
 * PTP rows until their deletion date, MUE and add-on code rows (current tables) with no end.
 */
export async function ncciCodeNumbers(db: Database): Promise<NamedCode[]> {
  return selectRows<NamedCode>(
    db,
    sql`/* ncciCodeNumbers */
        select code, case when bool_and("to" is not null) then max("to")::text end as "to"
          from (select ${mueLimits.code} as code, null::date as "to" from ${mueLimits}
                union all select ${ncciAddOnCodes.addOnCode}, null from ${ncciAddOnCodes}
                union all select unnest(${ncciAddOnCodes.primaryCodes}), null from ${ncciAddOnCodes}
                union all select ${ncciPtpEdits.column1},
                                 case when array_position(${ncciPtpEdits.deletionDates}, null) is null
                                      then (select max(d) from unnest(${ncciPtpEdits.deletionDates}) d) end
                            from ${ncciPtpEdits}
                union all select p.column2, p.deletion_date
                            from ${ncciPtpEdits}, unnest(${ncciPtpEdits.column2s}, ${ncciPtpEdits.deletionDates}) as p(column2, deletion_date)) named
         group by code`,
  );
}

/** Every code and header of a system in force on a date, as a release file would list them: what addenda apply to. */
export async function releaseInForce(db: Database, system: CodeSystem, date: string): Promise<StagedCode[]> {
  const m = medicalCodes;
  return db
    .select({ code: m.code, billable: m.billable, short: m.shortDescription, long: m.longDescription })
    .from(m)
    .where(
      and(
        eq(m.system, system),
        sql`${m.effectiveFrom} <= ${date}::date and (${m.effectiveTo} is null or ${m.effectiveTo} >= ${date}::date)`,
      ),
    )
    .then((rows) => rows.map((row) => ({ ...row, from: null, to: null })));
}

/** Each imported data set with the start of its newest release. */
export async function latestReleaseDates(db: Database): Promise<Map<string, string>> {
  const rows = await db
    .select({ dataset: codeSetReleases.dataset, latest: sql<string>`max(${codeSetReleases.effectiveFrom})::text` })
    .from(codeSetReleases)
    .groupBy(codeSetReleases.dataset);
  return new Map(rows.map((row) => [row.dataset, row.latest]));
}
