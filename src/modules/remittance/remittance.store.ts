import { and, asc, count, desc, eq, inArray, isNull, notExists, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client.js";
import { keysetAfter, keysetOrder } from "../../db/keyset.js";
import { claims } from "../../db/schema/claims.js";
import { adjustmentCodes } from "../../db/schema/codesets.js";
import { facilities, payers } from "../../db/schema/organizations.js";
import {
  claimAdjustments,
  claimPayments,
  linePayments,
  providerAdjustments,
  remittanceFiles,
  remittances,
} from "../../db/schema/remittance.js";
import { inFacilities, inOrg, ownedBy, type Scope, sameOrganization, underFacilities } from "../../db/scope.js";
import { type Page, type PageRequest, toPage } from "../../shared/pagination.js";

export type RemittanceRow = typeof remittances.$inferSelect;
export type NewRemittance = Omit<typeof remittances.$inferInsert, "orgId" | "postedAt">;
export type ClaimPaymentRow = typeof claimPayments.$inferSelect;
export type NewClaimPayment = Omit<typeof claimPayments.$inferInsert, "orgId" | "postedAt">;
export type LinePaymentRow = typeof linePayments.$inferSelect;
export type NewLinePayment = Omit<typeof linePayments.$inferInsert, "orgId">;
export type ClaimAdjustmentRow = typeof claimAdjustments.$inferSelect;
export type NewClaimAdjustment = Omit<typeof claimAdjustments.$inferInsert, "orgId" | "createdAt">;
export type ProviderAdjustmentRow = typeof providerAdjustments.$inferSelect;
export type NewProviderAdjustment = Omit<typeof providerAdjustments.$inferInsert, "orgId" | "id">;

/*
 * keepFile: the 835 as received, once per organization; the row of the same file kept earlier when there is
 * one. The insert waits for a concurrent import of the same file to end, then finds its row.
 */
export async function keepFile(
  db: Database,
  scope: Scope,
  file: Omit<typeof remittanceFiles.$inferInsert, "orgId" | "id" | "receivedAt">,
): Promise<string> {
  const [inserted] = await db
    .insert(remittanceFiles)
    .values(ownedBy(scope, file))
    .onConflictDoNothing({ target: [remittanceFiles.orgId, remittanceFiles.contentHash] })
    .returning({ id: remittanceFiles.id });
  if (inserted) return inserted.id;
  const [kept] = await db
    .select({ id: remittanceFiles.id })
    .from(remittanceFiles)
    .where(and(inOrg(remittanceFiles, scope), eq(remittanceFiles.contentHash, file.contentHash)));
  return kept!.id;
}

/*
 * claimRemittance: the payment's row, unless the organization has that payment (payer and trace number)
 * already. The unique index makes a second import wait for the first's transaction and then find it: the
 * payment posts once however many servers import it at the same time.
 */
export async function claimRemittance(
  db: Database,
  scope: Scope,
  values: NewRemittance,
): Promise<RemittanceRow | undefined> {
  const [row] = await db
    .insert(remittances)
    .values(ownedBy(scope, values))
    .onConflictDoNothing({ target: [remittances.orgId, remittances.payerIdentifier, remittances.traceNumber] })
    .returning();
  return row;
}

/* remittanceByTrace: the payment posted before, by payer and trace number. */
export async function remittanceByTrace(
  db: Database,
  scope: Scope,
  payerIdentifier: string,
  traceNumber: string,
): Promise<RemittanceRow | undefined> {
  const [row] = await db
    .select()
    .from(remittances)
    .where(
      and(
        inOrg(remittances, scope),
        eq(remittances.payerIdentifier, payerIdentifier),
        eq(remittances.traceNumber, traceNumber),
      ),
    );
  return row;
}

/* remittancesByIds */
export function remittancesByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<RemittanceRow[]> {
  return db
    .select()
    .from(remittances)
    .where(and(inOrg(remittances, scope), inArray(remittances.id, [...ids])));
}

const NEWEST_FIRST = [remittances.postedAt, remittances.id];

/* findRemittances: newest first (keyset), with an exact total. */
export async function findRemittances(
  db: Database,
  scope: Scope,
  page: PageRequest<RemittanceRow>,
): Promise<Page<RemittanceRow>> {
  const after = page.after ? keysetAfter(NEWEST_FIRST, [page.after.postedAt, page.after.id], "desc") : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(remittances)
      .where(and(inOrg(remittances, scope), after))
      .orderBy(...keysetOrder(NEWEST_FIRST, "desc"))
      .limit(page.first + 1),
    db.select({ n: count() }).from(remittances).where(inOrg(remittances, scope)),
  ]);
  return toPage(rows, page, total?.n ?? 0);
}

/* payerByIdentification: our payer whose 837 payer id the 835 names. */
export async function payerByIdentification(
  db: Database,
  scope: Scope,
  identification: string,
): Promise<typeof payers.$inferSelect | undefined> {
  const [row] = await db
    .select()
    .from(payers)
    .where(and(inOrg(payers, scope), eq(payers.payerId, identification)));
  return row;
}

/*
 * payeeFacility: where a claim payment that matched nothing is worked: the caller's facility whose NPI or tax id
 * the 835 names as payee, else the caller's first by name; undefined when the caller has no facility.
 */
export async function payeeFacility(
  db: Database,
  scope: Scope,
  identifier: string | null,
): Promise<string | undefined> {
  const named = identifier
    ? sql`(${facilities.npi} = ${identifier} or ${facilities.taxId} = ${identifier})`
    : sql`false`;
  const [row] = await db
    .select({ id: facilities.id })
    .from(facilities)
    .where(inFacilities({ orgId: facilities.orgId, facilityId: facilities.id }, scope))
    .orderBy(desc(named), asc(facilities.name), asc(facilities.id))
    .limit(1);
  return row?.id;
}

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
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(claimPayments)
      .where(and(stillUnmatched(db, scope), after))
      .orderBy(...keysetOrder(OLDEST_FIRST, "asc"))
      .limit(page.first + 1),
    db.select({ n: count() }).from(claimPayments).where(stillUnmatched(db, scope)),
  ]);
  return toPage(rows, page, total?.n ?? 0);
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

/* providerAdjustmentsOfRemittances: in file order. */
export function providerAdjustmentsOfRemittances(
  db: Database,
  scope: Scope,
  remittanceIds: readonly string[],
): Promise<ProviderAdjustmentRow[]> {
  return db
    .select()
    .from(providerAdjustments)
    .where(and(inOrg(providerAdjustments, scope), inArray(providerAdjustments.remittanceId, [...remittanceIds])))
    .orderBy(asc(providerAdjustments.remittanceId), asc(providerAdjustments.position));
}
