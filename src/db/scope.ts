import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type {
  acknowledgements,
  organizationCounters,
  submissionBatchClaims,
  submissionBatches,
} from "./schema/claims.js";
import type { codeSetImportJobs } from "./schema/codesets.js";
import type { events } from "./schema/events.js";
import { organizations, type payers } from "./schema/organizations.js";
import type { providerAdjustments, remittanceFiles, remittances } from "./schema/remittance.js";
import type { users } from "./schema/users.js";
import type { workQueues } from "./schema/work.js";

/*
 * The one choke point for tenant and facility scoping: no other file compares an org_id
 * (test/unit/tenant-scoping.test.ts fails when one does). Each path says which kind of scope it has:
 *
 * - `Scope`: a signed-in user's, their organization and the facilities granted to them. Every read
 *   or write of rows at a facility, or under a row at one (an encounter's codes, an item's history),
 *   filters by those facilities: `inFacilities`, `referencesInFacilities`, `underFacilities`.
 * - `OrganizationScope` (`organizationOnly`): a tenant and nothing narrower, for paths that act for
 *   no user's facilities: a token naming a user before their facilities are read, a claim clearing
 *   its organization's expired leases, a coder's completions counted for review sampling, the
 *   history and events of a row written in its organization.
 *   It reaches rows at facilities only through `acrossFacilities`, which says so.
 * - `EVERY_ORGANIZATION`: the periodic lease sweep, a system task that acts for no tenant.
 *
 * Two reads span tenants without a scope, each saying why: sign-in finds a user by e-mail before
 * any organization is known (findActiveUserByEmail), and the event feed reads every organization's
 * events to hand each to the listeners of its own (event.store, event.feed).
 */

/** What the acting user may see: one organization and, within it, some facilities. */
export interface Scope {
  orgId: string;
  facilityIds: readonly string[];
}

/**
 * A scope as a key, for a statement compiled once per scope (StatementCache): the statement holds the
 * scope's organization and facilities as constants, so two scopes never share one.
 */
export const scopeKey = (scope: Scope): string => `${scope.orgId}|${scope.facilityIds.join(",")}`;

declare const organizationOnlyBrand: unique symbol;

/** An organization and no facilities: made by `organizationOnly`, never mistaken for a user's `Scope`. */
export interface OrganizationScope {
  readonly orgId: string;
  readonly [organizationOnlyBrand]: true;
}

/** A scope of the organization alone, for a path that knows the tenant but acts for no user's facilities. */
export function organizationOnly(orgId: string): OrganizationScope {
  return { orgId } as OrganizationScope;
}

/** Every organization: what a system task acting for no tenant (the lease sweep) touches. */
export const EVERY_ORGANIZATION = Object.freeze({ everyOrganization: true as const });
export type EveryOrganization = typeof EVERY_ORGANIZATION;

/** Tables whose rows are the organization's as a whole, at no facility: the only ones `inOrg` reads. */
type OrganizationWideTable =
  | typeof users
  | typeof payers
  | typeof workQueues
  | typeof events
  | typeof organizationCounters
  | typeof acknowledgements
  | typeof submissionBatches
  | typeof submissionBatchClaims
  | typeof remittanceFiles
  | typeof remittances
  | typeof providerAdjustments
  | typeof codeSetImportJobs;

/** A table of rows at one facility each (a facility row is its own: pass `{ orgId, facilityId: id }`). */
type FacilityTable = { orgId: PgColumn; facilityId: PgColumn };

/** Rows of the caller's organization, of a table whose rows belong to no facility. */
export function inOrg(table: OrganizationWideTable, scope: Scope | OrganizationScope): SQL {
  return eq(table.orgId, scope.orgId);
}

/** The caller's own organization row. */
export function ownOrganization(scope: Scope | OrganizationScope): SQL {
  return eq(organizations.id, scope.orgId);
}

