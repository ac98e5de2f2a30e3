import type { LoginLimits } from "../../config.js";
import { actorOf, type RequestContext } from "../../context.js";
import type { Database } from "../../db/client.js";
import { organizationOnly, ownedBy } from "../../db/scope.js";
import { ACCOUNT_FAILURES_KEPT_MS } from "../../environment.js";
import {
  DomainError,
  forbidden,
  type Outcome,
  ok,
  rateLimited,
  refused,
  unauthenticated,
  userError,
} from "../../shared/errors.js";
import { insertAuditEntries } from "../audit/index.js";
import {
  findActiveUserByEmail,
  findActiveUserById,
  findActiveUsersByIds,
  setPasswordHash,
  type UserRow,
  type UserWithFacilities,
} from "../users/index.js";
import type { Actor } from "./actor.js";
import {
  accountWaitSeconds,
  addressWaitSeconds,
  clearAccountFailures,
  countAccountAttempt,
  countAddressAttempt,
  uncountAddressAttempt,
} from "./login-throttle.store.js";
import { hashPassword, passwordProblem, verifyAgainstDecoy, verifyPassword } from "./passwords.js";
import type { TokenService, TokenSubject } from "./tokens.js";

function toActor(user: UserWithFacilities): Actor {
  return {
    userId: user.id,
    orgId: user.orgId,
    email: user.email,
    name: user.name,
    roles: user.roles,
    credentials: user.credentials,
    scope: { orgId: user.orgId, facilityIds: user.facilityIds },
  };
}

/** The token's user as an actor, when the user is active and the token's session is still theirs. */
function actorOfSubject(subject: TokenSubject, user: UserWithFacilities | undefined): Actor {
  if (!user) throw unauthenticated("The token names no active user.");
  if (subject.kind === "local" && subject.sessionVersion !== user.sessionVersion) {
    throw unauthenticated("The session has ended (the password changed or the user was deactivated): sign in again.");
  }
  return toActor(user);
}

/**
 * Many bearer tokens authenticated at once (a failure of one organization's read fails only its
 * tokens): the users of each organization read in one statement. Live subscriptions re-check their
 * callers before deliveries, and a thousand users watching one queue would otherwise be a thousand
 * reads of the users table. A refused token answers its reason without failing the request: `login`
 * is public and must answer even when a client sends a stale token along; every other field refuses
 * with `failure`.
 */
export function authenticateRequests(
  db: Database,
  tokens: TokenService,
  list: readonly string[],
): Map<string, Promise<Authentication>> {
  const subjects = new Map(list.map((token) => [token, tokens.verify(token)] as const));
  // Each organization's users in one statement, once every token is verified (a refused one reads nothing).
  const usersOfOrganizations = Promise.allSettled(subjects.values()).then((verified) => {
    const userIds = new Map<string, Set<string>>();
    for (const subject of verified) {
      if (subject.status !== "fulfilled" || subject.value.kind !== "local") continue;
      const ids = userIds.get(subject.value.orgId) ?? new Set();
      userIds.set(subject.value.orgId, ids.add(subject.value.userId));
    }
    return new Map(
      [...userIds].map(([orgId, ids]) => [orgId, findActiveUsersByIds(db, organizationOnly(orgId), [...ids])] as const),
    );
  });
  const authenticated = async (subject: Promise<TokenSubject>): Promise<Authentication> => {
    try {
      const verified = await subject;
      const user =
        verified.kind === "local"
          ? (await (await usersOfOrganizations).get(verified.orgId))?.find((u) => u.id === verified.userId)
          : await findActiveUserByEmail(db, verified.email);
      return { actor: actorOfSubject(verified, user), failure: null };
    } catch (error) {
      if (error instanceof DomainError) return { actor: null, failure: error };
      throw error;
    }
  };
  return new Map([...subjects].map(([token, subject]) => [token, authenticated(subject)] as const));
}

/** Who a request acts for: no actor without a token, and none with a bad one, whose reason is kept. */
export interface Authentication {
  actor: Actor | null;
  /** Why the token was refused (expired, deactivated user…); fields that need sign-in answer with it. */
  failure: DomainError | null;
}

export interface LoginResult {
  token: string;
  user: UserRow;
}

/** Where a sign-in comes from: the request (for the audit row) and the client address (for the throttle). */
export interface LoginRequest {
  requestId: string;
  clientAddress: string;
}

