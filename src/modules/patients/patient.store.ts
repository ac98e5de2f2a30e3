import { and, asc, count, desc, eq, ilike, inArray, or, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { keysetAfter, keysetOrder } from "../../db/keyset.js";
import { coverages, patients } from "../../db/schema/patients.js";
import { atFacility, inFacilities, ownedBy, type Scope, underFacilities } from "../../db/scope.js";
import { type Page, type PageRequest, toPage } from "../../shared/pagination.js";

export type PatientRow = typeof patients.$inferSelect;
export type NewPatient = typeof patients.$inferInsert;

export interface PatientSearch {
  /** Words matching the start of the last or first name, or an exact MRN. */
  search?: string | null | undefined;
  facilityId?: string | null | undefined;
}

/** Patients of facilities granted to the caller. */
export function patientsByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<PatientRow[]> {
  return db
    .select()
    .from(patients)
    .where(and(inFacilities(patients, scope), inArray(patients.id, [...ids])));
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function searchCondition(search: string | null | undefined): SQL | undefined {
  const words = (search ?? "")
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean)
    .slice(0, 5);
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

export interface PatientPage extends Page<PatientRow> {
  /** With a name or MRN search: every patient it matched, whose match `totalCount` discloses. */
  matchedIds: string[] | null;
}

const BY_NAME = [patients.lastName, patients.firstName, patients.id];

/** By last name, first name, id (keyset), with an exact total. */
export async function findPatients(
  db: Database,
  scope: Scope,
  filter: PatientSearch,
  page: PageRequest<PatientRow>,
): Promise<PatientPage> {
  const search = searchCondition(filter.search);
  const where = and(
    inFacilities(patients, scope),
    filter.facilityId ? eq(patients.facilityId, filter.facilityId) : undefined,
    search,
  );
  const after = page.after
    ? keysetAfter(BY_NAME, [page.after.lastName, page.after.firstName, page.after.id], "asc")
    : undefined;
  const [rows, matched] = await Promise.all([
    db
      .select()
      .from(patients)
      .where(and(where, after))
      .orderBy(...keysetOrder(BY_NAME, "asc"))
      .limit(page.first + 1),
    search
      ? db
          .select({ id: patients.id })
          .from(patients)
          .where(where)
          .then((ids) => ids.map((row) => row.id))
      : db
          .select({ n: count() })
          .from(patients)
          .where(where)
          .then(([total]) => total?.n ?? 0),
  ]);
  // Counted with the page either way: a search's matches are audited whether or not the count is asked for.
  const total = typeof matched === "number" ? matched : matched.length;
  return {
    ...toPage(rows, page, () => Promise.resolve(total)),
    matchedIds: typeof matched === "number" ? null : matched,
  };
}

/** At a facility of the caller's; undefined when the MRN is already taken there. */
export async function insertPatient(
  db: Database,
  scope: Scope,
  values: Omit<NewPatient, "orgId">,
): Promise<PatientRow | undefined> {
  const [row] = await db.insert(patients).values(atFacility(scope, values)).onConflictDoNothing().returning();
  return row;
}

export type CoverageRow = typeof coverages.$inferSelect;
export type NewCoverage = Omit<typeof coverages.$inferInsert, "orgId" | "id">;

/** Each patient's coverages by priority, then newest first. */
export function coveragesOfPatients(db: Database, scope: Scope, patientIds: readonly string[]): Promise<CoverageRow[]> {
  return db
    .select()
    .from(coverages)
    .where(
      and(
        underFacilities(coverages, coverages.patientId, patients, scope),
        inArray(coverages.patientId, [...patientIds]),
      ),
    )
    .orderBy(asc(coverages.priority), desc(coverages.effectiveFrom), asc(coverages.id));
}

/** Those under patients the caller may see. */
export function coveragesByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<CoverageRow[]> {
  return db
    .select()
    .from(coverages)
    .where(and(underFacilities(coverages, coverages.patientId, patients, scope), inArray(coverages.id, [...ids])));
}

/** A coverage of a patient the service has already found visible, in the caller's organization. */
export async function insertCoverage(db: Database, scope: Scope, values: NewCoverage): Promise<CoverageRow> {
  const [row] = await db.insert(coverages).values(ownedBy(scope, values)).returning();
  return row!;
}

/** Of a patient the caller may see; undefined when there is none such. */
export async function updateCoverage(
  db: Database,
  scope: Scope,
  id: string,
  values: Partial<Pick<NewCoverage, "memberId" | "groupNumber" | "effectiveTo">>,
): Promise<CoverageRow | undefined> {
  const [row] = await db
    .update(coverages)
    .set(values)
    .where(and(underFacilities(coverages, coverages.patientId, patients, scope), eq(coverages.id, id)))
    .returning();
  return row;
}
