import { GraphQLError } from "graphql";

/** Codes a client can rely on in `extensions.code`. */
export type ErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "BAD_USER_INPUT"
  | "QUERY_TOO_COMPLEX"
  | "INTERNAL_SERVER_ERROR";

const httpStatus: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401, QUERY_TOO_COMPLEX: 400 };

export function apiError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  const status = httpStatus[code];
  return new GraphQLError(message, { extensions: { code, ...extra, ...(status ? { http: { status } } : {}) } });
}

export const unauthenticated = (message = "Sign in first: send Authorization: Bearer <token>.") =>
  apiError("UNAUTHENTICATED", message);
export const forbidden = (message: string) => apiError("FORBIDDEN", message);
/** The same answer for a missing row and for one the caller may not see, so ids leak nothing. */
export const notFound = (entity: string, field?: string) =>
  apiError("NOT_FOUND", `${entity} not found`, field ? { field } : {});
export const conflict = (message: string) => apiError("CONFLICT", message);
export const badInput = (message: string, field?: string) =>
  apiError("BAD_USER_INPUT", message, field ? { field } : {});

/** A problem the user can fix, returned as data in a payload's `userErrors`. */
export interface UserErrorData {
  code: string;
  field: string[] | null;
  message: string;
}

export const userError = (code: string, message: string, field?: string[]): UserErrorData => ({
  code,
  message,
  field: field ?? null,
});

/** What a mutation's service returns: the value, or the user errors that stopped it (nothing written). */
export type Outcome<T> = { value: T; userErrors: [] } | { value: null; userErrors: UserErrorData[] };

export const ok = <T>(value: T): Outcome<T> => ({ value, userErrors: [] });
export const refused = <T = never>(userErrors: UserErrorData[]): Outcome<T> => ({ value: null, userErrors });
