import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import type { Scope } from "../../db/scope.js";
import {
  badInput,
  conflict,
  notFound,
  type Outcome,
  ok,
  refused,
  type UserErrorData,
  userError,
} from "../../shared/errors.js";
import { uuidOf } from "../../shared/ids.js";
import { auditChange } from "../audit/index.js";
import { requireRole } from "../auth/index.js";
import { markEncountersBilled } from "../encounters/index.js";
import { withEvents } from "../events/index.js";
import { CLAIMS_PER_TRANSACTION_SET, Claim837pRefused, type Envelope837p, write837p } from "./claim.837p.js";
import { claimDocument } from "./claim.assemble.js";
import { claimEvents } from "./claim.events.js";
import { claimParties } from "./claim.parties.store.js";
import { BILLING_ROLES } from "./claim.service.js";
import { type ClaimRow, insertStatusChanges, linesOfClaims, nextCounterValue } from "./claim.store.js";
import {
  claimsForSubmission,
  insertBatch,
  markSubmitted,
  readyClaimsOfPayer,
  type SubmissionBatchRow,
} from "./claim.submission.store.js";

/*
 * Submission: READY claims written as 837P interchanges, one per payer, stored unchanged and the claims
 * moved to SUBMITTED, all in one transaction.
 */

/** The organization's counters behind ISA13, GS06 and ST02: each number is handed out once. */
const COUNTERS = {
  interchange: "x12_interchange_control_number",
  group: "x12_group_control_number",
  transactionSet: "x12_transaction_set_control_number",
} as const;
/** ISA13 is nine digits; GS06 and ST02 are written no wider, so a number is never reused by wrapping. */
const LAST_CONTROL_NUMBER = 999_999_999;
/** Claims named in one submitClaims: enough for a day's batch; a payer's whole READY backlog is not limited. */
export const MAX_CLAIMS_PER_SUBMISSION = 10_000;

/** What a submission asks for: these claims, or every READY claim of a payer. */
export interface SubmitClaims {
  claimIds: readonly string[];
  payerId?: string | null | undefined;
}

/** A refusal found after writing began: thrown to roll the transaction back, then returned as userErrors. */
class SubmissionRefused extends Error {
  constructor(readonly userErrors: UserErrorData[]) {
    super("submission refused");
  }
}

/**
 * Writes the 837P interchanges of READY claims, one per payer, and moves the claims to SUBMITTED with their
 * batch; their encounters become BILLED. The claims are named, or all READY claims of a payer the caller may see.
 */
export async function submitClaims(ctx: RequestContext, input: SubmitClaims): Promise<Outcome<SubmissionBatchRow[]>> {
  const actor = actorOf(ctx);
  requireRole(actor, BILLING_ROLES, "submit claims");
  const request = submissionOf(input);
  try {
    return await withEvents(ctx, async (tx) => {
      const claims =
        "claimIds" in request
          ? await namedClaims(tx, actor.scope, request.claimIds)
          : await readyClaimsOfPayer(tx, actor.scope, request.payerId);
      if (claims.length === 0)
        return refused<SubmissionBatchRow[]>([
          userError("NOTHING_TO_SUBMIT", "The payer has no READY claim you may submit.", ["payerId"]),
        ]);
      const batches: SubmissionBatchRow[] = [];
      for (const group of byPayer(claims).values()) batches.push(await submitBatch(tx, ctx, group, input.claimIds));
      const encounters = await markEncountersBilled(tx, actor.scope, [...new Set(claims.map((c) => c.encounterId))]);
      if (encounters.length > 0)
        await auditChange(
          tx,
          ctx,
          "encounter.bill",
          "Encounter",
          encounters.map((encounter) => encounter.id),
        );
      return ok(batches);
    });
  } catch (error) {
    if (error instanceof SubmissionRefused) return refused(error.userErrors);
    throw error;
  }
}

