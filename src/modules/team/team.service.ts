import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import { canSeeFacility } from "../../db/scope.js";
import { notFound, type Outcome, ok, refused, type UserErrorData, userError } from "../../shared/errors.js";
import { uuidOf } from "../../shared/ids.js";
import { pageRequest } from "../../shared/pagination.js";
import { auditChange, auditEntry } from "../audit/index.js";
import { generatedPassword, hashPassword, hasRole, passwordProblem, requireRole } from "../auth/index.js";
import { visibleFacilityId } from "../organizations/index.js";
import type { Role, UserRow } from "../users/index.js";
import {
  emailTaken,
  findUsers,
  insertUser,
  otherActiveAdmins,
  replaceGrants,
  type TeamFilter,
  updateUser,
  visibleUser,
  visibleUsers,
} from "./team.store.js";

/** Who lists the team: supervisors (the users of their facilities) and administrators (everyone). */
export const TEAM_READERS: Role[] = ["SUPERVISOR", "ADMIN"];
/** Who manages users. */
export const TEAM_ADMINS: Role[] = ["ADMIN"];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME_LENGTH = 200;
const CREDENTIAL = /^[A-Z0-9-]{2,20}$/;

/** The users the caller may see: the whole organization for an administrator, else their facilities'. */
function teamOf(ctx: RequestContext) {
  const actor = actorOf(ctx);
  return visibleUsers(actor.scope, hasRole(actor, TEAM_ADMINS));
}

/** A page of the caller's team, by name. */
export async function listUsers(
  ctx: RequestContext,
  filter: Omit<TeamFilter, "facilityId"> & { facilityId?: string | null },
  first?: number | null,
  after?: string | null,
) {
  requireRole(actorOf(ctx), TEAM_READERS, "list users");
  const visible = teamOf(ctx);
  const page = await pageRequest("User", first, after, async (id) => (await visibleUser(ctx.db, visible, id)) ?? null);
  const facilityId = filter.facilityId ? visibleFacilityId(ctx, filter.facilityId, "filter.facilityId") : null;
  return findUsers(ctx.db, visible, { ...filter, facilityId }, page);
}

/** The facility row ids of global ids, each one of the caller's organization; UNKNOWN_FACILITY for any other. */
function facilityIdsOf(ctx: RequestContext, globalIds: readonly string[]): Outcome<string[]> {
  const scope = actorOf(ctx).scope;
  const ids = globalIds.map((globalId) => uuidOf(globalId, "Facility"));
  const errors = ids.flatMap((id, i) =>
    id && canSeeFacility(scope, id)
      ? []
      : [userError("UNKNOWN_FACILITY", "No facility of this organization has this id.", ["facilityIds", String(i)])],
  );
  return errors.length > 0 ? refused(errors) : ok([...new Set(ids as string[])]);
}

/** Credentials upper-case, once each; INVALID_CREDENTIAL for one that is not 2–20 letters, digits or dashes. */
function credentialsOf(credentials: readonly string[]): Outcome<string[]> {
  const cleaned = credentials.map((c) => c.trim().toUpperCase());
  const errors = cleaned.flatMap((c, i) =>
    CREDENTIAL.test(c)
      ? []
      : [userError("INVALID_CREDENTIAL", "2 to 20 letters, digits or dashes, e.g. CPC.", ["credentials", String(i)])],
  );
  return errors.length > 0 ? refused(errors) : ok([...new Set(cleaned)]);
}

const rolesProblem = (roles: readonly Role[]): UserErrorData | null =>
  roles.length === 0 ? userError("ROLES_REQUIRED", "A user needs at least one role.", ["roles"]) : null;

export interface NewUserInput {
  email: string;
  name: string;
  roles: Role[];
  credentials?: string[] | null;
  facilityIds?: string[] | null;
  password?: string | null;
}

/**
 * A new user of the caller's organization. With no password given, one is generated and returned
 * once (`initialPassword`), for the administrator to hand over; the user then changes it.
 */
export async function createUser(
  ctx: RequestContext,
  input: NewUserInput,
): Promise<Outcome<{ user: UserRow; initialPassword: string | null }>> {
  const actor = actorOf(ctx);
  requireRole(actor, TEAM_ADMINS, "create users");
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  const credentials = credentialsOf(input.credentials ?? []);
  const facilityIds = facilityIdsOf(ctx, input.facilityIds ?? []);
  const errors = [
    EMAIL.test(email) ? null : userError("INVALID_EMAIL", "Not an e-mail address.", ["email"]),
    name.length === 0 ? userError("NAME_REQUIRED", "A name is required.", ["name"]) : null,
    name.length > MAX_NAME_LENGTH
      ? userError("TEXT_TOO_LONG", `At most ${MAX_NAME_LENGTH} characters.`, ["name"])
      : null,
    rolesProblem(input.roles),
    input.password == null ? null : passwordProblem(input.password, ["password"]),
    ...credentials.userErrors,
    ...facilityIds.userErrors,
  ].filter((error) => error !== null);
  if (errors.length > 0 || !credentials.value || !facilityIds.value) return refused(errors);
  if (await emailTaken(ctx.db, email))
    return refused([userError("EMAIL_TAKEN", "A user already signs in with this e-mail.", ["email"])]);
  const password = input.password ?? generatedPassword();
  const initialPassword = input.password == null ? password : null;
  const passwordHash = await hashPassword(password);
  const user = await ctx.db.transaction((tx) =>
    insertUser(
      tx,
      actor.scope,
      { email, name, roles: [...new Set(input.roles)], credentials: credentials.value, passwordHash },
      facilityIds.value,
      (id) => auditEntry(ctx, "user.create", "User", [id]),
    ),
  );
  return ok({ user, initialPassword });
}

