/*
 * The coding edits of an encounter: the code checks, the claim-form checks (edits.claim-form.ts) and
 * the checks against CMS tables (NCCI, the Medicare Code Editor's notes, modifiers), one query per
 * table for all lines, sorted into the input's order.
 */
import type { Database } from "../../db/client.js";
import type { CodeSetDataset } from "../../db/schema/codesets.js";
import { addMonths } from "../../shared/calendar.js";
import {
  addOnCodesOf,
  type CodeCheck,
  type CodeCheckInput,
  type CodeSystem,
  checkCodes,
  codeNotesOf,
  displayCode,
  knownModifiers,
  latestReleasesOf,
  mueLimitsOf,
  type NcciSetting,
  ptpPairs,
  TABULAR_DATASET,
} from "../codesets/index.js";
import type { EncounterType } from "../encounters/index.js";
import { diagnosisListEdits, duplicateLines, lineEdits } from "./edits.claim-form.js";
import {
  type CodeEdit,
  type CodingFacts,
  type DiagnosisEntry,
  diagnosisCodeDate,
  type EncounterCodes,
  lineCodeDate,
  lineDate,
  type ProcedureEntry,
} from "./edits.codes.js";
import { addOnWithoutPrimary, mueExceeded, type NcciLine, ptpConflicts } from "./edits.ncci.js";
import { NOTE_KINDS, tabularNoteEdits } from "./edits.tabular.js";

/*
 * Glossary.
 *   edit      a problem with an encounter's codes, with a stable code and the input field it is about
 *   pointer   a procedure line's reference (1-based) to a diagnosis that supports it; an 837P line holds 4
 *   POA       present on admission: whether an inpatient diagnosis was there when the patient was admitted
 *   NCCI PTP  procedure-to-procedure edits: code pairs CMS does not pay together on one date of service
 *   MUE       medically unlikely edits: the most units of a code per line or per day
 *   add-on    a code (CPT "+") for work done only with a primary procedure, paid only with one on the same date
 */

/**
 * The NCCI tables of each kind of encounter; an inpatient stay is paid by DRG, without PTP or MUE edits,
 * and no encounter is a DME supplier's claim.
 */
const NCCI_SETTINGS: Record<EncounterType, Exclude<NcciSetting, "DME_SUPPLIER"> | null> = {
  PROFESSIONAL: "PRACTITIONER",
  OUTPATIENT: "OUTPATIENT_HOSPITAL",
  EMERGENCY: "OUTPATIENT_HOSPITAL",
  INPATIENT: null,
};

/**
 * Every edit on the codes, ERROR first, then in field order. One service; claims will reuse it later.
 * `checks`: the codes' checkEncounterCodes when the caller has it already (a save checks the codes
 * before it stores them), so that they are not read twice.
 */
export async function codingEdits(
  db: Database,
  facts: CodingFacts,
  codes: EncounterCodes,
  checks?: readonly CodeCheck[],
): Promise<CodeEdit[]> {
  const [checked, modifiers, ncci, tableAges, notes] = await Promise.all([
    checks
      ? codeCheckEdits(codes, checks)
      : checkEncounterCodes(db, facts, codes).then((c) => codeCheckEdits(codes, c)),
    modifierEdits(db, codes.procedures),
    ncciEdits(db, facts, codes.procedures),
    tableAgeEdits(db, facts, codes),
    noteEdits(db, facts, codes.diagnoses),
  ]);
  const edits = [
    ...checked,
    ...diagnosisListEdits(facts, codes),
    ...codes.procedures.flatMap((line, i) => lineEdits(facts, codes, line, i)),
    ...duplicateLines(facts, codes.procedures),
    ...modifiers,
    ...ncci,
    ...notes,
    ...tableAges,
  ];
  return edits.sort((a, b) => severityRank(a) - severityRank(b) || compareFields(a.field, b.field));
}

const severityRank = (edit: CodeEdit) => (edit.severity === "ERROR" ? 0 : 1);

/** The order of an input's fields, as the types list them. */
const FIELD_ORDER = [
  "diagnoses",
  "procedures",
  "system",
  "code",
  "presentOnAdmission",
  "modifiers",
  "units",
  "charge",
  "serviceDate",
  "diagnosisPointers",
];