/** The request's claims as row ids, or its payer's; BAD_USER_INPUT for a request that names neither or both. */
function submissionOf(input: SubmitClaims): { claimIds: string[] } | { payerId: string } {
  if (input.claimIds.length > 0 && input.payerId)
    throw badInput("Name the claims to submit or a payer, not both.", "payerId");
  if (input.payerId) {
    const payerId = uuidOf(input.payerId, "Payer");
    if (!payerId) throw notFound("Payer", "payerId");
    return { payerId };
  }
  if (input.claimIds.length === 0) throw badInput("Name at least one claim, or a payer.", "claimIds");
  if (input.claimIds.length > MAX_CLAIMS_PER_SUBMISSION)
    throw badInput(`At most ${MAX_CLAIMS_PER_SUBMISSION} claims at once; submit the rest next.`, "claimIds");
  if (new Set(input.claimIds).size !== input.claimIds.length) throw badInput("A claim is named twice.", "claimIds");
  return {
    claimIds: input.claimIds.map((id, i) => {
      const uuid = uuidOf(id, "Claim");
      if (!uuid) throw notFound("Claim", `claimIds.${i}`);
      return uuid;
    }),
  };
}

/** The named claims, locked; NOT_FOUND for one the caller may not see, userErrors for any not READY. */
async function namedClaims(tx: Database, scope: Scope, ids: readonly string[]): Promise<ClaimRow[]> {
  const rows = await claimsForSubmission(tx, scope, ids);
  const found = new Map(rows.map((row) => [row.id, row]));
  const missing = ids.findIndex((id) => !found.has(id));
  if (missing >= 0) throw notFound("Claim", `claimIds.${missing}`);
  const notReady = ids.flatMap((id, i) => {
    const claim = found.get(id)!;
    return claim.status === "READY"
      ? []
      : [
          userError(
            "CLAIM_NOT_READY",
            `Claim ${claim.patientControlNumber} is ${claim.status}: only READY claims are submitted.`,
            ["claimIds", String(i)],
          ),
        ];
  });
  if (notReady.length > 0) throw new SubmissionRefused(notReady);
  return rows;
}

/** Claims by payer, in the order met; a READY claim always has one (the scrubber's PAYER_MISSING stops it). */
function byPayer(claims: readonly ClaimRow[]): Map<string, ClaimRow[]> {
  const groups = new Map<string, ClaimRow[]>();
  for (const claim of claims) {
    if (!claim.payerId) throw conflict(`Claim ${claim.patientControlNumber} has no payer: scrub it again.`);
    groups.set(claim.payerId, [...(groups.get(claim.payerId) ?? []), claim]);
  }
  return groups;
}

/** The organization's next control number of a kind; CONFLICT once all nine digits are used, never a wrap. */
async function nextControlNumber(tx: Database, scope: Scope, counter: string): Promise<number> {
  const value = await nextCounterValue(tx, scope, counter);
  if (value > LAST_CONTROL_NUMBER)
    throw conflict(
      "The organization has used every X12 control number (999,999,999): ask the clearinghouse for a new sender id.",
    );
  return value;
}

