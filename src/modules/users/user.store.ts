import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { facilities } from "../../db/schema/organizations.js";
import { userFacilityAccess, users } from "../../db/schema/users.js";
import { inOrg, type OrganizationScope, type Scope, sameOrganization } from "../../db/scope.js";

export type UserRow = typeof users.$inferSelect;
/** What a user may do: CODER, BILLER, AUDITOR, SUPERVISOR, ADMIN. */
export type Role = UserRow["roles"][number];
export type UserWithFacilities = UserRow & { facilityIds: string[] };
/** What the API shows of a user. */
export type UserProfile = Pick<UserRow, "id" | "email" | "name" | "roles" | "credentials" | "active">;

/** Every facility of the user's organization: what an administrator sees. */
const everyFacility = sql`select array_agg(${facilities.id} order by ${facilities.id}) from ${facilities}
  where ${sameOrganization(facilities, users)}`;

/** The facilities granted to the user. */
const grantedFacilities = sql`select array_agg(${userFacilityAccess.facilityId}
                                               order by ${userFacilityAccess.facilityId})
  from ${userFacilityAccess}
  where ${and(sameOrganization(userFacilityAccess, users), eq(userFacilityAccess.userId, users.id))}`;

/**
 * Administrators see every facility of their organization; everyone else, the facilities granted to them.
 * Each subquery is a fragment of its own on purpose: Drizzle names columns there with their table
 * ("users"."org_id"), but leaves those of a single-table select bare, and inside the subquery a bare
 * `org_id` would mean the subquery's own.
 */
const visibleFacilityIds = sql<string[]>`case when 'ADMIN' = any(${users.roles})
  then coalesce((${everyFacility}), '{}') else coalesce((${grantedFacilities}), '{}') end`;

/** Users with the facilities they may see. */
async function withFacilities(db: Database, where: SQL): Promise<UserWithFacilities[]> {
  const rows = await db.select({ user: users, facilityIds: visibleFacilityIds }).from(users).where(where);
  return rows.map((row) => ({ ...row.user, facilityIds: row.facilityIds }));
}

/**
 * The actor of a request, with the facilities they may see, in one statement. The
 * token names the organization; the user's facilities are what this reads.
 */
export function findActiveUserById(
  db: Database,
  scope: OrganizationScope,
  userId: string,
): Promise<UserWithFacilities | undefined> {
  return withFacilities(db, and(inOrg(users, scope), eq(users.id, userId), eq(users.active, true))!).then(
    ([user]) => user,
  );
}

/** The actors of many tokens of one organization, as findActiveUserById reads one. */
export function findActiveUsersByIds(
  db: Database,
  scope: OrganizationScope,
  userIds: readonly string[],
): Promise<UserWithFacilities[]> {
  return withFacilities(db, and(inOrg(users, scope), inArray(users.id, [...userIds]), eq(users.active, true))!);
}

/**
 * Sign-in and identity-provider tokens name a user by e-mail (unique across
 * organizations), before any tenant is known: the one read of users without a scope.
 */
export function findActiveUserByEmail(db: Database, email: string): Promise<UserWithFacilities | undefined> {
  return withFacilities(db, and(eq(users.email, email), eq(users.active, true))!).then(([user]) => user);
}

/**
 * A user of the caller's organization, active or not, with their facilities:
 * whether work may be given to them.
 */
export function userWithFacilitiesById(
  db: Database,
  scope: Scope,
  userId: string,
): Promise<UserWithFacilities | undefined> {
  return withFacilities(db, and(inOrg(users, scope), eq(users.id, userId))!).then(([user]) => user);
}

/** Users of the caller's organization. */
export function usersByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<UserRow[]> {
  return db
    .select()
    .from(users)
    .where(and(inOrg(users, scope), inArray(users.id, [...ids])));
}

/** Each user's facilities as `withFacilities` reads them (administrators: every one). */
export function facilityIdsOfUsers(
  db: Database,
  scope: Scope,
  ids: readonly string[],
): Promise<{ id: string; facilityIds: string[] }[]> {
  return db
    .select({ id: users.id, facilityIds: visibleFacilityIds })
    .from(users)
    .where(and(inOrg(users, scope), inArray(users.id, [...ids])));
}

/**
 * A new password, and a new session version, so tokens issued before it are refused;
 * the user row as it is now.
 */
export async function setPasswordHash(
  db: Database,
  scope: Scope | OrganizationScope,
  userId: string,
  passwordHash: string,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(and(inOrg(users, scope), eq(users.id, userId)))
    .returning();
  return row;
}