/**
 * A change to one user of the organization, in one transaction with its audit row; their cached
 * authentications are forgotten once it commits.
 */
async function changeUser(
  ctx: RequestContext,
  globalId: string,
  action: string,
  change: (tx: Database, user: UserRow) => Promise<Outcome<UserRow>>,
): Promise<Outcome<UserRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, TEAM_ADMINS, "manage users");
  const id = uuidOf(globalId, "User");
  const outcome = await ctx.db.transaction(async (tx) => {
    const user = id ? await visibleUser(tx, visibleUsers(actor.scope, true), id) : undefined;
    if (!user) throw notFound("User", "userId");
    const outcome = await change(tx, user);
    if (outcome.value) await auditChange(tx, ctx, action, "User", [user.id]);
    return outcome;
  });
  // The database announces the change to every instance; this one's next request must not wait for it.
  if (outcome.value) ctx.actors.forget(outcome.value.id);
  return outcome;
}

/** LAST_ADMIN when the change would leave the organization without an active administrator. */
async function lastAdminProblem(tx: Database, ctx: RequestContext, user: UserRow): Promise<UserErrorData | null> {
  if (!user.active || !user.roles.includes("ADMIN")) return null;
  if ((await otherActiveAdmins(tx, actorOf(ctx).scope, user.id)) > 0) return null;
  return userError("LAST_ADMIN", "The organization's last active administrator must stay one.", ["userId"]);
}

/** The user's roles become `roles`; the last active administrator keeps ADMIN. */
export function setUserRoles(ctx: RequestContext, userId: string, roles: Role[]): Promise<Outcome<UserRow>> {
  return changeUser(ctx, userId, "user.roles.set", async (tx, user) => {
    const problem = rolesProblem(roles) ?? (roles.includes("ADMIN") ? null : await lastAdminProblem(tx, ctx, user));
    if (problem) return refused([problem]);
    return ok(await updateUser(tx, actorOf(ctx).scope, user.id, { roles: [...new Set(roles)] }));
  });
}

/** The user's credentials become `credentials` (upper-case, once each). */
export function setUserCredentials(
  ctx: RequestContext,
  userId: string,
  credentials: string[],
): Promise<Outcome<UserRow>> {
  const cleaned = credentialsOf(credentials);
  return changeUser(ctx, userId, "user.credentials.set", async (tx, user) =>
    cleaned.value
      ? ok(await updateUser(tx, actorOf(ctx).scope, user.id, { credentials: cleaned.value }))
      : refused(cleaned.userErrors),
  );
}

/** The user's facility grants become `facilityIds`, facilities of the organization. */
export function setUserFacilities(
  ctx: RequestContext,
  userId: string,
  facilityIds: string[],
): Promise<Outcome<UserRow>> {
  const ids = facilityIdsOf(ctx, facilityIds);
  return changeUser(ctx, userId, "user.facilities.set", async (tx, user) => {
    if (!ids.value) return refused(ids.userErrors);
    await replaceGrants(tx, actorOf(ctx).scope, user.id, ids.value);
    return ok(user);
  });
}

/**
 * Deactivates a user: they cannot sign in, their tokens are refused at the next request, and their
 * subscriptions end before the next delivery (as for any token naming no active user). The last
 * active administrator cannot be deactivated.
 */
export function deactivateUser(ctx: RequestContext, userId: string): Promise<Outcome<UserRow>> {
  return changeUser(ctx, userId, "user.deactivate", async (tx, user) => {
    const problem = await lastAdminProblem(tx, ctx, user);
    if (problem) return refused([problem]);
    return ok(await updateUser(tx, actorOf(ctx).scope, user.id, { active: false, endSessions: true }));
  });
}

/** Lets a deactivated user sign in again; tokens from before the deactivation stay refused. */
export function reactivateUser(ctx: RequestContext, userId: string): Promise<Outcome<UserRow>> {
  return changeUser(ctx, userId, "user.reactivate", async (tx, user) =>
    ok(await updateUser(tx, actorOf(ctx).scope, user.id, { active: true })),
  );
}
