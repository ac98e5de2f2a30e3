/** The audit module's front door: what other modules may use. Inside the module, files import each other directly. */

// Audit rows of changes, written in the caller's transaction; entries a store writes with its own statement.
export { auditChange, auditEntry } from "./audit.service.js";
export { type AuditEntry, auditInsert, auditInsertFrom, insertAuditEntries } from "./audit.store.js";
// The field middleware that records each read of PHI.
export { PhiRead, type PhiReadEntry } from "./phi-read-log.js";
