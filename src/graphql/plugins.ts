/*
 * Apollo plugins every GraphQL request over HTTP passes through: the operation limits, the response
 * budget, the audit of PHI reads before a response leaves, and the request log.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import type { RequestContext } from "../context.js";
import { documentHash } from "../http/metrics.js";
import { flushPhiReads } from "../modules/audit/audit.service.js";
import { INTERNAL_ERROR, isUnexpected } from "./errors.js";
import { assertAllowed } from "./limits.js";
import { responseTooLarge } from "./response-budget.js";

/*
 * Each plugin hands every request the same listeners, made once: they read what they need from the
 * request's context Apollo passes them, so no request makes closures of its own.
 */

/** Refuses, before they run, operations holding a NUL character or above the cost limit. */
export function operationLimits(schema: GraphQLSchema): ApolloServerPlugin<RequestContext> {
  const listener: GraphQLRequestListener<RequestContext> = {
    didResolveOperation: async ({ request, document }) => {
      assertAllowed(schema, document, request.variables, request.operationName);
    },
  };
  return { requestDidStart: async () => listener };
}

/**
 * A response that went over its list-item budget is withheld: one RESPONSE_TOO_LARGE error instead
 * of a partial answer.
 */
const responseBudgetListener: GraphQLRequestListener<RequestContext> = {
  willSendResponse: async ({ contextValue, response }) => {
    if (!contextValue.listItems.exceeded) return;
    response.http.status = 400;
    response.body = {
      kind: "single",
      singleResult: { errors: [responseTooLarge(contextValue.listItems.max).toJSON()] },
    };
  },
};
export const responseBudget: ApolloServerPlugin<RequestContext> = {
  requestDidStart: async () => responseBudgetListener,
};

/**
 * Writes the request's PHI reads to the audit log before the response leaves.
 * If that write fails the data is withheld: no PHI goes out unaudited.
 */
const auditListener: GraphQLRequestListener<RequestContext> = {
  willSendResponse: async ({ contextValue, response }) => {
    try {
      await flushPhiReads(contextValue);
    } catch (error) {
      contextValue.log.error({ err: error }, "audit write failed; response withheld");
      response.http.status = 500;
      response.body = { kind: "single", singleResult: { errors: [INTERNAL_ERROR] } };
    }
  },
};
export const auditPhiReads: ApolloServerPlugin<RequestContext> = { requestDidStart: async () => auditListener };

/** One line per request: operation, duration and error codes. Never variables or results: they may hold PHI. */
const requestLogListener: GraphQLRequestListener<RequestContext> = {
  didEncounterErrors: async ({ errors, contextValue }) => {
    for (const error of errors) {
      if (isUnexpected(error)) contextValue.log.error({ err: error }, "unexpected error");
    }
  },
  willSendResponse: async ({ request, contextValue, response, errors, operationName }) => {
    contextValue.log.info(
      {
        // A client that names no operation is told apart by its document's hash (never its text or variables).
        operation: operationName ?? request.operationName ?? documentHash(request.query),
        status: response.http.status ?? 200,
        ms: Math.round(performance.now() - contextValue.startedAt),
        errors: errors?.map((e) => e.extensions?.["code"] ?? "INTERNAL_SERVER_ERROR"),
      },
      "graphql request",
    );
  },
};
export const requestLog: ApolloServerPlugin<RequestContext> = { requestDidStart: async () => requestLogListener };
