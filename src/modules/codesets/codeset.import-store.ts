import { and, desc, eq, getTableName, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { bulkInsert } from "../../db/bulk.js";
import { type Database, selectRows } from "../../db/client.js";
import { LOCKS } from "../../db/locks.js";
import {
  type CodeSetDataset,
  codeNotes,
  codeSearchTerms,
  codeSetImportJobs,
  codeSetReleases,
  medicalCodes,
  mueLimits,
  ncciAddOnCodes,
  ncciPtpEdits,
  ncciRationales,
} from "../../db/schema/codesets.js";
import { inOrg, type OrganizationScope, ownedBy, type Scope } from "../../db/scope.js";
import { addDays } from "../../shared/calendar.js";
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
export async function findRelease(
  db: Database,
  dataset: CodeSetDataset,
  sha256: string,
): Promise<ReleaseRow | undefined> {
  const [row] = await db
    .select()
    .from(codeSetReleases)
    .where(and(eq(codeSetReleases.dataset, dataset), eq(codeSetReleases.sha256, sha256)));
  return row;
}

export async function latestRelease(db: Database, dataset: CodeSetDataset): Promise<ReleaseRow | undefined> {
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

/** A tabular release's notes, in the order read. */
export async function insertCodeNotes(
  db: Database,
  releaseId: number,
  notes: readonly { scope: string; kind: string; position: number; text: string; refs: string[] }[],
): Promise<void> {
  await bulkInsert(
    db,
    getTableName(codeNotes),
    {
      release_id: "integer",
      scope: "text",
      kind: "code_note_kind",
      position: "smallint",
      text: "text",
      refs: "text[]",
    },
    notes.map((note) => ({ release_id: releaseId, ...note })),
  );
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

/** A staged code with its place in the release's hierarchy. */
interface PlacedCode extends StagedCode {
  parent: string | null;
  descendants: number;
}

/**
 * Each code's parent is its longest shorter code in the release (S72001A → S72001, T360X1A →
 * T360X1 → T360X), and each header counts the billable codes (not ended by the file) beneath it.
 */
function placeCodes(codes: readonly StagedCode[]): Map<string, PlacedCode> {
  const placed = new Map<string, PlacedCode>(codes.map((c) => [c.code, { ...c, parent: null, descendants: 0 }]));
  for (const code of placed.values()) {
    for (let length = code.code.length - 1; length > 0; length--) {
      const prefix = code.code.slice(0, length);
      const ancestor = placed.get(prefix);
      if (!ancestor) continue;
      code.parent ??= prefix;
      if (code.billable && code.to === null && !ancestor.billable) ancestor.descendants++;
    }
  }
  return placed;
}

interface StoredCode {
  id: number;
  code: string;
  billable: boolean;
  short: string;
  long: string;
  parent: string | null;
  descendants: number;
  from: string;
  to: string | null;
}

/** The release says the same of the code as the stored row: text, billability, place in the hierarchy. */
const sameCode = (s: PlacedCode, m: StoredCode) =>
  s.billable === m.billable &&
  s.short === m.short &&
  s.long === m.long &&
  s.parent === m.parent &&
  s.descendants === m.descendants;

const dayBefore = (date: string) => addDays(date, -1);

const idList = (ids: readonly number[]) =>
  sql`(select value::bigint from json_array_elements_text(${JSON.stringify(ids)}::json))`;

/**
 * Applies one release of a code system as date ranges. Codes that vanish or change (text,
 * billability, parent, billable codes beneath) close the day before the release starts, so
 * earlier dates of service keep what was true then; new and changed codes open on it.
 * Unchanged codes keep their row, so a release that changes nothing writes no code rows, and the
 * next fiscal year writes only what it changes: the comparison runs here, on the system's rows
 * read once, and the database receives a handful of statements. In the caller's transaction.
 */
export async function mergeCodeRelease(
  db: Database,
  system: CodeSystem,
  releaseId: number,
  effectiveFrom: string,
  codes: readonly StagedCode[],
): Promise<void> {
  const m = medicalCodes;
  const staged = placeCodes(codes);
  const stored = await selectRows<StoredCode>(
    db,
    sql`select ${m.id}::int as id, ${m.code} as code, ${m.billable} as billable, ${m.shortDescription} as short,
               ${m.longDescription} as long, ${m.parentCode} as parent, ${m.billableDescendants} as descendants,
               ${m.effectiveFrom}::text as "from", ${m.effectiveTo}::text as "to"
          from ${m} where ${m.system} = ${system}`,
  );
  const matches = (row: StoredCode) => {
    const s = staged.get(row.code);
    return s !== undefined && sameCode(s, row) && s.to === row.to;
  };
  // A release of the same date as the last (a corrected file, or licensed CPT over the code numbers) replaces its rows.
  const deleted = stored.filter((row) => row.from === effectiveFrom && !matches(row));
  const kept = stored.filter((row) => !(row.from === effectiveFrom && !matches(row)));
  const closed: number[] = [];
  const ended: { id: number; to: string }[] = [];
  for (const row of kept) {
    if (row.to !== null) continue;
    const s = staged.get(row.code);
    if (!s || !sameCode(s, row)) {
      if (row.from < effectiveFrom) {
        closed.push(row.id);
        row.to = dayBefore(effectiveFrom);
      }
    } else if (s.to !== null && s.to >= row.from) {
      // Codes the release itself ends (HCPCS termination dates) close on that date.
      ended.push({ id: row.id, to: s.to });
      row.to = s.to;
    }
  }
  const known = new Set(kept.map((row) => row.code));
  const unchanged = new Set(kept.filter((row) => matches(row)).map((row) => row.code));
  const inserted = [...staged.values()]
    .filter((s) => !unchanged.has(s.code))
    .map((s) => ({
      system,
      code: s.code,
      billable: s.billable,
      short_description: s.short,
      long_description: s.long,
      effective_from:
        known.has(s.code) && (s.from ?? effectiveFrom) < effectiveFrom ? effectiveFrom : (s.from ?? effectiveFrom),
      effective_to: s.to,
      parent_code: s.parent,
      billable_descendants: s.descendants,
      release_id: releaseId,
    }));

  if (deleted.length > 0) await db.execute(sql`delete from ${m} where ${m.id} in ${idList(deleted.map((r) => r.id))}`);
  if (closed.length > 0) {
    await db.execute(sql`update ${m} set ${sql.identifier(m.effectiveTo.name)} = ${dayBefore(effectiveFrom)}::date
                          where ${m.id} in ${idList(closed)}`);
  }
  if (ended.length > 0) {
    await db.execute(sql`update ${m} set ${sql.identifier(m.effectiveTo.name)} = e."to"
                           from json_to_recordset(${JSON.stringify(ended)}::json) as e(id bigint, "to" date)
                          where ${m.id} = e.id`);
  }
  await bulkInsert(
    db,
    getTableName(m),
    {
      system: "code_system",
      code: "text",
      billable: "boolean",
      short_description: "text",
      long_description: "text",
      effective_from: "date",
      effective_to: "date",
      parent_code: "text",
      billable_descendants: "integer",
      release_id: "integer",
    },
    inserted,
  );
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

export type ImportJobRow = typeof codeSetImportJobs.$inferSelect & { release: ReleaseRow | null };

/** A new import job, RUNNING, of the caller's organization. */
export async function insertImportJob(
  db: Database,
  scope: Scope,
  job: { file: string; requestedBy: string },
): Promise<ImportJobRow> {
  const [row] = await db.insert(codeSetImportJobs).values(ownedBy(scope, job)).returning();
  return { ...row!, release: null };
}

/* appendImportProgress: one more progress line of a running job. */
export async function appendImportProgress(
  db: Database,
  scope: OrganizationScope,
  id: string,
  line: string,
): Promise<void> {
  await db
    .update(codeSetImportJobs)
    .set({ progress: sql`array_append(${codeSetImportJobs.progress}, ${line}::text)` })
    .where(and(inOrg(codeSetImportJobs, scope), eq(codeSetImportJobs.id, id)));
}

/* finishImportJob: SUCCEEDED with the release the file holds, or FAILED with why. */
export async function finishImportJob(
  db: Database,
  scope: OrganizationScope,
  id: string,
  end: { state: "SUCCEEDED"; releaseId: number | null } | { state: "FAILED"; errorCode: string; errorMessage: string },
): Promise<void> {
  await db
    .update(codeSetImportJobs)
    .set({ ...end, finishedAt: new Date() })
    .where(and(inOrg(codeSetImportJobs, scope), eq(codeSetImportJobs.id, id)));
}

/** The release imported from a file with this checksum, of any data set. */
export async function releaseOfFile(db: Database, sha256: string): Promise<ReleaseRow | undefined> {
  const [row] = await db
    .select()
    .from(codeSetReleases)
    .where(eq(codeSetReleases.sha256, sha256))
    .orderBy(desc(codeSetReleases.id))
    .limit(1);
  return row;
}

/** The organization's import jobs, newest first, each with its release. */
export async function importJobs(db: Database, scope: Scope, limit: number): Promise<ImportJobRow[]> {
  const rows = await db
    .select({ job: codeSetImportJobs, release: codeSetReleases })
    .from(codeSetImportJobs)
    .leftJoin(codeSetReleases, eq(codeSetReleases.id, codeSetImportJobs.releaseId))
    .where(inOrg(codeSetImportJobs, scope))
    .orderBy(desc(codeSetImportJobs.startedAt), desc(codeSetImportJobs.id))
    .limit(limit);
  return rows.map(({ job, release }) => ({ ...job, release }));
}
