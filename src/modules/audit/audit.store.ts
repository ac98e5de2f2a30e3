import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { type Database, StatementCache } from "../../db/client.js";
import { auditLog } from "../../db/schema/audit.js";

export interface AuditEntry {
  orgId: string;
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityIds: string[];
  requestId: string | null;
}

/** The columns an entry fills; the others have defaults. */
const ENTRY_COLUMNS = sql.join(
  [
    auditLog.orgId,
    auditLog.actorUserId,
    auditLog.action,
    auditLog.entityType,
    auditLog.entityIds,
    auditLog.requestId,
  ].map((column) => sql.identifier(column.name)),
  sql`, `,
);

const entriesStatement = new StatementCache<never>({});

/**
 * One statement for any number of entries; called inside the writing transaction. Prepared, the entries one
 * JSON parameter: every request that reads PHI writes here before its response leaves.
 */
export async function insertAuditEntries(db: Database, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const build = () =>
    sql`/* insertAuditEntries */ insert into ${auditLog} (${ENTRY_COLUMNS})
      select org_id, actor_user_id, action, entity_type, entity_ids, request_id
        from jsonb_to_recordset(${sql.placeholder("entries")}::text::jsonb)
          as e(org_id uuid, actor_user_id uuid, action text, entity_type text, entity_ids uuid[], request_id text)`;
  const rows = entries.map((entry) => ({
    org_id: entry.orgId,
    actor_user_id: entry.actorUserId,
    action: entry.action,
    entity_type: entry.entityType,
    entity_ids: entry.entityIds,
    request_id: entry.requestId,
  }));
  await entriesStatement.run(db, "insertAuditEntries", build, { entries: JSON.stringify(rows) });
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
  return sql`insert into ${auditLog} (${ENTRY_COLUMNS})
    select ${entry.orgId}::uuid, ${entry.actorUserId}::uuid, ${entry.action}::text, ${entry.entityType}::text,
      ${entityIds}, ${entry.requestId}::text
    from ${from}`;
}
