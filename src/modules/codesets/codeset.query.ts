import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type CodeSystem, looksLikeCode, normalizeCode } from "./codeset.codes.js";
import { CODESETS_DIR } from "./codeset.files.js";

/** Longest query accepted: a code description a coder pastes is well under it. */
export const MAX_QUERY_LENGTH = 200;
/** Words beyond this add nothing a coder needs and cost a scan each. */
const MAX_WORDS = 12;

/** Words that every description has or none needs: dropped so "fracture of femur" matches "Fracture of shaft of femur". */
const STOP_WORDS = new Set(["a", "an", "and", "by", "for", "in", "of", "on", "or", "the", "to"]);

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

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");

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
  word: string;
  /** The words of a shorthand's expansion; null for an ordinary word. */
  expansion: string[] | null;
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
  return { code, terms: terms.slice(0, MAX_WORDS) };
}

/**
 * The `to_tsquery` text for the terms: every term must match; an ordinary word as a prefix,
 * a shorthand as itself or its expansion. `corrections` replaces misspelled words. Terms hold
 * only [a-z0-9] (and shorthand keys, which are never emitted), so nothing typed reaches the
 * tsquery parser unescaped.
 */
export function toTsquery(
  terms: readonly QueryTerm[],
  corrections: ReadonlyMap<string, string> = new Map(),
): string | null {
  const parts = terms.map(({ word, expansion }) => {
    if (expansion) {
      const literal = /^[a-z0-9]+$/.test(word) ? `${word} | ` : "";
      return `(${literal}(${expansion.join(" & ")}))`;
    }
    return `${corrections.get(word) ?? word}:*`;
  });
  return parts.length > 0 ? parts.join(" & ") : null;
}

/** The query's one word (after correction) when it is a single ordinary word: the only kind of query that can be broad. */
export function singleWord(
  terms: readonly QueryTerm[],
  corrections: ReadonlyMap<string, string> = new Map(),
): string | null {
  const [only] = terms;
  return terms.length === 1 && !only!.expansion ? (corrections.get(only!.word) ?? only!.word) : null;
}

/** Words worth correcting when a search finds nothing: long enough to be a misspelling, not numbers or shorthand. */
export const correctableWords = (terms: readonly QueryTerm[]) =>
  terms.filter((t) => !t.expansion && t.word.length >= 4 && !/\d/.test(t.word)).map((t) => t.word);
