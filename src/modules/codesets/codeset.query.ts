import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type CodeSystem, looksLikeCode, normalizeCode } from "./codeset.codes.js";
import { CODESETS_DIR } from "./codeset.files.js";
import { layWordings, MAX_LAY_WORDS, STOP_WORDS, plainWords as words } from "./codeset.synonyms.js";
import { codesStartingWith, codesUsing, type Vocabulary } from "./codeset.vocabulary.js";

/** Longest query accepted: a code description a coder pastes is well under it. */
export const MAX_QUERY_LENGTH = 200;
/** Words beyond this add nothing a coder needs and cost a scan each. */
const MAX_WORDS = 12;

/**
 * Coder shorthand (HTN, DM2, w/o, …) from `data/codesets/abbreviations.tsv`, read once: each
 * maps to the words the code descriptions use.
 */
function readAbbreviations(): Map<string, string[]> {
  const [, ...rows] = readFileSync(join(CODESETS_DIR, "abbreviations.tsv"), "utf8").split("\n");
  return new Map(
    rows
      .filter((row) => row.includes("\t"))
      .map((row) => {
        const [abbreviation, expansion] = row.split("\t");
        return [abbreviation!.trim().toLowerCase(), words(expansion!)];
      }),
  );
}

let abbreviations: Map<string, string[]> | undefined;
const shorthand = () => (abbreviations ??= readAbbreviations());

/** What a search query asks for, once understood. */
export interface ParsedQuery {
  /** The query as a code or code prefix (stored form), when it has that shape. */
  code: string | null;
  /** Each typed word with what it may match: the word as a prefix, or a shorthand's expansion. */
  terms: QueryTerm[];
}

export interface QueryTerm {
  /** The typed word; for a lay phrase of several words, its words joined by a space. */
  word: string;
  /** The words of a shorthand's expansion; null for an ordinary word. */
  expansion: string[] | null;
  /** A lay term's ICD wordings (`data/codesets/synonyms.tsv`), each a list of words; absent for other words. */
  wordings?: string[][];
}

/**
 * Reads a search query. A query shaped like a code of the system ("e119", "E11.9", "S72.0")
 * is looked up as a code; otherwise (and also for letters-only queries such as a PCS
 * "bypass") its words are matched. "w/" and "w/o" are read before splitting on punctuation.
 */
export function parseQuery(system: CodeSystem, query: string): ParsedQuery {
  const normalized = normalizeCode(query);
  const code = /^[A-Z0-9]+$/.test(normalized) && looksLikeCode(system, normalized) ? normalized : null;
  if (code && /\d/.test(code)) return { code, terms: [] };
  const text = query
    .toLowerCase()
    .replace(/\bw\/o\b/g, " w/o ")
    .replace(/\bw\/(?!o\b)/g, " w/ ");
  const terms: QueryTerm[] = [];
  for (const token of text.split(/[^a-z0-9/]+/)) {
    const expansion = shorthand().get(token);
    for (const word of expansion ? [token] : words(token)) {
      if (STOP_WORDS.has(word) || terms.some((t) => t.word === word)) continue;
      terms.push({ word, expansion: shorthand().get(word) ?? null });
    }
  }
  return { code, terms: withLayTerms(terms.slice(0, MAX_WORDS)) };
}

/** Runs of ordinary words that make a lay term ("heart attack", "arm") become one term, the longest run first. */
function withLayTerms(terms: readonly QueryTerm[]): QueryTerm[] {
  const result: QueryTerm[] = [];
  for (let i = 0; i < terms.length; ) {
    let length = Math.min(MAX_LAY_WORDS, terms.length - i);
    for (; length > 0; length--) {
      const run = terms.slice(i, i + length);
      const wordings = run.every((t) => !t.expansion) ? layWordings(run.map((t) => t.word).join(" ")) : undefined;
      if (wordings) {
        result.push({ word: run.map((t) => t.word).join(" "), expansion: null, wordings });
        break;
      }
    }
    if (length === 0) result.push(terms[i]!);
    i += Math.max(length, 1);
  }
  return result;
}

