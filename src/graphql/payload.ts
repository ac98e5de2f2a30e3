import type { Outcome } from "../shared/errors.js";

/** A mutation payload from a service outcome: `{ [key]: value, userErrors }`. */
export function payload<K extends string, T>(
  key: K,
  outcome: Outcome<T>,
): Record<K, T | null> & { userErrors: Outcome<T>["userErrors"] } {
  return { [key]: outcome.value, userErrors: outcome.userErrors } as Record<K, T | null> & {
    userErrors: Outcome<T>["userErrors"];
  };
}
