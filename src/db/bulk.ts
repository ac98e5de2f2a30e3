import { sql } from "drizzle-orm";
import type { Database } from "./client.js";

/**
 * Inserts many rows with few statements: each batch travels as one JSON parameter and is
 * unpacked by `json_to_recordset`, which behaves the same on PostgreSQL and PGlite.
 * `columns` maps each column to its SQL type, e.g. { code: "text", units: "integer" }.
 */
export async function bulkInsert(
  db: Database,
  table: string,
  columns: Record<string, string>,
  rows: readonly object[],
  batchSize = 10_000,
): Promise<void> {
  const names = Object.keys(columns);
  const columnList = sql.raw(names.map((n) => `"${n}"`).join(", "));
  const recordType = sql.raw(names.map((n) => `"${n}" ${columns[n]}`).join(", "));
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = JSON.stringify(rows.slice(start, start + batchSize));
    await db.execute(
      sql`insert into ${sql.identifier(table)} (${columnList}) select ${columnList} from
        json_to_recordset(${batch}::json) as r(${recordType})`,
    );
  }
}