/** Rows of the caller's organization in facilities the caller is granted. */
export function inFacilities(table: FacilityTable, scope: Scope): SQL {
  if (scope.facilityIds.length === 0) return sql`false`;
  return and(eq(table.orgId, scope.orgId), inArray(table.facilityId, [...scope.facilityIds]))!;
}

/**
 * Rows whose `column` names a row of `target` (by id) that the caller may see there too: for a row
 * that points at rows of other facilities, such as an encounter at its patient.
 */
export function referencesInFacilities(
  column: PgColumn,
  target: PgTable & { id: PgColumn } & FacilityTable,
  scope: Scope,
): SQL {
  return sql`${column} in (select ${target.id} from ${target} where ${inFacilities(target, scope)})`;
}

/**
 * Rows of a table with no facility of its own, each under a row of `target` that has one (an
 * encounter's codes under the encounter, an item's history under the item), `column` naming it:
 * those under a row at the caller's facilities.
 */
export function underFacilities(
  table: { orgId: PgColumn },
  column: PgColumn,
  target: PgTable & { id: PgColumn } & FacilityTable,
  scope: Scope,
): SQL {
  return and(eq(table.orgId, scope.orgId), referencesInFacilities(column, target, scope))!;
}

/**
 * Rows of a table with no facility of their own that gather rows at facilities, through `members`
 * (an 837P batch and its claims): those of the caller's organization whose every gathered row is at
 * one of the caller's facilities, since the row shows them all.
 */
export function gatheringOnlyFacilities(
  table: { orgId: PgColumn; id: PgColumn },
  members: PgTable & { orgId: PgColumn },
  memberOf: PgColumn,
  member: PgColumn,
  target: PgTable & { id: PgColumn } & FacilityTable,
  scope: Scope,
): SQL {
  return and(
    eq(table.orgId, scope.orgId),
    sql`not exists (select 1 from ${members} where ${members.orgId} = ${table.orgId} and ${memberOf} = ${table.id}
      and ${member} not in (select ${target.id} from ${target} where ${inFacilities(target, scope)}))`,
  )!;
}

/**
 * Rows of the organization at every facility, or of every organization: for what a path without a
 * user does regardless of anyone's facilities (a claim clearing expired leases, the sweep).
 */
export function acrossFacilities(
  table: { orgId: PgColumn },
  scope: OrganizationScope | EveryOrganization,
): SQL | undefined {
  return "orgId" in scope ? eq(table.orgId, scope.orgId) : undefined;
}

/** The tenant half of a join on a composite key (org_id, id): rows of one organization. */
export function sameOrganization(left: { orgId: PgColumn }, right: { orgId: PgColumn }): SQL {
  return eq(left.orgId, right.orgId);
}

/** A new row at no facility, stamped with the scope's organization. */
export function ownedBy<T extends object>(
  scope: Scope | OrganizationScope,
  values: T & { orgId?: never; facilityId?: never },
): T & { orgId: string } {
  return { ...values, orgId: scope.orgId };
}

/**
 * A new row at a facility, stamped with the caller's organization. Its facility must be one of the
 * caller's: services check that first and say so to the caller; this refuses what one forgot.
 */
export function atFacility<T extends { facilityId: string }>(
  scope: Scope,
  values: T & { orgId?: never },
): T & { orgId: string } {
  if (!canSeeFacility(scope, values.facilityId))
    throw new Error("A row was to be written outside the caller's facilities.");
  return { ...values, orgId: scope.orgId };
}

/**
 * A new row at a facility, written by a system task for the organization rather than for a user (a
 * follow-up sweep making work): any facility of the organization, since no user's grants apply.
 */
export function atAnyFacility<T extends { facilityId: string }>(
  scope: OrganizationScope,
  values: T & { orgId?: never },
): T & { orgId: string } {
  return { ...values, orgId: scope.orgId };
}

/** Whether the caller is granted the facility: the in-process form of `inFacilities`. */
export function canSeeFacility(scope: Scope, facilityId: string): boolean {
  return scope.facilityIds.includes(facilityId);
}
