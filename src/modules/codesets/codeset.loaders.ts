import DataLoader from "dataloader";
import type { Database } from "../../db/client.js";
import type { CodeSystem } from "./codeset.codes.js";
import { type CodeInForceRow, childrenInForce, codesInForceOn, type MedicalCodeRow } from "./codeset.store.js";

/** A code of a system as in force on a date: what parent and children lookups are keyed by. */
export interface CodeKey {
  system: CodeSystem;
  code: string;
  dateOfService: string;
}

const keyOf = (key: CodeKey) => `${key.system}|${key.dateOfService}|${key.code}`;

/**
 * Batches lookups by code for one request. Codes cost one statement whatever their systems and
 * dates (a page of encounters spans many dates of service); the children of a page of search
 * results, one per system and date, not one per code. Code rows the request reads anyway (the coding
 * edits read an encounter's codes with their tables) are `share`d: a lookup waits for them and reads only
 * the codes they lack.
 */
export function createCodeLoaders(db: Database) {
  const shared = new Set<Promise<readonly CodeInForceRow[]>>();
  return {
    // A row answered is the one read for the key's date, so it carries that date: callers use it as it is.
    code: new DataLoader<CodeKey, CodeInForceRow | null, string>(
      async (keys) => {
        const rows = new Map<string, CodeInForceRow>();
        for (const read of await Promise.all(shared)) for (const row of read) rows.set(keyOf(row), row);
        const missing = keys.filter((key) => !rows.has(keyOf(key)));
        if (missing.length > 0) for (const row of await codesInForceOn(db, missing)) rows.set(keyOf(row), row);
        return keys.map((key) => rows.get(keyOf(key)) ?? null);
      },
      { cacheKeyFn: keyOf },
    ),
    /** Code rows, each as in force on its `dateOfService`, that lookups of this request take before reading. */
    share(rows: Promise<readonly CodeInForceRow[]>): void {
      // A read that fails is the reader's error to report: lookups then read the codes themselves.
      shared.add(rows.catch(() => []));
    },
    children: groupedLoader<MedicalCodeRow[]>(async (system, date, parents) => {
      const byParent = new Map<string, MedicalCodeRow[]>();
      for (const row of await childrenInForce(db, system, parents, date)) {
        byParent.set(row.parentCode!, [...(byParent.get(row.parentCode!) ?? []), row]);
      }
      return parents.map((code) => byParent.get(code) ?? []);
    }),
  };
}

function groupedLoader<T>(fetch: (system: CodeSystem, dateOfService: string, codes: string[]) => Promise<T[]>) {
  return new DataLoader<CodeKey, T, string>(
    async (keys) => {
      const groups = new Map<string, { system: CodeSystem; dateOfService: string; codes: string[] }>();
      for (const { system, dateOfService, code } of keys) {
        const group = groups.get(`${system}|${dateOfService}`) ?? { system, dateOfService, codes: [] };
        group.codes.push(code);
        groups.set(`${system}|${dateOfService}`, group);
      }
      const results = new Map<string, T>();
      for (const { system, dateOfService, codes } of groups.values()) {
        const values = await fetch(system, dateOfService, codes);
        for (const [i, code] of codes.entries()) results.set(keyOf({ system, dateOfService, code }), values[i]!);
      }
      return keys.map((key) => results.get(keyOf(key))!);
    },
    { cacheKeyFn: keyOf },
  );
}

/** The code-set loaders of a request. Code sets are shared reference data: not scoped. */
export function codesetLoaders(db: Database) {
  return { codes: createCodeLoaders(db) };
}
