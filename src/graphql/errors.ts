import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { DomainError, type ErrorCode } from "../shared/errors.js";

/*
 * The error policy's GraphQL end. Services answer what the caller can fix as `userErrors` and throw
 * a DomainError for what they cannot; this file is the one place that turns a DomainError into a
 * GraphQL error with `extensions.code` (and, for UNAUTHENTICATED, HTTP 401).
 */

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401, QUERY_TOO_COMPLEX: 400 };

/** A GraphQL error with a code a client can rely on (`ERROR_CODES`), for refusals of the GraphQL layer itself. */
export function apiError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  const status = HTTP_STATUS[code];
  return new GraphQLError(message, { extensions: { code, ...extra, ...(status ? { http: { status } } : {}) } });
}

/** A service's refusal as the GraphQL error the client sees. */
export const graphQLErrorOf = (error: DomainError): GraphQLError => apiError(error.code, error.message, error.details);

/**
 * A GraphQLError is an answer meant for the client (not signed in, not found, bad input…).
 * Anything else thrown below a resolver — a database error, a bug — is unexpected: it is logged
 * with the request id and masked, because its message may hold a statement's values (PHI).
 */
export function isUnexpected(error: unknown): boolean {
  const original = unwrapResolverError(error);
  return !(original instanceof GraphQLError || original instanceof DomainError);
}

export const INTERNAL_ERROR: GraphQLFormattedError = {
  message: "Internal server error",
  extensions: { code: "INTERNAL_SERVER_ERROR" },
};

/**
 * What the client sees of an error: expected errors as they are, unexpected ones masked. Apollo
 * refuses some requests with an HTTP 4xx status but no code (a persisted query whose hash does not
 * match its text, an unsupported persisted-query version): those are the client's, BAD_REQUEST.
 */
export function maskUnexpected(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    return { ...formatted, message: original.message, extensions: { code: original.code, ...original.details } };
  }
  if (!isUnexpected(error) && formatted.extensions?.["code"] !== "INTERNAL_SERVER_ERROR") return formatted;
  if (
    error instanceof GraphQLError &&
    error.extensions["code"] === undefined &&
    isClientStatus(error.extensions["http"])
  ) {
    return { message: formatted.message, extensions: { code: "BAD_REQUEST" } };
  }
  return { ...INTERNAL_ERROR, ...(formatted.path ? { path: formatted.path } : {}) };
}

function isClientStatus(http: unknown): boolean {
  const status = (http as { status?: unknown } | undefined)?.status;
  return typeof status === "number" && status >= 400 && status < 500;
}
