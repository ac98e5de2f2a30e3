import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

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

export function canSeeFacility(scope: Scope, facilityId: string): boolean {
  return scope.facilityIds.includes(facilityId);
}