const fieldRank = (segment: string) => (/^\d+$/.test(segment) ? Number(segment) : FIELD_ORDER.indexOf(segment));

/** Input order: a list before its items, items by index, an item's fields as declared. */
function compareFields(a: readonly string[], b: readonly string[]): number {
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    const order = fieldRank(a[k]!) - fieldRank(b[k]!);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/**
 * Every code checked in one batch, diagnoses then lines: in force on its date, billable, and within
 * the Code Editor's limits for this patient. `typed`, in the same order: the codes as the coder wrote
 * them, for the messages that quote a malformed one.
 */
export function checkEncounterCodes(
  db: Database,
  facts: CodingFacts,
  { diagnoses, procedures }: EncounterCodes,
  typed?: readonly string[],
): Promise<CodeCheck[]> {
  const { patient } = facts;
  const inputs: CodeCheckInput[] = [
    ...diagnoses.map((d, i) => ({
      system: "ICD10CM" as const,
      code: d.code,
      dateOfService: diagnosisCodeDate(facts),
      patient,
      principal: i === 0,
    })),
    ...procedures.map((line) => ({
      system: line.system,
      code: line.code,
      dateOfService: lineCodeDate(facts, line),
      patient,
    })),
  ];
  return checkCodes(
    db,
    inputs.map((input, k) => ({ ...input, code: typed?.[k] ?? input.code })),
  );
}

/** The field of each code checkEncounterCodes checks, in its order. */
export const codeFields = ({ diagnoses, procedures }: EncounterCodes) => [
  ...diagnoses.map((_, i) => ["diagnoses", `${i}`, "code"]),
  ...procedures.map((_, i) => ["procedures", `${i}`, "code"]),
];

/** The code checks as edits. */
function codeCheckEdits(codes: EncounterCodes, checks: readonly CodeCheck[]): CodeEdit[] {
  const systems: CodeSystem[] = [
    ...codes.diagnoses.map(() => "ICD10CM" as const),
    ...codes.procedures.map((p) => p.system),
  ];
  const fields = codeFields(codes);
  return checks.flatMap((check, k) =>
    check.problems.map((problem, p) => codeEdit(check, systems[k]!, problem, fields[k]!, p === 0)),
  );
}

/** A problem found by the code check; the suggestions go with the first problem, the one they answer. */
function codeEdit(
  check: CodeCheck,
  system: CodeSystem,
  problem: CodeCheck["problems"][number],
  field: string[],
  first: boolean,
): CodeEdit {
  const suggestions = first ? check.suggestions.map((row) => displayCode(system, row.code)) : [];
  if (suggestions.length === 0) return { code: problem.code, severity: "ERROR", message: problem.message, field };
  // The unknown and malformed messages already name the likeliest; a header's says how many there are.
  const message =
    problem.code === "NOT_BILLABLE"
      ? `${problem.message} For example ${suggestions.slice(0, 3).join(", ")}.`
      : problem.message;
  return { code: problem.code, severity: "ERROR", message, field, suggestions };
}

/** Modifiers that are not CPT or HCPCS modifiers: one query for all lines. */
async function modifierEdits(db: Database, procedures: readonly ProcedureEntry[]): Promise<CodeEdit[]> {
  const used = [...new Set(procedures.flatMap((line) => line.modifiers))];
  if (used.length === 0) return [];
  const known = await knownModifiers(db, used);
  return procedures.flatMap((line, i) =>
    line.modifiers.flatMap((modifier, k) =>
      known.has(modifier)
        ? []
        : [
            {
              code: "MODIFIER_UNKNOWN",
              severity: "ERROR" as const,
              message: `${modifier} is not a CPT or HCPCS modifier.`,
              field: ["procedures", `${i}`, "modifiers", `${k}`],
            },
          ],
    ),
  );
}

/** NCCI PTP, MUE and add-on code edits on the CPT and HCPCS lines: one query each for all lines. */
async function ncciEdits(db: Database, facts: CodingFacts, procedures: readonly ProcedureEntry[]): Promise<CodeEdit[]> {
  const setting = NCCI_SETTINGS[facts.encounterType];
  const lines: NcciLine[] = procedures.flatMap((line, index) =>
    line.system === "CPT" || line.system === "HCPCS" ? [{ index, line, date: lineDate(facts, line) }] : [],
  );
  if (!setting || lines.length === 0) return [];
  const codes = [...new Set(lines.map(({ line }) => line.code))];
  const earliest = lines.map(({ date }) => date).sort()[0]!;
  const [pairs, limits, addOns] = await Promise.all([
    codes.length > 1 ? ptpPairs(db, setting, codes, earliest) : [],
    mueLimitsOf(db, setting, codes),
    addOnCodesOf(db, codes),
  ]);
  return [...ptpConflicts(lines, pairs), ...mueExceeded(lines, limits), ...addOnWithoutPrimary(lines, addOns)];
}

/** Excludes1, Code first and Use additional code, from the tabular notes of the diagnoses' date: one query. */
async function noteEdits(db: Database, facts: CodingFacts, diagnoses: readonly DiagnosisEntry[]): Promise<CodeEdit[]> {
  if (diagnoses.length < 1) return [];
  const notes = await codeNotesOf(
    db,
    diagnoses.map((d) => d.code),
    NOTE_KINDS,
    diagnosisCodeDate(facts),
  );
  return tabularNoteEdits(diagnoses, notes);
}

/**
 * An edit table and the months one release of it covers: NCCI
 * tables by quarter, the Medicare Code Editor by fiscal year.
 */
interface EditTable {
  dataset: CodeSetDataset;
  name: string;
  months: number;
  field: string[];
  /** The latest date of service the table is read for, or null when the encounter's codes do not reach it. */
  date: string | null;
}

/**
 * Where an edit table is older than a date of service it is read for (CMS publishes NCCI quarterly
 * and the Code Editor yearly), the edits still run on the newest table loaded: a WARNING names it,
 * so the coder knows the edit may differ from the payer's. One query, only when some table is read.
 */
async function tableAgeEdits(db: Database, facts: CodingFacts, codes: EncounterCodes): Promise<CodeEdit[]> {
  const setting = NCCI_SETTINGS[facts.encounterType];
  const ncciDates = codes.procedures
    .filter((line) => line.system === "CPT" || line.system === "HCPCS")
    .map((line) => lineDate(facts, line))
    .sort();
  const ncciDate = ncciDates.at(-1) ?? null;
  const ncciTables: EditTable[] = setting
    ? [
        { dataset: `NCCI_PTP_${setting}`, name: "NCCI PTP edits", months: 3, field: ["procedures"], date: ncciDate },
        { dataset: `MUE_${setting}`, name: "NCCI MUE table", months: 3, field: ["procedures"], date: ncciDate },
      ]
    : [];
  const tables = (
    [
      {
        dataset: "MCE",
        name: "Medicare Code Editor",
        months: 12,
        field: ["diagnoses"],
        date: codes.diagnoses.length > 0 ? diagnosisCodeDate(facts) : null,
      },
      {
        dataset: TABULAR_DATASET,
        name: "ICD-10-CM tabular list",
        months: 12,
        field: ["diagnoses"],
        date: codes.diagnoses.length > 0 ? diagnosisCodeDate(facts) : null,
      },
      ...ncciTables,
    ] satisfies EditTable[]
  ).filter((table) => table.date !== null);
  if (tables.length === 0) return [];
  const latest = new Map(
    (
      await latestReleasesOf(
        db,
        tables.map((t) => t.dataset),
      )
    ).map((r) => [r.dataset, r]),
  );
  return tables.flatMap(({ dataset, name, months, field, date }) => {
    const release = latest.get(dataset);
    if (!release || date! < addMonths(release.effectiveFrom, months)) return [];
    return [
      {
        code: "TABLE_OLDER_THAN_SERVICE_DATE",
        severity: "WARNING" as const,
        message:
          `Checked against the ${name} ${release.label} (from ${release.effectiveFrom}), the newest loaded, ` +
          `which predates the date of service ${date}: a payer may apply a newer release.`,
        field,
      },
    ];
  });
}
