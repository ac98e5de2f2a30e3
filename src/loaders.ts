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
 * Each module's loaders (its front door's `loaders`), built per request and scoped to its actor. A
 * module may fill another's loader with rows it read anyway (an encounter's patient): it is given them all.
 */
const MODULES = [
  users.loaders,
  organizations.loaders,
  patients.loaders,
  codesets.loaders,
  work.loaders,
  encounters.loaders,
  claims.loaders,
  followUps.loaders,
  remittance.loaders,
  coding.loaders,
  review.loaders,
] as const;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/**
 * Every module's loaders: nested fields cost one query per level. The names are one namespace,
 * `ctx.loaders.workItem` and the like.
 */
export type Loaders = UnionToIntersection<ReturnType<(typeof MODULES)[number]>>;

const DB = Symbol("db");
const SCOPE = Symbol("scope");
const BUILT = Symbol("built");
interface LazyLoaders {
  [DB]: Database;
  [SCOPE]: Scope;
  /** Each module's loaders, by its place in MODULES, once a field has asked for one of them. */
  [BUILT]: Record<string, unknown>[];
}

/** Getters for every loader name, each building its module's loaders on first use; made once per process. */
let lazyPrototype: object | null = null;

function prototypeOf(db: Database, scope: Scope): object {
  if (lazyPrototype) return lazyPrototype;
  const prototype = {};
  MODULES.forEach((build, index) => {
    // Building a module's loaders runs no query, nor uses the others: it only tells the names.
    for (const name of Object.keys(build(db, scope, {} as Loaders))) {
      if (Object.hasOwn(prototype, name)) throw new Error(`two modules name a loader ${name}`);
      Object.defineProperty(prototype, name, {
        enumerable: true,
        get(this: LazyLoaders) {
          this[BUILT][index] ??= build(this[DB], this[SCOPE], this as unknown as Loaders);
          return this[BUILT][index][name];
        },
      });
    }
  });
  lazyPrototype = prototype;
  return prototype;
}

/**
 * A request's loaders, scoped to its actor. A module's are built when a field first asks for one
 * of them: most requests touch a few modules, and a bare `{ __typename }` none.
 */
export function createLoaders(db: Database, scope: Scope): Loaders {
  const loaders = Object.create(prototypeOf(db, scope)) as LazyLoaders;
  loaders[DB] = db;
  loaders[SCOPE] = scope;
  loaders[BUILT] = [];
  return loaders as unknown as Loaders;
}

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
