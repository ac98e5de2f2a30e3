import { and, desc, eq, getTableName, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { bulkInsert, copyInto } from "../../db/bulk.js";
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
import {
  acrossFacilities,
  EVERY_ORGANIZATION,
  inOrg,
  type OrganizationScope,
  organizationOnly,
  ownedBy,
  type Scope,
} from "../../db/scope.js";
import { appendEvents, newestEventId } from "../events/index.js";
import { type CodeSystem, CPT_PLACEHOLDER } from "./codeset.codes.js";
import {
  CODE_COLUMNS,
  type CodeRow,
  codeRecord,
  dayBefore,
  type HistoryText,
  planMerge,
  type StagedCode,
  type StoredCode,
  TERM_COLUMNS,
} from "./codeset.merge.js";
import type { NamedCode } from "./codeset.ptp.js";

export type ReleaseRow = typeof codeSetReleases.$inferSelect;

/** An insert's column list: names alone, as the target of an insert takes them. */
const columnNames = (columns: readonly AnyPgColumn[]) =>
  sql.join(
    columns.map((column) => sql.identifier(column.name)),
    sql`, `,
  );

/**
 * Held until the importing transaction ends: one import of a data set at a time per database
 * (imports of different data sets may run side by side). Two keys, the imports' and the data set's
 * (job locks use the same first key with a job id's hash: see jobLockKeys).
 */
export async function lockCodeSetImports(db: Database, dataset: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${LOCKS.codeSetImport}::int, hashtext(${`dataset ${dataset}`}))`);
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
    ["release_id", "scope", "kind", "position", "text", "refs"],
    notes.map((note) => ({ release_id: releaseId, ...note })),
  );
}

const idList = (ids: readonly number[]) =>
  sql`(select value::bigint from json_array_elements_text(${JSON.stringify(ids)}::json))`;

async function insertCodeRows(db: Database, system: CodeSystem, rows: readonly CodeRow[]): Promise<void> {
  await bulkInsert(
    db,
    getTableName(medicalCodes),
    CODE_COLUMNS,
    rows.map((row) => codeRecord(system, row)),
  );
}

/**
 * Applies one release of a code system as date ranges (see planMerge): the comparison runs here,
 * on the system's rows read once, and the database receives a handful of statements. In the
 * caller's transaction.
 */
export async function mergeCodeRelease(
  db: Database,
  system: CodeSystem,
  releaseId: number,
  effectiveFrom: string,
  codes: readonly StagedCode[],
): Promise<void> {
  const m = medicalCodes;
  const stored = await selectRows<StoredCode>(
    db,
    sql`select ${m.id}::int as id, ${m.code} as code, ${m.billable} as billable, ${m.shortDescription} as short,
               ${m.longDescription} as long, ${m.parentCode} as parent, ${m.billableDescendants} as descendants,
               ${m.effectiveFrom}::text as "from", ${m.effectiveTo}::text as "to"
          from ${m} where ${m.system} = ${system}`,
  );
  const { deleted, closed, ended, inserted } = planMerge(stored, releaseId, effectiveFrom, codes);
  if (deleted.length > 0) await db.execute(sql`delete from ${m} where ${m.id} in ${idList(deleted.map((r) => r.id))}`);
  if (closed.length > 0) {
    await db.execute(sql`update ${m} set ${sql.identifier(m.effectiveTo.name)} = ${dayBefore(effectiveFrom)}::date
                          where ${m.id} in ${idList(closed.map((r) => r.id))}`);
  }
  if (ended.length > 0) {
    const to = ended.map(({ id, to }) => ({ id, to }));
    await db.execute(sql`update ${m} set ${sql.identifier(m.effectiveTo.name)} = e."to"
                           from json_to_recordset(${JSON.stringify(to)}::json) as e(id bigint, "to" date)
                          where ${m.id} = e.id`);
  }
  await insertCodeRows(db, system, inserted);
}

/**
 * A system's rows, and the search words they use, as merged by a CodeHistory (the text its
 * copyText made), in the caller's transaction, to a system that has none yet.
 */
export async function writeCodeHistory(db: Database, system: CodeSystem, text: HistoryText): Promise<void> {
  await copyInto(db, getTableName(medicalCodes), CODE_COLUMNS, text.codes);
  await db.delete(codeSearchTerms).where(eq(codeSearchTerms.system, system));
  await copyInto(db, getTableName(codeSearchTerms), TERM_COLUMNS, text.terms);
}

/**
 * Drops the secondary indexes of an empty code table, and its foreign keys if asked, for a bulk load
 * to build and check once after its rows are in: resolves to the function that restores them, from
 * their own definitions, or to null (and drops nothing) when the table holds codes. Building an index
 * whole costs a fraction of updating it row by row, and one join checks every row's release where the
 * foreign key ran a query per row (a second per code on PGlite's first start); but dropping a foreign
 * key locks the table it references until the commit. The unique key stays: it guards the rows'
 * dates. The empty table is truncated too: its storage is then new in this transaction, which
 * PGlite's minimal WAL does not log (see createPglite). In the caller's transaction, which keeps the
 * table to itself until it ends, so a failure or a crash leaves all as it was.
 */
export async function setAsideCodeIndexes(
  db: Database,
  { foreignKeys: setAsideForeignKeys }: { foreignKeys: boolean },
): Promise<(() => Promise<void>) | null> {
  const empty = async () =>
    (await selectRows<{ empty: boolean }>(db, sql`select not exists (select from ${medicalCodes}) as empty`))[0]!.empty;
  if (!(await empty())) return null;
  const table = getTableName(medicalCodes);
  const indexes = await selectRows<{ name: string; definition: string }>(
    db,
    sql`select c.relname as name, pg_get_indexdef(i.indexrelid) as definition
          from pg_index i join pg_class c on c.oid = i.indexrelid
         where i.indrelid = ${table}::regclass and not i.indisunique`,
  );
  const foreignKeys = setAsideForeignKeys
    ? await selectRows<{ name: string; definition: string }>(
        db,
        sql`select conname as name, pg_get_constraintdef(oid) as definition
              from pg_constraint where conrelid = ${table}::regclass and contype = 'f'`,
      )
    : [];
  for (const { name } of foreignKeys) {
    await db.execute(sql`alter table ${medicalCodes} drop constraint ${sql.identifier(name)}`);
  }
  for (const { name } of indexes) await db.execute(sql`drop index ${sql.identifier(name)}`);
  // Asked again under the drop's exclusive lock: an import that committed meanwhile keeps its rows.
  if (await empty()) await db.execute(sql`truncate ${medicalCodes}`);
  return async () => {
    for (const { definition } of indexes) await db.execute(sql.raw(definition));
    for (const { name, definition } of foreignKeys) {
      await db.execute(sql`alter table ${medicalCodes} add constraint ${sql.identifier(name)} ${sql.raw(definition)}`);
    }
  };
}

/**
 * After a bulk load: fresh planner statistics, so the first searches use the indexes well, and
 * the GIN indexes' pending lists (the full-text index, the search words' trigrams) merged, which
 * every search would otherwise scan.
 */
export async function analyzeCodes(db: Database): Promise<void> {
  await db.execute(sql`analyze ${medicalCodes}, ${codeSearchTerms}`);
  await db.execute(sql`select gin_clean_pending_list('medical_codes_search_idx'::regclass),
                              gin_clean_pending_list('code_search_terms_trgm_idx'::regclass)`);
}

/**
 * The words of a system's descriptions (both: the short ones carry CMS's abbreviations), each
 * with how many codes use it: what misspelled search words are corrected against, and how
 * search tells a broad word from a narrow one. CPT placeholder texts are no words. CodeHistory
 * counts the same words in memory (see its searchTerms).
 */
export async function rebuildSearchTerms(db: Database, system: CodeSystem): Promise<void> {
  await db.delete(codeSearchTerms).where(eq(codeSearchTerms.system, system));
  await db.execute(sql`
    insert into ${codeSearchTerms}
           (${columnNames([codeSearchTerms.system, codeSearchTerms.term, codeSearchTerms.codes])})
    select ${system}, word, count(distinct id)
      from (select ${medicalCodes.id} as id,
                   regexp_split_to_table(
                     lower(${medicalCodes.longDescription} || ' ' || ${medicalCodes.shortDescription}), '[^a-z0-9]+'
                   ) as word
              from ${medicalCodes}
             where ${medicalCodes.system} = ${system} and ${medicalCodes.longDescription} <> ${CPT_PLACEHOLDER}) words
     where length(word) >= 3
     group by word`);
}

/** Reference lists (modifiers, places of service, adjustment codes, MCE edits) are replaced whole. */
export async function replaceTable(
  db: Database,
  table: PgTable,
  columns: readonly string[],
  rows: readonly object[],
): Promise<void> {
  await db.delete(table);
  await bulkInsert(db, getTableName(table), columns, rows);
}

/** One setting's PTP or MUE rows, replaced by a newer quarter's, given as COPY text (see copyText). */
export async function replaceNcciSetting(
  db: Database,
  table: typeof ncciPtpEdits | typeof mueLimits,
  setting: string,
  columns: readonly string[],
  text: readonly string[],
): Promise<void> {
  await db.execute(sql`delete from ${table} where ${table.setting} = ${setting}`);
  await copyInto(db, getTableName(table), columns, text);
}

/** Ids of the given rationale texts, adding the new ones. */
export async function ncciRationaleIds(db: Database, texts: readonly string[]): Promise<Map<string, number>> {
  const rows = await db.select().from(ncciRationales);
  const ids = new Map(rows.map((r) => [r.text, r.id]));
  let next = Math.max(0, ...ids.values()) + 1;
  const added = texts.filter((t) => !ids.has(t)).map((text) => ({ id: next++, text }));
  if (added.length > 0) await bulkInsert(db, getTableName(ncciRationales), ["id", "text"], added);
  for (const { id, text } of added) ids.set(text, id);
  return ids;
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
                            from ${ncciPtpEdits},
                                 unnest(${ncciPtpEdits.column2s}, ${ncciPtpEdits.deletionDates})
                                   as p(column2, deletion_date)
               ) named
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
/**
 * True for a database that holds no code-set release, migrated or not yet (a first start's): read
 * before the migrations, so it cannot name the table as a table, which may not exist yet.
 */
export async function holdsNoCodeSets(db: Database): Promise<boolean> {
  const [tables] = await selectRows<{ migrated: boolean }>(
    db,
    sql`select to_regclass(${getTableName(codeSetReleases)}) is not null as migrated`,
  );
  if (!tables?.migrated) return true;
  const [releases] = await selectRows<{ none: boolean }>(
    db,
    sql`select not exists (select from ${codeSetReleases}) as none`,
  );
  return releases?.none ?? true;
}

export async function latestReleaseDates(db: Database): Promise<Map<string, string>> {
  const rows = await db
    .select({ dataset: codeSetReleases.dataset, latest: sql<string>`max(${codeSetReleases.effectiveFrom})::text` })
    .from(codeSetReleases)
    .groupBy(codeSetReleases.dataset);
  return new Map(rows.map((row) => [row.dataset, row.latest]));
}

export type ImportJobRow = typeof codeSetImportJobs.$inferSelect & { release: ReleaseRow | null };

/** The outbox topic of code-set import jobs. */
export const IMPORT_JOB_TOPIC = "code_set_import";

/** What an import job's event says; the subscription reads the job itself for the rest. */
export interface ImportJobEventPayload {
  jobId: string;
  /** STARTED, PROGRESS (one more line), SUCCEEDED or FAILED. */
  type: "STARTED" | "PROGRESS" | "SUCCEEDED" | "FAILED";
  /** The progress line, for PROGRESS. */
  line?: string;
}

const jobEvent = (scope: OrganizationScope | Scope, payload: ImportJobEventPayload) =>
  ownedBy(scope, { topic: IMPORT_JOB_TOPIC, payload: { ...payload } });

/**
 * A new import job, RUNNING, of the caller's organization, with its STARTED event. Its events all
 * come after the newest event visible now: ids are handed out later.
 */
export async function insertImportJob(
  db: Database,
  scope: Scope,
  job: { id: string; file: string; requestedBy: string },
): Promise<ImportJobRow> {
  const eventsAfter = await newestEventId(db);
  const [row] = await db
    .insert(codeSetImportJobs)
    .values(ownedBy(scope, { ...job, eventsAfter }))
    .returning();
  await appendEvents(db, [jobEvent(scope, { jobId: row!.id, type: "STARTED" })]);
  return { ...row!, release: null };
}

/* appendImportProgress: one more progress line of a running job, and its event, in one statement. */
export async function appendImportProgress(
  db: Database,
  scope: OrganizationScope,
  id: string,
  line: string,
): Promise<void> {
  const update = db
    .update(codeSetImportJobs)
    .set({ progress: sql`array_append(${codeSetImportJobs.progress}, ${line}::text)` })
    .where(and(inOrg(codeSetImportJobs, scope), eq(codeSetImportJobs.id, id)));
  await appendEvents(db, [jobEvent(scope, { jobId: id, type: "PROGRESS", line })], [update]);
}

/* finishImportJob: SUCCEEDED with the release the file holds, or FAILED with why; and its event. */
export async function finishImportJob(
  db: Database,
  scope: OrganizationScope,
  id: string,
  end: { state: "SUCCEEDED"; releaseId: number | null } | { state: "FAILED"; errorCode: string; errorMessage: string },
): Promise<void> {
  const update = db
    .update(codeSetImportJobs)
    .set({ ...end, finishedAt: new Date() })
    .where(and(inOrg(codeSetImportJobs, scope), eq(codeSetImportJobs.id, id)));
  await appendEvents(db, [jobEvent(scope, { jobId: id, type: end.state })], [update]);
}

/**
 * The advisory lock a running import holds on its own connection: while it is held, the job is
 * running on a live instance. Two keys, the imports' and the job's: PostgreSQL keeps two-key locks
 * apart from the one-key locks of LOCKS.
 */
const jobLockKeys = (id: string | SQL) => sql`${LOCKS.codeSetImport}::int, hashtext(${id}::text)`;

/** Takes the job's lock for the session; the session must be the import's own connection (see CodeSetImports). */
export async function lockImportJob(db: Database, id: string): Promise<void> {
  await db.execute(sql`select pg_advisory_lock(${jobLockKeys(id)})`);
}

export async function unlockImportJob(db: Database, id: string): Promise<void> {
  await db.execute(sql`select pg_advisory_unlock(${jobLockKeys(id)})`);
}

/**
 * Marks FAILED (IMPORT_INTERRUPTED) every RUNNING job, of any organization, whose lock no session
 * holds: the instance running it stopped without ending it (killed, crashed). A job whose lock is
 * held runs on a live instance and is left alone. With their FAILED events, in the caller's
 * transaction, which keeps the locks it took until it ends.
 */
export async function failInterruptedImports(db: Database): Promise<number> {
  const message = "The server running this import stopped before it ended; nothing of the release was written.";
  const jobs = codeSetImportJobs;
  const stopped = await db
    .update(jobs)
    .set({ state: "FAILED", errorCode: INTERRUPTED, errorMessage: message, finishedAt: new Date() })
    .where(
      and(
        acrossFacilities(jobs, EVERY_ORGANIZATION),
        eq(jobs.state, "RUNNING"),
        sql`pg_try_advisory_xact_lock(${jobLockKeys(sql`${jobs.id}`)})`,
      ),
    )
    .returning({ orgId: jobs.orgId, id: jobs.id });
  await appendEvents(
    db,
    stopped.map(({ orgId, id }) => jobEvent(organizationOnly(orgId), { jobId: id, type: "FAILED" })),
  );
  return stopped.length;
}

/** The error code of a job its instance stopped running. */
export const INTERRUPTED = "IMPORT_INTERRUPTED";

/** One job of the organization, with its release. */
export async function findImportJob(db: Database, scope: Scope, id: string): Promise<ImportJobRow | undefined> {
  const [row] = await db
    .select({ job: codeSetImportJobs, release: codeSetReleases })
    .from(codeSetImportJobs)
    .leftJoin(codeSetReleases, eq(codeSetReleases.id, codeSetImportJobs.releaseId))
    .where(and(inOrg(codeSetImportJobs, scope), eq(codeSetImportJobs.id, id)));
  return row && { ...row.job, release: row.release };
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
