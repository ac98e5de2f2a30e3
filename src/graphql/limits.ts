import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { GraphQLError, type DocumentNode, type GraphQLSchema } from "graphql";
import { getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";
import { apiError } from "../shared/errors.js";
import { DEFAULT_PAGE_SIZE } from "../shared/pagination.js";

export const MAX_DEPTH = 12;
export const MAX_COST = 5_000;

/**
 * Validation rule: documents nested deeper than MAX_DEPTH are refused before they run.
 * Armor throws by default (its envelop plugin catches that); a validation rule must report instead.
 */
export const depthLimit = maxDepthRule({
  n: MAX_DEPTH,
  ignoreIntrospection: true,
  flattenFragments: true,
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [
    (context, error) =>
      context?.reportError(new GraphQLError(`Query is too deep: ${error.message.replace(/^Syntax Error: Query depth limit/, "the depth limit")}`)),
  ],
});

/** A list field's cost is its children's cost times the page it asks for (`first`, default 20). */
const pageSizeEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!field.args.some((arg) => arg.name === "first")) return undefined;
  const first = typeof args["first"] === "number" ? args["first"] : DEFAULT_PAGE_SIZE;
  return 1 + childComplexity * Math.max(first, 1);
};

/** Refuses an operation whose estimated cost exceeds MAX_COST (QUERY_TOO_COMPLEX). */
export function assertAffordable(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): void {
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      ...(operationName ? { operationName } : {}),
      estimators: [pageSizeEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (error) {
    // Costing coerces the variables first; a bad variable is the client's error, said plainly.
    if (error instanceof GraphQLError) throw apiError("BAD_USER_INPUT", error.message, { http: { status: 400 } });
    throw error;
  }
  if (cost > MAX_COST) {
    throw apiError(
      "QUERY_TOO_COMPLEX",
      `Query cost ${cost} exceeds the limit of ${MAX_COST}: ask for smaller pages (first) or fewer nested lists.`,
      { cost, maxCost: MAX_COST },
    );
  }
}
