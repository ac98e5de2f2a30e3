import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { keysetAfter, keysetOrder } from "../../db/keyset.js";
import { facilities, payers } from "../../db/schema/organizations.js";
import {
  type claimAdjustments,
  type claimPayments,
  type linePayments,
  providerAdjustments,
  remittanceFiles,
  remittances,
} from "../../db/schema/remittance.js";
import { inFacilities, inOrg, ownedBy, type Scope } from "../../db/scope.js";
import { lazyCount, type Page, type PageRequest, toPage } from "../../shared/pagination.js";

/*
 * The remittance's own rows: the 835 file as received, each payment (remittance) claimed once by payer and trace
 * number, its provider-level adjustments, and the payer and payee it names. Claim payments are read in
 * claim-payment.store.ts and written in posting.store.ts.
 */

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
  return (await keptFile(db, scope, file.contentHash))!;
}

/** The organization's 835 of this content hash, when one was read and kept before. */
export async function keptFile(db: Database, scope: Scope, contentHash: string): Promise<string | undefined> {
  const [kept] = await db
    .select({ id: remittanceFiles.id })
    .from(remittanceFiles)
    .where(and(inOrg(remittanceFiles, scope), eq(remittanceFiles.contentHash, contentHash)));
  return kept?.id;
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

/** The payments posted before, by payer and trace number, in no particular order. */
export function remittancesByKeys(
  db: Database,
  scope: Scope,
  keys: readonly { payer: string; traceNumber: string }[],
): Promise<RemittanceRow[]> {
  if (keys.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(remittances)
    .where(
      and(
        inOrg(remittances, scope),
        sql`(${remittances.payerIdentifier}, ${remittances.traceNumber}) in (
          select * from unnest(${sql.param(keys.map((key) => key.payer))}::text[],
            ${sql.param(keys.map((key) => key.traceNumber))}::text[]))`,
      ),
    );
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
  const rows = await db
    .select()
    .from(remittances)
    .where(and(inOrg(remittances, scope), after))
    .orderBy(...keysetOrder(NEWEST_FIRST, "desc"))
    .limit(page.first + 1);
  return toPage(rows, page, lazyCount(db.select({ n: count() }).from(remittances).where(inOrg(remittances, scope))));
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
