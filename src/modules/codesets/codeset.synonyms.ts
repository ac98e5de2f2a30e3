import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CodeSystem } from "./codeset.codes.js";
import { CODESETS_DIR } from "./codeset.files.js";

/** Lay phrases are matched up to this many words long ("ringing in the ears" reads as "ringing ears"). */
export const MAX_LAY_WORDS = 4;

/** Words every description has or none needs: dropped, so "fracture of femur" matches "Fracture of shaft of femur". */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  "a",
  "an",
  "and",
  "by",
  "for",
  "in",
  "of",
  "on",
  "or",
  "the",
  "to",
]);

/** Rows of a shipped tab-separated data file: the header and `#` comment lines left out. */
function dataRows(file: string): string[][] {
  const [, ...rows] = readFileSync(join(CODESETS_DIR, file), "utf8").split("\n");
  return rows.filter((row) => row.includes("\t") && !row.startsWith("#")).map((row) => row.split("\t"));
}

/** Lower-case words of [a-z0-9] only: the form query words, tsvector words and data-file keys share. */
export const plainWords = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");

/**
 * Lay terms and the ICD wording they mean, from `data/codesets/synonyms.tsv`, keyed by the term's
 * words with filler words dropped, as a query's are ("ringing in ears" → "ringing ears"). Several
 * rows of one term are alternatives ("arm": "upper limb" or "upper extremity").
 */
function readSynonyms(): Map<string, string[][]> {
  const synonyms = new Map<string, string[][]>();
  for (const [term, wording] of dataRows("synonyms.tsv")) {
    if (plainWords(wording!).length === 0) continue;
    const key = plainWords(term!)
      .filter((w) => !STOP_WORDS.has(w))
      .join(" ");
    synonyms.set(key, [...(synonyms.get(key) ?? []), plainWords(wording!)]);
  }
  return synonyms;
}

let synonyms: Map<string, string[][]> | undefined;
/** The ICD wordings of a lay term (its words joined by a space), or undefined for a term the list lacks. */
export function layWordings(key: string): string[][] | undefined {
  synonyms ??= readSynonyms();
  return synonyms.get(key);
}

/**
 * The code a query means by default, from `data/codesets/preferred-codes.tsv`: a single clinical
 * word means the code the ICD-10-CM index gives that word without modifiers ("asthma" is J45.909),
 * which search then offers first. Keyed by system and the query's words.
 */
function readPreferredCodes(): Map<string, string> {
  return new Map(
    dataRows("preferred-codes.tsv").map(([query, system, code]) => [
      `${system!.trim()} ${plainWords(query!).join(" ")}`,
      code!.trim().replace(".", ""),
    ]),
  );
}

let preferredCodes: Map<string, string> | undefined;
/** The stored-form code the query's words mean by default in the system; null when the table names none. */
export function preferredCode(system: CodeSystem, queryWords: readonly string[]): string | null {
  preferredCodes ??= readPreferredCodes();
  return preferredCodes.get(`${system} ${queryWords.join(" ")}`) ?? null;
}
