import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";

/**
 * What the acting user may see: one organization and, within it, some facilities.
 * Every read of tenant data goes through `inOrg` or `inFacilities`: this file is
 * the one choke point for tenant and facility scoping.
 */
export interface Scope {
  orgId: string;
  facilityIds: readonly string[];
}

/** Rows of the caller's organization. */
export function inOrg(table: { orgId: PgColumn }, scope: Scope): SQL {
  return eq(table.orgId, scope.orgId);
}

/** Rows of the caller's organization in facilities the caller is granted. */
export function inFacilities(table: { orgId: PgColumn; facilityId: PgColumn }, scope: Scope): SQL {
  if (scope.facilityIds.length === 0) return sql`false`;
  return and(eq(table.orgId, scope.orgId), inArray(table.facilityId, [...scope.facilityIds]))!;
}

/**
 * Rows whose `column` names a row of `target` (by id) that the caller may see there too: for a row
 * that points at rows of other facilities, such as an encounter at its patient.
 */
export function referencesInFacilities(
  column: PgColumn,
  target: PgTable & { id: PgColumn; orgId: PgColumn; facilityId: PgColumn },
  scope: Scope,
): SQL {
  return sql`${column} in (select ${target.id} from ${target} where ${inFacilities(target, scope)})`;
}

export function canSeeFacility(scope: Scope, facilityId: string): boolean {
  return scope.facilityIds.includes(facilityId);
}
