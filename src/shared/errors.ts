/** Codes a client can rely on in `extensions.code`, over HTTP and WebSocket; the README lists them (a test checks). */
export const ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "BAD_USER_INPUT",
  "QUERY_TOO_COMPLEX",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  /** HTTP 400 before any GraphQL runs: the body is not JSON, or a persisted query's hash does not match its text. */
  "BAD_REQUEST",
  /** HTTP 413: the body exceeds MAX_BODY_BYTES. */
  "PAYLOAD_TOO_LARGE",
  /** HTTP 429: the user has as many operations running as MAX_REQUESTS_PER_USER allows. */
  "RATE_LIMITED",
  /** The response would hold more list items than GRAPHQL_MAX_LIST_ITEMS: it is withheld. */
  "RESPONSE_TOO_LARGE",
  /** Apollo's automatic persisted queries: the hash is not known yet, send the query with it. */
  "PERSISTED_QUERY_NOT_FOUND",
  /** A subscription's `after` cursor is older than the events kept: read the state again. */
  "CURSOR_EXPIRED",
  /** A subscriber fell too far behind and was cut off: subscribe again with `after`. */
  "SUBSCRIPTION_LAGGED",
  "INTERNAL_SERVER_ERROR",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * A refusal the caller cannot fix by changing the input: not signed in, not allowed, not found, a
 * stale version or a wrong state (CONFLICT). Services throw it and know nothing of GraphQL;
 * `src/graphql/errors.ts` is the one place that turns it into a GraphQL error with its code.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra fields for `extensions`, such as the input `field` the refusal is about. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** Not signed in, or a token refused: the caller must sign in again. */
export const unauthenticated = (message = "Sign in first: send Authorization: Bearer <token>.") =>
  new DomainError("UNAUTHENTICATED", message);
/** Signed in without the role or access: the message says what is missing. */
export const forbidden = (message: string) => new DomainError("FORBIDDEN", message);
/** The same answer for a missing row and for one the caller may not see, so ids leak nothing. */
export const notFound = (entity: string, field?: string) =>
  new DomainError("NOT_FOUND", `${entity} not found`, field ? { field } : {});
/** A stale version or a wrong state: read again and retry, nothing was changed. */
export const conflict = (message: string) => new DomainError("CONFLICT", message);
/**
 * CONFLICT when the caller read a row at another version than it is at now; nothing when they gave
 * none or it has not moved.
 */
export function requireCurrentVersion(what: string, version: number, expectedVersion: number | null | undefined): void {
  if (expectedVersion == null || expectedVersion === version) return;
  throw conflict(
    `The ${what} is at version ${version}, not ${expectedVersion}: someone changed it since you read it. ` +
      "Read it again.",
  );
}
/** Too many attempts for now (a throttled sign-in): the message says when to try again. */
export const rateLimited = (message: string, field?: string) =>
  new DomainError("RATE_LIMITED", message, field ? { field } : {});
/** An argument outside what the operation accepts (a malformed cursor, a page too large). */
export const badInput = (message: string, field?: string) =>
  new DomainError("BAD_USER_INPUT", message, field ? { field } : {});

/** A problem the user can fix, returned as data in a payload's `userErrors`. */
export interface UserErrorData {
  code: string;
  field: string[] | null;
  message: string;
}

/** A problem with the input the caller can fix, returned in `userErrors` with the field it is about. */
export const userError = (code: string, message: string, field?: string[]): UserErrorData => ({
  code,
  message,
  field: field ?? null,
});

/** What a mutation's service returns: the value, or the user errors that stopped it (nothing written). */
export type Outcome<T> = { value: T; userErrors: [] } | { value: null; userErrors: UserErrorData[] };

/** A service's success, with no user errors. */
export const ok = <T>(value: T): Outcome<T> => ({ value, userErrors: [] });
/** A service's refusal for input the caller can fix: nothing was changed. */
export const refused = <T = never>(userErrors: UserErrorData[]): Outcome<T> => ({ value: null, userErrors });

/** TEXT_TOO_LONG when a free text runs past its limit; null when it fits. */
export function textTooLong(text: string, max: number, field: string[]): UserErrorData | null {
  return text.length > max ? userError("TEXT_TOO_LONG", `At most ${max} characters.`, field) : null;
}
