import { and, asc, count, eq, getTableColumns, inArray, type SQL, sql } from "drizzle-orm";
import { type Database, StatementCache } from "../../db/client.js";
import { keysetAfter, keysetOrder } from "../../db/keyset.js";
import { claimLines, claimStatusChanges, claims, organizationCounters } from "../../db/schema/claims.js";
import { encounters } from "../../db/schema/encounters.js";
import { patients } from "../../db/schema/patients.js";
import {
  atFacility,
  inFacilities,
  inOrg,
  type OrganizationScope,
  ownedBy,
  referencesInFacilities,
  type Scope,
  sameOrganization,
  scopeKey,
  underFacilities,
} from "../../db/scope.js";
import { lazyCount, type Page, type PageRequest, toPage } from "../../shared/pagination.js";

export type ClaimRow = typeof claims.$inferSelect;
export type NewClaim = Omit<typeof claims.$inferInsert, "orgId">;
export type ClaimStatus = ClaimRow["status"];
export type ClaimLineRow = typeof claimLines.$inferSelect;
export type NewClaimLine = Omit<typeof claimLines.$inferInsert, "orgId" | "claimId">;
export type ClaimStatusChangeRow = typeof claimStatusChanges.$inferSelect;

/** Claims the caller may see: at a granted facility, about a patient the caller may see too (as encounters). */
export function visibleClaims(scope: Scope): SQL {
  return and(inFacilities(claims, scope), referencesInFacilities(claims.patientId, patients, scope))!;
}

/* claimsByIds */
export function claimsByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<ClaimRow[]> {
  return db
    .select()
    .from(claims)
    .where(and(visibleClaims(scope), inArray(claims.id, [...ids])));
}

/* claimsByEncounterIds: oldest first. */
export function claimsByEncounterIds(db: Database, scope: Scope, encounterIds: readonly string[]): Promise<ClaimRow[]> {
  return db
    .select()
    .from(claims)
    .where(and(visibleClaims(scope), inArray(claims.encounterId, [...encounterIds])))
    .orderBy(asc(claims.createdAt), asc(claims.id));
}

/** The claim locked for a change, when the caller may see it; prepared, as every change takes it. */
export async function claimForUpdate(db: Database, scope: Scope, id: string): Promise<ClaimRow | undefined> {
  const [row] = await db
    .select()
    .from(claims)
    .where(and(visibleClaims(scope), eq(claims.id, id)))
    .for("update")
    .prepare("claimForUpdate")
    .execute();
  return row;
}

export interface ClaimSearch {
  status?: ClaimStatus[] | null | undefined;
  payerId?: string | null | undefined;
  encounterId?: string | null | undefined;
}

const NEWEST_FIRST = [claims.createdAt, claims.id];

/* findClaims: filtered, newest first (keyset), with an exact total. */
export async function findClaims(
  db: Database,
  scope: Scope,
  filter: ClaimSearch,
  page: PageRequest<ClaimRow>,
): Promise<Page<ClaimRow>> {
  const where = and(
    visibleClaims(scope),
    filter.status?.length ? inArray(claims.status, filter.status) : undefined,
    filter.payerId ? eq(claims.payerId, filter.payerId) : undefined,
    filter.encounterId ? eq(claims.encounterId, filter.encounterId) : undefined,
  );
  const after = page.after ? keysetAfter(NEWEST_FIRST, [page.after.createdAt, page.after.id], "desc") : undefined;
  const rows = await db
    .select()
    .from(claims)
    .where(and(where, after))
    .orderBy(...keysetOrder(NEWEST_FIRST, "desc"))
    .limit(page.first + 1);
  return toPage(rows, page, lazyCount(db.select({ n: count() }).from(claims).where(where)));
}

/** linesOfClaims, compiled once per scope. */
const linesStatements = new StatementCache<ClaimLineRow>(getTableColumns(claimLines));

/** Each claim's lines in line order; compiled once and prepared, as every scrub reads them. */
export function linesOfClaims(db: Database, scope: Scope, claimIds: readonly string[]): Promise<ClaimLineRow[]> {
  const build = () =>
    db
      .select()
      .from(claimLines)
      .where(
        and(
          underFacilities(claimLines, claimLines.claimId, claims, scope),
          sql`${claimLines.claimId} = any(${sql.placeholder("claimIds")}::uuid[])`,
        ),
      )
      .orderBy(asc(claimLines.claimId), asc(claimLines.lineNumber));
  return linesStatements.run(db, scopeKey(scope), build, { claimIds });
}

/* statusChangesOfClaims: each claim's history, oldest first. */
export function statusChangesOfClaims(
  db: Database,
  scope: Scope,
  claimIds: readonly string[],
): Promise<ClaimStatusChangeRow[]> {
  return db
    .select()
    .from(claimStatusChanges)
    .where(
      and(
        underFacilities(claimStatusChanges, claimStatusChanges.claimId, claims, scope),
        inArray(claimStatusChanges.claimId, [...claimIds]),
      ),
    )
    .orderBy(asc(claimStatusChanges.at), asc(claimStatusChanges.id));
}

/*
 * nextCounterValue: the organization's next number of a kind (patient control numbers, interchange
 * control numbers). The row lock of the upsert queues concurrent takers; a number taken by a
 * transaction that rolls back is skipped, never handed out twice.
 */
