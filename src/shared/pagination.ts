import { badInput } from "./errors.js";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  first: number;
  /** Decoded keyset position: the sort key values of the last row of the previous page. */
  after: unknown[] | null;
}

export interface Page<T> {
  rows: T[];
  hasNextPage: boolean;
  totalCount: number;
}

export function pageRequest(first: number | null | undefined, after: string | null | undefined): PageRequest {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, "first");
  }
  return { first: size, after: after ? decodeCursor(after) : null };
}

/** Cursors are opaque to clients: base64url JSON of the keyset values. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values), "utf8").toString("base64url");
}

function decodeCursor(cursor: string): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(values) && values.every((v) => typeof v === "string" || typeof v === "number")) return values;
  } catch {
    // fall through to the error below
  }
  throw badInput("after is not a cursor returned by this connection", "after");
}

/** Fetch first + 1 rows; the extra one only says whether another page exists. */
export function toPage<T>(rows: T[], request: PageRequest, totalCount: number): Page<T> {
  return { rows: rows.slice(0, request.first), hasNextPage: rows.length > request.first, totalCount };
}
