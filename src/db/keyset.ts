import { asc, desc, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

export type Direction = "asc" | "desc";

/** ORDER BY the keyset columns, all in one direction; the last column must be unique (the id). */
export function keysetOrder(columns: readonly PgColumn[], direction: Direction): SQL[] {
  return columns.map((column) => (direction === "asc" ? asc(column) : desc(column)));
}

/**
 * The rows after a keyset position in that order: `(c1, c2, …) > (v1, v2, …)`, or `<` descending.
 * `values` are the sort values of the row the previous page ended with, each cast to its column's
 * type (parameters travel untyped), so a row comparison the index can use.
 */
export function keysetAfter(columns: readonly PgColumn[], values: readonly unknown[], direction: Direction): SQL {
  const typed = values.map((value, i) => sql`${value}::${sql.raw(columns[i]!.getSQLType())}`);
  return sql`(${sql.join([...columns], sql`, `)})
    ${sql.raw(direction === "asc" ? ">" : "<")} (${sql.join(typed, sql`, `)})`;
}
