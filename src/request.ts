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
  let address = typeof clientAddress === "string" ? clientAddress : null;
  return {
    ...services,
    requestId,
    // Only sign-in reads it: an HTTP request's is worked out (proxies, IPv6 blocks) when first read.
    get clientAddress() {
      address ??= (clientAddress as () => string)();
      return address;
    },
    startedAt,
    log: services.log.child({ requestId }),
    actor,
    authFailure: failure,
    loaders: createLoaders(services.db, actor?.scope ?? NO_ACCESS),
    loadersFor: (scope, eventKey) =>
      eventKey === undefined ? createLoaders(services.db, scope) : loadersForDelivery(services.db, scope, eventKey),
    listItems: new ListItemBudget(services.limits.maxListItems),
    phiReads: new PhiReadLog(),
    currentActor() {
      const now = token ? services.actors.authenticateNow(token) : { actor: null, failure: null };
      return now instanceof Promise ? now.then(actorOrRefusal) : actorOrRefusal(now);
    },
  };
}

function actorOrRefusal(authentication: Authentication): Actor {
  if (!authentication.actor) throw graphQLErrorOf(authentication.failure ?? unauthenticated());
  return authentication.actor;
}
