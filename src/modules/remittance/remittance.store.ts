import { and, asc, count, desc, eq, inArray, isNull, notExists, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client.js";
import { keysetAfter, keysetOrder } from "../../db/keyset.js";
import { claimLines, claims } from "../../db/schema/claims.js";
import { adjustmentCodes } from "../../db/schema/codesets.js";
import { encounters } from "../../db/schema/encounters.js";
import { facilities, payers } from "../../db/schema/organizations.js";
import { patients } from "../../db/schema/patients.js";
import {
  claimAdjustments,
  claimPayments,
  linePayments,
  providerAdjustments,
  remittanceFiles,
  remittances,
} from "../../db/schema/remittance.js";
import {
  atFacility,
  inFacilities,
  inOrg,
  ownedBy,
  referencesInFacilities,
  type Scope,
  sameOrganization,
  underFacilities,
} from "../../db/scope.js";
import { type Page, type PageRequest, toPage } from "../../shared/pagination.js";
import type { ClaimRow } from "../claims/index.js";

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

/** Rows per INSERT or UPDATE: well under PostgreSQL's 65,535 bound parameters for the widest row here. */
const CHUNK = 2_000;

async function insertChunked<T>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) await insert(rows.slice(start, start + CHUNK));
}

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

/** A claim as a posting finds it: locked, with its lines and what routing its denial work needs. */
export interface ClaimToPost {
  claim: ClaimRow;
  encounterType: (typeof encounters.$inferSelect)["type"];
  payerKind: (typeof payers.$inferSelect)["kind"] | null;
  lines: { lineNumber: number; lineControlNumber: string; code: string; modifiers: string[]; serviceDate: string }[];
}

/*
 * claimsToPost: the caller's claims with these patient control numbers (or ids), locked in id order (two
 * postings that share claims queue, never deadlock), with their lines; keyed by patient control number.
 */
export async function claimsToPost(
  db: Database,
  scope: Scope,
  by: { patientControlNumbers: readonly string[] } | { ids: readonly string[] },
): Promise<Map<string, ClaimToPost>> {
  const wanted =
    "ids" in by
      ? sql`${claims.id} = any(${sql.param([...by.ids])}::uuid[])`
      : sql`${claims.patientControlNumber} = any(${sql.param([...by.patientControlNumbers])}::text[])`;
  const found = await db
    .select({ claim: claims, encounterType: encounters.type, payerKind: payers.kind })
    .from(claims)
    .innerJoin(encounters, and(sameOrganization(encounters, claims), eq(encounters.id, claims.encounterId)))
    .leftJoin(payers, and(sameOrganization(payers, claims), eq(payers.id, claims.payerId)))
    .where(and(inFacilities(claims, scope), referencesInFacilities(claims.patientId, patients, scope), wanted))
    .orderBy(asc(claims.id))
    .for("update", { of: claims });
  const lines = found.length
    ? await db
        .select({
          claimId: claimLines.claimId,
          lineNumber: claimLines.lineNumber,
          lineControlNumber: claimLines.lineControlNumber,
          code: claimLines.code,
          modifiers: claimLines.modifiers,
          serviceDate: claimLines.serviceDate,
        })
        .from(claimLines)
        .where(
          and(
            underFacilities(claimLines, claimLines.claimId, claims, scope),
            sql`${claimLines.claimId} = any(${sql.param(found.map((row) => row.claim.id))}::uuid[])`,
          ),
        )
        .orderBy(asc(claimLines.claimId), asc(claimLines.lineNumber))
    : [];
  const result = new Map<string, ClaimToPost>();
  const byId = new Map<string, ClaimToPost>();
  for (const row of found) {
    const entry = { ...row, lines: [] };
    result.set(row.claim.patientControlNumber, entry);
    byId.set(row.claim.id, entry);
  }
  for (const { claimId, ...line } of lines) byId.get(claimId)!.lines.push(line);
  return result;
}

const reversal = alias(claimPayments, "reversal");

/*
 * standingPostings: each claim's postings that no reversal has undone yet, oldest first: what a reversal in an
 * 835 (CLP02 22) takes back.
 */
