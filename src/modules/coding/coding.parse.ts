/*
 * Codes as a coder types them, read against the code sets on the date of service, and the coding
 * edits they raise: what saving, completing and a review's corrections all check first.
 */
import type { RequestContext } from "../../context.js";
import {
  CLAIM_LINE_POINTERS_MAX,
  STORED_DIAGNOSES_MAX,
  STORED_LINE_POINTERS_MAX,
  STORED_LINES_MAX,
} from "../../shared/claim-limits.js";
import { notFound, type Outcome, ok, refused, type UserErrorData, userError } from "../../shared/errors.js";
import { displayCode, normalizeCode } from "../codesets/index.js";
import {
  type CodeEdit,
  type CodingFacts,
  codeFields,
  codingEdits,
  type DiagnosisEntry,
  datesOf,
  type EncounterCodes,
  editReads,
  type ProcedureEntry,
} from "../edits/index.js";
import type { EncounterRow } from "../encounters/index.js";
import type { DiagnosisInput, ProcedureInput } from "./coding.inputs.js";

/** A list longer than Chartroom stores: refused, as distinct from the claim-form edits (TOO_MANY_*). */
const listTooLong = (message: string, field: string[]) => userError("LIST_TOO_LONG", message, field);

/** What the edits of an encounter depend on besides its codes. */
async function factsOf(ctx: RequestContext, encounter: EncounterRow): Promise<CodingFacts> {
  const patient = await ctx.loaders.patient.load(encounter.patientId);
  if (!patient) throw notFound("Patient");
  return { ...datesOf(encounter), patient: { sex: patient.sex, birthDate: patient.birthDate } };
}

/** The coding edits of an encounter's codes: the one service coding and, later, claims ask. */
export async function editsFor(
  ctx: RequestContext,
  encounter: EncounterRow,
  codes: EncounterCodes,
): Promise<CodeEdit[]> {
  const facts = await factsOf(ctx, encounter);
  return codingEdits(ctx.db, facts, codes, await editReads(ctx, facts, codes));
}

/** Edits are cached per encounter version: a save bumps the version, so a stale entry is never read. */
export const editsKey = (encounter: EncounterRow) => `${encounter.id}@${encounter.version}`;

/**
 * The edits of an encounter's stored codes at its version: computed once per request, whichever fields ask.
 * The code rows they read are those the encounter's code fields show: shared with the code loader.
 */
export function storedEditsOf(ctx: RequestContext, encounter: EncounterRow): Promise<CodeEdit[]> {
  const key = editsKey(encounter);
  let edits = ctx.loaders.encounterEdits.get(key);
  if (!edits) {
    const reading = ctx.loaders.encounterCodes.load(encounter.id).then(async (codes) => {
      const facts = await factsOf(ctx, encounter);
      return { facts, codes, read: await editReads(ctx, facts, codes) };
    });
    ctx.loaders.codes.share(reading.then(({ read }) => read.tables.codes));
    edits = reading.then(({ facts, codes, read }) => codingEdits(ctx.db, facts, codes, read));
    ctx.loaders.encounterEdits.set(key, edits);
  }
  return edits;
}

/** The edits as they block an action: each ERROR edit as a user error. */
export function blockingEdits(edits: CodeEdit[]): UserErrorData[] {
  return edits
    .filter((edit) => edit.severity === "ERROR")
    .map((edit) => userError(edit.code, edit.message, edit.field));
}

/** Codes parsed for storing, with their edits. */
export interface ParsedCodes {
  codes: EncounterCodes;
  edits: CodeEdit[];
}

/**
 * The codes as typed, normalised (case, dots, spaces) and checked for what cannot be stored: a
 * code that is malformed, does not exist or is not in force on the date of service (with what the
 * coder may have meant), bad units, modifiers or line dates. What can be stored and fixed later
 * (a category header, a missing pointer, an NCCI pair) is left to the edits, which come back with
 * the codes: the one check of the codes serves both.
 */
