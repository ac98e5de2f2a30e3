/*
 * A coder's question to the rendering provider: asking parks the coding work, the answer brings it
 * back to the same coder. Question and answer are clinical text, audited on every read.
 */
import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
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
import { auditChange } from "../audit/index.js";
import { requireRole } from "../auth/index.js";
import { withEvents } from "../events/index.js";
import { heldEncounterItem, holdItemIn, resumeItemIn, SUPERVISING_ROLES, workItemForUpdate } from "../work/index.js";
import type { AnswerPhysicianQueryInput, QueryPhysicianInput } from "./coding.inputs.js";
import { CODING_ROLES, encounterOf, requireInCoding } from "./coding.service.js";
import {
  advanceEncounter,
  answerPhysicianQuery,
  insertPhysicianQuery,
  type PhysicianQueryRow,
  physicianQueriesById,
  physicianQueryForUpdate,
} from "./coding.store.js";

export const MAX_QUERY_LENGTH = 4_000;

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
