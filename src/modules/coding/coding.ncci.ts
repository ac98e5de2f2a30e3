import type { MueLimitRow, PtpPair } from "../codesets/codeset.store.js";
import type { CodeEdit, ProcedureEntry } from "./coding.edits.js";

/** A CPT or HCPCS line as the NCCI edits see it: its place in the input and its date of service. */
export interface NcciLine {
  index: number;
  line: ProcedureEntry;
  date: string;
}

/**
 * NCCI-associated modifiers: on either line of an indicator-1 pair they say the two services were
 * distinct (another site, session or side), so both are paid. 25 and 57 count on an E/M code only.
 */
const BYPASS_MODIFIERS = new Set([
  ...["59", "XE", "XS", "XP", "XU"],
  ...["E1", "E2", "E3", "E4", "FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"],
  ...["TA", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "LT", "RT", "LC", "LD", "RC", "LM", "RI"],
  ...["24", "25", "57", "58", "78", "79", "27", "91"],
]);
const EM_ONLY = new Set(["25", "57"]);

const isEvaluationAndManagement = (code: string) => /^99\d{3}$/.test(code) && code >= "99202" && code <= "99499";

const bypasses = ({ line }: NcciLine) =>
  line.modifiers.some((m) => BYPASS_MODIFIERS.has(m) && (!EM_ONLY.has(m) || isEvaluationAndManagement(line.code)));

/**
 * Procedure-to-procedure conflicts: each pair of lines on one date whose codes form an active
 * pair, unless the indicator is 1 and a bypass modifier is on either line. The edit sits on the
 * column 2 line, the one CMS denies.
 */
export function ptpConflicts(lines: readonly NcciLine[], pairs: readonly PtpPair[]): CodeEdit[] {
  const byCodes = new Map(pairs.map((pair) => [`${pair.column1} ${pair.column2}`, pair]));
  const reported = new Set<string>();
  const edits: CodeEdit[] = [];
  for (const a of lines) {
    for (const b of lines) {
      const pair = byCodes.get(`${a.line.code} ${b.line.code}`);
      const both = [a.index, b.index].sort().join(" ");
      if (!pair || a.date !== b.date || (pair.deletionDate !== null && pair.deletionDate < a.date) || reported.has(both)) continue;
      if (pair.modifierIndicator === 1 && (bypasses(a) || bypasses(b))) continue;
      reported.add(both);
      edits.push({ code: "NCCI_PTP_CONFLICT", severity: "ERROR", message: ptpMessage(pair), field: ["procedures", `${b.index}`, "code"] });
    }
  }
  return edits;
}

function ptpMessage({ column1, column2, modifierIndicator, rationale }: PtpPair): string {
  if (modifierIndicator === 0) {
    return `${column2} is never reported with ${column1} on the same date of service, whatever the modifiers (NCCI: ${rationale}); report only one of them.`;
  }
  const bypass = isEvaluationAndManagement(column2)
    ? `Add 25 to ${column2} if it was a significant, separately identifiable visit`
    : `Add 59 or an X{EPSU} modifier to ${column2} if it was a separate site or session (or an anatomic modifier such as RT or LT)`;
  return `${column2} is bundled into ${column1} on the same date of service (NCCI: ${rationale}). ${bypass}.`;
}

/**
 * Medically unlikely edits: indicator 1 limits the units on one line; 2 (policy) and 3 (clinical)
 * limit a code's units on one date across lines, reported on the line that passes the limit.
 */
export function mueExceeded(lines: readonly NcciLine[], limits: readonly MueLimitRow[]): CodeEdit[] {
  const limitOf = new Map(limits.map((limit) => [limit.code, limit]));
  const totals = new Map<string, number>();
  const edits: CodeEdit[] = [];
  for (const { index, line, date } of lines) {
    const limit = limitOf.get(line.code);
    if (!limit) continue;
    const field = ["procedures", `${index}`, "units"];
    const source = `MUE, ${limit.rationale}`;
    if (limit.adjudicationIndicator === 1) {
      if (line.units > limit.units) {
        edits.push({ code: "MUE_EXCEEDED", severity: "ERROR", field, message: `${line.code} allows at most ${limit.units} units on one line (${source}); this line has ${line.units}.` });
      }
      continue;
    }
    const day = `${line.code} ${date}`;
    const before = totals.get(day) ?? 0;
    totals.set(day, before + line.units);
    if (before > limit.units || before + line.units <= limit.units) continue;
    const reported = `${line.code} is reported ${before + line.units} units on ${date}`;
    edits.push(
      limit.adjudicationIndicator === 2
        ? { code: "MUE_EXCEEDED", severity: "ERROR", field, message: `${reported}; CMS allows at most ${limit.units} a day (${source}), a policy limit an appeal does not lift.` }
        : { code: "MUE_EXCEEDED", severity: "WARNING", field, message: `${reported}; CMS pays at most ${limit.units} a day without review (${source}): more may be paid on appeal with documentation of medical necessity.` },
    );
  }
  return edits;
}
