import DataLoader from "dataloader";
import type { Database } from "../../db/client.js";
import type { CodeSystem } from "./codeset.codes.js";
import { childrenInForce, codesInForce, type MedicalCodeRow } from "./codeset.store.js";

/** A code of a system as in force on a date: what parent and children lookups are keyed by. */
export interface CodeKey {
  system: CodeSystem;
  code: string;
  dateOfService: string;
}

/**
 * Batches lookups by code for one request: the parents (or children) of a page of search
 * results cost one query per system and date, not one per code.
 */
export function createCodeLoaders(db: Database) {
  return {
    code: groupedLoader<MedicalCodeRow | null>(async (system, date, codes) => {
      const rows = new Map((await codesInForce(db, system, codes, date)).map((row) => [row.code, row]));
      return codes.map((code) => rows.get(code) ?? null);
    }),
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
        for (const [i, code] of codes.entries()) results.set(`${system}|${dateOfService}|${code}`, values[i]!);
      }
      return keys.map((key) => results.get(`${key.system}|${key.dateOfService}|${key.code}`)!);
    },
    { cacheKeyFn: (key) => `${key.system}|${key.dateOfService}|${key.code}` },
  );
}

/** The code-set loaders of a request. Code sets are shared reference data: not scoped. */
export function codesetLoaders(db: Database) {
  return { codes: createCodeLoaders(db) };
}
