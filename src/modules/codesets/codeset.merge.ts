/**
 * How releases of a code system become rows with date ranges, in memory and without a database:
 * what an import's merge (codeset.import-store.ts) and the first start's reading of every shipped
 * release (codeset.history.ts, in a worker thread) share.
 */
import { copyText } from "../../db/bulk.js";
import { addDays } from "../../shared/calendar.js";
import { type CodeSystem, CPT_PLACEHOLDER } from "./codeset.codes.js";

export interface StagedCode {
  code: string;
  billable: boolean;
  short: string;
  long: string;
  /** Per-code dates where the source carries them (HCPCS added and termination dates). */
  from: string | null;
  to: string | null;
}

/** A staged code with its place in the release's hierarchy. */
interface PlacedCode extends StagedCode {
  parent: string | null;
  descendants: number;
}

/**
 * Each code's parent is its longest shorter code in the release (S72001A → S72001, T360X1A →
 * T360X1 → T360X), and each header counts the billable codes (not ended by the file) beneath it.
 * A code's shorter codes in the release are its chain of parents, so the counting walks the chain.
 */
function placeCodes(codes: readonly StagedCode[]): Map<string, PlacedCode> {
  const placed = new Map<string, PlacedCode>();
  for (const c of codes) {
    const { code, billable, short, long, from, to } = c;
    placed.set(code, { code, billable, short, long, from, to, parent: null, descendants: 0 });
  }
  const parents = new Map<PlacedCode, PlacedCode>();
  for (const code of placed.values()) {
    for (let length = code.code.length - 1; length > 0 && code.parent === null; length--) {
      const parent = placed.get(code.code.slice(0, length));
      if (!parent) continue;
      code.parent = parent.code;
      parents.set(code, parent);
    }
  }
  for (const code of placed.values()) {
    if (!code.billable || code.to !== null) continue;
    for (let ancestor = parents.get(code); ancestor; ancestor = parents.get(ancestor)) {
      if (!ancestor.billable) ancestor.descendants++;
    }
  }
  return placed;
}

export interface StoredCode {
  id: number;
  code: string;
  billable: boolean;
  short: string;
  long: string;
  parent: string | null;
  descendants: number;
  from: string;
  to: string | null;
}

/** The release says the same of the code as the stored row: text, billability, place in the hierarchy. */
const sameCode = (s: PlacedCode, m: StoredCode) =>
  s.billable === m.billable &&
  s.short === m.short &&
  s.long === m.long &&
  s.parent === m.parent &&
  s.descendants === m.descendants;

export const dayBefore = (date: string) => addDays(date, -1);

/** A code row as the merge writes it: what it says, the dates it is in force, and the release that said it. */
export interface CodeRow extends Omit<StoredCode, "id"> {
  releaseId: number;
}

/** What a release changes in a system's stored rows (see planMerge); `stored` rows' `to` are updated in place. */
interface MergePlan {
  deleted: StoredCode[];
  closed: StoredCode[];
  ended: StoredCode[];
  inserted: CodeRow[];
}

/**
 * How one release of a code system changes its rows, as date ranges. Codes that vanish or change
 * (text, billability, parent, billable codes beneath) close the day before the release starts, so
 * earlier dates of service keep what was true then; new and changed codes open on it. Unchanged
 * codes keep their row, so a release that changes nothing writes no code rows, and the next fiscal
 * year writes only what it changes. A release of the same date as the last (a corrected file, or
 * licensed CPT over the code numbers) replaces its rows.
 */
export function planMerge(
  stored: readonly StoredCode[],
  releaseId: number,
  effectiveFrom: string,
  codes: readonly StagedCode[],
): MergePlan {
  const staged = placeCodes(codes);
  const closing = dayBefore(effectiveFrom);
  const deleted: StoredCode[] = [];
  const closed: StoredCode[] = [];
  const ended: StoredCode[] = [];
  const known = new Set<string>();
  const unchanged = new Set<string>();
  // One pass over the stored rows (a system's history holds some 150,000).
  for (const row of stored) {
    const s = staged.get(row.code);
    const same = s !== undefined && sameCode(s, row);
    if (row.from === effectiveFrom && !(same && s.to === row.to)) {
      deleted.push(row);
      continue;
    }
    known.add(row.code);
    if (row.to === null) {
      if (!same) {
        if (row.from < effectiveFrom) {
          closed.push(row);
          row.to = closing;
        }
      } else if (s.to !== null && s.to >= row.from) {
        // Codes the release itself ends (HCPCS termination dates) close on that date.
        ended.push(row);
        row.to = s.to;
      }
    }
    if (same && s.to === row.to) unchanged.add(row.code);
  }
  const inserted: CodeRow[] = [];
  for (const s of staged.values()) {
    if (unchanged.has(s.code)) continue;
    const from = s.from ?? effectiveFrom;
    inserted.push({
      code: s.code,
      billable: s.billable,
      short: s.short,
      long: s.long,
      from: known.has(s.code) && from < effectiveFrom ? effectiveFrom : from,
      to: s.to,
      parent: s.parent,
      descendants: s.descendants,
      releaseId,
    });
  }
  return { deleted, closed, ended, inserted };
}

