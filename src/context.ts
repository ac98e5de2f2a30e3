import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import type { Limits, LoginLimits } from "./config.js";
import type { Database } from "./db/client.js";
import type { Scope } from "./db/scope.js";
import { graphQLErrorOf } from "./graphql/errors.js";
import type { InFlightLimit } from "./graphql/in-flight.js";
import { ListItemBudget } from "./graphql/response-budget.js";
import { createLoaders, type Loaders, loadersForDelivery } from "./loaders.js";
import { PhiReadLog } from "./modules/audit/phi-read-log.js";
import type { Actor } from "./modules/auth/actor.js";
import type { ActorCache } from "./modules/auth/actor-cache.js";
import { authenticateRequest } from "./modules/auth/auth.service.js";
import type { TokenService } from "./modules/auth/tokens.js";
import type { EventFeed } from "./modules/events/event.feed.js";
import { type DomainError, unauthenticated } from "./shared/errors.js";

/** What every request shares: the database, the logger, the token service and the instance's event feed. */
export interface Services {
  db: Database;
  log: Logger;
  tokens: TokenService;
  /** Re-checks of live subscribers' tokens, shared by all of them. */
  actors: ActorCache;
  events: EventFeed;
  /** How password sign-in is throttled. */
  loginLimits: LoginLimits;
  /** The address an HTTP request or a WebSocket's upgrade comes from, as the sign-in throttle counts it. */
  clientAddressOf(request: IncomingMessage): string;
  /** What one request may ask of the server. */
  limits: Limits;
  /** Operations running per user, against `limits.maxRequestsPerUser`. */
  inFlight: InFlightLimit;
}

/** Everything a resolver or service may use for one HTTP request or one graphql-ws operation. */
export interface RequestContext extends Services {
  requestId: string;
  /** Where the request comes from (see Services.clientAddressOf). */
  clientAddress: string;
  /** performance.now() when the request or operation began, for its log line. */
  startedAt: number;
  /** Null before sign-in or with a refused token; every root field but `login` refuses to run then. */
  actor: Actor | null;
  /** Why the request's token was refused, if it was: what those fields answer. */
  authFailure: DomainError | null;
  /** Per-request DataLoaders, scoped to the actor. */
  loaders: Loaders;
  /** List items the response may still hold (for a subscription: each delivery). */
  listItems: ListItemBudget;
  /** PHI reads of this request, written to the audit log before the response leaves. */
  phiReads: PhiReadLog;
  /** The actor as the token names it now (at most a second old): what a live subscription checks before each delivery. */
  currentActor(): Promise<Actor>;
}

/** Before sign-in nothing is visible (and every root field but login declares roles, which need sign-in). */
const NO_ACCESS: Scope = { orgId: "00000000-0000-0000-0000-000000000000", facilityIds: [] };

/**
 * The context of one HTTP request or one graphql-ws operation. The actor is authenticated afresh
 * from the bearer token each time, so an expired token or a deactivated user is refused at once,
 * on a WebSocket opened long ago as much as on a new request.
 */
export async function createContext(
  services: Services,
  requestId: string,
  token: string | null,
  clientAddress: string,
): Promise<RequestContext> {
  const startedAt = performance.now();
  const { actor, failure } = await authenticateRequest(services.db, services.tokens, token);
  return {
    ...services,
    requestId,
    clientAddress,
    startedAt,
    log: services.log.child({ requestId }),
    actor,
    authFailure: failure,
    loaders: createLoaders(services.db, actor?.scope ?? NO_ACCESS),
    listItems: new ListItemBudget(services.limits.maxListItems),
    phiReads: new PhiReadLog(),
    async currentActor() {
      const now = token ? await services.actors.authenticate(token) : { actor: null, failure: null };
      if (!now.actor) throw graphQLErrorOf(now.failure ?? unauthenticated());
      return now.actor;
    },
  };
}

/**
 * Points a live subscription's context at the actor just re-checked, with loaders and a list-item
 * budget fresh for this delivery, before it resolves: fields then show the item as it is now, as that actor may see it.
 * Deliveries of the same event (`eventKey`) share loaders between subscribers of the same scope.
 */
export function forDelivery(ctx: RequestContext, actor: Actor, eventKey?: string): void {
  ctx.actor = actor;
  ctx.listItems = new ListItemBudget(ctx.limits.maxListItems);
  ctx.loaders =
    eventKey === undefined ? createLoaders(ctx.db, actor.scope) : loadersForDelivery(ctx.db, actor.scope, eventKey);
}

/** The actor of a context where sign-in has already been checked. */
export function actorOf(ctx: RequestContext): Actor {
  if (!ctx.actor) throw graphQLErrorOf(ctx.authFailure ?? unauthenticated());
  return ctx.actor;
}
