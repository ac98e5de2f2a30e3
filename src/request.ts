import type { RequestContext, Services } from "./context.js";
import type { Scope } from "./db/scope.js";
import { graphQLErrorOf } from "./graphql/errors.js";
import { ListItemBudget } from "./graphql/response-budget.js";
import { createLoaders, loadersForDelivery } from "./loaders.js";
import { PhiReadLog } from "./modules/audit/phi-read-log.js";
import type { Actor } from "./modules/auth/actor.js";
import type { Authentication } from "./modules/auth/auth.service.js";
import { unauthenticated } from "./shared/errors.js";

/** Before sign-in nothing is visible (and every root field but login declares roles, which need sign-in). */
const NO_ACCESS: Scope = { orgId: "00000000-0000-0000-0000-000000000000", facilityIds: [] };

const TOKEN = Symbol("token");
const ADDRESS = Symbol("address");

/** A context's own fields beyond RequestContext's: symbols, so that a copy of the context keeps them. */
interface Own {
  [TOKEN]: string | null;
  /** The client's address, or how to work it out. */
  [ADDRESS]: string | (() => string);
}

/** What every context reads from its prototype, the same for all of them. */
const methods: Pick<RequestContext, "clientAddress" | "loadersFor" | "currentActor"> & ThisType<RequestContext & Own> =
  {
    // Only sign-in reads it: an HTTP request's is worked out (proxies, IPv6 blocks) when first read.
    get clientAddress() {
      const address = this[ADDRESS];
      if (typeof address === "string") return address;
      this[ADDRESS] = address();
      return this[ADDRESS];
    },
    loadersFor(scope, eventKey) {
      return eventKey === undefined ? createLoaders(this.db, scope) : loadersForDelivery(this.db, scope, eventKey);
    },
    currentActor() {
      const token = this[TOKEN];
      const now = token ? this.actors.authenticateNow(token) : { actor: null, failure: null };
      return now instanceof Promise ? now.then(actorOrRefusal) : actorOrRefusal(now);
    },
  };

/*
 * A context is a small object of the request's own fields whose prototype holds the services and
 * the methods, one per Services. Apollo copies each context before it runs the operation (own
 * properties, onto an object of the same prototype): the services, some twenty properties, are
 * then not copied with every request, and the client address's getter is not run by the copy.
 */
const prototypes = new WeakMap<Services, Services>();

function prototypeOf(services: Services): Services {
  let prototype = prototypes.get(services);
  if (!prototype) {
    prototype = Object.assign(Object.create(methods) as Services, services);
    prototypes.set(services, prototype);
  }
  return prototype;
}

/**
 * The context of one HTTP request or one graphql-ws operation. The actor is the bearer token's user
 * as the ActorCache knows them: read at most a second ago and forgotten the moment the user changes,
 * so an expired token or a deactivated user is refused at once, on a WebSocket opened long ago as
 * much as on a new request.
 */
export async function createContext(
  services: Services,
  requestId: string,
  token: string | null,
  clientAddress: string | (() => string),
): Promise<RequestContext> {
  const startedAt = performance.now();
  const { actor, failure } = token ? await services.actors.authenticate(token) : { actor: null, failure: null };
  const context = Object.create(prototypeOf(services)) as RequestContext & Own;
  context.requestId = requestId;
  context.startedAt = startedAt;
  context.log = services.log.child({ requestId });
  context.actor = actor;
  context.authFailure = failure;
  context.loaders = createLoaders(services.db, actor?.scope ?? NO_ACCESS);
  context.listItems = new ListItemBudget(services.limits.maxListItems);
  context.phiReads = new PhiReadLog();
  context[TOKEN] = token;
  context[ADDRESS] = clientAddress;
  return context;
}

function actorOrRefusal(authentication: Authentication): Actor {
  if (!authentication.actor) throw graphQLErrorOf(authentication.failure ?? unauthenticated());
  return authentication.actor;
}
