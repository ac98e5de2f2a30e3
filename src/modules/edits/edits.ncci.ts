import type { AddOnCodeRow, MueLimitRow, PtpPair } from "../codesets/index.js";
import type { CodeEdit, ProcedureEntry } from "./edits.codes.js";

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
 * Procedure-to-procedure conflicts: each pair of lines on one date whose codes form a pair in force
 * on that date, unless the indicator is 1 and a bypass modifier is on either line. The edit sits on
 * the column 2 line, the one CMS denies.
 */
export function ptpConflicts(lines: readonly NcciLine[], pairs: readonly PtpPair[]): CodeEdit[] {
  // The rows of each pair by column 1, then column 2: the hundred ordered pairs of ten lines are looked up without
  // building a key each, and a line whose code is no pair's column 1 is passed over at once.
  const rowsOf = new Map<string, Map<string, PtpPair[]>>();
  for (const pair of pairs) {
    let column2s = rowsOf.get(pair.column1);
    if (!column2s) {
      column2s = new Map();
      rowsOf.set(pair.column1, column2s);
    }
    const rows = column2s.get(pair.column2);
    if (rows) rows.push(pair);
    else column2s.set(pair.column2, [pair]);
  }
  const reported = new Set<string>();
  const edits: CodeEdit[] = [];
  for (const a of lines) {
    const column2s = rowsOf.get(a.line.code);
    if (!column2s) continue;
    for (const b of lines) {
      const rows = a.date === b.date ? column2s.get(b.line.code) : undefined;
      const pair = rows && rowInForce(rows, a.date);
      if (!pair || pair.modifierIndicator === 9) continue;
      const both = a.index < b.index ? `${a.index} ${b.index}` : `${b.index} ${a.index}`;
      if (reported.has(both)) continue;
      if (pair.modifierIndicator === 1 && (bypasses(a) || bypasses(b))) continue;
      reported.add(both);
      edits.push({
        code: "NCCI_PTP_CONFLICT",
        severity: "ERROR",
        message: ptpMessage(pair),
        field: ["procedures", `${b.index}`, "code"],
      });
    }
  }
  return edits;
}

/** The last date a pair's row applies, a date far ahead while it is active. */
const lastDayOf = (row: PtpPair) => row.deletionDate ?? "9999-12-31";

/**
 * The row of a pair in force on a date. The shipped tables carry no effective dates, but the rows of
 * one pair follow one another: each starts the day after the one before it was deleted. So the row
 * in force is the first not yet deleted on the date (a deletion date is the last day it applies);
 * ISO dates compare as strings.
 */
function rowInForce(rows: readonly PtpPair[], date: string): PtpPair | undefined {
  let found: PtpPair | undefined;
  for (const row of rows) {
    if (lastDayOf(row) >= date && (!found || lastDayOf(row) < lastDayOf(found))) found = row;
  }
  return found;
}

function ptpMessage({ column1, column2, modifierIndicator, rationale }: PtpPair): string {
  if (modifierIndicator === 0) {
    return (
      `${column2} is never reported with ${column1} on the same date of service, whatever the modifiers ` +
      `(NCCI: ${rationale}); report only one of them.`
    );
  }
  const bypass = isEvaluationAndManagement(column2)
    ? `Add 25 to ${column2} if it was a significant, separately identifiable visit`
    : `Add 59 or an X{EPSU} modifier to ${column2} if it was a separate site or session ` +
      "(or an anatomic modifier such as RT or LT)";
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
        edits.push({
          code: "MUE_EXCEEDED",
          severity: "ERROR",
          field,
          message:
            `${line.code} allows at most ${limit.units} units on one line (${source}); ` +
            `this line has ${line.units}.`,
        });
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
        ? {
            code: "MUE_EXCEEDED",
            severity: "ERROR",
            field,
            message:
              `${reported}; CMS allows at most ${limit.units} a day (${source}), ` +
              "a policy limit an appeal does not lift.",
          }
        : {
            code: "MUE_EXCEEDED",
            severity: "WARNING",
            field,
            message:
              `${reported}; CMS pays at most ${limit.units} a day without review (${source}): ` +
              "more may be paid on appeal with documentation of medical necessity.",
          },
    );
  }
  return edits;
}

/**
 * Critical care, each additional 30 minutes: CMS's one add-on code a practitioner may report without its
 * primary (99291), when a colleague of the group reported that.
 */
const ALONE_IN_A_GROUP = "99292";

/**
 * Add-on codes without a primary code on their date. Type 1: CMS pays the add-on code only with one
 * of the primary codes it lists. Type 3: CMS lists some primaries and a payer may accept others, so a
 * warning. Type 2 (CMS lists none; each payer keeps its own) is left to the payer.
 */
export function addOnWithoutPrimary(lines: readonly NcciLine[], addOns: readonly AddOnCodeRow[]): CodeEdit[] {
  const addOnOf = new Map(addOns.map((addOn) => [addOn.addOnCode, addOn]));
  const codesOn = new Map<string, Set<string>>();
  for (const { line, date } of lines) codesOn.set(date, (codesOn.get(date) ?? new Set()).add(line.code));
  return lines.flatMap(({ index, line, date }): CodeEdit[] => {
    const addOn = addOnOf.get(line.code);
    if (
      !addOn ||
      addOn.editType === 2 ||
      addOn.primaryCodes.length === 0 ||
      addOn.primaryCodes.some((code) => codesOn.get(date)!.has(code))
    )
      return [];
    const field = ["procedures", `${index}`, "code"];
    const more = addOn.primaryCodes.length - 3;
    const primaries = `${addOn.primaryCodes.slice(0, 3).join(", ")}${more > 0 ? ` or one of ${more} more` : ""}`;
    const message = `${line.code} is an add-on code and no line on ${date} has one of its primary codes (${primaries})`;
    if (addOn.editType === 3) {
      return [
        {
          code: "ADD_ON_WITHOUT_PRIMARY",
          severity: "WARNING",
          field,
          message:
            `${message}; CMS lists only some of them (add-on type 3): ` +
            "check that the payer accepts the primary reported.",
        },
      ];
    }
    if (line.code === ALONE_IN_A_GROUP) {
      return [
        {
          code: "ADD_ON_WITHOUT_PRIMARY",
          severity: "WARNING",
          field,
          message:
            `${message}; report it alone only when another practitioner of the same specialty in the group ` +
            `reported ${addOn.primaryCodes[0]} that day.`,
        },
      ];
    }
    return [
      {
        code: "ADD_ON_WITHOUT_PRIMARY",
        severity: "ERROR",
        field,
        message:
          `${message}: CMS pays it only with one of them (add-on type 1). ` +
          "Add the primary procedure or remove the add-on.",
      },
    ];
  });
}
