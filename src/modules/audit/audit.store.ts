import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
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

/**
 * The insert of one entry per row of `from` (a relation of the caller's statement), naming the entities
 * `entityIds` (a uuid[] expression over it): for a statement whose own writes decide which rows changed.
 * The request id may be a placeholder, for a statement compiled once and run for many requests.
 */
export function auditInsertFrom(
  entry: Omit<AuditEntry, "entityIds" | "requestId"> & { requestId: string | null | SQLWrapper },
  entityIds: SQL,
  from: SQL,
): SQL {
  const columns = [
    auditLog.orgId,
    auditLog.actorUserId,
    auditLog.action,
    auditLog.entityType,
    auditLog.entityIds,
    auditLog.requestId,
  ].map((column) => sql.identifier(column.name));
  return sql`insert into ${auditLog} (${sql.join(columns, sql`, `)})
    select ${entry.orgId}::uuid, ${entry.actorUserId}::uuid, ${entry.action}::text, ${entry.entityType}::text,
      ${entityIds}, ${entry.requestId}::text
    from ${from}`;
}