export async function nextCounterValue(db: Database, scope: Scope | OrganizationScope, name: string): Promise<number> {
  const [row] = await db
    .insert(organizationCounters)
    .values(ownedBy(scope, { name, lastValue: 1 }))
    .onConflictDoUpdate({
      target: [organizationCounters.orgId, organizationCounters.name],
      set: { lastValue: sql`${organizationCounters.lastValue} + 1` },
      where: inOrg(organizationCounters, scope),
    })
    .returning({ value: organizationCounters.lastValue });
  return row!.value;
}

/* insertClaim: with its lines, at a facility of the caller's. */
export async function insertClaim(
  db: Database,
  scope: Scope,
  values: NewClaim,
  lines: readonly NewClaimLine[],
): Promise<ClaimRow> {
  const [claim] = await db.insert(claims).values(atFacility(scope, values)).returning();
  if (lines.length > 0) {
    await db.insert(claimLines).values(lines.map((line) => ({ ...line, orgId: claim!.orgId, claimId: claim!.id })));
  }
  return claim!;
}

/* replaceClaimLines: the claim's lines become `lines`, numbered as given. */
export async function replaceClaimLines(
  db: Database,
  scope: Scope,
  claim: Pick<ClaimRow, "orgId" | "id">,
  lines: readonly NewClaimLine[],
): Promise<void> {
  await db
    .delete(claimLines)
    .where(and(underFacilities(claimLines, claimLines.claimId, claims, scope), eq(claimLines.claimId, claim.id)));
  if (lines.length > 0) {
    await db.insert(claimLines).values(lines.map((line) => ({ ...line, orgId: claim.orgId, claimId: claim.id })));
  }
}

/*
 * updateClaim: a change at the version the caller read, which it bumps; undefined when the claim
 * changed meanwhile. Prepared: each scrub ends with one.
 */
export async function updateClaim(
  db: Database,
  scope: Scope,
  id: string,
  version: number,
  values: Partial<Omit<NewClaim, "id" | "facilityId" | "version">>,
): Promise<ClaimRow | undefined> {
  const [row] = await db
    .update(claims)
    .set({ ...values, version: sql`${claims.version} + 1`, updatedAt: sql`now()` })
    .where(and(visibleClaims(scope), eq(claims.id, id), eq(claims.version, version)))
    .returning()
    .prepare("updateClaim")
    .execute();
  return row;
}

/*
 * insertStatusChanges: history rows of claims of the caller's organization, in one statement whatever their
 * number: columns as arrays, unnested (an 835 or a 277CA moves thousands of claims; a multi-row VALUES binds seven
 * parameters a row and took 1.5 s for 10,000). A change without an id gets a random one.
 */
export async function insertStatusChanges(
  db: Database,
  scope: Scope | OrganizationScope,
  changes: readonly Omit<typeof claimStatusChanges.$inferInsert, "orgId" | "at">[],
): Promise<void> {
  if (changes.length === 0) return;
  const column = <T>(pick: (change: (typeof changes)[number]) => T) => sql.param(changes.map(pick));
  const { orgId, id, claimId, fromStatus, toStatus, actorId, reason } = claimStatusChanges;
  const columns = [orgId, id, claimId, fromStatus, toStatus, actorId, reason].map((c) => sql.identifier(c.name));
  await db.execute(sql`
    insert into ${claimStatusChanges} (${sql.join(columns, sql`, `)})
    select ${scope.orgId}::uuid, coalesce(v.id, gen_random_uuid()), v.claim_id, v.from_status::claim_status,
      v.to_status::claim_status, v.actor_id, v.reason
    from unnest(${column((c) => c.id ?? null)}::uuid[], ${column((c) => c.claimId)}::uuid[],
      ${column((c) => c.fromStatus ?? null)}::text[], ${column((c) => c.toStatus)}::text[],
      ${column((c) => c.actorId ?? null)}::uuid[], ${column((c) => c.reason)}::text[])
      as v(id, claim_id, from_status, to_status, actor_id, reason)`);
}

/* correctionsOfClaims: the replacements and voids of each claim, oldest first. */
export function correctionsOfClaims(db: Database, scope: Scope, claimIds: readonly string[]): Promise<ClaimRow[]> {
  return db
    .select()
    .from(claims)
    .where(and(visibleClaims(scope), inArray(claims.replacesClaimId, [...claimIds])))
    .orderBy(asc(claims.createdAt), asc(claims.id));
}

/* secondariesOfClaims: the secondary claims billed after each primary claim, oldest first. */
export function secondariesOfClaims(db: Database, scope: Scope, claimIds: readonly string[]): Promise<ClaimRow[]> {
  return db
    .select()
    .from(claims)
    .where(and(visibleClaims(scope), inArray(claims.primaryClaimId, [...claimIds])))
    .orderBy(asc(claims.createdAt), asc(claims.id));
}

/* encounterTypeOfClaim: the type of the encounter a claim bills, which routes its work. */
export async function encounterTypeOfClaim(
  db: Database,
  scope: Scope,
  claimId: string,
): Promise<(typeof encounters.$inferSelect)["type"] | undefined> {
  const [row] = await db
    .select({ type: encounters.type })
    .from(claims)
    .innerJoin(encounters, and(sameOrganization(encounters, claims), eq(encounters.id, claims.encounterId)))
    .where(and(visibleClaims(scope), eq(claims.id, claimId)));
  return row?.type;
}
