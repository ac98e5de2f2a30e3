import type { Database } from "../../db/client.js";
import { addDays } from "../../shared/calendar.js";
import { type CodeSystem, displayCode, hasShape, normalizeCode } from "./codeset.codes.js";
import {
  billableDescendantsInForce,
  type CodeInForceRow,
  type CodeOnDate,
  codesInForce,
  codesInForceOn,
  codeVersions,
  type DiagnosisEditRow,
  type MedicalCodeRow,
} from "./codeset.store.js";

/** Stable codes of what can be wrong with a code on a claim line; later edits switch on them. */
export type CodeProblemCode =
  | "MALFORMED_CODE"
  | "UNKNOWN_CODE"
  | "NOT_IN_FORCE"
  | "NOT_BILLABLE"
  | "SEX_CONFLICT"
  | "AGE_CONFLICT"
  | "MANIFESTATION_AS_PRINCIPAL";

export interface CodeProblem {
  code: CodeProblemCode;
  message: string;
}

/** The patient facts the Medicare Code Editor's limits depend on. */
export interface PatientFacts {
  /** Administrative sex: F, M or U (unknown, which conflicts with nothing). */
  sex: "F" | "M" | "U";
  birthDate: string;
}

export interface CodeCheckInput {
  system: CodeSystem;
  code: string;
  dateOfService: string;
  patient?: PatientFacts | undefined;
  /** True for the first-listed (principal) diagnosis, which a manifestation code may not be. */
  principal?: boolean | undefined;
}

export interface CodeCheck {
  /** The code in stored form (upper case, no dot). */
  code: string;
  /** The code as in force on the date of service; null when it is not. */
  found: MedicalCodeRow | null;
  problems: CodeProblem[];
  /** Codes the coder may have meant: billable codes beneath a header, or real codes one typo away. */
  suggestions: MedicalCodeRow[];
}

const SUGGESTIONS = 10;

/**
 * Whether a code may be reported for this date of service and patient, and if not, why and
 * what the coder may have meant. The one place claim lines, coding edits and the UI ask.
 */
export async function checkCode(db: Database, input: CodeCheckInput): Promise<CodeCheck> {
  const [check] = await checkCodes(db, [input]);
  return check!;
}

/** A code as typed, in stored form, and whether it was written as a code at all. */
interface Typed {
  input: CodeCheckInput;
  code: string;
  malformed: boolean;
}

/**
 * `checkCode` for many codes at once, in input order. The common case (a billable code in force)
 * costs one query for all codes, whatever their systems and dates, with their Code Editor limits;
 * only a code with a problem pays for the slower look-ups that explain it.
 */
export async function checkCodes(db: Database, inputs: readonly CodeCheckInput[]): Promise<CodeCheck[]> {
  const keys = codeCheckKeys(inputs);
  return checkCodesIn(db, inputs, keys.length > 0 ? await codesInForceOn(db, keys) : []);
}

/** The inputs as Typed. */
const typedCodes = (inputs: readonly CodeCheckInput[]) =>
  inputs.map((input): Typed => {
    const normalized = normalizeCode(input.code);
    const code = normalized.replace(/[^A-Z0-9]/g, "");
    return { input, code, malformed: code !== normalized || code === "" };
  });

const inForceKey = (system: CodeSystem, code: string, dateOfService: string) => `${system} ${code} ${dateOfService}`;

/**
 * The codes checkCodes reads as in force (malformed ones as their letters and digits), once each: a caller
 * that reads them with other tables (codesInForceOn's rows, in editTablesOf) hands the rows to checkCodesIn.
 */
export function codeCheckKeys(inputs: readonly CodeCheckInput[]): CodeOnDate[] {
  const keys = new Map<string, CodeOnDate>();
  for (const { input, code } of typedCodes(inputs)) {
    if (code !== "") {
      keys.set(inForceKey(input.system, code, input.dateOfService), {
        system: input.system,
        code,
        dateOfService: input.dateOfService,
      });
    }
  }
  return [...keys.values()];
}

/** checkCodes, given the rows in force of the codes codeCheckKeys names. */
export function checkCodesIn(
  db: Database,
  inputs: readonly CodeCheckInput[],
  rows: readonly CodeInForceRow[],
): Promise<CodeCheck[]> {
  const found = new Map(
    rows.map(({ dateOfService, limits, ...row }) => [inForceKey(row.system, row.code, dateOfService), { row, limits }]),
  );
  return Promise.all(
    typedCodes(inputs).map((t) => {
      const hit = found.get(inForceKey(t.input.system, t.code, t.input.dateOfService));
      return checkOne(db, t, hit?.row, hit?.limits ?? undefined);
    }),
  );
}

/** One code's check, given its row in force (if any) and its Code Editor limits (if any). */
async function checkOne(
  db: Database,
  { input, code, malformed }: Typed,
  found: MedicalCodeRow | undefined,
  edit: DiagnosisEditRow | undefined,
): Promise<CodeCheck> {
  const { system, dateOfService } = input;
  if (malformed) {
    const meant = found ? [found] : code === "" ? [] : await nearestCodes(db, system, code, dateOfService);
    const hint =
      meant.length > 0
        ? `: did you mean ${meant
            .slice(0, 3)
            .map((c) => displayCode(system, c.code))
            .join(", ")}?`
        : ".";
    return {
      code,
      found: null,
      suggestions: meant,
      problems: [
        { code: "MALFORMED_CODE", message: `"${input.code.slice(0, 20)}" is not written as a ${system} code${hint}` },
      ],
    };
  }
  const shown = displayCode(system, code);
  if (!found) return notFound(db, input, code, shown);

  const problems: CodeProblem[] = [];
  let suggestions: MedicalCodeRow[] = [];
  if (!found.billable) {
    suggestions = await billableDescendantsInForce(db, system, code, dateOfService, SUGGESTIONS);
    const count = found.billableDescendants;
    problems.push({
      code: "NOT_BILLABLE",
      message: `${shown} is a category header; choose one of the ${count} billable codes beneath it.`,
    });
  }
  if (edit) problems.push(...editProblems(edit, shown, input));
  return { code, found, problems, suggestions };
}

