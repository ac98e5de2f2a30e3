import type { Database } from "../../db/client.js";
import { auditLog } from "../../db/schema/audit.js";

export interface AuditEntry {
  orgId: string;
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityIds: string[];
  requestId: string | null;
}

/** One statement for any number of entries; called inside the writing transaction. */
export async function insertAuditEntries(db: Database, entries: AuditEntry[]): Promise<void> {
  if (entries.length > 0) await auditInsert(db, entries);
}

/**
 * The insert of at least one entry, not yet run,
 * for a caller that folds it into a statement of its own.
 */
export function auditInsert(db: Database, entries: AuditEntry[]) {
  return db.insert(auditLog).values(entries);
}
