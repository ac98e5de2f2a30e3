import { defaultFieldResolver, type GraphQLSchema, getNullableType, isListType, isObjectType } from "graphql";
import { apiError } from "./errors.js";

/**
 * How many list items one response may hold, summed over every list in it: the cost estimate
 * guesses the size of lists without `first` (a code's children), this counts them as they resolve.
 */
export class ListItemBudget {
  private spent = 0;

  constructor(readonly max: number) {}

  /** True once a response went over: it is answered with RESPONSE_TOO_LARGE alone. */
  get exceeded(): boolean {
    return this.spent > this.max;
  }

  /** Refuses to resolve another list once the budget is spent, so no more work is done for the response. */
  assertLeft(): void {
    if (this.exceeded) throw responseTooLarge(this.max);
  }

  spend(items: number): void {
    this.spent += items;
    this.assertLeft();
  }
}

/** The one error a response over its list-item budget becomes: no partial answer leaves. */
export const responseTooLarge = (max: number) =>
  apiError(
    "RESPONSE_TOO_LARGE",
    `The response would hold more than ${max} list items: ask for smaller pages (first) or fewer nested lists.`,
    {
      maxListItems: max,
    },
  );

/**
 * Wraps the resolver of every list field so that it counts its items against the context's
 * `listItems` budget (contexts without one, as in schema printing, are not counted).
 */
export function countListItems(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isListType(getNullableType(field.type))) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: { listItems?: ListItemBudget }, info) => {
        const budget = context.listItems;
        if (!budget) return resolve(source, args, context, info);
        budget.assertLeft();
        const spend = (value: unknown) => {
          if (Array.isArray(value)) budget.spend(value.length);
          return value;
        };
        const result: unknown = resolve(source, args, context, info);
        return result instanceof Promise ? result.then(spend) : spend(result);
      };
    }
  }
}
