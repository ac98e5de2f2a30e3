import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";

/**
 * A GraphQLError is an answer meant for the client (not signed in, not found, bad input…).
 * Anything else thrown below a resolver — a database error, a bug — is unexpected: it is logged
 * with the request id and masked, because its message may hold a statement's values (PHI).
 */
export function isUnexpected(error: unknown): boolean {
  return !(unwrapResolverError(error) instanceof GraphQLError);
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
