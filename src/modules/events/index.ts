/** The events module's front door: what other modules may use. Inside the module, files import each other directly. */

// Writing: a change's events in its own transaction.
export { appendEvents, type EventRecord, eventsStatement, newestEventId } from "./event.store.js";
// Reading: a subscription's stream of deliveries, resumable by cursor.
export { closable, type Delivery, eventCursor, eventIdOf, eventStream } from "./event.stream.js";
export { withEvents, withEventsStatement } from "./event.transaction.js";