/** The dates a code was in force, oldest first: versions that follow one another (a new text) read as one span. */
function spans(versions: readonly { effectiveFrom: string; effectiveTo: string | null }[]): [string, string | null][] {
  const sorted = [...versions].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  const result: [string, string | null][] = [];
  for (const { effectiveFrom, effectiveTo } of sorted) {
    const last = result.at(-1);
    if (last && last[1] !== null && addDays(last[1], 1) === effectiveFrom) last[1] = effectiveTo;
    else result.push([effectiveFrom, effectiveTo]);
  }
  return result;
}

/**
 * A code not in force: retired or not yet in force ("NOT_IN_FORCE"), or never a code, with the real
 * codes a typo away.
 */
async function notFound(
  db: Database,
  { system, dateOfService }: CodeCheckInput,
  code: string,
  shown: string,
): Promise<CodeCheck> {
  const versions = await codeVersions(db, system, code);
  if (versions.length > 0) {
    const ranges = spans(versions)
      .map(([from, to]) => `${from} to ${to ?? "now"}`)
      .join(", ");
    return {
      code,
      found: null,
      suggestions: [],
      problems: [
        { code: "NOT_IN_FORCE", message: `${shown} is not in force on ${dateOfService} (in force ${ranges}).` },
      ],
    };
  }
  const near = await nearestCodes(db, system, code, dateOfService);
  const hint =
    near.length > 0
      ? ` Did you mean ${near
          .slice(0, 3)
          .map((c) => displayCode(system, c.code))
          .join(", ")}?`
      : "";
  return {
    code,
    found: null,
    suggestions: near,
    problems: [{ code: "UNKNOWN_CODE", message: `${shown} is not a ${system} code.${hint}` }],
  };
}

/** Medicare Code Editor limits: sex, age at the date of service, and manifestation codes as principal. */
function editProblems(edit: DiagnosisEditRow, shown: string, input: CodeCheckInput): CodeProblem[] {
  const problems: CodeProblem[] = [];
  if (input.patient && edit.sex && input.patient.sex !== "U" && input.patient.sex !== edit.sex) {
    problems.push({
      code: "SEX_CONFLICT",
      message: `${shown} applies to ${edit.sex === "F" ? "female" : "male"} patients only.`,
    });
  }
  if (input.patient && edit.ageMin !== null && edit.ageMax !== null) {
    const age = ageOn(input.patient.birthDate, input.dateOfService);
    if (age < edit.ageMin || age > edit.ageMax) {
      const range = edit.ageMin === edit.ageMax ? `age ${edit.ageMin}` : `ages ${edit.ageMin}–${edit.ageMax}`;
      problems.push({
        code: "AGE_CONFLICT",
        message: `${shown} applies to patients of ${range}; this patient is ${age} on the date of service.`,
      });
    }
  }
  if (input.principal && edit.manifestation) {
    problems.push({
      code: "MANIFESTATION_AS_PRINCIPAL",
      message: `${shown} is a manifestation code: sequence the underlying condition first.`,
    });
  }
  return problems;
}

/** Whole years from birth to the date of service. */
export function ageOn(birthDate: string, date: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number];
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/**
 * Real codes one keystroke away from a code that does not exist: two neighbours swapped, one
 * character changed, added or dropped. Same category (first three characters) first, then
 * swaps (the commonest slip), then billable codes.
 */
export async function nearestCodes(
  db: Database,
  system: CodeSystem,
  code: string,
  dateOfService: string,
): Promise<MedicalCodeRow[]> {
  if (code.length > 8) return [];
  const swaps = new Set<string>();
  for (let i = 0; i + 1 < code.length; i++) swaps.add(code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2));
  const others = new Set<string>();
  for (let i = 0; i <= code.length; i++) {
    for (const c of ALPHABET) {
      others.add(code.slice(0, i) + c + code.slice(i));
      if (i < code.length) others.add(code.slice(0, i) + c + code.slice(i + 1));
    }
    if (i < code.length) others.add(code.slice(0, i) + code.slice(i + 1));
  }
  const candidates = [...new Set([...swaps, ...others])].filter((c) => c !== code && hasShape(system, c));
  if (candidates.length === 0) return [];
  const rows = await codesInForce(db, system, candidates, dateOfService);
  const category = code.slice(0, 3);
  const rank = (row: MedicalCodeRow) => [
    row.code.startsWith(category) ? 0 : 1,
    swaps.has(row.code) ? 0 : 1,
    row.billable ? 0 : 1,
  ];
  return rows
    .sort((a, b) => {
      const [ra, rb] = [rank(a), rank(b)];
      return ra[0]! - rb[0]! || ra[1]! - rb[1]! || ra[2]! - rb[2]! || a.code.localeCompare(b.code);
    })
    .slice(0, SUGGESTIONS);
}
