import DataLoader from "dataloader";

/*
 * The two shapes of per-request loader the modules build (each module's `<x>.loaders.ts`), so that
 * nested fields cost one query per level. src/loaders.ts combines the modules' loaders.
 */

/** A loader answering null for ids that are missing or out of the caller's scope. */
export function byId<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = new Map((await fetch(ids)).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}

/** A loader of the rows belonging to each key (an encounter's claims, an item's history), in the order fetched. */
export function groupedBy<T>(fetch: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>();
    for (const row of await fetch(keys)) {
      const key = keyOf(row);
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}
