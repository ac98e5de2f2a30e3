import { and, asc, count, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { keysetAfter, keysetOrder } from "../../db/keyset.js";
import { facilities, payers, providers } from "../../db/schema/organizations.js";
import { inFacilities, inOrg, type Scope } from "../../db/scope.js";
import { lazyCount, type Page, type PageRequest, toPage } from "../../shared/pagination.js";

export type FacilityRow = typeof facilities.$inferSelect;
export type ProviderRow = typeof providers.$inferSelect;
export type PayerRow = typeof payers.$inferSelect;

/** A facility row is its own facility: `inFacilities` reads its id as the facility id. */
const facilityScope = { orgId: facilities.orgId, facilityId: facilities.id };

/** Only facilities granted to the caller. */
export function facilitiesByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<FacilityRow[]> {
  return db
    .select()
    .from(facilities)
    .where(and(inFacilities(facilityScope, scope), inArray(facilities.id, [...ids])));
}

/** By name. */
export function listVisibleFacilities(db: Database, scope: Scope): Promise<FacilityRow[]> {
  return db
    .select()
    .from(facilities)
    .where(inFacilities(facilityScope, scope))
    .orderBy(asc(facilities.name), asc(facilities.id));
}

/** Providers billing under facilities granted to the caller. */
export function providersByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<ProviderRow[]> {
  return db
    .select()
    .from(providers)
    .where(and(inFacilities(providers, scope), inArray(providers.id, [...ids])));
}

const BY_NAME = [providers.lastName, providers.firstName, providers.id];

/** Of the caller's facilities, by last name, first name, id. */
export async function findProviders(
  db: Database,
  scope: Scope,
  facilityId: string | null,
  page: PageRequest<ProviderRow>,
): Promise<Page<ProviderRow>> {
  const filter = and(inFacilities(providers, scope), facilityId ? eq(providers.facilityId, facilityId) : undefined);
  const after = page.after
    ? keysetAfter(BY_NAME, [page.after.lastName, page.after.firstName, page.after.id], "asc")
    : undefined;
  const rows = await db
    .select()
    .from(providers)
    .where(and(filter, after))
    .orderBy(...keysetOrder(BY_NAME, "asc"))
    .limit(page.first + 1);
  return toPage(rows, page, lazyCount(db.select({ n: count() }).from(providers).where(filter)));
}

/** Payers of the caller's organization, for the loaders. */
export function payersByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<PayerRow[]> {
  return db
    .select()
    .from(payers)
    .where(and(inOrg(payers, scope), inArray(payers.id, [...ids])));
}

/** Every payer of the caller's organization, by name: payers belong to it, not to one facility. */
export function listPayers(db: Database, scope: Scope): Promise<PayerRow[]> {
  return db.select().from(payers).where(inOrg(payers, scope)).orderBy(asc(payers.name));
}
