/** The work module's front door: what other modules may use. Inside the module, files import each other directly. */

export { completeOwnItem, heldEncounterItem, holdItemIn, MAX_NOTE_LENGTH, resumeItemIn } from "./work.changes.js";
export { SUPERVISING_ROLES } from "./work.policy.js";
export { enqueue, routeSubject, visibleItem, visibleItemsOfEncounter, visibleQueue } from "./work.service.js";
