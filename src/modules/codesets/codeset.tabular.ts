import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { SaxesParser } from "saxes";
import { normalizeCode } from "./codeset.codes.js";
import { fileError, fiscalYearStart } from "./codeset.readers.js";

/*
 * The CMS ICD-10-CM tabular list (icd10cm_tabular_YYYY.xml, "Code Tables, Tabular and Index" zip):
 * chapters hold sections, sections hold categories (<diag>), and a <diag> holds the codes beneath it.
 * Each may carry instructional notes, one <note> per item:
 *
 *   <diag><name>E11</name><desc>Type 2 diabetes mellitus</desc>
 *     <useAdditionalCode><note>code to identify control using:</note><note>insulin (Z79.4)</note>…
 *     <excludes1><note>type 1 diabetes mellitus (E10.-)</note>…
 *
 * A note at a code applies to every code beneath it; at a section or chapter, to its range of categories.
 */

export type CodeNoteKind = "EXCLUDES1" | "EXCLUDES2" | "CODE_FIRST" | "USE_ADDITIONAL_CODE" | "CODE_ALSO";

/** The tabular's note elements that Chartroom keeps (inclusion terms and "includes" only describe the code). */
const NOTE_ELEMENTS: Readonly<Record<string, CodeNoteKind>> = {
  excludes1: "EXCLUDES1",
  excludes2: "EXCLUDES2",
  codeFirst: "CODE_FIRST",
  useAdditionalCode: "USE_ADDITIONAL_CODE",
  codeAlso: "CODE_ALSO",
};

export interface TabularNote {
  /** A code without its dot (E11), or a range of categories (G60-G65). */
  scope: string;
  kind: CodeNoteKind;
  /** 1-based, among the notes of this kind at this scope. */
  position: number;
  text: string;
  /** The codes the note names (see `refsIn`). */
  refs: string[];
}

export interface TabularFile {
  label: string;
  effectiveFrom: string;
  notes: TabularNote[];
}

const TABULAR_NAME = /^icd10cm[_-]tabular[_-](\d{4})\.xml$/i;
const ROOT = "ICD10CM.tabular";

/** A code as the tabular writes it in a note (E10, E11.9, O24.4): the scope's form once the dot is gone. */
const CODE = String.raw`[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?`;
/**
 * One reference in a note's parentheses: a code, a code with a dash for "and the codes beneath it"
 * (E10.-, O24.4-), or a range (N18.1-N18.6, E08-E13), maybe followed by a qualifier ("with .42",
 * "with fifth character 1"). The dash after the first code is a range's only when a code follows it.
 */
const REFERENCE = new RegExp(
  String.raw`(${CODE})(?:\.?-(?![A-TV-Z]\d))?(?:\s*-\s*(${CODE})(?:\.?-)?)?(\s+with\s+[^,;)]*)?`,
  "g",
);

/**
 * The codes a note names, from its parentheses ("type 1 diabetes mellitus (E10.-)" → E10): a code
 * or the prefix of the codes beneath it, or a range "from-to". "E08-E13 with .42" names E08.42 …
 * E13.42; any other qualifier ("with fifth character 1") is not read, and the reference is left out
 * rather than read wider than CMS meant.
 */
export function refsIn(text: string): string[] {
  const refs: string[] = [];
  for (const [, inside] of text.matchAll(/\(([^()]*)\)/g)) {
    for (const [, from, to, qualifier] of inside!.matchAll(REFERENCE)) {
      const first = normalizeCode(from!);
      const last = to ? normalizeCode(to) : null;
      if (!qualifier) {
        refs.push(last ? `${first}-${last}` : first);
        continue;
      }
      const subcode = /^\s+with\s+\.(\d{1,4})\s*$/.exec(qualifier)?.[1];
      if (subcode) refs.push(...categoriesBetween(first, last ?? first).map((category) => category + subcode));
    }
  }
  return [...new Set(refs)];
}

/** The categories from one to another of the same letter: E08 … E13 (a number that is no category matches nothing). */
function categoriesBetween(from: string, to: string): string[] {
  const number = /^[A-Z](\d\d)$/;
  if (from[0] !== to[0] || !number.test(from) || !number.test(to)) return [];
  const out: string[] = [];
  for (let n = Number(from.slice(1)); n <= Number(to.slice(1)); n++)
    out.push(`${from[0]}${String(n).padStart(2, "0")}`);
  return out;
}

/**
 * Whether a note's scope or reference covers a code (both without dots): a code covers itself and
 * the codes beneath it (E11 covers E119); a range covers the codes whose leading characters fall in
 * it (G60-G65 covers G63, N181-N186 covers N1830).
 */
