import { and, asc, eq, isNull, notExists, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client.js";
import { claimLines, claims } from "../../db/schema/claims.js";
import { encounters } from "../../db/schema/encounters.js";
import { payers } from "../../db/schema/organizations.js";
import { coverages, patients } from "../../db/schema/patients.js";
import { claimPayments, providerAdjustments } from "../../db/schema/remittance.js";
import {
  atFacility,
  inFacilities,
  ownedBy,
  referencesInFacilities,
  type Scope,
  sameOrganization,
  underFacilities,
} from "../../db/scope.js";
import type { ClaimRow } from "../claims/index.js";
import type {
  ClaimPaymentRow,
  NewClaimAdjustment,
  NewClaimPayment,
  NewLinePayment,
  NewProviderAdjustment,
} from "./remittance.store.js";

/*
 * What posting a payment writes, set-wise: the claims it finds and locks, their new payment, line and adjustment
 * rows, their totals and status moved, and their history. Thousands of rows go in one statement each, as columns
 * of arrays unnested in SQL: one bound parameter per column rather than per value, and no query building per row.
 * postgres.js has no serializer for numeric[], smallint[] or date[], so those travel as text[] and are cast.
 */

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

/** One array parameter of text (nulls kept), for a column cast in SQL. */
const texts = (values: readonly (string | number | null | undefined)[]): SQL =>
  sql`${sql.param(values.map((value) => (value === null || value === undefined ? null : String(value))))}::text[]`;

/** The rows' values of one column, as one array parameter: `column((row) => row.paid)`. */
const columnsOf =
  <T>(rows: readonly T[]) =>
  (pick: (row: T) => string | number | null | undefined): SQL =>
    texts(rows.map(pick));

/** Lists of text (remark codes, modifiers) as array literals, one per row, each cast back with `::text[]`. */
const lists = (values: readonly (readonly string[] | null | undefined)[]): SQL =>
  texts(values.map((list) => `{${(list ?? []).map((item) => `"${item.replace(/[\\"]/g, "\\$&")}"`).join(",")}}`));

/*
 * insertPosting: the payment's claim payments, lines and adjustments, one statement each. A claim payment's
 * facility must be one of the caller's (atFacility refuses it otherwise, as for a single row).
 */
export async function insertPosting(db: Database, scope: Scope, posting: Posting): Promise<void> {
  const rows = posting.claimPayments.map((row) => atFacility(scope, row));
  const claimPayment = columnsOf(rows);
  if (rows.length > 0)
    await db.execute(sql`
      insert into claim_payments (org_id, id, remittance_id, claim_id, facility_id, patient_control_number,
        claim_status_code, charge, paid, patient_responsibility, payer_claim_control_number, remarks, status_before,
        status_after, reverses_id, resolves_id, detail, unmatched_reason, posted_by)
      select ${scope.orgId}, id::uuid, remittance_id::uuid, claim_id::uuid, facility_id::uuid, patient_control_number,
        claim_status_code, charge::numeric, paid::numeric, patient_responsibility::numeric,
        payer_claim_control_number, remarks::text[], status_before::claim_status, status_after::claim_status,
        reverses_id::uuid, resolves_id::uuid, detail::jsonb, unmatched_reason, posted_by::uuid
      from unnest(${claimPayment((row) => row.id)}, ${claimPayment((row) => row.remittanceId)},
        ${claimPayment((row) => row.claimId)}, ${claimPayment((row) => row.facilityId)},
        ${claimPayment((row) => row.patientControlNumber)}, ${claimPayment((row) => row.claimStatusCode)},
        ${claimPayment((row) => row.charge)}, ${claimPayment((row) => row.paid)},
        ${claimPayment((row) => row.patientResponsibility)}, ${claimPayment((row) => row.payerClaimControlNumber)},
        ${lists(rows.map((row) => row.remarks))}, ${claimPayment((row) => row.statusBefore)},
        ${claimPayment((row) => row.statusAfter)}, ${claimPayment((row) => row.reversesId)},
        ${claimPayment((row) => row.resolvesId)},
        ${claimPayment((row) => (row.detail ? JSON.stringify(row.detail) : null))},
        ${claimPayment((row) => row.unmatchedReason)}, ${claimPayment((row) => row.postedBy)})
        as v(id, remittance_id, claim_id, facility_id, patient_control_number, claim_status_code, charge, paid,
          patient_responsibility, payer_claim_control_number, remarks, status_before, status_after, reverses_id,
          resolves_id, detail, unmatched_reason, posted_by)`);
  const lines = posting.linePayments;
  const line = columnsOf(lines);
  if (lines.length > 0)
    await db.execute(sql`
      insert into line_payments (org_id, id, claim_payment_id, claim_id, line_number, line_control_number, code,
        modifiers, units, charge, paid, service_date, remarks)
      select ${scope.orgId}, id::uuid, claim_payment_id::uuid, claim_id::uuid, line_number::smallint,
        line_control_number, code, modifiers::text[], units, charge::numeric, paid::numeric, service_date::date,
        remarks::text[]
      from unnest(${line((row) => row.id)}, ${line((row) => row.claimPaymentId)},
        ${line((row) => row.claimId)}, ${line((row) => row.lineNumber)},
        ${line((row) => row.lineControlNumber)}, ${line((row) => row.code)},
        ${lists(lines.map((row) => row.modifiers))}, ${line((row) => row.units)},
        ${line((row) => row.charge)}, ${line((row) => row.paid)},
        ${line((row) => row.serviceDate)}, ${lists(lines.map((row) => row.remarks))})
        as v(id, claim_payment_id, claim_id, line_number, line_control_number, code, modifiers, units, charge, paid,
          service_date, remarks)`);
  const adjustments = posting.adjustments;
  const adjustment = columnsOf(adjustments);
  if (adjustments.length > 0)
    await db.execute(sql`
      insert into claim_adjustments (org_id, id, claim_id, claim_payment_id, line_payment_id, line_number,
        group_code, reason_code, amount, quantity, created_by)
      select ${scope.orgId}, id::uuid, claim_id::uuid, claim_payment_id::uuid, line_payment_id::uuid,
        line_number::smallint, group_code, reason_code, amount::numeric, quantity, created_by::uuid
      from unnest(${adjustment((row) => row.id)}, ${adjustment((row) => row.claimId)},
        ${adjustment((row) => row.claimPaymentId)}, ${adjustment((row) => row.linePaymentId)},
        ${adjustment((row) => row.lineNumber)}, ${adjustment((row) => row.groupCode)},
        ${adjustment((row) => row.reasonCode)}, ${adjustment((row) => row.amount)},
        ${adjustment((row) => row.quantity)}, ${adjustment((row) => row.createdBy)})
        as v(id, claim_id, claim_payment_id, line_payment_id, line_number, group_code, reason_code, amount, quantity,
          created_by)`);
  // A payment has a handful of provider-level adjustments at most.
  if (posting.providerAdjustments.length > 0)
    await db.insert(providerAdjustments).values(posting.providerAdjustments.map((row) => ownedBy(scope, row)));
}