export function standingPostings(db: Database, scope: Scope, claimIds: readonly string[]): Promise<ClaimPaymentRow[]> {
  if (claimIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(claimPayments)
    .where(
      and(
        inFacilities(claimPayments, scope),
        sql`${claimPayments.claimId} = any(${sql.param([...claimIds])}::uuid[])`,
        isNull(claimPayments.reversesId),
        notExists(
          db
            .select({ one: sql`1` })
            .from(reversal)
            .where(and(sameOrganization(reversal, claimPayments), eq(reversal.reversesId, claimPayments.id))),
        ),
      ),
    )
    .orderBy(asc(claimPayments.postedAt), asc(claimPayments.id));
}

/** What one payment posts, every row with its id already given, so rows can name each other. */
export interface Posting {
  claimPayments: (NewClaimPayment & { id: string })[];
  linePayments: (NewLinePayment & { id: string })[];
  adjustments: (NewClaimAdjustment & { id: string })[];
  providerAdjustments: NewProviderAdjustment[];
}

/* insertPosting: the payment's claim payments, lines and adjustments, set-wise. */
export async function insertPosting(db: Database, scope: Scope, posting: Posting): Promise<void> {
  await insertChunked(posting.claimPayments, (chunk) =>
    db.insert(claimPayments).values(chunk.map((row) => atFacility(scope, row))),
  );
  await insertChunked(posting.linePayments, (chunk) =>
    db.insert(linePayments).values(chunk.map((row) => ownedBy(scope, row))),
  );
  await insertChunked(posting.adjustments, (chunk) =>
    db.insert(claimAdjustments).values(chunk.map((row) => ownedBy(scope, row))),
  );
  await insertChunked(posting.providerAdjustments, (chunk) =>
    db.insert(providerAdjustments).values(chunk.map((row) => ownedBy(scope, row))),
  );
}

/** How one claim's row moves with a payment's postings. */
export interface ClaimMovement {
  claimId: string;
  paid: string;
  adjusted: string;
  patientResponsibility: string;
  status: ClaimRow["status"];
  payerClaimControlNumber: string | null;
}

/*
 * Numbers travel as text[] and are cast in SQL: postgres.js has no serializer for numeric[] or smallint[].
 *
 * moveClaims: each claim's totals moved, its status set, the payer's number kept when the 835 gives one, its
 * version bumped; one statement per chunk (UPDATE … FROM unnest).
 */
export async function moveClaims(db: Database, scope: Scope, moves: readonly ClaimMovement[]): Promise<ClaimRow[]> {
  const moved: ClaimRow[] = [];
  for (let start = 0; start < moves.length; start += CHUNK) {
    const chunk = moves.slice(start, start + CHUNK);
    const column = <K extends keyof ClaimMovement>(key: K) => sql.param(chunk.map((move) => move[key]));
    const rows = await db
      .update(claims)
      .set({
        paidAmount: sql`${claims.paidAmount} + v.paid`,
        adjustedAmount: sql`${claims.adjustedAmount} + v.adjusted`,
        patientResponsibility: sql`${claims.patientResponsibility} + v.patient_responsibility`,
        status: sql`v.status::claim_status`,
        payerClaimControlNumber: sql`coalesce(v.payer_claim_control_number, ${claims.payerClaimControlNumber})`,
        version: sql`${claims.version} + 1`,
        updatedAt: sql`now()`,
      })
      .from(
        sql`unnest(${column("claimId")}::uuid[], ${column("paid")}::text[]::numeric[],
          ${column("adjusted")}::text[]::numeric[], ${column("patientResponsibility")}::text[]::numeric[],
          ${column("status")}::text[], ${column("payerClaimControlNumber")}::text[])
          as v(id, paid, adjusted, patient_responsibility, status, payer_claim_control_number)`,
      )
      .where(and(inFacilities(claims, scope), sql`${claims.id} = v.id`))
      .returning();
    moved.push(...(rows as ClaimRow[]));
  }
  return moved;
}

/* payClaimLines: what each matched line was paid, added to it. */
export async function payClaimLines(
  db: Database,
  scope: Scope,
  paid: readonly { claimId: string; lineNumber: number; amount: string }[],
): Promise<void> {
  for (let start = 0; start < paid.length; start += CHUNK) {
    const chunk = paid.slice(start, start + CHUNK);
    await db
      .update(claimLines)
      .set({ paidAmount: sql`${claimLines.paidAmount} + v.amount` })
      .from(
        sql`(select claim_id, line_number, sum(amount) as amount from unnest(
          ${sql.param(chunk.map((line) => line.claimId))}::uuid[],
          ${sql.param(chunk.map((line) => String(line.lineNumber)))}::text[]::smallint[],
          ${sql.param(chunk.map((line) => line.amount))}::text[]::numeric[]) as u(claim_id, line_number, amount)
          group by claim_id, line_number) as v`,
      )
      .where(
        and(
          underFacilities(claimLines, claimLines.claimId, claims, scope),
          sql`${claimLines.claimId} = v.claim_id and ${claimLines.lineNumber} = v.line_number`,
        ),
      );
  }
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
