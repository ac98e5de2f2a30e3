import { and, count, eq, ilike, inArray, ne, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { keysetAfter, keysetOrder } from "../../db/keyset.js";
import { userFacilityAccess, users } from "../../db/schema/users.js";
import {
  acrossFacilities,
  atFacility,
  inOrg,
  organizationOnly,
  ownedBy,
  type Scope,
  sameOrganization,
} from "../../db/scope.js";
import { lazyCount, type Page, type PageRequest, toPage } from "../../shared/pagination.js";
import type { AuditEntry } from "../audit/index.js";
import { insertAuditEntries } from "../audit/index.js";
import type { Role, UserRow } from "../users/index.js";

/** Who a listing asks for; every condition given must hold. */
export interface TeamFilter {
  /** Users holding any of these roles. */
  roles?: Role[] | null;
  /** Users of this facility (granted it, or administrators). */
  facilityId?: string | null;
  active?: boolean | null;
  /** Part of the name or the e-mail, case ignored. */
  search?: string | null;
}

/** Users of any of these facilities: granted one, or administrators, who see every facility. */
function ofFacilities(facilityIds: readonly string[]): SQL {
  if (facilityIds.length === 0) return sql`'ADMIN' = any(${users.roles})`;
  return sql`('ADMIN' = any(${users.roles}) or exists (select 1 from ${userFacilityAccess}
    where ${and(
      sameOrganization(userFacilityAccess, users),
      eq(userFacilityAccess.userId, users.id),
      inArray(userFacilityAccess.facilityId, [...facilityIds]),
    )}))`;
}

/**
 * The users the caller may manage or assign to: the whole organization for an administrator
 * (`everyone`), else the users of the caller's facilities.
 */
export function visibleUsers(scope: Scope, everyone: boolean): SQL {
  return and(inOrg(users, scope), everyone ? undefined : ofFacilities(scope.facilityIds))!;
}

/** `%text%` for ILIKE, its wildcards taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function filtered(filter: TeamFilter): SQL | undefined {
  return and(
    filter.roles?.length ? sql`${users.roles} && ${`{${filter.roles.join(",")}}`}::role[]` : undefined,
    filter.facilityId ? ofFacilities([filter.facilityId]) : undefined,
    filter.active == null ? undefined : eq(users.active, filter.active),
    filter.search?.trim()
      ? or(ilike(users.name, containing(filter.search.trim())), ilike(users.email, containing(filter.search.trim())))
      : undefined,
  );
}

const BY_NAME = [users.name, users.id];

/** Those `visible` that match the filter, by name then id. */
export async function findUsers(
  db: Database,
  visible: SQL,
  filter: TeamFilter,
  page: PageRequest<UserRow>,
): Promise<Page<UserRow>> {
  const where = and(visible, filtered(filter));
  const after = page.after ? keysetAfter(BY_NAME, [page.after.name, page.after.id], "asc") : undefined;
  const rows = await db
    .select()
    .from(users)
    .where(and(where, after))
    .orderBy(...keysetOrder(BY_NAME, "asc"))
    .limit(page.first + 1);
  return toPage(rows, page, lazyCount(db.select({ n: count() }).from(users).where(where)));
}

/** One user the caller may see, for update when inside a transaction. */
export async function visibleUser(db: Database, visible: SQL, id: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(visible, eq(users.id, id)));
  return row;
}

/** Sign-in is by e-mail alone, so an e-mail is taken in any organization. */
export async function emailTaken(db: Database, email: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return row !== undefined;
}

/** Active administrators of the organization besides `userId`, the rows locked. */
export async function otherActiveAdmins(tx: Database, scope: Scope, userId: string): Promise<number> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(inOrg(users, scope), eq(users.active, true), sql`'ADMIN' = any(${users.roles})`, ne(users.id, userId)))
    .for("update");
  return rows.length;
}

export type NewUser = Pick<UserRow, "email" | "name" | "roles" | "credentials" | "passwordHash">;

/** A user of the caller's organization, granted `facilityIds`, audited. */
export async function insertUser(
  tx: Database,
  scope: Scope,
  user: NewUser,
  facilityIds: readonly string[],
  audit: (id: string) => AuditEntry,
): Promise<UserRow> {
  const [row] = await tx.insert(users).values(ownedBy(scope, user)).returning();
  await replaceGrants(tx, scope, row!.id, facilityIds);
  await insertAuditEntries(tx, [audit(row!.id)]);
  return row!;
}

/** Changes to a user of the caller's organization; the row as it is now. */
export async function updateUser(
  tx: Database,
  scope: Scope,
  id: string,
  change: Partial<Pick<UserRow, "roles" | "credentials" | "active">> & { endSessions?: boolean },
): Promise<UserRow> {
  const { endSessions, ...values } = change;
  const [row] = await tx
    .update(users)
    .set({ ...values, ...(endSessions ? { sessionVersion: sql`${users.sessionVersion} + 1` } : {}) })
    .where(and(inOrg(users, scope), eq(users.id, id)))
    .returning();
  return row!;
}

/** The user's facilities become exactly `facilityIds`, each one the caller's. */
export async function replaceGrants(
  tx: Database,
  scope: Scope,
  userId: string,
  facilityIds: readonly string[],
): Promise<void> {
  await tx
    .delete(userFacilityAccess)
    .where(
      and(acrossFacilities(userFacilityAccess, organizationOnly(scope.orgId)), eq(userFacilityAccess.userId, userId)),
    );
  if (facilityIds.length > 0)
    await tx
      .insert(userFacilityAccess)
      .values(facilityIds.map((facilityId) => atFacility(scope, { userId, facilityId })));
}
