import type { Database } from "../../db/client.js";
import type { CodeSystem } from "./codeset.codes.js";
import { searchTerms } from "./codeset.store.js";

/**
 * The words of each system's code descriptions, sorted, held per database in memory (about
 * 15,000 short words for ICD-10-CM): telling a misspelled word from a known one then costs no round trip. An
 * import in this process forgets them; after an import by another process a new word is
 * first taken for a misspelling, and the correction query, which reads the table, finds it known.
 */
const vocabularies = new WeakMap<Database, Map<CodeSystem, Promise<string[]>>>();

export function vocabulary(db: Database, system: CodeSystem): Promise<string[]> {
  const bySystem = vocabularies.get(db) ?? new Map<CodeSystem, Promise<string[]>>();
  vocabularies.set(db, bySystem);
  let words = bySystem.get(system);
  if (!words) {
    words = searchTerms(db, system).then((terms) => terms.sort());
    words.catch(() => bySystem.delete(system));
    bySystem.set(system, words);
  }
  return words;
}

export function forgetVocabulary(db: Database): void {
  vocabularies.delete(db);
}

/** Whether some word of the sorted list starts with `prefix`. */
export function startsSomeWord(sorted: readonly string[], prefix: string): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < prefix) low = middle + 1;
    else high = middle;
  }
  return low < sorted.length && sorted[low]!.startsWith(prefix);
}
