import type { GraphQLError } from "graphql";
import type { Logger } from "pino";
import type { Database } from "./db/client.js";
import type { Scope } from "./db/scope.js";
import type { Actor } from "./modules/auth/actor.js";
import { PhiReadLog } from "./modules/audit/phi-read-log.js";
import { createLoaders, type Loaders } from "./loaders.js";
import type { TokenService } from "./modules/auth/tokens.js";
import { unauthenticated } from "./shared/errors.js";

/** Everything a resolver or service may use for one request or one subscription operation. */
export interface RequestContext {
  requestId: string;
  db: Database;
  log: Logger;
  tokens: TokenService;
  /** Null before sign-in or with a refused token; every root field but `login` refuses to run then. */
  actor: Actor | null;
  /** Why the request's token was refused, if it was: what those fields answer. */
  authFailure: GraphQLError | null;
  /** Per-request DataLoaders, scoped to the actor. */
  loaders: Loaders;
  /** PHI reads of this request, written to the audit log before the response leaves. */
  phiReads: PhiReadLog;
}

/** Before sign-in nothing is visible (and every root field but login declares roles, which need sign-in). */
const NO_ACCESS: Scope = { orgId: "00000000-0000-0000-0000-000000000000", facilityIds: [] };

export function createContext(input: {
  requestId: string;
  db: Database;
  log: Logger;
  tokens: TokenService;
  actor: Actor | null;
  authFailure: GraphQLError | null;
}): RequestContext {
  return {
    ...input,
    log: input.log.child({ requestId: input.requestId }),
    loaders: createLoaders(input.db, input.actor?.scope ?? NO_ACCESS),
    phiReads: new PhiReadLog(),
  };
}

/** The actor of a context where sign-in has already been checked. */
export function actorOf(ctx: RequestContext): Actor {
  if (!ctx.actor) throw ctx.authFailure ?? unauthenticated();
  return ctx.actor;
}
