import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Database } from "./client.js";

/** COPY's text format escapes these in a value: the column and row separators, and its own escape. */
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

const copyEscape = (text: string) =>
  COPY_SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : text;

/** What an array literal's element must be quoted for: empty, the word NULL, separators, quotes, blanks. */
const ARRAY_QUOTED = /^$|^null$|[{}",\\\s]/i;

/** An array literal's element; a number or a plain word as it is (the NCCI tables' arrays hold millions). */
function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return String(value);
  const text = String(value);
  return ARRAY_QUOTED.test(text) ? `"${text.replace(/[\\"]/g, "\\$&")}"` : text;
}

/** One value in COPY's text format: \N for null, t/f, an array literal `{…}`, else the text, escaped. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "boolean") return value ? "t" : "f";
  if (Array.isArray(value)) return copyEscape(`{${value.map(arrayElement).join(",")}}`);
  return copyEscape(String(value));
}

/** Rows of COPY text, a chunk of lines at a time (the NCCI tables' text runs to tens of megabytes). */
function* copyChunks(names: readonly string[], rows: readonly object[], rowsPerChunk = 5_000): Generator<string> {
  for (let start = 0; start < rows.length; start += rowsPerChunk) {
    let chunk = "";
    for (const row of rows.slice(start, start + rowsPerChunk) as Record<string, unknown>[]) {
      for (let i = 0; i < names.length; i++) chunk += (i === 0 ? "" : "\t") + copyValue(row[names[i]!]);
      chunk += "\n";
    }
    yield chunk;
  }
}

/** The driver's own client under Drizzle, of the database or of the transaction it runs in. */
interface PgliteClient {
  query(query: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
}
interface PostgresClient {
  unsafe(query: string): { writable(): Promise<NodeJS.WritableStream> };
}
const clientOf = (db: Database) =>
  (db._ as unknown as { session: { client: PgliteClient | PostgresClient } }).session.client;

/** Rows as COPY text, in chunks: what bulkInsert sends, made where the rows are (a worker thread can make it). */
export const copyText = (names: readonly string[], rows: readonly object[]): string[] => [...copyChunks(names, rows)];

/**
 * Inserts many rows with one COPY: the rows' text streamed to PostgreSQL, or handed to PGlite as
 * the blob it reads at /dev/blob, where an INSERT of JSON batches had each batch parsed as JSON and
 * unpacked row by row. In the caller's transaction when `db` is one. Each row's `columns` are read
 * by name; the table's own column types read the text.
 */
export async function bulkInsert(
  db: Database,
  table: string,
  names: readonly string[],
  rows: readonly object[],
): Promise<void> {
  if (rows.length > 0) await copyInto(db, table, names, copyChunks(names, rows));
}

/** One COPY of text made by copyText (or its chunks as they are made) into `table`'s columns `names`. */
export async function copyInto(
  db: Database,
  table: string,
  names: readonly string[],
  chunks: Iterable<string>,
): Promise<void> {
  const copy = `copy "${table}" (${names.map((n) => `"${n}"`).join(", ")}) from`;
  const client = clientOf(db);
  if ("unsafe" in client) {
    await pipeline(Readable.from(chunks), await client.unsafe(`${copy} stdin`).writable());
  } else {
    await client.query(`${copy} '/dev/blob'`, [], { blob: new Blob([...chunks]) });
  }
}