/** One line of a claim's status history, as a posting writes it. */
export interface PostedStatusChange {
  id: string;
  claimId: string;
  fromStatus: ClaimRow["status"];
  toStatus: ClaimRow["status"];
  actorId: string;
  reason: string;
}

/* insertPostedStatusChanges: the claims' history lines of a posting, in one statement. */
export async function insertPostedStatusChanges(
  db: Database,
  scope: Scope,
  changes: readonly PostedStatusChange[],
): Promise<void> {
  if (changes.length === 0) return;
  await db.execute(sql`
    insert into claim_status_changes (org_id, id, claim_id, from_status, to_status, actor_id, reason)
    select ${scope.orgId}, id::uuid, claim_id::uuid, from_status::claim_status, to_status::claim_status, actor_id::uuid,
      reason
    from unnest(${texts(changes.map((change) => change.id))}, ${texts(changes.map((change) => change.claimId))},
      ${texts(changes.map((change) => change.fromStatus))}, ${texts(changes.map((change) => change.toStatus))},
      ${texts(changes.map((change) => change.actorId))}, ${texts(changes.map((change) => change.reason))})
      as v(id, claim_id, from_status, to_status, actor_id, reason)`);
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
 * moveClaims: each claim's totals moved, its status set, the payer's number kept when the 835 gives one, its
 * version bumped; one statement (UPDATE … FROM unnest).
 */
export async function moveClaims(db: Database, scope: Scope, moves: readonly ClaimMovement[]): Promise<ClaimRow[]> {
  if (moves.length === 0) return [];
  const column = <K extends keyof ClaimMovement>(key: K) => texts(moves.map((move) => move[key]));
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
      sql`(select id::uuid, paid::numeric, adjusted::numeric, patient_responsibility::numeric, status,
            payer_claim_control_number
          from unnest(${column("claimId")}, ${column("paid")}, ${column("adjusted")},
            ${column("patientResponsibility")}, ${column("status")}, ${column("payerClaimControlNumber")})
            as u(id, paid, adjusted, patient_responsibility, status, payer_claim_control_number)) as v`,
    )
    .where(and(inFacilities(claims, scope), sql`${claims.id} = v.id`))
    .returning();
  return rows as ClaimRow[];
}

/* payClaimLines: what each matched line was paid, added to it. */
export async function payClaimLines(
  db: Database,
  scope: Scope,
  paid: readonly { claimId: string; lineNumber: number; amount: string }[],
): Promise<void> {
  if (paid.length === 0) return;
  await db
    .update(claimLines)
    .set({ paidAmount: sql`${claimLines.paidAmount} + v.amount` })
    .from(
      sql`(select claim_id::uuid, line_number::smallint, sum(amount::numeric) as amount
        from unnest(${texts(paid.map((line) => line.claimId))}, ${texts(paid.map((line) => line.lineNumber))},
          ${texts(paid.map((line) => line.amount))}) as u(claim_id, line_number, amount)
        group by claim_id, line_number) as v`,
    )
    .where(
      and(
        underFacilities(claimLines, claimLines.claimId, claims, scope),
        sql`${claimLines.claimId} = v.claim_id and ${claimLines.lineNumber} = v.line_number`,
      ),
    );
}

/** The coverage priority a secondary claim bills (the claims module's SECONDARY_PRIORITY). */
const SECONDARY = 2;

/*
 * claimsWithSecondaryCoverage: of these claims, those whose patient has a secondary coverage in force on the date
 * of service: the only ones a secondary claim may be billed for, found in one statement rather than one per claim.
 */
export async function claimsWithSecondaryCoverage(
  db: Database,
  scope: Scope,
  claimIds: readonly string[],
): Promise<Set<string>> {
  if (claimIds.length === 0) return new Set();
  const rows = await db
    .select({ id: claims.id })
    .from(claims)
    .where(
      and(
        inFacilities(claims, scope),
        sql`${claims.id} = any(${sql.param([...claimIds])}::uuid[])`,
        sql`exists (select 1 from ${coverages}
          where ${sameOrganization(coverages, claims)} and ${coverages.patientId} = ${claims.patientId}
            and ${coverages.priority} = ${SECONDARY} and ${coverages.effectiveFrom} <= ${claims.serviceDate}
            and (${coverages.effectiveTo} is null or ${coverages.effectiveTo} >= ${claims.serviceDate}))`,
      ),
    );
  return new Set(rows.map((row) => row.id));
}
