import { createHash } from "node:crypto";
import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import { organizationOnly } from "../../db/scope.js";
import {
  CLAIM_LINE_POINTERS_MAX,
  STORED_DIAGNOSES_MAX,
  STORED_LINE_POINTERS_MAX,
  STORED_LINES_MAX,
} from "../../shared/claim-limits.js";
import {
  conflict,
  notFound,
  type Outcome,
  ok,
  refused,
  requireCurrentVersion,
  textTooLong,
  type UserErrorData,
  userError,
} from "../../shared/errors.js";
import { uuidOf } from "../../shared/ids.js";
import { sumMoney } from "../../shared/money.js";
import { auditChange } from "../audit/index.js";
import { type Actor, hasRole, type Role, requireRole } from "../auth/index.js";
import { billEncounter } from "../claims/index.js";
import { displayCode, normalizeCode } from "../codesets/index.js";
import {
  type CodeEdit,
  type CodingFacts,
  checkEncounterCodes,
  codeFields,
  codingEdits,
  type DiagnosisEntry,
  datesOf,
  type EncounterCodes,
  type ProcedureEntry,
} from "../edits/index.js";
import type { EncounterRow, EncounterStatus } from "../encounters/index.js";
import { findEncounter } from "../encounters/index.js";
import { withEvents } from "../events/index.js";
import {
  completeOwnItem,
  enqueue,
  heldEncounterItem,
  holdItemIn,
  resumeItemIn,
  routeSubject,
  SUPERVISING_ROLES,
  workItemForUpdate,
} from "../work/index.js";
import type {
  AnswerPhysicianQueryInput,
  DiagnosisInput,
  ProcedureInput,
  QueryPhysicianInput,
  SetEncounterCodesInput,
} from "./coding.inputs.js";
import {
  advanceEncounter,
  answerPhysicianQuery,
  codingQaPercent,
  completionsBy,
  encounterCodes,
  handleSeconds,
  insertCodeChange,
  insertCompletion,
  insertPhysicianQuery,
  type PhysicianQueryRow,
  physicianQueriesById,
  physicianQueryForUpdate,
  replaceEncounterCodes,
} from "./coding.store.js";

/** Who codes: coders, and supervisors who may correct any encounter of their facilities. */
export const CODING_ROLES: readonly Role[] = ["CODER", "SUPERVISOR", "ADMIN"];
/** Every one of a coder's first encounters is reviewed, whatever the organization's QA rate. */
export const NEW_CODER_REVIEWS = 20;
export const MAX_QUERY_LENGTH = 4_000;
/** Encounter statuses in which codes may still change; a billed encounter's codes are the claim's. */
const CODABLE: readonly EncounterStatus[] = [
  "READY_FOR_CODING",
  "CODING",
  "ON_HOLD",
  "CODED",
  "IN_REVIEW",
  "READY_TO_BILL",
];
const IN_CODING: readonly EncounterStatus[] = ["READY_FOR_CODING", "CODING"];

/** A list longer than Chartroom stores: refused, as distinct from the claim-form edits (TOO_MANY_*). */
const listTooLong = (message: string, field: string[]) => userError("LIST_TOO_LONG", message, field);

/** The encounter named in an input, or NOT_FOUND. */
async function encounterOf(ctx: RequestContext, encounterId: string): Promise<EncounterRow> {
  const encounter = await findEncounter(ctx, encounterId);
  if (!encounter) throw notFound("Encounter", "encounterId");
  return encounter;
}

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
  return codingEdits(ctx.db, await factsOf(ctx, encounter), codes);
}

const editsKey = (encounter: EncounterRow) => `${encounter.id}@${encounter.version}`;

