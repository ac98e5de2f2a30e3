import { and, asc, count, desc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { type Database, selectRows } from "../../db/client.js";
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
  underFacilities,
} from "../../db/scope.js";
import type { DiagnosisEntry, EncounterCodes, ProcedureEntry } from "../edits/index.js";
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

/** The diagnoses of encounters, in sequence, by encounter; an encounter without any has an empty list. */
export async function diagnosesOf(
  db: Database,
  scope: Scope,
  encounterIds: readonly string[],
): Promise<Map<string, DiagnosisEntry[]>> {
  const rows = await db
    .select()
    .from(encounterDiagnoses)
    .where(ofVisibleEncounters(encounterDiagnoses, scope, encounterIds))
    .orderBy(asc(encounterDiagnoses.sequence));
  return listsByEncounter(encounterIds, rows, (row) => ({
    code: row.code,
    presentOnAdmission: row.presentOnAdmission,
    unrelatedTo: row.unrelatedTo,
  }));
}

/** The procedure lines of encounters, in sequence, by encounter; an encounter without any has an empty list. */
export async function proceduresOf(
  db: Database,
  scope: Scope,
  encounterIds: readonly string[],
): Promise<Map<string, ProcedureEntry[]>> {
  const rows = await db
    .select()
    .from(encounterProcedures)
    .where(ofVisibleEncounters(encounterProcedures, scope, encounterIds))
    .orderBy(asc(encounterProcedures.sequence));
  return listsByEncounter(encounterIds, rows, (row) => ({
    system: row.system,
    code: row.code,
    modifiers: row.modifiers,
    units: row.units,
    charge: row.charge,
    serviceDate: row.serviceDate,
    diagnosisPointers: row.diagnosisPointers,
  }));
}

/**
 * The diagnoses and procedure lines of encounters, in sequence; an encounter without
 * codes has empty lists.
 */
export async function encounterCodes(
  db: Database,
  scope: Scope,
  encounterIds: readonly string[],
): Promise<Map<string, EncounterCodes>> {
  const [diagnoses, procedures] = await Promise.all([
    diagnosesOf(db, scope, encounterIds),
    proceduresOf(db, scope, encounterIds),
  ]);
  return new Map(
    encounterIds.map((id) => [id, { diagnoses: diagnoses.get(id) ?? [], procedures: procedures.get(id) ?? [] }]),
  );
}

/** The encounter's codes become `codes`, sequenced in list order. */
export async function replaceEncounterCodes(
  tx: Database,
  scope: Scope,
  encounterId: string,
  codes: EncounterCodes,
): Promise<void> {
  const owned = (table: typeof encounterDiagnoses | typeof encounterProcedures) =>
    ofVisibleEncounters(table, scope, [encounterId]);
  await tx.delete(encounterDiagnoses).where(owned(encounterDiagnoses));
  await tx.delete(encounterProcedures).where(owned(encounterProcedures));
  if (codes.diagnoses.length > 0) {
    await tx.insert(encounterDiagnoses).values(
      codes.diagnoses.map((d, i) =>
        ownedBy(scope, {
          encounterId,
          sequence: i + 1,
          code: d.code,
          presentOnAdmission: d.presentOnAdmission,
          unrelatedTo: [...(d.unrelatedTo ?? [])],
        }),
      ),
    );
  }
  if (codes.procedures.length > 0) {
    await tx
      .insert(encounterProcedures)
      .values(codes.procedures.map((line, i) => ownedBy(scope, { encounterId, sequence: i + 1, ...line })));
  }
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

/** One entry of the code history. */
export async function insertCodeChange(
  tx: Database,
  scope: Scope,
  values: Omit<typeof encounterCodeChanges.$inferInsert, "orgId">,
): Promise<void> {
  await tx.insert(encounterCodeChanges).values(ownedBy(scope, values));
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