export function covers(ref: string, code: string): boolean {
  const dash = ref.indexOf("-");
  if (dash < 0) return code.startsWith(ref);
  const from = ref.slice(0, dash);
  const to = ref.slice(dash + 1);
  return code.slice(0, from.length) >= from && code.slice(0, to.length) <= to;
}

/** Where the parser is: a chapter, section or code, and the scope its notes apply to once known. */
interface Entry {
  element: "chapter" | "section" | "diag";
  scope: string | null;
  /** How many notes of each kind this entry has had. */
  counts: Map<CodeNoteKind, number>;
}

const CHAPTER_RANGE = /\(([A-Z]\d[0-9A-Z])-([A-Z]\d[0-9A-Z])\)\s*$/;

/**
 * Reads a CMS ICD-10-CM tabular XML file as a stream (the full list is about 30 MB): its fiscal year
 * (the <version> element, else the file name) and its Excludes1, Excludes2, Code first, Use additional
 * code and Code also notes. Refused, naming the file and line: XML that does not parse, another root
 * element, a note outside any code, or no year.
 */
export async function readTabular(file: string): Promise<TabularFile> {
  const parser = new SaxesParser({ position: true });
  const open: string[] = [];
  const entries: Entry[] = [];
  const notes: TabularNote[] = [];
  let text = "";
  let version: string | null = null;
  let failure: Error | null = null;
  const refuse = (message: string) => {
    failure ??= fileError(file, message, parser.line);
  };

  parser.on("error", (error) => refuse(`not well-formed XML: ${error.message.replace(/^(?:.*?:)?\d+:\d+: /, "")}`));
  parser.on("opentag", (tag) => {
    if (open.length === 0 && tag.name !== ROOT)
      refuse(`has root element <${tag.name}>, not <${ROOT}>: not the tabular list`);
    if (tag.name === "chapter" || tag.name === "section" || tag.name === "diag") {
      const id = tag.name === "section" ? String(tag.attributes["id"] ?? "") : "";
      entries.push({ element: tag.name, scope: id ? sectionScope(id) : null, counts: new Map() });
    }
    open.push(tag.name);
    text = "";
  });
  parser.on("text", (chunk) => {
    text += chunk;
  });
  parser.on("closetag", (tag) => {
    open.pop();
    const parent = open.at(-1) ?? "";
    const entry = entries.at(-1);
    const content = text.replace(/\s+/g, " ").trim();
    text = "";
    if (tag.name === "version" && parent === ROOT) version = content;
    else if (tag.name === "name" && parent === "diag" && entry) entry.scope = normalizeCode(content);
    else if (tag.name === "desc" && parent === "chapter" && entry) {
      const range = CHAPTER_RANGE.exec(content);
      entry.scope = range ? `${range[1]}-${range[2]}` : null;
    } else if (tag.name === "note" && NOTE_ELEMENTS[parent] && content !== "") {
      // Only a note directly under a chapter's, section's or code's note element: not one in <sevenChrNote>.
      const kind = NOTE_ELEMENTS[parent]!;
      if (!entry?.scope || open.at(-2) !== entry.element) {
        refuse(`a ${parent} note outside any code, section or chapter`);
        return;
      }
      const position = (entry.counts.get(kind) ?? 0) + 1;
      entry.counts.set(kind, position);
      notes.push({ scope: entry.scope, kind, position, text: content, refs: refsIn(content) });
    } else if (tag.name === "chapter" || tag.name === "section" || tag.name === "diag") entries.pop();
  });

  try {
    for await (const chunk of createReadStream(file, { encoding: "utf8" })) {
      parser.write(chunk as string);
      if (failure) break;
    }
    if (!failure) parser.close();
  } catch (error) {
    refuse((error as Error).message);
  }
  if (failure) throw failure;

  const named = TABULAR_NAME.exec(basename(file))?.[1] ?? null;
  const year = version ?? named;
  if (!year || !/^\d{4}$/.test(year))
    throw fileError(file, "states no fiscal year (no <version>, and the name is not icd10cm_tabular_YYYY.xml)");
  if (named && version && named !== version)
    throw fileError(file, `is named for ${named} but its <version> is ${version}`);
  if (notes.length === 0)
    throw fileError(file, "holds no Excludes, Code first, Use additional code or Code also notes");
  return { label: `FY${year}`, effectiveFrom: fiscalYearStart(Number(year)), notes };
}

/** A section's id as a scope: E08-E13, or B10 for a section of one category. */
const sectionScope = (id: string) =>
  id
    .split("-")
    .map((part) => normalizeCode(part))
    .join("-");
