/*
 * A coder's work on an encounter: saving its codes, and completing its coding, which moves the
 * encounter on and decides whether the completion is sampled for review. Reading typed codes is
 * coding.parse.ts; questions to the physician, coding.physician-queries.ts.
 */
import { createHash } from "node:crypto";
import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import { organizationOnly } from "../../db/scope.js";
import { conflict, notFound, type Outcome, ok, refused, requireCurrentVersion } from "../../shared/errors.js";
import { sumMoney } from "../../shared/money.js";
import { auditChange } from "../audit/index.js";
import { type Actor, hasRole, type Role, requireRole } from "../auth/index.js";
import { billEncounter } from "../claims/index.js";
import type { EncounterCodes } from "../edits/index.js";
import type { EncounterRow, EncounterStatus } from "../encounters/index.js";
import { findEncounter } from "../encounters/index.js";
import { withEvents } from "../events/index.js";
import { completeOwnItem, enqueue, heldEncounterItem, routeSubject, SUPERVISING_ROLES } from "../work/index.js";
import type { SetEncounterCodesInput } from "./coding.inputs.js";
import { blockingEdits, editsFor, editsKey, parseCodeInput } from "./coding.parse.js";
import {
  advanceEncounter,
  codingQaPercent,
  completionsBy,
  encounterCodes,
  handleSeconds,
  insertCompletion,
  writeCodes,
} from "./coding.store.js";

/** Who codes: coders, and supervisors who may correct any encounter of their facilities. */
export const CODING_ROLES: readonly Role[] = ["CODER", "SUPERVISOR", "ADMIN"];
/** Every one of a coder's first encounters is reviewed, whatever the organization's QA rate. */
export const NEW_CODER_REVIEWS = 20;
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

/** The encounter named in an input, or NOT_FOUND. */
export async function encounterOf(ctx: RequestContext, encounterId: string): Promise<EncounterRow> {
  const encounter = await findEncounter(ctx, encounterId);
  if (!encounter) throw notFound("Encounter", "encounterId");
  return encounter;
}

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
export function requireInCoding(encounter: EncounterRow): void {
  if (!IN_CODING.includes(encounter.status)) {
    throw conflict(`This encounter is ${encounter.status}, not in coding.`);
  }
}

/**
 * The encounter's codes become `codes` at its next version (a CONFLICT when it is no longer at
 * `expectedVersion`), its status becomes `status`, and the code history keeps who changed what; with the
 * audit row of `auditAction` when given. One statement: in the caller's transaction, or atomic alone.
 */
export async function writeEncounterCodes(
  db: Database,
  ctx: RequestContext,
  encounter: EncounterRow,
  expectedVersion: number,
  codes: EncounterCodes,
  source: "CODING" | "REVIEW",
  status: EncounterStatus,
  auditAction: string | null = null,
): Promise<EncounterRow> {
  const actor = actorOf(ctx);
  const advanced = await writeCodes(db, actor.scope, {
    encounterId: encounter.id,
    expectedVersion,
    status,
    codes,
    actorId: actor.userId,
    source,
    requestId: ctx.requestId,
    auditAction,
  });
  if (!advanced) throw conflict("The encounter changed while you were coding it: read it again.");
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
  const coded = await writeEncounterCodes(
    ctx.db,
    ctx,
    encounter,
    input.expectedVersion,
    codes,
    "CODING",
    status,
    "encounter.set_codes",
  );
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
