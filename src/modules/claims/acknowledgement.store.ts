import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { acknowledgements, claims, submissionBatchClaims, submissionBatches } from "../../db/schema/claims.js";
import { encounters } from "../../db/schema/encounters.js";
import { payers } from "../../db/schema/organizations.js";
import { patients } from "../../db/schema/patients.js";
import {
  acrossFacilities,
  canSeeFacility,
  inOrg,
  organizationOnly,
  ownedBy,
  type Scope,
  sameOrganization,
} from "../../db/scope.js";
import type { ClaimRow } from "./claim.store.js";

export type AcknowledgementRow = typeof acknowledgements.$inferSelect;
export type NewAcknowledgement = Omit<typeof acknowledgements.$inferInsert, "orgId" | "id" | "receivedAt">;

/* acknowledgementByHash: the earlier import of the same file, if any. */
export async function acknowledgementByHash(
  db: Database,
  scope: Scope,
  contentHash: string,
): Promise<AcknowledgementRow | undefined> {
  const [row] = await db
    .select()
    .from(acknowledgements)
    .where(and(inOrg(acknowledgements, scope), eq(acknowledgements.contentHash, contentHash)));
  return row;
}

/* insertAcknowledgement */
export async function insertAcknowledgement(
  db: Database,
  scope: Scope,
  values: NewAcknowledgement,
): Promise<AcknowledgementRow> {
  const [row] = await db.insert(acknowledgements).values(ownedBy(scope, values)).returning();
  return row!;
}

/* acknowledgementsByIds */
export function acknowledgementsByIds(db: Database, scope: Scope, ids: readonly string[]) {
  return db
    .select()
    .from(acknowledgements)
    .where(and(inOrg(acknowledgements, scope), inArray(acknowledgements.id, [...ids])));
}

/* recentAcknowledgements: newest first; of one batch when `batchId` is given. */
export function recentAcknowledgements(
  db: Database,
  scope: Scope,
  limit: number,
  batchId?: string,
): Promise<AcknowledgementRow[]> {
  return db
    .select()
    .from(acknowledgements)
    .where(
      and(
        inOrg(acknowledgements, scope),
        batchId ? sql`${batchId}::uuid = any(${acknowledgements.batchIds})` : undefined,
      ),
    )
    .orderBy(desc(acknowledgements.receivedAt), desc(acknowledgements.id))
    .limit(limit);
}

/* batchesByControlNumbers: the organization's batches by ISA13 or GS06, whoever's facilities they hold. */
export function batchesByControlNumbers(
  db: Database,
  scope: Scope,
  by: "interchange" | "group",
  numbers: readonly number[],
): Promise<{ id: string; interchangeControlNumber: number; groupControlNumber: number }[]> {
  if (numbers.length === 0) return Promise.resolve([]);
  const column =
    by === "interchange" ? submissionBatches.interchangeControlNumber : submissionBatches.groupControlNumber;
  return db
    .select({
      id: submissionBatches.id,
      interchangeControlNumber: submissionBatches.interchangeControlNumber,
      groupControlNumber: submissionBatches.groupControlNumber,
    })
    .from(submissionBatches)
    .where(and(inOrg(submissionBatches, scope), inArray(column, [...numbers])));
}

/** The columns of a claim an acknowledgement matches, moves and routes by. */
export type AcknowledgedClaimRow = Pick<
  ClaimRow,
  "orgId" | "id" | "facilityId" | "patientControlNumber" | "status" | "version" | "serviceDate" | "totalCharge"
>;

/** The columns an acknowledgement reads of a claim: no more, as it reads thousands. */
const acknowledgedColumns = {
  orgId: claims.orgId,
  id: claims.id,
  facilityId: claims.facilityId,
  patientControlNumber: claims.patientControlNumber,
  status: claims.status,
  version: claims.version,
  serviceDate: claims.serviceDate,
  totalCharge: claims.totalCharge,
};

/** A claim of a batch as an acknowledgement meets it, with what routing its rework needs. */
export interface BatchMember {
  claim: AcknowledgedClaimRow;
  batchId: string;
  transactionSetControlNumber: string;
  encounterType: (typeof encounters.$inferSelect)["type"];
  payerKind: (typeof payers.$inferSelect)["kind"] | null;
}