/** The edits of an encounter's stored codes at its version: computed once per request, whichever fields ask. */
export function storedEditsOf(ctx: RequestContext, encounter: EncounterRow): Promise<CodeEdit[]> {
  const key = editsKey(encounter);
  let edits = ctx.loaders.encounterEdits.get(key);
  if (!edits) {
    edits = ctx.loaders.encounterCodes.load(encounter.id).then((codes) => editsFor(ctx, encounter, codes));
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
  const checks = await checkEncounterCodes(ctx.db, facts, codes, [
    ...input.diagnoses.map((d) => d.code),
    ...input.procedures.map((p) => p.code),
  ]);
  const fields = codeFields(codes);
  problems.push(
    ...checks.flatMap((check, k) =>
      check.problems.filter((p) => UNSTORABLE.has(p.code)).map((p) => userError(p.code, p.message, fields[k]!)),
    ),
  );
  if (problems.length > 0) return refused(problems);
  return ok({ codes, edits: await codingEdits(ctx.db, facts, codes, checks) });
}

/** What a stored code must not be: there would be no code to show for the date of service. */
const UNSTORABLE = new Set(["MALFORMED_CODE", "UNKNOWN_CODE", "NOT_IN_FORCE"]);

/**
 * Who may change an encounter's codes now: the coder holding its coding work (a CONFLICT says why
 * not, as completeCoding's does), or a supervisor.
 */
async function mayCode(ctx: RequestContext, actor: Actor, encounter: EncounterRow): Promise<void> {
  if (!hasRole(actor, SUPERVISING_ROLES)) await heldEncounterItem(ctx, encounter.id, "CODING");
}

/** CONFLICT when the encounter is in no status whose codes may change. */
function requireCodable(encounter: EncounterRow): void {
  if (encounter.status === "BILLED" || encounter.status === "CLOSED") {
    throw conflict(`This encounter is ${encounter.status}: its codes are the claim's now. Correct the claim instead.`);
  }
  if (!CODABLE.includes(encounter.status)) {
    throw conflict(`This encounter is ${encounter.status}: submit it for coding first.`);
  }
}

/** CONFLICT when the encounter is not READY_FOR_CODING or CODING. */
function requireInCoding(encounter: EncounterRow): void {
  if (!IN_CODING.includes(encounter.status)) {
    throw conflict(`This encounter is ${encounter.status}, not in coding.`);
  }
}

/**
 * Inside the caller's transaction: the encounter's codes become `codes` at its next version (a
 * CONFLICT when it is no longer at `expectedVersion`), its status becomes `status`, and the code
 * history keeps who changed what.
 */
export async function writeEncounterCodes(
  tx: Database,
  ctx: RequestContext,
  encounter: EncounterRow,
  expectedVersion: number,
  codes: EncounterCodes,
  source: "CODING" | "REVIEW",
  status: EncounterStatus,
): Promise<EncounterRow> {
  const actor = actorOf(ctx);
  const advanced = await advanceEncounter(tx, actor.scope, encounter.id, expectedVersion, status);
  if (!advanced) throw conflict("The encounter changed while you were coding it: read it again.");
  const before = (await encounterCodes(tx, actor.scope, [encounter.id])).get(encounter.id)!;
  await replaceEncounterCodes(tx, actor.scope, encounter.id, codes);
  await insertCodeChange(tx, actor.scope, {
    encounterId: encounter.id,
    version: advanced.version,
    actorId: actor.userId,
    source,
    before,
    after: codes,
  });
  return advanced;
}

/** Replaces the encounter's codes: the coder's save. Edits are not refused here; completeCoding refuses ERROR edits. */
export async function setEncounterCodes(
  ctx: RequestContext,
  input: SetEncounterCodesInput,
): Promise<Outcome<EncounterRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, CODING_ROLES, "code encounters");
  const encounter = await encounterOf(ctx, input.encounterId);
  requireCurrentVersion("encounter", encounter.version, input.expectedVersion);
  await mayCode(ctx, actor, encounter);
  requireCodable(encounter);
  const parsed = await parseCodeInput(ctx, encounter, input);
  if (!parsed.value) return parsed;
  const status = encounter.status === "READY_FOR_CODING" ? "CODING" : encounter.status;
  const { codes, edits } = parsed.value;
  const coded = await ctx.db.transaction(async (tx) => {
    const written = await writeEncounterCodes(tx, ctx, encounter, input.expectedVersion, codes, "CODING", status);
    await auditChange(tx, ctx, "encounter.set_codes", "Encounter", [encounter.id]);
    return written;
  });
  // The answer shows the edits of the codes just saved: those computed above, not a second run.
  ctx.loaders.encounterEdits.set(editsKey(coded), Promise.resolve(edits));
  return ok(coded);
}

