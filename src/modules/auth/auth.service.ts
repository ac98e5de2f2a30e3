import { GraphQLError } from "graphql";
import type { Database } from "../../db/client.js";
import { unauthenticated, userError, ok, refused, type Outcome } from "../../shared/errors.js";
import { insertAuditEntries } from "../audit/audit.store.js";
import {
  clearLoginFailures,
  findActiveUserByEmail,
  findActiveUserById,
  loginLockedUntil,
  recordLoginFailure,
  type UserRow,
  type UserWithFacilities,
} from "../users/user.store.js";
import type { Actor } from "./actor.js";
import { verifyAgainstDecoy, verifyPassword } from "./passwords.js";
import type { TokenService } from "./tokens.js";

/** Five failures within 15 minutes lock the e-mail for 15 minutes. */
const THROTTLE = { limit: 5, windowMinutes: 15, lockMinutes: 15 } as const;

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

/** The actor a bearer token names; a valid token of a deactivated or deleted user is UNAUTHENTICATED. */
export async function authenticate(db: Database, tokens: TokenService, token: string): Promise<Actor> {
  const subject = await tokens.verify(token);
  const user =
    subject.kind === "local"
      ? await findActiveUserById(db, subject.orgId, subject.userId)
      : await findActiveUserByEmail(db, subject.email);
  if (!user) throw unauthenticated("The token names no active user.");
  return toActor(user);
}

/** Who a request acts for: no actor without a token, and none with a bad one, whose reason is kept. */
export interface Authentication {
  actor: Actor | null;
  /** Why the token was refused (expired, deactivated user…); fields that need sign-in answer with it. */
  failure: GraphQLError | null;
}

/**
 * Authenticates a request's bearer token without failing the request: `login` is public and must
 * answer even when a client sends a stale token along; every other field refuses with `failure`.
 */
export async function authenticateRequest(db: Database, tokens: TokenService, token: string | null): Promise<Authentication> {
  if (!token) return { actor: null, failure: null };
  try {
    return { actor: await authenticate(db, tokens, token), failure: null };
  } catch (error) {
    if (error instanceof GraphQLError) return { actor: null, failure: error };
    throw error;
  }
}

export interface LoginResult {
  token: string;
  user: UserRow;
}

/** Signs a user in by e-mail and password. Wrong e-mail and wrong password get the same answer. */
export async function login(
  db: Database,
  tokens: TokenService,
  input: { email: string; password: string },
  requestId: string,
): Promise<Outcome<LoginResult>> {
  if (!tokens.issuesTokens) {
    return refused([userError("PASSWORD_SIGN_IN_DISABLED", "This server accepts only the identity provider's tokens: sign in there.")]);
  }
  const email = input.email.trim().toLowerCase();
  const lockedUntil = await loginLockedUntil(db, email);
  if (lockedUntil) {
    const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - Date.now()) / 60_000));
    return refused([
      userError("LOGIN_THROTTLED", `Too many failed sign-ins for this e-mail; try again in ${minutes} min.`, ["email"]),
    ]);
  }

  const user = await findActiveUserByEmail(db, email);
  const valid = user?.passwordHash
    ? await verifyPassword(input.password, user.passwordHash)
    : await verifyAgainstDecoy(input.password);
  if (!user || !valid) {
    await recordLoginFailure(db, email, THROTTLE.limit, THROTTLE.windowMinutes, THROTTLE.lockMinutes);
    return refused([userError("INVALID_CREDENTIALS", "E-mail or password is wrong.")]);
  }

  await clearLoginFailures(db, email);
  await insertAuditEntries(db, [
    { orgId: user.orgId, actorUserId: user.id, action: "auth.login", entityType: "User", entityIds: [user.id], requestId },
  ]);
  return ok({ token: await tokens.issue(user), user });
}
