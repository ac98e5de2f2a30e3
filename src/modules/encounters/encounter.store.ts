import { and, asc, count, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { inFacilities, type Scope } from "../../db/scope.js";
import { encounters } from "../../db/schema/encounters.js";
import { toPage, type Page, type PageRequest } from "../../shared/pagination.js";

export type EncounterRow = typeof encounters.$inferSelect;
export type NewEncounter = typeof encounters.$inferInsert;
export type EncounterStatus = EncounterRow["status"];
export type EncounterType = EncounterRow["type"];

export interface EncounterSearch {
  status?: EncounterStatus[] | null | undefined;
  type?: EncounterType[] | null | undefined;
  facilityId?: string | null | undefined;
  patientId?: string | null | undefined;
  serviceDateFrom?: string | null | undefined;
  serviceDateTo?: string | null | undefined;
}

export type EncounterOrder = "SERVICE_DATE_DESC" | "SERVICE_DATE_ASC";

/* encountersByIds: encounters of facilities granted to the caller. */
export function encountersByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<EncounterRow[]> {
  return db.select().from(encounters).where(and(inFacilities(encounters, scope), inArray(encounters.id, [...ids])));
}

/* findEncounters: filtered, ordered by service date then id (keyset), with an exact total. */
export async function findEncounters(
  db: Database,
  scope: Scope,
  filter: EncounterSearch,
  order: EncounterOrder,
  page: PageRequest,
): Promise<Page<EncounterRow>> {
  const where = and(
    inFacilities(encounters, scope),
    filter.status?.length ? inArray(encounters.status, filter.status) : undefined,
    filter.type?.length ? inArray(encounters.type, filter.type) : undefined,
    filter.facilityId ? eq(encounters.facilityId, filter.facilityId) : undefined,
    filter.patientId ? eq(encounters.patientId, filter.patientId) : undefined,
    filter.serviceDateFrom ? gte(encounters.serviceDate, filter.serviceDateFrom) : undefined,
    filter.serviceDateTo ? lte(encounters.serviceDate, filter.serviceDateTo) : undefined,
  );
  const ascending = order === "SERVICE_DATE_ASC";
  const [date, id] = (page.after ?? []) as string[];
  const after = page.after
    ? ascending
      ? sql`(${encounters.serviceDate}, ${encounters.id}) > (${date}::date, ${id}::uuid)`
      : sql`(${encounters.serviceDate}, ${encounters.id}) < (${date}::date, ${id}::uuid)`
    : undefined;
  const direction = ascending ? asc : desc;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(encounters)
      .where(and(where, after))
      .orderBy(direction(encounters.serviceDate), direction(encounters.id))
      .limit(page.first + 1),
    db.select({ n: count() }).from(encounters).where(where),
  ]);
  return toPage(rows, page, total?.n ?? 0);
}

/* insertEncounter: returns undefined when the external id is already used in the organization. */
export async function insertEncounter(db: Database, values: NewEncounter): Promise<EncounterRow | undefined> {
  const [row] = await db.insert(encounters).values(values).onConflictDoNothing().returning();
  return row;
}
