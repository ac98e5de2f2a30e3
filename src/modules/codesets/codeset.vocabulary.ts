import type { Database } from "../../db/client.js";
import type { CodeSystem } from "./codeset.codes.js";
import { searchTerms } from "./codeset.store.js";

/**
 * The words of a system's code descriptions, sorted, each with how many codes use it: about 15,000
 * short words for ICD-10-CM. Held in memory, they tell a misspelled word from a known one and a
 * rare word from a common one without a round trip.
 */
export interface Vocabulary {
  words: string[];
  /** Codes using `words[i]`, at the same index. */
  codes: number[];
}

/** A system's vocabulary as held for a database, with what search learnt of it. */
export interface HeldVocabulary extends Vocabulary {
  /**
   * Misspelled words already looked up, each with its correction (null: none near enough): a type-ahead
   * sends the same slip with every key typed after it. Emptied when it reaches MAX_CORRECTIONS.
   */
  corrections: Map<string, string | null>;
}

/** Bounds the corrections a vocabulary keeps: words typed wrong, not an attacker's every string. */
export const MAX_CORRECTIONS = 10_000;

/**
 * Vocabularies held per database. An import in this process forgets them; after an import by
 * another process a new word is first taken for a misspelling, and the correction query, which
 * reads the table, finds it known (a word corrected before that import stays corrected until a
 * restart); counts a little off only make search choose its index less well.
 */
const vocabularies = new WeakMap<Database, Map<CodeSystem, Promise<HeldVocabulary>>>();

export function vocabulary(db: Database, system: CodeSystem): Promise<HeldVocabulary> {
  const bySystem = vocabularies.get(db) ?? new Map<CodeSystem, Promise<HeldVocabulary>>();
  vocabularies.set(db, bySystem);
  let known = bySystem.get(system);
  if (!known) {
    known = searchTerms(db, system).then((terms) => {
      terms.sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
      return { words: terms.map((t) => t.term), codes: terms.map((t) => t.codes), corrections: new Map() };
    });
    known.catch(() => bySystem.delete(system));
    bySystem.set(system, known);
  }
  return known;
}

export function forgetVocabulary(db: Database): void {
  vocabularies.delete(db);
}

/** The index of the first word of the sorted list not before `prefix`. */
function firstFrom(sorted: readonly string[], prefix: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < prefix) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Whether some word of the sorted list starts with `prefix`. */
export function startsSomeWord(sorted: readonly string[], prefix: string): boolean {
  const at = firstFrom(sorted, prefix);
  return at < sorted.length && sorted[at]!.startsWith(prefix);
}

/**
 * How many codes use a word starting with `prefix` (a code using two such words counts twice);
 * Infinity for a prefix no listed word starts with (the list leaves out words under three
 * letters, so "w" or "3" may still match many codes).
 */
export function codesStartingWith({ words, codes }: Vocabulary, prefix: string): number {
  let sum = 0;
  for (let i = firstFrom(words, prefix); i < words.length && words[i]!.startsWith(prefix); i++) sum += codes[i]!;
  return sum > 0 ? sum : Infinity;
}

/** How many codes use exactly this word; Infinity for a word not listed (see codesStartingWith). */
export function codesUsing({ words, codes }: Vocabulary, word: string): number {
  const at = firstFrom(words, word);
  return words[at] === word ? codes[at]! : Infinity;
}