/** Whether a completion is reviewed, and the sentence that says why: the same answer every time for the same facts. */
export function samplingDecision(
  priorCompletions: number,
  qaPercent: number,
  encounterId: string,
): { sampled: boolean; reason: string } {
  if (priorCompletions < NEW_CODER_REVIEWS) {
    return {
      sampled: true,
      reason:
        `Every one of a coder's first ${NEW_CODER_REVIEWS} encounters is reviewed; ` +
        `this is their number ${priorCompletions + 1}.`,
    };
  }
  const draw = createHash("sha256").update(encounterId).digest().readUInt32BE(0) % 100;
  const sampled = draw < qaPercent;
  return {
    sampled,
    reason:
      `The organization reviews ${qaPercent}% of coded encounters: this encounter's draw ` +
      `(0–99, from a hash of its id) is ${draw}, ${sampled ? "below" : "not below"} ${qaPercent}.`,
  };
}

/**
 * The coder finishes an encounter: refused while ERROR edits remain. Otherwise, in one transaction,
 * their coding item is DONE, the completion records who coded it, how long they held it and the
 * codes as they left them, and the encounter goes to review (IN_REVIEW, with an item in the
 * CODING_REVIEW queue) when sampled, else to READY_TO_BILL, where it is billed in the same transaction
 * (claims' billEncounter).
 */
export async function completeCoding(
  ctx: RequestContext,
  input: { encounterId: string; expectedVersion?: number | null },
): Promise<Outcome<EncounterRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, CODING_ROLES, "complete coding");
  const encounter = await encounterOf(ctx, input.encounterId);
  requireCurrentVersion("encounter", encounter.version, input.expectedVersion);
  requireInCoding(encounter);
  const item = await heldEncounterItem(ctx, encounter.id, "CODING");
  const codes = (await encounterCodes(ctx.db, actor.scope, [encounter.id])).get(encounter.id)!;
  const blocking = blockingEdits(await editsFor(ctx, encounter, codes));
  if (blocking.length > 0) return refused(blocking);

  const sampling = samplingDecision(
    await completionsBy(ctx.db, organizationOnly(actor.orgId), actor.userId),
    await codingQaPercent(ctx.db, actor.scope),
    encounter.id,
  );
  const review = sampling.sampled
    ? await routeSubject(ctx, {
        kind: "CODING_REVIEW",
        facilityId: encounter.facilityId,
        encounterType: encounter.type,
        payerKind: null,
        serviceDate: encounter.serviceDate,
        expectedCharge: sumMoney(codes.procedures.map((line) => line.charge)),
      })
    : null;
  if (sampling.sampled && !review) {
    throw conflict(
      `This encounter is sampled for review, but no CODING_REVIEW queue takes ${encounter.type} encounters ` +
        "of its facility.",
    );
  }
  return withEvents(ctx, async (tx) => {
    const seconds = await handleSeconds(tx, actor.scope, item.id, actor.userId);
    await completeOwnItem(tx, ctx, item.id, "coded");
    const routed = await advanceEncounter(
      tx,
      actor.scope,
      encounter.id,
      encounter.version,
      review ? "IN_REVIEW" : "READY_TO_BILL",
    );
    if (!routed) throw conflict("The encounter changed while you were completing it: read it again.");
    await insertCompletion(tx, actor.scope, {
      encounterId: encounter.id,
      workItemId: item.id,
      coderId: actor.userId,
      handleSeconds: seconds,
      codes,
      codeCount: codes.diagnoses.length + codes.procedures.length,
      sampled: sampling.sampled,
      samplingReason: sampling.reason,
    });
    if (review) await enqueue(tx, actor, review, { facilityId: encounter.facilityId, encounterId: encounter.id });
    else await billEncounter(tx, ctx, routed, codes);
    await auditChange(tx, ctx, "encounter.complete_coding", "Encounter", [encounter.id]);
    return ok(routed);
  });
}