/** One payer's claims as one interchange: written, stored, and the claims SUBMITTED in it. */
async function submitBatch(
  tx: Database,
  ctx: RequestContext,
  claims: readonly ClaimRow[],
  namedIds: readonly string[],
): Promise<SubmissionBatchRow> {
  const actor = actorOf(ctx);
  const [lines, parties] = [
    await linesOfClaims(
      tx,
      actor.scope,
      claims.map((claim) => claim.id),
    ),
    await claimParties(tx, actor.scope, claims),
  ];
  const documents = claims.map((claim) =>
    claimDocument(
      claim,
      lines.filter((line) => line.claimId === claim.id),
      parties.get(claim.id)!,
    ),
  );
  const sets = Math.ceil(claims.length / CLAIMS_PER_TRANSACTION_SET);
  const envelope: Envelope837p = {
    ...ctx.x12,
    createdAt: new Date(),
    interchangeControlNumber: await nextControlNumber(tx, actor.scope, COUNTERS.interchange),
    groupControlNumber: await nextControlNumber(tx, actor.scope, COUNTERS.group),
    firstTransactionSetControlNumber: await nextControlNumber(tx, actor.scope, COUNTERS.transactionSet),
  };
  // Every set's ST02 is taken from the counter, so none is handed out again.
  for (let more = 1; more < sets; more++) await nextControlNumber(tx, actor.scope, COUNTERS.transactionSet);
  const written = writeOrRefuse(documents, envelope, claims, namedIds);
  const setOf = new Map(
    written.transactionSets.flatMap((set) => set.patientControlNumbers.map((pcn) => [pcn, set.controlNumber])),
  );
  const batch = await insertBatch(
    tx,
    actor.scope,
    {
      payerId: claims[0]!.payerId!,
      interchangeControlNumber: envelope.interchangeControlNumber,
      groupControlNumber: envelope.groupControlNumber,
      transactionSetControlNumbers: written.transactionSets.map((set) => set.controlNumber),
      x12: written.x12,
      claimCount: claims.length,
      createdBy: actor.userId,
    },
    claims.map((claim) => ({
      claimId: claim.id,
      transactionSetControlNumber: setOf.get(claim.patientControlNumber)!,
    })),
  );
  const submitted = await markSubmitted(
    tx,
    actor.scope,
    claims.map((claim) => claim.id),
    batch.id,
  );
  const reason = `Submitted in 837P interchange ${written.interchangeControlNumber}.`;
  await insertStatusChanges(
    tx,
    actor.scope,
    submitted.map((claim) => ({
      claimId: claim.id,
      fromStatus: "READY",
      toStatus: "SUBMITTED",
      actorId: actor.userId,
      reason,
    })),
  );
  await claimEvents.append(
    tx,
    submitted.map((claim) => ({ type: "status_changed", claim })),
  );
  await auditChange(
    tx,
    ctx,
    "claim.submit",
    "Claim",
    submitted.map((claim) => claim.id),
  );
  await auditChange(tx, ctx, "submission_batch.create", "SubmissionBatch", [batch.id]);
  return batch;
}

/** The interchange, or the claims' problems as userErrors (CLAIM_NOT_WRITABLE) naming each claim and field. */
function writeOrRefuse(
  documents: Parameters<typeof write837p>[0],
  envelope: Envelope837p,
  claims: readonly ClaimRow[],
  namedIds: readonly string[],
) {
  try {
    return write837p(documents, envelope);
  } catch (error) {
    if (!(error instanceof Claim837pRefused)) throw error;
    const idOf = new Map(claims.map((claim) => [claim.patientControlNumber, claim.id]));
    throw new SubmissionRefused(
      error.problems.map((problem) => {
        const claimId = problem.patientControlNumber === null ? undefined : idOf.get(problem.patientControlNumber);
        const at = claimId === undefined ? -1 : namedIds.findIndex((id) => uuidOf(id, "Claim") === claimId);
        const where = problem.patientControlNumber === null ? "The envelope" : `Claim ${problem.patientControlNumber}`;
        return userError(
          "CLAIM_NOT_WRITABLE",
          `${where}: ${problem.field.join(".")} ${problem.message}. Correct it, then submit again.`,
          at >= 0 ? ["claimIds", String(at)] : ["payerId"],
        );
      }),
    );
  }
}

/** A batch to download by its global id: for billers who may see every claim in it, else NOT_FOUND or FORBIDDEN. */
export async function batchToDownload(ctx: RequestContext, batchId: string): Promise<SubmissionBatchRow> {
  requireRole(actorOf(ctx), BILLING_ROLES, "download claim batches");
  const id = uuidOf(batchId, "SubmissionBatch");
  const batch = id ? await ctx.loaders.submissionBatch.load(id) : null;
  if (!batch) throw notFound("SubmissionBatch");
  return batch;
}
