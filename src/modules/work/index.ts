import {
  QueueRoutingResolver,
  UserWorkResolver,
  WorkItemResolver,
  WorkItemTransitionResolver,
  WorkQueueResolver,
} from "./work.resolver.js";
import { WorkSubscriptionResolver } from "./work.subscription.js";

/**
 * The work module's front door: what other modules may use. Inside the module, files import each
 * other directly. The module's own mutations (claim, heartbeat, hold, assign…) are its resolvers'.
 */

// State changes (work.changes.ts, work.dispatch.ts) that a domain action makes to its own item inside
// its transaction: finish it with the action, park it while a physician answers, take it off hold.
export {
  completeOwnItem,
  finishClaimWork,
  heldClaimItem,
  heldClaimPaymentItem,
  heldEncounterItem,
  MAX_NOTE_LENGTH,
} from "./work.changes.js";
export { holdItemIn, MAX_PRIORITY, resumeItemIn } from "./work.dispatch.js";
// The server's periodic lease sweep.
export { sweepExpiredLeases } from "./work.leases.js";
// Policy (work.policy.ts): who may see and work which queue.
export { SUPERVISING_ROLES } from "./work.policy.js";
export type { RoutingSubject } from "./work.routing.js";
// Reads (work.service.ts): queues and items as the caller may see them.
// New work (work.service.ts): where a subject's work goes, and its creation in the caller's transaction.
export {
  cancelClaimWork,
  enqueue,
  enqueueAll,
  enqueueBySystem,
  enqueueUnlessOpen,
  type NewWork,
  routeSubject,
  type SystemWork,
  visibleItem,
  visibleItemsOfEncounter,
  visibleQueue,
} from "./work.service.js";
export { type QueueDepthRow, queueDepths, type WorkItemRow } from "./work.store.js";
export { workItemForUpdate } from "./work.transitions.js";
export { QueueRouting, WorkItem } from "./work.type.js";

export const resolvers = [
  WorkQueueResolver,
  QueueRoutingResolver,
  WorkItemResolver,
  WorkItemTransitionResolver,
  WorkSubscriptionResolver,
  UserWorkResolver,
] as const;
export { workLoaders as loaders } from "./work.loaders.js";
