import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { claims, submissionBatchClaims, submissionBatches } from "../../db/schema/claims.js";
import { gatheringOnlyFacilities, ownedBy, type Scope } from "../../db/scope.js";
import { type ClaimRow, visibleClaims } from "./claim.store.js";

export type SubmissionBatchRow = typeof submissionBatches.$inferSelect;
export type NewSubmissionBatch = Omit<typeof submissionBatches.$inferInsert, "orgId" | "id" | "createdAt">;

/**
 * Batches the caller may see: those whose every claim is at one of the caller's facilities, since the file
 * shows every claim in it.
 */
const visibleBatches = (scope: Scope) =>
  gatheringOnlyFacilities(
    submissionBatches,
    submissionBatchClaims,
    submissionBatchClaims.batchId,
    submissionBatchClaims.claimId,
    claims,
    scope,
  );

/* claimsForSubmission: the named claims the caller may see, locked, in the order of their patient control numbers. */
export function claimsForSubmission(db: Database, scope: Scope, ids: readonly string[]): Promise<ClaimRow[]> {
  return db
    .select()
    .from(claims)
    .where(and(visibleClaims(scope), inArray(claims.id, [...ids])))
    .orderBy(asc(claims.patientControlNumber))
    .for("update");
}

/* readyClaimsOfPayer: every READY claim of the payer the caller may see, locked, by patient control number. */
export function readyClaimsOfPayer(db: Database, scope: Scope, payerId: string): Promise<ClaimRow[]> {
  return db
    .select()
    .from(claims)
    .where(and(visibleClaims(scope), eq(claims.payerId, payerId), eq(claims.status, "READY")))
    .orderBy(asc(claims.patientControlNumber))
    .for("update");
}

/* insertBatch: the interchange as written, with the claims in each transaction set. */
export async function insertBatch(
  db: Database,
  scope: Scope,
  values: NewSubmissionBatch,
  members: readonly { claimId: string; transactionSetControlNumber: string }[],
): Promise<SubmissionBatchRow> {
  const [batch] = await db.insert(submissionBatches).values(ownedBy(scope, values)).returning();
  await db
    .insert(submissionBatchClaims)
    .values(members.map((member) => ownedBy(scope, { ...member, batchId: batch!.id })));
  return batch!;
}

/* markSubmitted: READY claims become SUBMITTED in the batch, each version bumped. */
export function markSubmitted(
  db: Database,
  scope: Scope,
  claimIds: readonly string[],
  batchId: string,
): Promise<ClaimRow[]> {
  return db
    .update(claims)
    .set({ status: "SUBMITTED", batchId, version: sql`${claims.version} + 1`, updatedAt: sql`now()` })
    .where(and(visibleClaims(scope), inArray(claims.id, [...claimIds]), eq(claims.status, "READY")))
    .returning();
}

/* batchesByIds: those the caller may see. */
export function batchesByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<SubmissionBatchRow[]> {
  return db
    .select()
    .from(submissionBatches)
    .where(and(visibleBatches(scope), inArray(submissionBatches.id, [...ids])));
}
