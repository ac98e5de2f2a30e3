import { readFile } from "node:fs/promises";
import { type CodeSystem, displayCode } from "./codeset.codes.js";
import type { StagedCode } from "./codeset.merge.js";
import { fileError, fiscalYearStart } from "./codeset.readers.js";

type Action = "Add" | "Delete" | "Revise from" | "Revise to";

interface AddendaLine {
  line: number;
  action: Action;
  code: string;
  billable: boolean;
  short: string;
  long: string;
}

/** What the addenda's footer says: the order files it leads from and to, and their header and code counts. */
interface AddendaTotals {
  fromFile: string;
  toFile: string;
  headers: { from: number; to: number };
  codes: { from: number; to: number };
}

export interface OrderAddenda {
  system: CodeSystem;
  /** The fiscal year the addenda make (FY2027) and the one they apply to (FY2026). */
  label: string;
  baseLabel: string;
  effectiveFrom: string;
  baseEffectiveFrom: string;
  lines: AddendaLine[];
  totals: AddendaTotals;
}

/**
 * An ICD-10-CM order addenda line: the action padded to 13 columns, the header flag (0 header,
 * 1 valid code), the code (7 wide), the short title (columns 24–83) and the long title (from 85).
 */
const LINE = /^(Add|Delete|Revise from|Revise to): *([01]) ([0-9A-Z]{3,7}) *(.*)$/;
const FOOTER = /^ *(\d+) (headers|codes) in (icd10(?:cm|pcs)_order_(\d{4})\.txt)$/;

/**
 * Reads a CMS order addenda file (icd10cm_order_addenda_2027.txt): the lines that turn one fiscal
 * year's order file into the next, and the counts its footer states, which `applyAddenda` checks.
 */
export async function readAddenda(file: string): Promise<OrderAddenda> {
  const text = await readFile(file, "latin1");
  const lines: AddendaLine[] = [];
  const counts = new Map<string, number>();
  let inFooter = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trimEnd();
    const entry = LINE.exec(line);
    if (entry && !inFooter) {
      const short = line.slice(23, 83).trim();
      lines.push({
        line: index + 1,
        action: entry[1] as Action,
        billable: entry[2] === "1",
        code: entry[3]!,
        short,
        long: line.slice(84).trim() || short,
      });
      return;
    }
    if (
      line === "" ||
      /^(Headers|Codes|of which)$/.test(line.trim()) ||
      /^ *\d+ (additions|deletions|revisions)/.test(line)
    ) {
      inFooter ||= line !== "";
      return;
    }
    const footer = FOOTER.exec(line);
    if (!footer) throw fileError(file, "not a line of a CMS order addenda file", index + 1);
    inFooter = true;
    counts.set(`${footer[2]} ${footer[4]}`, Number(footer[1]));
  });
  const years = [...new Set([...counts.keys()].map((key) => Number(key.split(" ")[1])))].sort();
  const [fromYear, toYear] = years;
  const count = (kind: string, year: number | undefined) => counts.get(`${kind} ${year}`);
  if (years.length !== 2 || fromYear! + 1 !== toYear || [...counts.keys()].length !== 4) {
    throw fileError(file, "its footer does not state the header and code counts of two consecutive order files");
  }
  const system: CodeSystem = /icd10pcs/.test(text) ? "ICD10PCS" : "ICD10CM";
  const prefix = system === "ICD10CM" ? "icd10cm" : "icd10pcs";
  return {
    system,
    label: `FY${toYear}`,
    baseLabel: `FY${fromYear}`,
    effectiveFrom: fiscalYearStart(toYear!),
    baseEffectiveFrom: fiscalYearStart(fromYear!),
    lines,
    totals: {
      fromFile: `${prefix}_order_${fromYear}.txt`,
      toFile: `${prefix}_order_${toYear}.txt`,
      headers: { from: count("headers", fromYear)!, to: count("headers", toYear)! },
      codes: { from: count("codes", fromYear)!, to: count("codes", toYear)! },
    },
  };
}

const tally = (codes: Iterable<StagedCode>) => {
  let headers = 0;
  let billable = 0;
  for (const code of codes) code.billable ? billable++ : headers++;
  return { headers, codes: billable };
};

/**
 * The next release: `base` (the release the addenda apply to) with the addenda's Deletes removed,
 * Adds added and Revise-to titles applied, in file order, so a Delete and an Add of the same code
 * change its header flag. Refused, naming the line, where a line does not fit the base (a Delete
 * or Revise of a code it lacks, an Add of one it has), and where the counts before or after differ
 * from the footer's.
 */
export function applyAddenda(file: string, addenda: OrderAddenda, base: readonly StagedCode[]): StagedCode[] {
  const { totals } = addenda;
  const before = tally(base);
  if (before.headers !== totals.headers.from || before.codes !== totals.codes.from) {
    throw fileError(
      file,
      `applies to ${totals.fromFile} (${totals.codes.from} codes, ${totals.headers.from} headers), but the ` +
        `${addenda.system} release in force before ${addenda.effectiveFrom} has ${before.codes} codes and ` +
        `${before.headers} headers`,
    );
  }
  const codes = new Map(base.map((code) => [code.code, { ...code }]));
  const shown = (code: string) => displayCode(addenda.system, code);
  for (const entry of addenda.lines) {
    const current = codes.get(entry.code);
    if (entry.action === "Add") {
      if (current) throw fileError(file, `adds ${shown(entry.code)}, which ${totals.fromFile} already has`, entry.line);
      codes.set(entry.code, {
        code: entry.code,
        billable: entry.billable,
        short: entry.short,
        long: entry.long,
        from: null,
        to: null,
      });
      continue;
    }
    if (!current || current.billable !== entry.billable) {
      const what = entry.billable ? "code" : "header";
      throw fileError(
        file,
        `${entry.action.toLowerCase()}s ${what} ${shown(entry.code)}, which is not in the release`,
        entry.line,
      );
    }
    if (entry.action === "Delete") codes.delete(entry.code);
    if (entry.action === "Revise to") Object.assign(current, { short: entry.short, long: entry.long });
  }
  const after = tally(codes.values());
  if (after.headers !== totals.headers.to || after.codes !== totals.codes.to) {
    throw fileError(
      file,
      `applied, it gives ${after.codes} codes and ${after.headers} headers, where its footer states ` +
        `${totals.codes.to} and ${totals.headers.to} for ${totals.toFile}`,
    );
  }
  return [...codes.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
