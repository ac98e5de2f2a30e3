import DataLoader from "dataloader";
import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import { byId, groupedBy } from "../../graphql/loaders.js";
import { type TransitionRow, transitionsOfItems } from "./work.history.js";
import {
  openWorkCounts,
  type QueueStatsRow,
  queueStats,
  queuesByIds,
  type WorkItemRow,
  workItemsByEncounterIds,
  workItemsByIds,
} from "./work.store.js";

/** Queues and items by id, an encounter's items, an item's history and a queue's counts. */
export function workLoaders(db: Database, scope: Scope) {
  return {
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
    /** Items assigned to each user at the caller's facilities. */
    openWorkCount: new DataLoader<string, number>((userIds) => openWorkCounts(db, scope, userIds)),
  };
}
