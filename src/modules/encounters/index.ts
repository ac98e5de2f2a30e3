import { QueueRoutingEncounterTypesResolver } from "./encounter.queue-routing.resolver.js";
import { EncounterResolver } from "./encounter.resolver.js";

/**
 * The encounters module's front door: what other modules may use. Inside the module, files import
 * each other directly.
 */

export { EncounterRefInput } from "./encounter.inputs.js";
export { EncounterPayload } from "./encounter.resolver.js";
export { findEncounter } from "./encounter.service.js";
export {
  type EncounterRow,
  type EncounterStatus,
  type EncounterType,
  // Submitting a claim bills its encounter, in the submission's transaction.
  markEncountersBilled,
  returnEncounterToCoding,
  visibleEncounters,
} from "./encounter.store.js";
export { Encounter } from "./encounter.type.js";

export const resolvers = [EncounterResolver, QueueRoutingEncounterTypesResolver] as const;
export { encounterLoaders as loaders } from "./encounter.loaders.js";