/*
 * membersOfBatches: the claims the caller may see in the batches, locked, with their transaction set. Three
 * plain statements rather than one join: the batch rows by their key, then the claims by id, locked in id order
 * (two imports touching the same claims lock them in the same order, so neither deadlocks the other), and the
 * caller's facilities checked here on the claim and its patient, as `visibleClaims` does in SQL. The join with
 * the patients' facility subquery under FOR UPDATE took 28.7 s of a 10,000-claim 277CA (issue 11).
 */
export async function membersOfBatches(
  db: Database,
  scope: Scope,
  batchIds: readonly string[],
): Promise<BatchMember[]> {
  if (batchIds.length === 0) return [];
  const rows = await db
    .select({
      batchId: submissionBatchClaims.batchId,
      claimId: submissionBatchClaims.claimId,
      transactionSetControlNumber: submissionBatchClaims.transactionSetControlNumber,
    })
    .from(submissionBatchClaims)
    .where(and(inOrg(submissionBatchClaims, scope), inArray(submissionBatchClaims.batchId, [...batchIds])));
  if (rows.length === 0) return [];
  const claimIds = [...new Set(rows.map((row) => row.claimId))].sort();
  // Every claim of the organization's batches is locked, whoever's facilities it is at: which the caller may
  // see is decided below, and an unseen one is left unchanged (the lock ends with the transaction).
  const locked = await db
    .select({
      claim: acknowledgedColumns,
      patientFacilityId: patients.facilityId,
      encounterType: encounters.type,
      payerKind: payers.kind,
    })
    .from(claims)
    .innerJoin(patients, and(sameOrganization(patients, claims), eq(patients.id, claims.patientId)))
    .innerJoin(encounters, and(sameOrganization(encounters, claims), eq(encounters.id, claims.encounterId)))
    .leftJoin(payers, and(sameOrganization(payers, claims), eq(payers.id, claims.payerId)))
    .where(
      and(
        acrossFacilities(claims, organizationOnly(scope.orgId)),
        sql`${claims.id} = any(${sql.param(claimIds)}::uuid[])`,
      ),
    )
    .orderBy(asc(claims.id))
    .for("update", { of: claims });
  const visible = new Map(
    locked
      .filter((row) => canSeeFacility(scope, row.claim.facilityId) && canSeeFacility(scope, row.patientFacilityId))
      .map((row) => [row.claim.id, row]),
  );
  return rows.flatMap((row) => {
    const claim = visible.get(row.claimId);
    return claim
      ? [
          {
            claim: claim.claim,
            batchId: row.batchId,
            transactionSetControlNumber: row.transactionSetControlNumber,
            encounterType: claim.encounterType,
            payerKind: claim.payerKind,
          },
        ]
      : [];
  });
}

/** A claim's new status from an acknowledgement, and the payer's number when it gave one. */
export interface AcknowledgedChange {
  claimId: string;
  status: "ACCEPTED" | "REJECTED";
  payerClaimControlNumber: string | null;
}

/*
 * acknowledgeClaims: claims `membersOfBatches` locked and found SUBMITTED and visible to the caller move to
 * ACCEPTED or REJECTED in one statement (UPDATE … FROM unnest), versions bumped. The lock and that check are why
 * the organization is all this statement filters on: the caller's facilities again (the patients' subquery)
 * took a tenth of a 10,000-claim import. A claim no longer SUBMITTED is left as it is and not returned.
 */
export function acknowledgeClaims(
  db: Database,
  scope: Scope,
  changes: readonly AcknowledgedChange[],
): Promise<AcknowledgedClaimRow[]> {
  if (changes.length === 0) return Promise.resolve([]);
  const ids = changes.map((change) => change.claimId);
  const statuses = changes.map((change) => change.status);
  const numbers = changes.map((change) => change.payerClaimControlNumber);
  return db
    .update(claims)
    .set({
      status: sql`v.status::claim_status`,
      payerClaimControlNumber: sql`coalesce(v.payer_claim_control_number, ${claims.payerClaimControlNumber})`,
      version: sql`${claims.version} + 1`,
      updatedAt: sql`now()`,
    })
    .from(
      sql`unnest(${sql.param(ids)}::uuid[], ${sql.param(statuses)}::text[], ${sql.param(numbers)}::text[])
        as v(id, status, payer_claim_control_number)`,
    )
    .where(
      and(
        acrossFacilities(claims, organizationOnly(scope.orgId)),
        sql`${claims.id} = v.id`,
        eq(claims.status, "SUBMITTED"),
      ),
    )
    .returning(acknowledgedColumns);
}
