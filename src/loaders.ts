import type { Database } from "./db/client.js";
import type { Scope } from "./db/scope.js";
import * as claims from "./modules/claims/index.js";
import * as codesets from "./modules/codesets/index.js";
import * as coding from "./modules/coding/index.js";
import * as encounters from "./modules/encounters/index.js";
import * as followUps from "./modules/follow-ups/index.js";
import * as organizations from "./modules/organizations/index.js";
import * as patients from "./modules/patients/index.js";
import * as remittance from "./modules/remittance/index.js";
import * as review from "./modules/review/index.js";
import * as users from "./modules/users/index.js";
import * as work from "./modules/work/index.js";

/**
 * Every module's loaders, created per request and scoped to its actor: nested fields cost one
 * query per level. Each module builds its own (its front door's `loaders`); the names are one
 * namespace, `ctx.loaders.workItem` and the like.
 */
export function createLoaders(db: Database, scope: Scope) {
  return {
    ...users.loaders(db, scope),
    ...organizations.loaders(db, scope),
    ...patients.loaders(db, scope),
    ...codesets.loaders(db),
    ...work.loaders(db, scope),
    ...encounters.loaders(db, scope),
    ...claims.loaders(db, scope),
    ...followUps.loaders(db, scope),
    ...remittance.loaders(db, scope),
    ...coding.loaders(db, scope),
    ...review.loaders(db, scope),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** How long the loaders of one event's deliveries stay shared. */
const DELIVERY_SHARE_MS = 2_000;
const deliveryLoaders = new WeakMap<Database, Map<string, { at: number; loaders: Loaders }>>();

/**
 * Loaders for delivering one event, shared by every subscriber with the same scope: the fields of
 * one event sent to a thousand supervisors cost a query each, not a thousand. Loaders depend on
 * nothing but the scope, so sharing them shows each subscriber exactly what its own would.
 */
export function loadersForDelivery(db: Database, scope: Scope, eventKey: string): Loaders {
  let shared = deliveryLoaders.get(db);
  if (!shared) {
    shared = new Map();
    deliveryLoaders.set(db, shared);
  }
  const now = Date.now();
  const key = `${eventKey}|${scope.orgId}|${[...scope.facilityIds].sort().join(",")}`;
  const entry = shared.get(key);
  if (entry && now - entry.at < DELIVERY_SHARE_MS) return entry.loaders;
  for (const [old, { at }] of shared) if (now - at >= DELIVERY_SHARE_MS) shared.delete(old);
  const loaders = createLoaders(db, scope);
  shared.set(key, { at: now, loaders });
  return loaders;
}
