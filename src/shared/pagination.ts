import { badInput } from "./errors.js";
import { isUuid, type NodeType } from "./ids.js";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/*
 * Keyset pagination with opaque cursors that carry no PHI. A cursor names the last row of a page
 * by type and id only, never by its sort values: those can be a patient's name, and cursors end up
 * in URLs and logs. The next request loads that row within the caller's scope and continues after
 * its sort key (`db/keyset.ts`). Every connection pages through `pageRequest` and `toConnection`.
 */

export interface PageRequest<T> {
  /** What the connection lists; cursors name it, so one connection's cursor is refused by another. */
  type: NodeType;
  first: number;
  /** The row the previous page ended with, loaded afresh; the store continues after its sort key. */
  after: T | null;
}

export interface Page<T> {
  type: NodeType;
  rows: T[];
  hasNextPage: boolean;
  /** Counts every matching row: run only when called, and once (see lazyCount). */
  totalCount: () => Promise<number>;
}

/**
 * A page request: `first` checked, and the `after` cursor resolved to the row it names through
 * `load`, which must see only what the caller may see. A cursor that does not decode, names another
 * type, or names a row that is gone or hidden is BAD_USER_INPUT, never a database error.
 */
export async function pageRequest<T>(
  type: NodeType,
  first: number | null | undefined,
  after: string | null | undefined,
  load: (id: string) => Promise<T | null>,
): Promise<PageRequest<T>> {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, "first");
  }
  if (!after) return { type, first: size, after: null };
  const id = cursorId(type, after);
  const row = id ? await load(id) : null;
  if (!row)
    throw badInput(
      "after is not a cursor of this connection that is still valid: start again from the first page",
      "after",
    );
  return { type, first: size, after: row };
}

/** A cursor names the last row's id and its connection's type, so another connection's cursor is refused. */
export function encodeCursor(type: NodeType, id: string): string {
  return Buffer.from(`cursor:${type}:${id}`, "utf8").toString("base64url");
}

/** The row id a cursor of `type` names, or null when it is not one. */
function cursorId(type: NodeType, cursor: string): string | null {
  if (cursor.length > 200) return null;
  const [tag, cursorType, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split(":");
  return tag === "cursor" && cursorType === type && id !== undefined && isUuid(id) && rest.length === 0 ? id : null;
}

/** Fetch first + 1 rows; the extra one only says whether another page exists. */
export function toPage<T>(rows: T[], request: PageRequest<unknown>, totalCount: () => Promise<number>): Page<T> {
  return {
    type: request.type,
    rows: rows.slice(0, request.first),
    hasNextPage: rows.length > request.first,
    totalCount,
  };
}

/**
 * A count statement run the first time the count is asked for, and not at all otherwise: most
 * screens page through a list without `totalCount`, and counting every match is the dearest part
 * of a page. `query` is a Drizzle query, which runs only when awaited.
 */
export function lazyCount(query: PromiseLike<{ n: number }[]>): () => Promise<number> {
  let counted: Promise<number> | undefined;
  return () => {
    counted ??= Promise.resolve(query).then(([row]) => row?.n ?? 0);
    return counted;
  };
}
