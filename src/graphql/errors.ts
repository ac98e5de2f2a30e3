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

export const INTERNAL_ERROR: GraphQLFormattedError = { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } };

/** What the client sees of an error: expected errors as they are, unexpected ones masked. */
export function maskUnexpected(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (!isUnexpected(error) && formatted.extensions?.["code"] !== "INTERNAL_SERVER_ERROR") return formatted;
  return { ...INTERNAL_ERROR, ...(formatted.path ? { path: formatted.path } : {}) };
}
