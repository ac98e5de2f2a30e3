import type { Database } from "../../db/client.js";
import { todayUtc } from "../../shared/dates.js";
import { badInput } from "../../shared/errors.js";
import { MAX_PAGE_SIZE } from "../../shared/pagination.js";
import { type CodeSystem, CPT_PLACEHOLDER, normalizeCode } from "./codeset.codes.js";
import { correctableWords, indexTerms, MAX_QUERY_LENGTH, parseQuery, singleWord, toTsquery } from "./codeset.query.js";
import { codesInForce, firstDateInForce, type MedicalCodeRow, nearestTerms, searchCodeRows } from "./codeset.store.js";
import { preferredCode } from "./codeset.synonyms.js";
import {
  codesStartingWith,
  type HeldVocabulary,
  MAX_CORRECTIONS,
  startsSomeWord,
  vocabulary,
} from "./codeset.vocabulary.js";

export { releases } from "./codeset.store.js";

/** A code as resolved for a date of service: its parent and children are looked up for the same date. */
export interface DatedCode extends MedicalCodeRow {
  dateOfService: string;
}

export interface SearchCodesInput {
  system: CodeSystem;
  query: string;
  dateOfService?: string | null | undefined;
  billableOnly?: boolean | null | undefined;
  first?: number | null | undefined;
}

/** Queries shorter than this match too much to help; a type-ahead gets an empty list until then. */
const MIN_QUERY_LENGTH = 2;

/** A single word that this many codes of the system use is broad (see `searchCodeRows`). */
const BROAD_QUERY_CODES = 5000;

const NO_WORDS: HeldVocabulary = { words: [], codes: [], corrections: new Map() };

/**
 * Code search as coders type it: a code with or without its dot, or words in any order as
 * prefixes with shorthand and lay terms expanded, the code a query means by default first. A word
 * that begins no word of the system's descriptions is taken for a misspelling and replaced by the
 * closest description word.
 */
export async function searchCodes(db: Database, input: SearchCodesInput): Promise<DatedCode[]> {
  const first = input.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)
    throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, "first");
  if (input.query.length > MAX_QUERY_LENGTH)
    throw badInput(`query must be at most ${MAX_QUERY_LENGTH} characters`, "query");
  const dateOfService = input.dateOfService ?? todayUtc();
  const text = input.query.trim();
  if (text.replace(/[^\p{L}\p{N}]/gu, "").length < MIN_QUERY_LENGTH) return [];

  const parsed = parseQuery(input.system, text);
  const known = parsed.terms.length > 0 ? await vocabulary(db, input.system) : NO_WORDS;
  const misspelled = correctableWords(parsed.terms).filter((word) => !startsSomeWord(known.words, word));
  const corrections =
    misspelled.length > 0 ? await correctWords(db, input.system, known, misspelled) : new Map<string, string>();
  const words = toTsquery(parsed.terms, corrections);
  const single = singleWord(parsed.terms, corrections);
  const singleCodes = single ? codesStartingWith(known, single) : 0;
  const rows = await searchCodeRows(db, {
    system: input.system,
    dateOfService,
    billableOnly: input.billableOnly ?? true,
    limit: first,
    code: parsed.code,
    words,
    indexWords: toTsquery(indexTerms(parsed.terms, known, corrections), corrections),
    broad: singleCodes !== Infinity && singleCodes >= BROAD_QUERY_CODES,
    placeholder: CPT_PLACEHOLDER,
    preferred: preferredCode(
      input.system,
      parsed.terms.map((t) => corrections.get(t.word) ?? t.word),
    ),
  });
  if (rows.length === 0) await refuseDateBeforeCodeSet(db, input.system, dateOfService);
  return rows.map((row) => ({ ...row, dateOfService }));
}

/**
 * The correction of each misspelled word: of the description words nearest by trigrams, the
 * fewest keystrokes away (a swap counts as one: "hypertensoin" is "hypertension", not
 * "hypertensive"), then the one more codes use. Words the vocabulary has corrected before are not
 * looked up again.
 */
async function correctWords(
  db: Database,
  system: CodeSystem,
  known: HeldVocabulary,
  words: readonly string[],
): Promise<Map<string, string>> {
  const unseen = words.filter((word) => !known.corrections.has(word));
  if (unseen.length > 0) {
    const best = new Map<string, { term: string; edits: number; codes: number }>();
    for (const { word, term, codes } of await nearestTerms(db, system, unseen, 5)) {
      const edits = keystrokes(word, term);
      const current = best.get(word);
      if (!current || edits < current.edits || (edits === current.edits && codes > current.codes))
        best.set(word, { term, edits, codes });
    }
    if (known.corrections.size + unseen.length > MAX_CORRECTIONS) known.corrections.clear();
    for (const word of unseen) known.corrections.set(word, best.get(word)?.term ?? null);
  }
  const corrections = new Map<string, string>();
  for (const word of words) {
    const term = known.corrections.get(word);
    if (term) corrections.set(word, term);
  }
  return corrections;
}

/**
 * Edit distance counting an insertion, deletion, substitution or swap of neighbours as one (optimal
 * string alignment).
 */
export function keystrokes(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * One code as in force on the date of service (default today), typed with or without its dot; null
 * when there is none.
 */
export async function findCode(
  db: Database,
  system: CodeSystem,
  code: string,
  dateOfService?: string | null,
): Promise<DatedCode | null> {
  const normalized = normalizeCode(code);
  if (normalized.length === 0 || normalized.length > 10) return null;
  const date = dateOfService ?? todayUtc();
  const [row] = await codesInForce(db, system, [normalized], date);
  if (!row) await refuseDateBeforeCodeSet(db, system, date);
  return row ? { ...row, dateOfService: date } : null;
}

/** A date of service before every loaded release is a mistake the coder should hear about, not an empty list. */
async function refuseDateBeforeCodeSet(db: Database, system: CodeSystem, dateOfService: string): Promise<void> {
  const first = await firstDateInForce(db, system);
  if (first && dateOfService < first) {
    throw badInput(
      `No ${system} code set is loaded for ${dateOfService}: the earliest starts ${first}. ` +
        "Import an older release to code that date.",
      "dateOfService",
    );
  }
}