export async function parseCodeInput(
  ctx: RequestContext,
  encounter: EncounterRow,
  input: { diagnoses: DiagnosisInput[]; procedures: ProcedureInput[] },
): Promise<Outcome<ParsedCodes>> {
  const problems: UserErrorData[] = [];
  // More than any claim carries is a mistake, not a long chart; what one claim form does not carry is an edit.
  if (input.diagnoses.length > STORED_DIAGNOSES_MAX)
    problems.push(listTooLong(`At most ${STORED_DIAGNOSES_MAX} diagnoses.`, ["diagnoses"]));
  if (input.procedures.length > STORED_LINES_MAX)
    problems.push(listTooLong(`At most ${STORED_LINES_MAX} procedure lines.`, ["procedures"]));
  if (problems.length > 0) return refused(problems);

  const lastDate = encounter.dischargeDate ?? encounter.serviceDate;
  const diagnoses: DiagnosisEntry[] = input.diagnoses.map((d) => ({
    code: normalizeCode(d.code),
    presentOnAdmission: d.presentOnAdmission ?? null,
    unrelatedTo: [...new Set((d.unrelatedTo ?? []).map(normalizeCode))],
  }));
  // An acknowledgement names a pair of this list: a code it does not hold acknowledges nothing.
  diagnoses.forEach(({ code, unrelatedTo = [] }, i) => {
    unrelatedTo.forEach((other, k) => {
      if (other === code || !diagnoses.some((d) => d.code === other)) {
        problems.push(
          userError(
            "UNRELATED_CODE_NOT_LISTED",
            `${displayCode("ICD10CM", other)} is not another diagnosis of this encounter: unrelatedTo names ` +
              "the diagnosis an Excludes1 note bars beside this one.",
            ["diagnoses", String(i), "unrelatedTo", String(k)],
          ),
        );
      }
    });
  });
  const procedures: ProcedureEntry[] = input.procedures.map((line, i) => {
    const field = (...rest: string[]) => ["procedures", String(i), ...rest];
    const modifiers = (line.modifiers ?? []).map((m) => m.trim().toUpperCase());
    modifiers.forEach((modifier, j) => {
      if (!/^[A-Z0-9]{2}$/.test(modifier))
        problems.push(
          userError(
            "MODIFIER_MALFORMED",
            `"${modifier.slice(0, 10)}" is not a modifier: two letters or digits, such as 59 or LT.`,
            field("modifiers", String(j)),
          ),
        );
      else if (modifiers.indexOf(modifier) < j)
        problems.push(
          userError(
            "MODIFIER_DUPLICATE",
            `Modifier ${modifier} is listed twice on this line.`,
            field("modifiers", String(j)),
          ),
        );
    });
    if (line.units < 1) problems.push(userError("UNITS_INVALID", "Units must be at least 1.", field("units")));
    if (line.diagnosisPointers.length > STORED_LINE_POINTERS_MAX) {
      problems.push(
        listTooLong(
          `A line points at no more than ${STORED_LINE_POINTERS_MAX} diagnoses ` +
            `(and a claim line carries ${CLAIM_LINE_POINTERS_MAX}).`,
          field("diagnosisPointers"),
        ),
      );
    }
    let serviceDate = line.serviceDate ?? null;
    if (serviceDate !== null && (serviceDate < encounter.serviceDate || serviceDate > lastDate)) {
      const span =
        lastDate === encounter.serviceDate ? `on ${lastDate}` : `from ${encounter.serviceDate} to ${lastDate}`;
      problems.push(
        userError(
          "LINE_DATE_OUTSIDE_ENCOUNTER",
          `The line's date of service must fall within the encounter, ${span}.`,
          field("serviceDate"),
        ),
      );
      // Check the code for the encounter's date: one mistake, one message.
      serviceDate = null;
    }
    return {
      system: line.system,
      code: normalizeCode(line.code),
      modifiers,
      units: line.units,
      charge: line.charge,
      serviceDate: serviceDate === encounter.serviceDate ? null : serviceDate,
      diagnosisPointers: line.diagnosisPointers,
    };
  });
  const codes = { diagnoses, procedures };
  const facts = await factsOf(ctx, encounter);
  const read = await editReads(ctx, facts, codes, [
    ...input.diagnoses.map((d) => d.code),
    ...input.procedures.map((p) => p.code),
  ]);
  const fields = codeFields(codes);
  problems.push(
    ...read.checks.flatMap((check, k) =>
      check.problems.filter((p) => UNSTORABLE.has(p.code)).map((p) => userError(p.code, p.message, fields[k]!)),
    ),
  );
  if (problems.length > 0) return refused(problems);
  // An answer showing the saved codes shows these rows.
  ctx.loaders.codes.share(Promise.resolve(read.tables.codes));
  return ok({ codes, edits: await codingEdits(ctx.db, facts, codes, read) });
}

/** What a stored code must not be: there would be no code to show for the date of service. */
const UNSTORABLE = new Set(["MALFORMED_CODE", "UNKNOWN_CODE", "NOT_IN_FORCE"]);
