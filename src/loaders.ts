import DataLoader from "dataloader";
import type { Database } from "./db/client.js";
import type { Scope } from "./db/scope.js";
import { type ClaimRow, claimsByEncounterIds, claimsByIds } from "./modules/claims/claim.store.js";
import { createCodeLoaders } from "./modules/codesets/codeset.loaders.js";
import type { EncounterCodes } from "./modules/coding/coding.codes.js";
import {
  type CodeChangeRow,
  type CodingCompletionRow,
  codeChangesOf,
  completionsOf,
  encounterCodes,
  type PhysicianQueryRow,
  physicianQueriesOf,
} from "./modules/coding/coding.store.js";
import { encountersByIds } from "./modules/encounters/encounter.store.js";
import { facilitiesByIds, payersByIds, providersByIds } from "./modules/organizations/organization.store.js";
import { patientsByIds } from "./modules/patients/patient.store.js";
import {
  type CodingReviewRow,
  findingsOfReviews,
  type ReviewFindingRow,
  reviewsByIds,
  reviewsOfEncounters,
} from "./modules/review/review.store.js";
import { usersByIds } from "./modules/users/user.store.js";
import {
  type QueueStatsRow,
  queueStats,
  queuesByIds,
  type TransitionRow,
  transitionsOfItems,
  type WorkItemRow,
  workItemsByEncounterIds,
  workItemsByIds,
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
    claimsByEncounter: groupedBy(
      (ids) => claimsByEncounterIds(db, scope, ids),
      (row: ClaimRow) => row.encounterId,
    ),
    workQueue: byId((ids) => queuesByIds(db, scope, ids)),
    workItem: byId((ids) => workItemsByIds(db, scope, ids)),
    workItemsByEncounter: groupedBy(
      (ids) => workItemsByEncounterIds(db, scope, ids),
      (row: WorkItemRow) => row.encounterId!,
    ),
    /** Each item's history, oldest first. */
    workItemHistory: groupedBy(
      (ids) => transitionsOfItems(db, scope, ids),
      (row: TransitionRow) => row.workItemId,
    ),
    /** Counts of a queue's open items at the caller's facilities; a queue with none has all zeros. */
    queueStats: new DataLoader<string, QueueStatsRow>((queueIds) => queueStats(db, scope, queueIds)),
    /** Each encounter's diagnoses and procedure lines. */
    encounterCodes: new DataLoader<string, EncounterCodes>(async (ids) => {
      const codes = await encounterCodes(db, scope, ids);
      return ids.map((id) => codes.get(id)!);
    }),
    codeHistory: groupedBy(
      (ids) => codeChangesOf(db, scope, ids),
      (row: CodeChangeRow) => row.encounterId,
    ),
    codingCompletions: groupedBy(
      (ids) => completionsOf(db, scope, ids),
      (row: CodingCompletionRow) => row.encounterId,
    ),
    physicianQueries: groupedBy(
      (ids) => physicianQueriesOf(db, scope, ids),
      (row: PhysicianQueryRow) => row.encounterId,
    ),
    codingReview: byId((ids) => reviewsByIds(db, scope, ids)),
    /** Each encounter's coding reviews, newest first. */
    codingReviews: groupedBy(
      (ids) => reviewsOfEncounters(db, scope, ids),
      (row: CodingReviewRow) => row.encounterId,
    ),
    reviewFindings: groupedBy(
      (ids) => findingsOfReviews(db, scope, ids),
      (row: ReviewFindingRow) => row.reviewId,
    ),
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

/** A loader of the rows belonging to each key (an encounter's claims, an item's history), in the order fetched. */
function groupedBy<T>(fetch: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>();
    for (const row of await fetch(keys)) {
      const key = keyOf(row);
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/** A loader answering null for ids that are missing or out of the caller's scope. */
function byId<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = new Map((await fetch(ids)).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}