/**
 * The `to_tsquery` text for the terms: every term must match; an ordinary word as a prefix,
 * a shorthand as itself or its expansion, a lay term as its typed words (prefixes) or one of
 * its ICD wordings. `corrections` replaces misspelled words. Terms hold
 * only [a-z0-9] (and shorthand keys, which are never emitted), so nothing typed reaches the
 * tsquery parser unescaped.
 */
export function toTsquery(
  terms: readonly QueryTerm[],
  corrections: ReadonlyMap<string, string> = new Map(),
): string | null {
  const parts = terms.map(({ word, expansion, wordings }) => {
    if (wordings) {
      const typed = word.split(" ").map((w) => `${w}:*`);
      return `((${typed.join(" & ")}) | ${wordings.map((ws) => `(${ws.join(" & ")})`).join(" | ")})`;
    }
    if (expansion) {
      const literal = /^[a-z0-9]+$/.test(word) ? `${word} | ` : "";
      return `(${literal}(${expansion.join(" & ")}))`;
    }
    return `${corrections.get(word) ?? word}:*`;
  });
  return parts.length > 0 ? parts.join(" & ") : null;
}

/**
 * The query's one word (after correction) when it is a single ordinary word: the only kind of query
 * that can be broad.
 */
export function singleWord(
  terms: readonly QueryTerm[],
  corrections: ReadonlyMap<string, string> = new Map(),
): string | null {
  const [only] = terms;
  const ordinary = terms.length === 1 && !only!.expansion && !only!.wordings;
  return ordinary ? (corrections.get(only!.word) ?? only!.word) : null;
}

/** Words worth correcting when a search finds nothing: long enough to be a misspelling, not numbers or shorthand. */
export const correctableWords = (terms: readonly QueryTerm[]) =>
  terms.filter((t) => !t.expansion && !t.wordings && t.word.length >= 4 && !/\d/.test(t.word)).map((t) => t.word);

/** Once the index terms taken match at most this many codes, checking those rows costs less than reading more terms. */
const FEW_CODES = 500;
/** A prefix matching more codes costs the index more to read than the rows it rules out. */
const INDEX_TERM_CODES = 6000;
/** More terms than this rarely narrow the rows further. */
const MAX_INDEX_TERMS = 3;

/**
 * How many codes a term may match, from the vocabulary's counts: a word as a prefix, a shorthand
 * as itself or all its expansion's words, a lay term as its typed words or one of its wordings.
 * An estimate (a code may hold two words of a prefix); Infinity where the vocabulary cannot tell.
 */
function termCodes(term: QueryTerm, known: Vocabulary, corrections: ReadonlyMap<string, string>): number {
  const all = (exact: readonly string[]) => Math.min(...exact.map((w) => codesUsing(known, w)));
  if (term.wordings) {
    const typed = Math.min(...term.word.split(" ").map((w) => codesStartingWith(known, w)));
    return term.wordings.reduce((sum, wording) => sum + all(wording), typed);
  }
  if (term.expansion) return codesUsing(known, term.word) + all(term.expansion);
  return codesStartingWith(known, corrections.get(term.word) ?? term.word);
}

/**
 * The terms the full-text index should look up; the rest are checked on the rows it finds. The
 * index reads every code a term matches before intersecting ("right:*" is 26,000 codes), so only
 * rare terms are worth its time: the rarest always, then the next rarest while they are rare
 * (INDEX_TERM_CODES) and the ones taken may still match many rows (FEW_CODES). Their tsquery
 * (toTsquery) is implied by the whole query's.
 */
export function indexTerms(
  terms: readonly QueryTerm[],
  known: Vocabulary,
  corrections: ReadonlyMap<string, string> = new Map(),
): QueryTerm[] {
  const ranked = terms
    .map((term) => ({ term, codes: termCodes(term, known, corrections) }))
    .sort((a, b) => a.codes - b.codes);
  if (ranked.length === 0 || ranked[0]!.codes === Infinity) return [...terms];
  const taken = [ranked[0]!];
  for (const next of ranked.slice(1)) {
    if (taken[0]!.codes <= FEW_CODES || next.codes > INDEX_TERM_CODES || taken.length >= MAX_INDEX_TERMS) break;
    taken.push(next);
  }
  return taken.map((t) => t.term);
}
