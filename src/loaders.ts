import DataLoader from "dataloader";
import type { Database } from "./db/client.js";
import type { Scope } from "./db/scope.js";
import { claimsByEncounterIds, claimsByIds, type ClaimRow } from "./modules/claims/claim.store.js";
import { createCodeLoaders } from "./modules/codesets/codeset.loaders.js";
import { encountersByIds } from "./modules/encounters/encounter.store.js";
import { facilitiesByIds, payersByIds, providersByIds } from "./modules/organizations/organization.store.js";
import { patientsByIds } from "./modules/patients/patient.store.js";
import { usersByIds } from "./modules/users/user.store.js";
import {
  queueStats,
  queuesByIds,
  transitionsOfItems,
  workItemsByEncounterIds,
  workItemsByIds,
  type QueueStatsRow,
  type TransitionRow,
  type WorkItemRow,
} from "./modules/work/work.store.js";

/** One loader per entity, created per request and scoped to its actor: nested fields cost one query per level. */
export function createLoaders(db: Database, scope: Scope) {
  return {
    facility: byId((ids) => facilitiesByIds(db, scope, ids)),
    provider: byId((ids) => providersByIds(db, scope, ids)),
    payer: byId((ids) => payersByIds(db, scope, ids)),
    user: byId((ids) => usersByIds(db, scope, ids)),
    patient: byId((ids) => patientsByIds(db, scope, ids)),
    encounter: byId((ids) => encountersByIds(db, scope, ids)),
    claim: byId((ids) => claimsByIds(db, scope, ids)),
    claimsByEncounter: new DataLoader<string, ClaimRow[]>(async (encounterIds) => {
      const byEncounter = new Map<string, ClaimRow[]>();
      for (const row of await claimsByEncounterIds(db, scope, encounterIds)) {
        byEncounter.set(row.encounterId, [...(byEncounter.get(row.encounterId) ?? []), row]);
      }
      return encounterIds.map((id) => byEncounter.get(id) ?? []);
    }),
    workQueue: byId((ids) => queuesByIds(db, scope, ids)),
    workItem: byId((ids) => workItemsByIds(db, scope, ids)),
    workItemsByEncounter: new DataLoader<string, WorkItemRow[]>(async (encounterIds) => {
      const byEncounter = new Map<string, WorkItemRow[]>();
      for (const row of await workItemsByEncounterIds(db, scope, encounterIds)) {
        byEncounter.set(row.encounterId!, [...(byEncounter.get(row.encounterId!) ?? []), row]);
      }
      return encounterIds.map((id) => byEncounter.get(id) ?? []);
    }),
    /** Each item's history, oldest first. */
    workItemHistory: new DataLoader<string, TransitionRow[]>(async (itemIds) => {
      const byItem = new Map<string, TransitionRow[]>();
      for (const row of await transitionsOfItems(db, scope, itemIds)) {
        byItem.set(row.workItemId, [...(byItem.get(row.workItemId) ?? []), row]);
      }
      return itemIds.map((id) => byItem.get(id) ?? []);
    }),
    /** Counts of a queue's open items at the caller's facilities; a queue with none has all zeros. */
    queueStats: new DataLoader<string, QueueStatsRow>((queueIds) => queueStats(db, scope, queueIds)),
    /** Code sets are shared reference data: not scoped. */
    codes: createCodeLoaders(db),
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
  if (!shared) deliveryLoaders.set(db, (shared = new Map()));
  const now = Date.now();
  const key = `${eventKey}|${scope.orgId}|${[...scope.facilityIds].sort().join(",")}`;
  const entry = shared.get(key);
  if (entry && now - entry.at < DELIVERY_SHARE_MS) return entry.loaders;
  for (const [old, { at }] of shared) if (now - at >= DELIVERY_SHARE_MS) shared.delete(old);
  const loaders = createLoaders(db, scope);
  shared.set(key, { at: now, loaders });
  return loaders;
}

/** A loader answering null for ids that are missing or out of the caller's scope. */
function byId<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = new Map((await fetch(ids)).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}
