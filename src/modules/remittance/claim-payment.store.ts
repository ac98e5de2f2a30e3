import { and, asc, count, eq, inArray, isNull, notExists, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client.js";
import { keysetAfter, keysetOrder } from "../../db/keyset.js";
import { claims } from "../../db/schema/claims.js";
import { adjustmentCodes } from "../../db/schema/codesets.js";
import { claimAdjustments, claimPayments, linePayments } from "../../db/schema/remittance.js";
import { inFacilities, type Scope, sameOrganization, underFacilities } from "../../db/scope.js";
import { lazyCount, type Page, type PageRequest, toPage } from "../../shared/pagination.js";
import type { ClaimAdjustmentRow, ClaimPaymentRow, LinePaymentRow } from "./remittance.store.js";

/*
 * Reading what was posted: claim payments (of a remittance, of claims, unmatched ones), their lines and
 * adjustments with the payer's reasons in words. Posting's own writes are in posting.store.ts.
 */

/* claimPaymentsOfRemittances: in file order. */
export function claimPaymentsOfRemittances(
  db: Database,
  scope: Scope,
  remittanceIds: readonly string[],
): Promise<ClaimPaymentRow[]> {
  return db
    .select()
    .from(claimPayments)
    .where(and(inFacilities(claimPayments, scope), inArray(claimPayments.remittanceId, [...remittanceIds])))
    .orderBy(asc(claimPayments.postedAt), asc(claimPayments.id));
}

/* claimPaymentsByIds */
export function claimPaymentsByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<ClaimPaymentRow[]> {
  return db
    .select()
    .from(claimPayments)
    .where(and(inFacilities(claimPayments, scope), inArray(claimPayments.id, [...ids])));
}

/* claimPaymentForUpdate: one claim payment, locked, when the caller may see it. */
export async function claimPaymentForUpdate(
  db: Database,
  scope: Scope,
  id: string,
): Promise<ClaimPaymentRow | undefined> {
  const [row] = await db
    .select()
    .from(claimPayments)
    .where(and(inFacilities(claimPayments, scope), eq(claimPayments.id, id)))
    .for("update");
  return row;
}

/* claimPaymentsOfClaims: each claim's postings, oldest first. */
export function claimPaymentsOfClaims(db: Database, scope: Scope, claimIds: readonly string[]) {
  return db
    .select()
    .from(claimPayments)
    .where(and(inFacilities(claimPayments, scope), inArray(claimPayments.claimId, [...claimIds])))
    .orderBy(asc(claimPayments.postedAt), asc(claimPayments.id));
}

const settlement = alias(claimPayments, "settlement");

/** Unmatched claim payments no match by hand has settled. */
function stillUnmatched(db: Database, scope: Scope): SQL {
  return and(
    inFacilities(claimPayments, scope),
    isNull(claimPayments.claimId),
    notExists(
      db
        .select({ one: sql`1` })
        .from(settlement)
        .where(and(sameOrganization(settlement, claimPayments), eq(settlement.resolvesId, claimPayments.id))),
    ),
  )!;
}

const OLDEST_FIRST = [claimPayments.postedAt, claimPayments.id];

/* findUnmatchedClaimPayments: oldest first (keyset), with an exact total. */
export async function findUnmatchedClaimPayments(
  db: Database,
  scope: Scope,
  page: PageRequest<ClaimPaymentRow>,
): Promise<Page<ClaimPaymentRow>> {
  const after = page.after ? keysetAfter(OLDEST_FIRST, [page.after.postedAt, page.after.id], "asc") : undefined;
  const rows = await db
    .select()
    .from(claimPayments)
    .where(and(stillUnmatched(db, scope), after))
    .orderBy(...keysetOrder(OLDEST_FIRST, "asc"))
    .limit(page.first + 1);
  return toPage(rows, page, lazyCount(db.select({ n: count() }).from(claimPayments).where(stillUnmatched(db, scope))));
}

/* settlementOf: the match by hand that settled an unmatched claim payment, if any. */
export async function settlementOf(db: Database, scope: Scope, id: string): Promise<ClaimPaymentRow | undefined> {
  const [row] = await db
    .select()
    .from(claimPayments)
    .where(and(inFacilities(claimPayments, scope), eq(claimPayments.resolvesId, id)));
  return row;
}

/* postedCountsOfRemittances: per remittance, claim payments posted to a claim, and those still unmatched. */
export async function postedCountsOfRemittances(
  db: Database,
  scope: Scope,
  remittanceIds: readonly string[],
): Promise<{ remittanceId: string; posted: number; unmatched: number }[]> {
  return db
    .select({
      remittanceId: claimPayments.remittanceId,
      posted: sql<number>`(count(*) filter (where ${claimPayments.claimId} is not null))::int`,
      unmatched: sql<number>`(count(*) filter (where ${stillUnmatched(db, scope)}))::int`,
    })
    .from(claimPayments)
    .where(and(inFacilities(claimPayments, scope), inArray(claimPayments.remittanceId, [...remittanceIds])))
    .groupBy(claimPayments.remittanceId);
}

/* linePaymentsOfClaimPayments: in file order. */
export function linePaymentsOfClaimPayments(
  db: Database,
  scope: Scope,
  claimPaymentIds: readonly string[],
): Promise<LinePaymentRow[]> {
  return db
    .select()
    .from(linePayments)
    .where(
      and(
        underFacilities(linePayments, linePayments.claimId, claims, scope),
        inArray(linePayments.claimPaymentId, [...claimPaymentIds]),
      ),
    )
    .orderBy(asc(linePayments.claimPaymentId), asc(linePayments.id));
}

/** An adjustment with the texts of its group and reason (from the shipped CARC list). */
export type ExplainedAdjustment = ClaimAdjustmentRow & { reasonText: string | null };

/* adjustmentsOfClaims: each claim's adjustments, oldest first, with the CARC's text. */
export async function adjustmentsOfClaims(
  db: Database,
  scope: Scope,
  claimIds: readonly string[],
): Promise<ExplainedAdjustment[]> {
  const rows = await db
    .select({ adjustment: claimAdjustments, reasonText: adjustmentCodes.description })
    .from(claimAdjustments)
    .leftJoin(
      adjustmentCodes,
      and(
        eq(claimAdjustments.kind, "REMITTANCE"),
        eq(adjustmentCodes.type, "CARC"),
        eq(adjustmentCodes.code, claimAdjustments.reasonCode),
      ),
    )
    .where(
      and(
        underFacilities(claimAdjustments, claimAdjustments.claimId, claims, scope),
        inArray(claimAdjustments.claimId, [...claimIds]),
      ),
    )
    .orderBy(asc(claimAdjustments.createdAt), asc(claimAdjustments.id));
  return rows.map(({ adjustment, reasonText }) => ({ ...adjustment, reasonText }));
}

/* adjustmentCodeTexts: the texts of CARCs or RARCs, by code, from the shipped list. */
export async function adjustmentCodeTexts(
  db: Database,
  type: "CARC" | "RARC",
  codes: readonly string[],
): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .select({ code: adjustmentCodes.code, description: adjustmentCodes.description })
    .from(adjustmentCodes)
    .where(and(eq(adjustmentCodes.type, type), inArray(adjustmentCodes.code, [...new Set(codes)])));
  return new Map(rows.map((row) => [row.code, row.description]));
}