export const CODE_COLUMNS = [
  "system",
  "code",
  "billable",
  "short_description",
  "long_description",
  "effective_from",
  "effective_to",
  "parent_code",
  "billable_descendants",
  "release_id",
];

/** A code row as COPY reads it under CODE_COLUMNS (`releaseId` where the row's own stands for another). */
export const codeRecord = (system: CodeSystem, row: CodeRow, releaseId = row.releaseId) => ({
  system,
  code: row.code,
  billable: row.billable,
  short_description: row.short,
  long_description: row.long,
  effective_from: row.from,
  effective_to: row.to,
  parent_code: row.parent,
  billable_descendants: row.descendants,
  release_id: releaseId,
});

/** A system's rows and search words as COPY text (see CodeHistory.copyText); the COPY goes to the tables named. */
export interface HistoryText {
  rows: number;
  codes: string[];
  terms: string[];
}

export const TERM_COLUMNS = ["system", "term", "codes"];

/**
 * A code system's releases merged in memory, oldest first, before any row is written: the first
 * load of several releases writes each row once, in its final state, instead of writing a release
 * and then closing and replacing most of it with the next (CMS's FY2025 files reword most of the
 * FY2024 extract's descriptions). The same planMerge as mergeCodeRelease, so the rows are the same.
 * A release is merged under its place in the load (0, 1, …), which copyText turns into its id.
 */
export class CodeHistory {
  #rows: (StoredCode & { releaseId: number })[] = [];
  #nextId = 1;

  constructor(readonly system: CodeSystem) {}

  /** Like mergeCodeRelease: closed and ended rows get their last date in place, deleted ones go. */
  merge(release: number, effectiveFrom: string, codes: readonly StagedCode[]): void {
    const { deleted, inserted } = planMerge(this.#rows, release, effectiveFrom, codes);
    const gone = new Set(deleted);
    const rows = gone.size > 0 ? this.#rows.filter((row) => !gone.has(row)) : this.#rows;
    for (const row of inserted) {
      const { code, billable, short, long, from, to, parent, descendants, releaseId } = row;
      rows.push({ id: this.#nextId++, code, billable, short, long, from, to, parent, descendants, releaseId });
    }
    this.#rows = rows;
  }

  /** Every code and header in force on a date, as a release file would list them (what addenda apply to). */
  inForce(date: string): StagedCode[] {
    return this.#rows
      .filter((row) => row.from <= date && (row.to === null || row.to >= date))
      .map(({ code, billable, short, long }) => ({ code, billable, short, long, from: null, to: null }));
  }

  /** How many rows (code versions) the system has. */
  get size(): number {
    return this.#rows.length;
  }

  /**
   * The rows as COPY text, `releaseIds[i]` the id of the release merged as i, and the search words
   * they use, counted as rebuildSearchTerms counts them in SQL (lower case, split at anything but
   * a-z and 0-9, three letters or more, codes per word), which on the first start took as long as
   * writing the codes.
   */
  copyText(releaseIds: readonly number[]): HistoryText {
    const rows = this.#rows.map((row) => codeRecord(this.system, row, releaseIds[row.releaseId]!));
    const counts = new Map<string, number>();
    for (const row of this.#rows) {
      if (row.long === CPT_PLACEHOLDER) continue;
      const words = new Set(`${row.long} ${row.short}`.toLowerCase().split(/[^a-z0-9]+/));
      for (const word of words) if (word.length >= 3) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    const terms = [...counts].map(([term, codes]) => ({ system: this.system, term, codes }));
    return { rows: rows.length, codes: copyText(CODE_COLUMNS, rows), terms: copyText(TERM_COLUMNS, terms) };
  }
}
