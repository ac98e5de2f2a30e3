import { and, count, eq, getTableColumns, gte, inArray, lte, type SQL, sql } from "drizzle-orm";
import { type Database, StatementCache } from "../../db/client.js";
import { keysetAfter, keysetOrder } from "../../db/keyset.js";
import { encounters } from "../../db/schema/encounters.js";
import { providers } from "../../db/schema/organizations.js";
import { patients } from "../../db/schema/patients.js";
import {
  atFacility,
  inFacilities,
  referencesInFacilities,
  type Scope,
  sameOrganization,
  scopeKey,
} from "../../db/scope.js";
import { lazyCount, type Page, type PageRequest, toPage } from "../../shared/pagination.js";

export type EncounterRow = typeof encounters.$inferSelect;
type PatientRow = typeof patients.$inferSelect;
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

/**
 * Encounters the caller may see: at a granted facility, about a patient and by a provider the
 * caller may see too. createEncounter keeps all three at one facility; a row that does not (older,
 * or imported) stays hidden from whoever may not see its patient, rather than answering with
 * documentation about a hidden patient or failing the list that shows it.
 */
export function visibleEncounters(scope: Scope): SQL {
  return and(
    inFacilities(encounters, scope),
    referencesInFacilities(encounters.patientId, patients, scope),
    referencesInFacilities(encounters.renderingProviderId, providers, scope),
  )!;
}

/** Encounters by id with their patients, compiled once per caller's scope (encountersWithPatients). */
const withPatientsStatements = new StatementCache<{ encounter: EncounterRow; patient: PatientRow }>({
  encounter: getTableColumns(encounters),
  patient: getTableColumns(patients),
});

/**
 * Those the caller may see, each with its patient (whom the caller may see too: see visibleEncounters): a
 * prepared statement, the ids an array, since nearly every request about an encounter starts here.
 */
export function encountersWithPatients(
  db: Database,
  scope: Scope,
  ids: readonly string[],
): Promise<{ encounter: EncounterRow; patient: PatientRow }[]> {
  const build = () =>
    db
      .select({ encounter: encounters, patient: patients })
      .from(encounters)
      .innerJoin(patients, and(sameOrganization(patients, encounters), eq(patients.id, encounters.patientId)))
      .where(and(visibleEncounters(scope), sql`${encounters.id} = any(${sql.placeholder("ids")}::uuid[])`));
  return withPatientsStatements.run(db, scopeKey(scope), build, { ids: [...ids] });
}

const BY_SERVICE_DATE = [encounters.serviceDate, encounters.id];

/** Filtered, ordered by service date then id (keyset), with an exact total. */
export async function findEncounters(
  db: Database,
  scope: Scope,
  filter: EncounterSearch,
  order: EncounterOrder,
  page: PageRequest<EncounterRow>,
): Promise<Page<EncounterRow>> {
  const where = and(
    visibleEncounters(scope),
    filter.status?.length ? inArray(encounters.status, filter.status) : undefined,
    filter.type?.length ? inArray(encounters.type, filter.type) : undefined,
    filter.facilityId ? eq(encounters.facilityId, filter.facilityId) : undefined,
    filter.patientId ? eq(encounters.patientId, filter.patientId) : undefined,
    filter.serviceDateFrom ? gte(encounters.serviceDate, filter.serviceDateFrom) : undefined,
    filter.serviceDateTo ? lte(encounters.serviceDate, filter.serviceDateTo) : undefined,
  );
  const direction = order === "SERVICE_DATE_ASC" ? "asc" : "desc";
  const after = page.after
    ? keysetAfter(BY_SERVICE_DATE, [page.after.serviceDate, page.after.id], direction)
    : undefined;
  const rows = await db
    .select()
    .from(encounters)
    .where(and(where, after))
    .orderBy(...keysetOrder(BY_SERVICE_DATE, direction))
    .limit(page.first + 1);
  return toPage(rows, page, lazyCount(db.select({ n: count() }).from(encounters).where(where)));
}

/** At a facility of the caller's; undefined when the organization already uses the external id. */
export async function insertEncounter(
  db: Database,
  scope: Scope,
  values: Omit<NewEncounter, "orgId">,
): Promise<EncounterRow | undefined> {
  const [row] = await db.insert(encounters).values(atFacility(scope, values)).onConflictDoNothing().returning();
  return row;
}

/**
 * DRAFT → READY_FOR_CODING at the version the caller read (through visibleEncounters);
 * undefined when it changed meanwhile.
 */
export async function markReadyForCoding(
  db: Database,
  scope: Scope,
  id: string,
  version: number,
): Promise<EncounterRow | undefined> {
  const [row] = await db
    .update(encounters)
    .set({ status: "READY_FOR_CODING", version: sql`${encounters.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(
        inFacilities(encounters, scope),
        eq(encounters.id, id),
        eq(encounters.status, "DRAFT"),
        eq(encounters.version, version),
      ),
    )
    .returning();
  return row;
}

/**
 * READY_TO_BILL → BILLED once their claims are submitted, each version bumped; an
 * encounter in another status (billed already by an earlier submission) is left as it is.
 */
export async function markEncountersBilled(
  db: Database,
  scope: Scope,
  ids: readonly string[],
): Promise<EncounterRow[]> {
  if (ids.length === 0) return [];
  return db
    .update(encounters)
    .set({ status: "BILLED", version: sql`${encounters.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(inFacilities(encounters, scope), inArray(encounters.id, [...ids]), eq(encounters.status, "READY_TO_BILL")),
    )
    .returning();
}

/**
 * READY_TO_BILL → READY_FOR_CODING, when billing finds a diagnosis or code
 * the coder must change; undefined when the encounter is not READY_TO_BILL any more.
 */
export async function returnEncounterToCoding(
  db: Database,
  scope: Scope,
  id: string,
): Promise<EncounterRow | undefined> {
  const [row] = await db
    .update(encounters)
    .set({ status: "READY_FOR_CODING", version: sql`${encounters.version} + 1`, updatedAt: sql`now()` })
    .where(and(inFacilities(encounters, scope), eq(encounters.id, id), eq(encounters.status, "READY_TO_BILL")))
    .returning();
  return row;
}