/**
 * Signs a user in by e-mail and password. Wrong e-mail and wrong password get the same answer, the
 * one the user can fix. The attempt is counted against the client address and the e-mail before
 * the password is checked, so parallel attempts cannot check more passwords than the limits allow
 * (RATE_LIMITED beyond them); a success gives both back.
 */
export async function login(
  db: Database,
  tokens: TokenService,
  limits: LoginLimits,
  input: { email: string; password: string },
  request: LoginRequest,
): Promise<Outcome<LoginResult>> {
  if (!tokens.issuesTokens) {
    throw forbidden("This server accepts only the identity provider's tokens: sign in there.");
  }
  const email = input.email.trim().toLowerCase();
  const throttled = await countAttempt(db, limits, email, request.clientAddress);
  if (throttled) throw throttled;

  const user = await findActiveUserByEmail(db, email);
  const valid = user?.passwordHash
    ? await verifyPassword(input.password, user.passwordHash)
    : await verifyAgainstDecoy(input.password);
  if (!user || !valid) return refused([userError("INVALID_CREDENTIALS", "E-mail or password is wrong.")]);

  await clearAccountFailures(db, email);
  await uncountAddressAttempt(db, request.clientAddress);
  await insertAuditEntries(db, [
    ownedBy(organizationOnly(user.orgId), {
      actorUserId: user.id,
      action: "auth.login",
      entityType: "User",
      entityIds: [user.id],
      requestId: request.requestId,
    }),
  ]);
  return ok({ token: await tokens.issue(user), user });
}

/**
 * Counts a sign-in attempt as a failure until it succeeds, first against the client address, then
 * against the e-mail; RATE_LIMITED when either must wait (field `email` when the e-mail must). An
 * attempt the e-mail's wait refuses checks no password, so the address gets it back: a user
 * retrying a locked account does not spend the budget of everyone behind the same address.
 */
async function countAttempt(
  db: Database,
  limits: LoginLimits,
  email: string,
  address: string,
): Promise<DomainError | null> {
  const windowSeconds = limits.addressWindowMs / 1000;
  if (!(await countAddressAttempt(db, address, limits.addressLimit, windowSeconds))) {
    const wait = await addressWaitSeconds(db, address, windowSeconds);
    return rateLimited(`Too many failed sign-ins from this network address; try again in ${waitText(wait)}.`);
  }
  const rule = {
    limit: limits.accountLimit,
    delaySeconds: limits.accountDelayMs / 1000,
    maxDelaySeconds: limits.accountMaxDelayMs / 1000,
    keptSeconds: ACCOUNT_FAILURES_KEPT_MS / 1000,
  };
  if (await countAccountAttempt(db, email, rule)) return null;
  await uncountAddressAttempt(db, address);
  const wait = await accountWaitSeconds(db, email);
  return rateLimited(`Too many failed sign-ins for this e-mail; try again in ${waitText(wait)}.`, "email");
}

/** Whole minutes, rounded up: a message a person reads, where a second's precision is noise. */
function waitText(seconds: number): string {
  return `${Math.ceil(seconds / 60)} min`;
}

/**
 * The signed-in user's new password, given the current one. Tokens issued before it are refused
 * from then on (their session version is behind); the token returned is the one session that goes on.
 */
export async function changePassword(
  ctx: RequestContext,
  input: { currentPassword: string; newPassword: string },
): Promise<Outcome<LoginResult>> {
  const { db, tokens } = ctx;
  const actor = actorOf(ctx);
  if (!tokens.issuesTokens) throw forbidden("This server accepts only the identity provider's tokens.");
  const scope = organizationOnly(actor.orgId);
  const user = await findActiveUserById(db, scope, actor.userId);
  if (!user?.passwordHash) throw forbidden("This user signs in through the identity provider.");
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    return refused([userError("INVALID_CREDENTIALS", "The current password is wrong.", ["currentPassword"])]);
  }
  const problem = passwordProblem(input.newPassword, ["newPassword"]);
  if (problem) return refused([problem]);
  const hash = await hashPassword(input.newPassword);
  const changed = await db.transaction(async (tx) => {
    const row = await setPasswordHash(tx, scope, actor.userId, hash);
    await insertAuditEntries(tx, [
      ownedBy(scope, {
        actorUserId: actor.userId,
        action: "user.password.change",
        entityType: "User",
        entityIds: [actor.userId],
        requestId: ctx.requestId,
      }),
    ]);
    return row!;
  });
  // The database announces the change to every instance; this one's next request must not wait for it.
  ctx.actors.forget(actor.userId);
  return ok({ token: await tokens.issue(changed), user: changed });
}
