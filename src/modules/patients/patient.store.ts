import { and, asc, count, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { inFacilities, type Scope } from "../../db/scope.js";
import { patients } from "../../db/schema/patients.js";
import { toPage, type Page, type PageRequest } from "../../shared/pagination.js";

export type PatientRow = typeof patients.$inferSelect;
export type NewPatient = typeof patients.$inferInsert;

export interface PatientSearch {
  /** Words matching the start of the last or first name, or an exact MRN. */
  search?: string | null | undefined;
  facilityId?: string | null | undefined;
}

/* patientsByIds: patients of facilities granted to the caller. */
export function patientsByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<PatientRow[]> {
  return db.select().from(patients).where(and(inFacilities(patients, scope), inArray(patients.id, [...ids])));
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function searchCondition(search: string | null | undefined): SQL | undefined {
  const words = (search ?? "").trim().split(/[\s,]+/).filter(Boolean).slice(0, 5);
  if (words.length === 0) return undefined;
  return and(
    ...words.map((word) =>
      or(
        eq(patients.mrn, word),
        ilike(patients.lastName, `${escapeLike(word)}%`),
        ilike(patients.firstName, `${escapeLike(word)}%`),
      ),
    ),
  );
}

/* findPatients: by last name, first name, id (keyset). */
export async function findPatients(db: Database, scope: Scope, filter: PatientSearch, page: PageRequest): Promise<Page<PatientRow>> {
  const where = and(
    inFacilities(patients, scope),
    filter.facilityId ? eq(patients.facilityId, filter.facilityId) : undefined,
    searchCondition(filter.search),
  );
  const [last, first, id] = (page.after ?? []) as string[];
  const after = page.after
    ? sql`(${patients.lastName}, ${patients.firstName}, ${patients.id}) > (${last}, ${first}, ${id}::uuid)`
    : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(patients)
      .where(and(where, after))
      .orderBy(asc(patients.lastName), asc(patients.firstName), asc(patients.id))
      .limit(page.first + 1),
    db.select({ n: count() }).from(patients).where(where),
  ]);
  return toPage(rows, page, total?.n ?? 0);
}

/* insertPatient: returns undefined when the MRN is already taken in that facility. */
export async function insertPatient(db: Database, values: NewPatient): Promise<PatientRow | undefined> {
  const [row] = await db.insert(patients).values(values).onConflictDoNothing().returning();
  return row;
}
