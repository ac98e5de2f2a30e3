import { and, asc, count, desc, eq, getTableColumns, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { type Database, StatementCache, selectRows } from "../../db/client.js";
import {
  codingCompletions,
  encounterCodeChanges,
  encounterDiagnoses,
  encounterProcedures,
  physicianQueries,
} from "../../db/schema/coding.js";
import { encounters } from "../../db/schema/encounters.js";
import { organizations } from "../../db/schema/organizations.js";
import { workItems, workItemTransitions } from "../../db/schema/work.js";
import {
  acrossFacilities,
  inFacilities,
  type OrganizationScope,
  ownedBy,
  ownOrganization,
  type Scope,
  scopeKey,
  underFacilities,
} from "../../db/scope.js";
import { auditInsertFrom } from "../audit/index.js";
import type { DiagnosisEntry, EncounterCodes } from "../edits/index.js";
import type { EncounterRow, EncounterStatus } from "../encounters/index.js";

export type CodeChangeRow = typeof encounterCodeChanges.$inferSelect;
export type CodingCompletionRow = typeof codingCompletions.$inferSelect;
export type PhysicianQueryRow = typeof physicianQueries.$inferSelect;

/** Rows about encounters the caller may see: the coding tables carry the encounter, not its facility. */
function ofVisibleEncounters(
  table: { orgId: PgColumn; encounterId: PgColumn },
  scope: Scope,
  encounterIds: readonly string[],
): SQL {
  return and(
    underFacilities(table, table.encounterId, encounters, scope),
    inArray(table.encounterId, [...encounterIds]),
  )!;
}

/** Each encounter's rows as entries, in the order read; an encounter without any has an empty list. */
function listsByEncounter<R extends { encounterId: string }, T>(
  encounterIds: readonly string[],
  rows: readonly R[],
  entry: (row: R) => T,
): Map<string, T[]> {
  const lists = new Map<string, T[]>(encounterIds.map((id) => [id, []]));
  for (const row of rows) lists.get(row.encounterId)?.push(entry(row));
  return lists;
}

const diagnosisStatements = new StatementCache<typeof encounterDiagnoses.$inferSelect>(
  getTableColumns(encounterDiagnoses),
);

/**
 * The diagnoses of encounters the caller may see, in sequence, by encounter; an encounter without any has an
 * empty list. A prepared statement compiled once per scope, the encounters an array: every list of encounters
 * showing their diagnoses starts here.
 */
export async function diagnosesOf(
  db: Database,
  scope: Scope,
  encounterIds: readonly string[],
): Promise<Map<string, DiagnosisEntry[]>> {
  const build = () =>
    db
      .select()
      .from(encounterDiagnoses)
      .where(
        and(
          underFacilities(encounterDiagnoses, encounterDiagnoses.encounterId, encounters, scope),
          sql`${encounterDiagnoses.encounterId} = any(${sql.placeholder("ids")}::uuid[])`,
        ),
      )
      .orderBy(asc(encounterDiagnoses.sequence));
  const rows = await diagnosisStatements.run(db, scopeKey(scope), build, { ids: [...encounterIds] });
  return listsByEncounter(encounterIds, rows, (row) => ({
    code: row.code,
    presentOnAdmission: row.presentOnAdmission,
    unrelatedTo: row.unrelatedTo,
  }));
}

/**
 * A diagnosis or a procedure line, as one statement reads both lists: a diagnosis's row has null in the
 * line's columns, a line's row null in the diagnosis's.
 */
const codeListColumns = {
  diagnosis: sql<boolean>`diagnosis`,
  encounterId: encounterDiagnoses.encounterId,
  code: encounterDiagnoses.code,
  presentOnAdmission: encounterDiagnoses.presentOnAdmission,
  unrelatedTo: encounterDiagnoses.unrelatedTo,
  system: encounterProcedures.system,
  modifiers: encounterProcedures.modifiers,
  units: encounterProcedures.units,
  charge: encounterProcedures.charge,
  serviceDate: encounterProcedures.serviceDate,
  diagnosisPointers: encounterProcedures.diagnosisPointers,
};
type CodeListRow = typeof encounterDiagnoses.$inferSelect &
  Omit<typeof encounterProcedures.$inferSelect, "sequence"> & { diagnosis: boolean };
const codeListStatements = new StatementCache<CodeListRow>(codeListColumns);

/**
 * The diagnoses and procedure lines of encounters the caller may see, in sequence; an encounter without
 * codes has empty lists. One prepared statement for both lists: reading an encounter's edits, or its
 * diagnoses and lines together, is one round trip.
 */
export async function encounterCodes(
  db: Database,
  scope: Scope,
  encounterIds: readonly string[],
): Promise<Map<string, EncounterCodes>> {
  const [d, p] = [encounterDiagnoses, encounterProcedures];
  const ids = sql`any(${sql.placeholder("ids")}::uuid[])`;
  const build = () =>
    sql`/* encounterCodes */
      select true as diagnosis, ${d.encounterId}, ${d.code}, ${d.presentOnAdmission}, ${d.unrelatedTo},
             null::code_system, null::text[], null::integer, null::numeric, null::date, null::smallint[], ${d.sequence}
        from ${d} where ${underFacilities(d, d.encounterId, encounters, scope)} and ${d.encounterId} = ${ids}
      union all
      select false, ${p.encounterId}, ${p.code}, null, null, ${p.system}, ${p.modifiers}, ${p.units}, ${p.charge},
             ${p.serviceDate}, ${p.diagnosisPointers}, ${p.sequence}
        from ${p} where ${underFacilities(p, p.encounterId, encounters, scope)} and ${p.encounterId} = ${ids}
      order by sequence`;
  const rows = await codeListStatements.run(db, scopeKey(scope), build, { ids: [...encounterIds] });
  const lists = new Map<string, EncounterCodes>(encounterIds.map((id) => [id, { diagnoses: [], procedures: [] }]));
  for (const row of rows) {
    const codes = lists.get(row.encounterId);
    if (!codes) continue;
    if (row.diagnosis) {
      codes.diagnoses.push({
        code: row.code,
        presentOnAdmission: row.presentOnAdmission,
        unrelatedTo: row.unrelatedTo,
      });
    } else {
      codes.procedures.push({
        system: row.system,
        code: row.code,
        modifiers: row.modifiers,
        units: row.units,
        charge: row.charge,
        serviceDate: row.serviceDate,
        diagnosisPointers: row.diagnosisPointers,
      });
    }
  }
  return lists;
}

/** What a save of an encounter's codes writes, besides the codes themselves. */
export interface CodesWrite {
  encounterId: string;
  expectedVersion: number;
  status: EncounterStatus;
  codes: EncounterCodes;
  actorId: string;
  source: "CODING" | "REVIEW";
  requestId: string | null;
  /** The audit action of the save, when its audit row is written with it. */
  auditAction: string | null;
}

/** One-statement saves of codes, compiled once per caller (scope and user) and audit action (writeCodes). */
const codesWriteStatements = new StatementCache<EncounterRow>(getTableColumns(encounters));

/** The codes replaced, as a snapshot of the code history: the shape of EncounterCodes, in sequence. */
const replacedCodes = sql`jsonb_build_object(
  'diagnoses', coalesce((select jsonb_agg(jsonb_build_object('code', code, 'presentOnAdmission', present_on_admission,
                 'unrelatedTo', unrelated_to) order by sequence) from replaced_diagnoses), '[]'::jsonb),
  'procedures', coalesce((select jsonb_agg(jsonb_build_object('system', system, 'code', code, 'modifiers', modifiers,
                 'units', units, 'charge', charge::text, 'serviceDate', service_date,
                 'diagnosisPointers', diagnosis_pointers) order by sequence) from replaced_procedures), '[]'::jsonb))`;

/** A list's rows as a JSON array by column name, sequenced in list order (for jsonb_populate_recordset). */
const sequenced = <T>(list: readonly T[], row: (entry: T) => Record<string, unknown>) =>
  JSON.stringify(list.map((entry, i) => ({ sequence: i + 1, ...row(entry) })));

/**
 * The encounter moves to `status` and its next version at the version the caller read, its codes become
 * `codes` (sequenced in list order), and the code history keeps the codes replaced (read from the deletes) and
 * the new ones, with the audit row when asked: one prepared statement, atomic without a transaction. Undefined,
 * and nothing written, when the encounter changed meanwhile. Each insert waits for its list's delete to finish
 * (the count it reads), so the new rows never meet the old ones' keys.
 */
export async function writeCodes(db: Database, scope: Scope, write: CodesWrite): Promise<EncounterRow | undefined> {
  const build = () => {
    const columns = Object.values(getTableColumns(encounters)).map((column) => sql.identifier(column.name));
    const replaced = (table: typeof encounterDiagnoses | typeof encounterProcedures) =>
      sql`delete from ${table} where ${underFacilities(table, table.encounterId, encounters, scope)}
            and ${table.encounterId} in (select id from advanced) returning *`;
    const inserted = (
      table: typeof encounterDiagnoses | typeof encounterProcedures,
      names: string[],
      rows: string,
      deleted: string,
    ) => {
      const list = sql.raw(names.join(", "));
      return sql`insert into ${table} (org_id, encounter_id, ${list})
        select advanced.org_id, advanced.id, ${sql.raw(names.map((name) => `r.${name}`).join(", "))}
        from advanced, jsonb_populate_recordset(null::${table}, ${sql.placeholder(rows)}::text::jsonb) r
        where (select count(*) from ${sql.identifier(deleted)}) >= 0`;
    };
    const audit = write.auditAction
      ? sql`, audited as (${auditInsertFrom(
          {
            orgId: scope.orgId,
            actorUserId: write.actorId,
            action: write.auditAction,
            entityType: "Encounter",
            requestId: sql.placeholder("requestId"),
          },
          sql`array[id]`,
          sql`advanced`,
        )})`
      : sql``;
    return sql`/* writeCodes */ with advanced as (
        update ${encounters}
           set status = ${sql.placeholder("status")}::encounter_status, version = version + 1, updated_at = now()
         where ${and(inFacilities(encounters, scope), eq(encounters.id, sql.placeholder("encounterId")))}
           and version = ${sql.placeholder("expectedVersion")}::int
        returning *),
      replaced_diagnoses as (${replaced(encounterDiagnoses)}),
      replaced_procedures as (${replaced(encounterProcedures)}),
      new_diagnoses as (${inserted(
        encounterDiagnoses,
        ["sequence", "code", "present_on_admission", "unrelated_to"],
        "diagnoses",
        "replaced_diagnoses",
      )}),
      new_procedures as (${inserted(
        encounterProcedures,
        ["sequence", "system", "code", "modifiers", "units", "charge", "service_date", "diagnosis_pointers"],
        "procedures",
        "replaced_procedures",
      )}),
      history as (
        insert into ${encounterCodeChanges} (org_id, encounter_id, version, actor_id, source, before, after)
        select org_id, id, version, ${write.actorId}::uuid,
               ${sql.placeholder("source")}::code_change_source, ${replacedCodes},
               ${sql.placeholder("after")}::text::jsonb
          from advanced)${audit}
      select ${sql.join(columns, sql`, `)} from advanced`;
  };
  const key = `${scopeKey(scope)}|${write.actorId}|${write.auditAction}`;
  const [row] = await codesWriteStatements.run(db, key, build, {
    encounterId: write.encounterId,
    expectedVersion: write.expectedVersion,
    status: write.status,
    diagnoses: sequenced(write.codes.diagnoses, (d) => ({
      code: d.code,
      present_on_admission: d.presentOnAdmission,
      unrelated_to: d.unrelatedTo ?? [],
    })),
    procedures: sequenced(write.codes.procedures, (line) => ({
      system: line.system,
      code: line.code,
      modifiers: line.modifiers,
      units: line.units,
      charge: line.charge,
      service_date: line.serviceDate,
      diagnosis_pointers: line.diagnosisPointers,
    })),
    source: write.source,
    after: JSON.stringify(write.codes),
    requestId: write.requestId,
  });
  return row;
}

/**
 * The encounter moves to `status` and its next version, at the version the caller
 * read (undefined when it changed meanwhile), or at any version when the change follows its work
 * (a physician query answered) rather than what the caller read.
 */
export async function advanceEncounter(
  tx: Database,
  scope: Scope,
  id: string,
  expectedVersion: number | null,
  status: EncounterStatus,
): Promise<EncounterRow | undefined> {
  const [row] = await tx
    .update(encounters)
    .set({ status, version: sql`${encounters.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(
        inFacilities(encounters, scope),
        eq(encounters.id, id),
        expectedVersion === null ? undefined : eq(encounters.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}

/** The code history of encounters, oldest first. */
export function codeChangesOf(db: Database, scope: Scope, encounterIds: readonly string[]): Promise<CodeChangeRow[]> {
  return db
    .select()
    .from(encounterCodeChanges)
    .where(ofVisibleEncounters(encounterCodeChanges, scope, encounterIds))
    .orderBy(asc(encounterCodeChanges.at), asc(encounterCodeChanges.version));
}

/**
 * How long `userId` held the item, holds and others' turns excluded: each history
 * row that left it ASSIGNED to them lasts until the next row (or now, the moment of completion).
 */
export async function handleSeconds(tx: Database, scope: Scope, itemId: string, userId: string): Promise<number> {
  const [row] = await selectRows<{ seconds: number }>(
    tx,
    sql`
    /* handleSeconds */
    select coalesce(round(sum(extract(epoch from held.until - held.at))), 0)::int as seconds
    from (
      select ${workItemTransitions.at} as at, ${workItemTransitions.toStatus} as to_status,
             ${workItemTransitions.assigneeId} as assignee_id,
             coalesce(lead(${workItemTransitions.at}) over (order by ${workItemTransitions.id}), now()) as until
      from ${workItemTransitions}
      where ${underFacilities(workItemTransitions, workItemTransitions.workItemId, workItems, scope)}
        and ${workItemTransitions.workItemId} = ${itemId}
    ) held
    where held.to_status = 'ASSIGNED' and held.assignee_id = ${userId}`,
  );
  return Number(row?.seconds ?? 0);
}

/** How many encounters the coder has completed in the organization, at any facility. */
export async function completionsBy(tx: Database, scope: OrganizationScope, coderId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(codingCompletions)
    .where(and(acrossFacilities(codingCompletions, scope), eq(codingCompletions.coderId, coderId)));
  return row?.n ?? 0;
}

/** The record of a finished coding. */
export async function insertCompletion(
  tx: Database,
  scope: Scope,
  values: Omit<typeof codingCompletions.$inferInsert, "orgId">,
): Promise<CodingCompletionRow> {
  const [row] = await tx.insert(codingCompletions).values(ownedBy(scope, values)).returning();
  return row!;
}

/** The codings of encounters, newest first. */
export function completionsOf(
  db: Database,
  scope: Scope,
  encounterIds: readonly string[],
): Promise<CodingCompletionRow[]> {
  return db
    .select()
    .from(codingCompletions)
    .where(ofVisibleEncounters(codingCompletions, scope, encounterIds))
    .orderBy(desc(codingCompletions.completedAt));
}

/** The organization's review sampling rate. */
export async function codingQaPercent(db: Database, scope: Scope): Promise<number> {
  const [row] = await db
    .select({ percent: organizations.codingQaPercent })
    .from(organizations)
    .where(ownOrganization(scope));
  return row?.percent ?? 0;
}

/** Undefined when the encounter already has an open query. */
export async function insertPhysicianQuery(
  tx: Database,
  scope: Scope,
  values: Omit<typeof physicianQueries.$inferInsert, "orgId">,
): Promise<PhysicianQueryRow | undefined> {
  const [row] = await tx.insert(physicianQueries).values(ownedBy(scope, values)).onConflictDoNothing().returning();
  return row;
}

const visibleQuery = (scope: Scope, ids: readonly string[]) =>
  and(
    underFacilities(physicianQueries, physicianQueries.encounterId, encounters, scope),
    inArray(physicianQueries.id, [...ids]),
  );

/** Queries about encounters the caller may see. */
export function physicianQueriesById(db: Database, scope: Scope, ids: readonly string[]): Promise<PhysicianQueryRow[]> {
  return db.select().from(physicianQueries).where(visibleQuery(scope, ids));
}

/** One query about an encounter the caller may see, locked to answer it. */
export async function physicianQueryForUpdate(
  tx: Database,
  scope: Scope,
  id: string,
): Promise<PhysicianQueryRow | undefined> {
  const [row] = await tx
    .select()
    .from(physicianQueries)
    .where(visibleQuery(scope, [id]))
    .for("update");
  return row;
}

/** The open query answered; undefined when it was answered meanwhile. */
export async function answerPhysicianQuery(
  tx: Database,
  scope: Scope,
  query: PhysicianQueryRow,
  answer: string,
  answeredById: string,
): Promise<PhysicianQueryRow | undefined> {
  const [row] = await tx
    .update(physicianQueries)
    .set({ answer, answeredById, answeredAt: sql`now()` })
    .where(and(visibleQuery(scope, [query.id]), isNull(physicianQueries.answeredAt)))
    .returning();
  return row;
}

/** The queries about encounters, oldest first. */
export function physicianQueriesOf(
  db: Database,
  scope: Scope,
  encounterIds: readonly string[],
): Promise<PhysicianQueryRow[]> {
  return db
    .select()
    .from(physicianQueries)
    .where(ofVisibleEncounters(physicianQueries, scope, encounterIds))
    .orderBy(asc(physicianQueries.askedAt));
}
