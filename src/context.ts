import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import type { Limits, LoginLimits, X12Config } from "./config.js";
import type { Database } from "./db/client.js";
import type { Scope } from "./db/scope.js";
import { graphQLErrorOf } from "./graphql/errors.js";
import type { InFlightLimit } from "./graphql/in-flight.js";
import { ListItemBudget } from "./graphql/response-budget.js";
import type { Metrics } from "./http/metrics.js";
import type { Loaders } from "./loaders.js";
import type { PhiReadLog } from "./modules/audit/phi-read-log.js";
import type { Actor } from "./modules/auth/actor.js";
import type { ActorCache } from "./modules/auth/actor-cache.js";
import type { TokenService } from "./modules/auth/tokens.js";
import type { CodeSetCache, CodeSetImports } from "./modules/codesets/index.js";
import type { EventFeed } from "./modules/events/event.feed.js";
import { type DomainError, unauthenticated } from "./shared/errors.js";

/*
 * What a request carries. Every module imports this file, so it imports no module (but for types):
 * the context is built in request.ts, which does.
 */

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
  /** Who 837P interchanges come from and go to. */
  x12: X12Config;
  /** This instance's Prometheus metrics. */
  metrics: Metrics;
  /** Where administrators' code-set imports read their files, and the imports running. */
  codeSetImports: CodeSetImports;
  /** The code-set rows the coding edits read, kept until an import commits. */
  codeSets: CodeSetCache;
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
  /** Fresh loaders for another scope (a subscription's delivery); those of one event (`eventKey`) are shared. */
  loadersFor(scope: Scope, eventKey?: string): Loaders;
  /** List items the response may still hold (for a subscription: each delivery). */
  listItems: ListItemBudget;
  /** PHI reads of this request, written to the audit log before the response leaves. */
  phiReads: PhiReadLog;
  /**
   * The actor as the token names it now (at most a second old): what a live subscription checks
   * before each delivery. Answered at once (or thrown) when the actor cache knows it.
   */
  currentActor(): Actor | Promise<Actor>;
}

/**
 * Points a live subscription's context at the actor just re-checked, with loaders and a list-item
 * budget fresh for this delivery, before it resolves: fields then show the item as it is now, as
 * that actor may see it. Deliveries of the same event (`eventKey`) share loaders between subscribers of the same scope.
 */
export function forDelivery(ctx: RequestContext, actor: Actor, eventKey?: string): void {
  ctx.actor = actor;
  ctx.listItems = new ListItemBudget(ctx.limits.maxListItems);
  ctx.loaders = ctx.loadersFor(actor.scope, eventKey);
}

/** The actor of a context where sign-in has already been checked. */
export function actorOf(ctx: RequestContext): Actor {
  if (!ctx.actor) throw graphQLErrorOf(ctx.authFailure ?? unauthenticated());
  return ctx.actor;
}
