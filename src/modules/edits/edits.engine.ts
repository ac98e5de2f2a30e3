/*
 * The coding edits of an encounter: the code checks, the claim-form checks (edits.claim-form.ts) and
 * the checks against CMS tables (NCCI, the Medicare Code Editor's notes, modifiers), all tables read
 * in one statement for all lines, sorted into the input's order.
 */
import type { Database } from "../../db/client.js";
import type { CodeSetDataset } from "../../db/schema/codesets.js";
import { addMonths } from "../../shared/calendar.js";
import {
  type CodeCheck,
  type CodeCheckInput,
  type CodeSetCache,
  type CodeSystem,
  checkCodesIn,
  codeCheckKeys,
  displayCode,
  type EditTables,
  type EditTablesAsk,
  editTablesOf,
  type NcciSetting,
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
 * Where the edits read the code sets: the database, and the instance's cache of what they read when the
 * caller has one (a request's context does).
 */
export interface CodeSetSource {
  db: Database;
  codeSets?: CodeSetCache | undefined;
}

/** What the edits of some codes read: the code sets' rows, and the codes' checks against them. */
export interface EditReads {
  tables: EditTables;
  checks: CodeCheck[];
}

/**
 * Every edit on the codes, ERROR first, then in field order: one service, for coding and the claim
 * scrubber. `read`: the codes' editReads when the caller has them already (a save checks the codes
 * before it stores them), so that nothing is read twice.
 */
export async function codingEdits(
  db: Database,
  facts: CodingFacts,
  codes: EncounterCodes,
  read?: EditReads,
): Promise<CodeEdit[]> {
  const { tables, checks } = read ?? (await editReads({ db }, facts, codes));
  const edits = [
    ...codeCheckEdits(codes, checks),
    ...diagnosisListEdits(facts, codes),
    ...codes.procedures.flatMap((line, i) => lineEdits(facts, codes, line, i)),
    ...duplicateLines(facts, codes.procedures),
    ...modifierEdits(codes.procedures, tables),
    ...ncciEdits(facts, codes.procedures, tables),
    ...noteEdits(codes.diagnoses, tables),
    ...tableAgeEdits(tableAges(facts, codes), tables),
  ];
  return edits.sort((a, b) => severityRank(a) - severityRank(b) || compareFields(a.field, b.field));
}

/**
 * Everything the edits of the codes read, in one statement, and the codes' checks: in force on their
 * dates, billable, and within the Code Editor's limits for this patient (only a code with a problem reads
 * more, to explain it). `typed`, in codeFields' order (diagnoses, then lines): the codes as the
 * coder wrote them, for the messages that quote a malformed one.
 */
export async function editReads(
  { db, codeSets }: CodeSetSource,
  facts: CodingFacts,
  codes: EncounterCodes,
  typed?: readonly string[],
): Promise<EditReads> {
  const inputs = checkInputs(facts, codes, typed);
  const ask = editTablesAsk(facts, codes, codeCheckKeys(inputs));
  const tables = await (codeSets ? codeSets.editTables(db, ask) : editTablesOf(db, ask));
  return { tables, checks: await checkCodesIn(db, inputs, tables.codes) };
}

/** The NCCI lines: CPT and HCPCS lines with their dates, when the encounter's setting has NCCI tables. */
function ncciLines(facts: CodingFacts, procedures: readonly ProcedureEntry[]): NcciLine[] {
  if (!NCCI_SETTINGS[facts.encounterType]) return [];
  return procedures.flatMap((line, index) =>
    line.system === "CPT" || line.system === "HCPCS" ? [{ index, line, date: lineDate(facts, line) }] : [],
  );
}

/** What the edits of the codes ask of the code sets, given the codes to check. */
function editTablesAsk(facts: CodingFacts, codes: EncounterCodes, checked: EditTablesAsk["codes"]): EditTablesAsk {
  const setting = NCCI_SETTINGS[facts.encounterType];
  const lines = ncciLines(facts, codes.procedures);
  return {
    codes: checked,
    modifiers: [...new Set(codes.procedures.flatMap((line) => line.modifiers))],
    ncci:
      setting && lines.length > 0
        ? {
            setting,
            codes: [...new Set(lines.map(({ line }) => line.code))],
            from: lines.map(({ date }) => date).sort()[0]!,
          }
        : null,
    notes:
      codes.diagnoses.length > 0
        ? { codes: codes.diagnoses.map((d) => d.code), kinds: NOTE_KINDS, dateOfService: diagnosisCodeDate(facts) }
        : null,
    datasets: tableAges(facts, codes).map((table) => table.dataset),
  };
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
 * Every code to check, diagnoses then lines, each on its date; `typed`, in the same order, the codes
 * as written.
 */
function checkInputs(
  facts: CodingFacts,
  { diagnoses, procedures }: EncounterCodes,
  typed?: readonly string[],
): CodeCheckInput[] {
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
  return inputs.map((input, k) => ({ ...input, code: typed?.[k] ?? input.code }));
}

/** The field of each code editReads checks, in its order. */
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

/** Modifiers that are not CPT or HCPCS modifiers. */
function modifierEdits(procedures: readonly ProcedureEntry[], tables: EditTables): CodeEdit[] {
  const known = new Set(tables.modifiers);
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

/** NCCI PTP, MUE and add-on code edits on the CPT and HCPCS lines. */
function ncciEdits(facts: CodingFacts, procedures: readonly ProcedureEntry[], tables: EditTables): CodeEdit[] {
  const lines = ncciLines(facts, procedures);
  return [
    ...ptpConflicts(lines, tables.ptpPairs),
    ...mueExceeded(lines, tables.mueLimits),
    ...addOnWithoutPrimary(lines, tables.addOnCodes),
  ];
}

/** Excludes1, Code first and Use additional code, from the tabular notes of the diagnoses' date. */
function noteEdits(diagnoses: readonly DiagnosisEntry[], tables: EditTables): CodeEdit[] {
  return diagnoses.length > 0 ? tabularNoteEdits(diagnoses, tables.notes) : [];
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
  /** The latest date of service the table is read for. */
  date: string;
}

/** The edit tables the codes are read against, each with the latest date of service it is read for. */
function tableAges(facts: CodingFacts, codes: EncounterCodes): EditTable[] {
  const setting = NCCI_SETTINGS[facts.encounterType];
  const ncciDates = codes.procedures
    .filter((line) => line.system === "CPT" || line.system === "HCPCS")
    .map((line) => lineDate(facts, line))
    .sort();
  const ncciDate = ncciDates.at(-1) ?? null;
  const diagnosisDate = codes.diagnoses.length > 0 ? diagnosisCodeDate(facts) : null;
  const tables: (Omit<EditTable, "date"> & { date: string | null })[] = [
    { dataset: "MCE", name: "Medicare Code Editor", months: 12, field: ["diagnoses"], date: diagnosisDate },
    {
      dataset: TABULAR_DATASET,
      name: "ICD-10-CM tabular list",
      months: 12,
      field: ["diagnoses"],
      date: diagnosisDate,
    },
    ...(setting
      ? [
          {
            dataset: `NCCI_PTP_${setting}` as const,
            name: "NCCI PTP edits",
            months: 3,
            field: ["procedures"],
            date: ncciDate,
          },
          {
            dataset: `MUE_${setting}` as const,
            name: "NCCI MUE table",
            months: 3,
            field: ["procedures"],
            date: ncciDate,
          },
        ]
      : []),
  ];
  return tables.filter((table): table is EditTable => table.date !== null);
}

/**
 * Where an edit table is older than a date of service it is read for (CMS publishes NCCI quarterly
 * and the Code Editor yearly), the edits still run on the newest table loaded: a WARNING names it,
 * so the coder knows the edit may differ from the payer's.
 */
function tableAgeEdits(ages: readonly EditTable[], tables: EditTables): CodeEdit[] {
  const latest = new Map(tables.releases.map((release) => [release.dataset, release]));
  return ages.flatMap(({ dataset, name, months, field, date }) => {
    const release = latest.get(dataset);
    if (!release || date < addMonths(release.effectiveFrom, months)) return [];
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
