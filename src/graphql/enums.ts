/**
 * An enum object for type-graphql whose values are an event's snake_case types in capitals: the
 * contract's `type` strings and their `kind` enum are then one list and cannot drift apart.
 */
export function kindsOf<T extends string>(types: readonly T[]): { [K in T as Uppercase<K>]: Uppercase<K> } {
  return Object.fromEntries(types.map((type) => [type.toUpperCase(), type.toUpperCase()])) as {
    [K in T as Uppercase<K>]: Uppercase<K>;
  };
}