function textProblem(text: string, field: string, what: string): UserErrorData | null {
  if (text === "") return userError(`${what.toUpperCase()}_REQUIRED`, `Write the ${what}.`, [field]);
  return textTooLong(text, MAX_QUERY_LENGTH, [field]);
}

/**
 * The coder asks the rendering provider a question the documentation leaves open: in one
 * transaction the query is recorded, their coding item goes ON_HOLD and so does the encounter.
 */
export async function queryPhysician(
  ctx: RequestContext,
  input: QueryPhysicianInput,
): Promise<Outcome<PhysicianQueryRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, CODING_ROLES, "query physicians");
  const question = input.question.trim();
  const encounter = await encounterOf(ctx, input.encounterId);
  requireCurrentVersion("encounter", encounter.version, input.expectedVersion);
  const problem = textProblem(question, "question", "question");
  if (problem) return refused([problem]);
  requireInCoding(encounter);
  const item = await heldEncounterItem(ctx, encounter.id, "CODING");
  return withEvents(ctx, async (tx) => {
    const query = await insertPhysicianQuery(tx, actor.scope, {
      encounterId: encounter.id,
      workItemId: item.id,
      askedById: actor.userId,
      question,
    });
    if (!query) throw conflict("This encounter already has an open physician query.");
    // The question is clinical text: the hold reason points to it rather than copying it out of the audited record.
    await holdItemIn(tx, ctx, item.id, "Waiting for the answer to a physician query.");
    if (!(await advanceEncounter(tx, actor.scope, encounter.id, encounter.version, "ON_HOLD")))
      throw conflict("The encounter changed meanwhile: read it again.");
    await auditChange(tx, ctx, "physician_query.ask", "PhysicianQuery", [query.id]);
    return ok(query);
  });
}

/**
 * The provider's answer, entered by a supervisor or an integration: the query is closed and the
 * coding item resumes, back to the coder who asked when they may still work it (the encounter is
 * CODING again), else to its queue (READY_FOR_CODING).
 */
export async function answerQuery(
  ctx: RequestContext,
  input: AnswerPhysicianQueryInput,
): Promise<Outcome<PhysicianQueryRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, SUPERVISING_ROLES, "answer physician queries");
  const answer = input.answer.trim();
  const problem = textProblem(answer, "answer", "answer");
  if (problem) return refused([problem]);
  const queryId = uuidOf(input.queryId, "PhysicianQuery");
  if (!queryId) throw notFound("PhysicianQuery", "queryId");
  return withEvents(ctx, async (tx) => {
    const query = await physicianQueryForUpdate(tx, actor.scope, queryId);
    if (!query) throw notFound("PhysicianQuery", "queryId");
    const answered = await answerPhysicianQuery(tx, actor.scope, query, answer, actor.userId);
    if (!answered) throw conflict("This query has been answered already.");
    // Someone may have resumed the work by hand meanwhile: the answer is kept either way.
    const held = await workItemForUpdate(tx, actor.scope, query.workItemId);
    const item = held?.status === "ON_HOLD" ? await resumeItemIn(tx, ctx, held.id) : held;
    if (item && (item.status === "READY" || item.status === "ASSIGNED")) {
      await advanceEncounter(
        tx,
        actor.scope,
        query.encounterId,
        null,
        item.status === "ASSIGNED" ? "CODING" : "READY_FOR_CODING",
      );
    }
    await auditChange(tx, ctx, "physician_query.answer", "PhysicianQuery", [query.id]);
    return ok(answered);
  });
}

/** A physician query about an encounter the caller may see; null otherwise. */
export async function visiblePhysicianQuery(ctx: RequestContext, id: string): Promise<PhysicianQueryRow | null> {
  return (await physicianQueriesById(ctx.db, actorOf(ctx).scope, [id]))[0] ?? null;
}
