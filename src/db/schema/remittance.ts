import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { id, money, orgId } from "../columns.js";
import { claimStatus, claims } from "./claims.js";
import { facilities, organizations, payers } from "./organizations.js";
import { users } from "./users.js";

/*
 * Remittance: what payers paid, as their 835s said. Every row here is written once and never changed: a
 * reversal, a claim matched by hand or a write-off is a new row that names the one it answers, so the money's
 * history reads in order. Only the claim's own totals (claims.paid_amount and the like) are kept up to date.
 */

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** An 835 file as received: kept unchanged, unique by its SHA-256 so a file imported twice is known. */
export const remittanceFiles = pgTable(
  "remittance_files",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    contentHash: text("content_hash").notNull(),
    x12: text("x12").notNull(),
    /** ISA06 and ISA13 of the interchange. */
    senderId: text("sender_id").notNull(),
    interchangeControlNumber: text("interchange_control_number").notNull(),
    receivedBy: uuid("received_by").notNull(),
    receivedAt: at("received_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.receivedBy], foreignColumns: [users.orgId, users.id] }),
    uniqueIndex("remittance_files_org_content_hash_key").on(t.orgId, t.contentHash),
  ],
);

/**
 * One payment (an 835 transaction set: BPR and TRN) and what was posted from it. Unique by payer and trace
 * number, so the same payment posts once whichever file brings it and however many servers import it at once.
 */
export const remittances = pgTable(
  "remittances",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    fileId: uuid("file_id").notNull(),
    /** Who paid, as the 835 names them: TRN03 (1 and the payer's EIN, usually), else the N1*PR name. */
    payerIdentifier: text("payer_identifier").notNull(),
    /** TRN02: the check or EFT trace number. */
    traceNumber: text("trace_number").notNull(),
    /** Our payer, when the 835's payer id (N1*PR XV or REF*2U) or name is one of ours. */
    payerId: uuid("payer_id"),
    payerName: text("payer_name").notNull(),
    /** BPR02: what the payment carries, after provider-level adjustments. */
    paymentAmount: money("payment_amount").notNull(),
    /** BPR01: C payment with advice, I advice only, H notification, P prenotification, D debit. */
    handling: text("handling").notNull(),
    /** BPR04: ACH, CHK, FWT, BOP, NON. */
    method: text("method").notNull(),
    /** BPR16: when the money moves. */
    paymentDate: date("payment_date", { mode: "string" }),
    payeeName: text("payee_name").notNull(),
    /** N1*PE04: the payee's NPI or tax id as the payer knows it. */
    payeeIdentifier: text("payee_identifier"),
    postedBy: uuid("posted_by").notNull(),
    postedAt: at("posted_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.fileId], foreignColumns: [remittanceFiles.orgId, remittanceFiles.id] }),
    foreignKey({ columns: [t.orgId, t.payerId], foreignColumns: [payers.orgId, payers.id] }),
    foreignKey({ columns: [t.orgId, t.postedBy], foreignColumns: [users.orgId, users.id] }),
    uniqueIndex("remittances_org_payer_trace_key").on(t.orgId, t.payerIdentifier, t.traceNumber),
    index("remittances_org_posted_idx").on(t.orgId, t.postedAt),
    index("remittances_org_file_idx").on(t.orgId, t.fileId),
  ],
);

/**
 * One claim payment of a remittance (a CLP) as posted: to our claim, or unmatched (claim_id null) with all the
 * file said of it in `detail` until a biller matches it by hand, which posts a new row that `resolves` it.
 */
export const claimPayments = pgTable(
  "claim_payments",
  {
    orgId: orgId(),
    id: id(),
    remittanceId: uuid("remittance_id").notNull(),
    /** The claim it was posted to; null while unmatched. */
    claimId: uuid("claim_id"),
    /**
     * Where it is seen and worked: the claim's facility; for an unmatched one, the payee's facility (by NPI or tax
     * id), else the first of the poster's.
     */
    facilityId: uuid("facility_id").notNull(),
    /** CLP01 as the payer sent it. */
    patientControlNumber: text("patient_control_number").notNull(),
    /** CLP02: 1 primary, 2 secondary, 3 tertiary, 4 denied, 19–23 forwarded or reversed (22). */
    claimStatusCode: text("claim_status_code").notNull(),
    charge: money("charge").notNull(),
    paid: money("paid").notNull(),
    patientResponsibility: money("patient_responsibility").notNull(),
    /** CLP07. */
    payerClaimControlNumber: text("payer_claim_control_number"),
    /** MOA/MIA remark codes (RARCs) for the claim. */
    remarks: text("remarks").array().notNull().default(sql`'{}'::text[]`),
    /** The claim's status before and after this posting; a reversal puts back the one before what it undoes. */
    statusBefore: claimStatus("status_before"),
    statusAfter: claimStatus("status_after"),
    /** For a reversal (CLP02 22): the posting it undoes. */
    reversesId: uuid("reverses_id"),
    /** For a claim payment matched by hand: the unmatched row it settles. */
    resolvesId: uuid("resolves_id"),
    /**
     * For an unmatched one, everything read from the file for this CLP (lines, adjustments, remarks), as the reader
     * gave it, until a biller matches it; null once posted to a claim, whose line and adjustment rows say it all.
     */
    detail: jsonb("detail"),
    /** Why nothing of ours matched, for an unmatched row. */
    unmatchedReason: text("unmatched_reason"),
    postedBy: uuid("posted_by").notNull(),
    postedAt: at("posted_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.remittanceId], foreignColumns: [remittances.orgId, remittances.id] }),
    foreignKey({ columns: [t.orgId, t.claimId], foreignColumns: [claims.orgId, claims.id] }),
    foreignKey({ columns: [t.orgId, t.facilityId], foreignColumns: [facilities.orgId, facilities.id] }),
    foreignKey({
      columns: [t.orgId, t.reversesId],
      foreignColumns: [t.orgId, t.id] as [AnyPgColumn, AnyPgColumn],
    }),
    foreignKey({
      columns: [t.orgId, t.resolvesId],
      foreignColumns: [t.orgId, t.id] as [AnyPgColumn, AnyPgColumn],
    }),
    foreignKey({ columns: [t.orgId, t.postedBy], foreignColumns: [users.orgId, users.id] }),
    index("claim_payments_remittance_idx").on(t.orgId, t.remittanceId),
    index("claim_payments_claim_idx").on(t.orgId, t.claimId, t.postedAt),
    index("claim_payments_unmatched_idx").on(t.orgId, t.postedAt).where(sql`${t.claimId} is null`),
    // A posting is undone once, and an unmatched claim payment settled once. Partial: almost every claim payment
    // reverses and resolves nothing, and an 835's thousands of rows need not each add two null entries.
    uniqueIndex("claim_payments_reverses_key").on(t.orgId, t.reversesId).where(sql`${t.reversesId} is not null`),
    uniqueIndex("claim_payments_resolves_key").on(t.orgId, t.resolvesId).where(sql`${t.resolvesId} is not null`),
    check("claim_payments_unmatched_has_reason", sql`(${t.claimId} is null) = (${t.unmatchedReason} is not null)`),
    check("claim_payments_unmatched_has_detail", sql`${t.claimId} is not null or ${t.detail} is not null`),
  ],
);

/** One service line of a claim payment (SVC), with the claim line it was matched to when one was. */
export const linePayments = pgTable(
  "line_payments",
  {
    orgId: orgId(),
    id: id(),
    claimPaymentId: uuid("claim_payment_id").notNull(),
    claimId: uuid("claim_id").notNull(),
    /** Our claim line (claim_lines.line_number); null when no line matched. */
    lineNumber: smallint("line_number"),
    /** REF*6R as the payer returned it. */
    lineControlNumber: text("line_control_number"),
    code: text("code").notNull(),
    modifiers: text("modifiers").array().notNull().default(sql`'{}'::text[]`),
    units: text("units").notNull(),
    charge: money("charge").notNull(),
    paid: money("paid").notNull(),
    serviceDate: date("service_date", { mode: "string" }),
    /** LQ*HE remark codes (RARCs) for the line. */
    remarks: text("remarks").array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.claimPaymentId], foreignColumns: [claimPayments.orgId, claimPayments.id] }),
    foreignKey({ columns: [t.orgId, t.claimId], foreignColumns: [claims.orgId, claims.id] }),
    index("line_payments_claim_payment_idx").on(t.orgId, t.claimPaymentId),
    index("line_payments_claim_idx").on(t.orgId, t.claimId),
  ],
);

/**
 * Where an adjustment comes from: a payer's 835 (REMITTANCE, its reason a CARC), or a biller's decision about a
 * balance — a write-off (WRITE_OFF) or a move of the balance to the patient's statement (PATIENT_TRANSFER) — whose
 * reason codes are Chartroom's own (see WRITE_OFF_REASON and PATIENT_TRANSFER_REASON), not CARCs.
 */
export const adjustmentKind = pgEnum("adjustment_kind", ["REMITTANCE", "WRITE_OFF", "PATIENT_TRANSFER"]);

/**
 * Money a claim will not collect from its payer, and why: a CAS adjustment of a posted claim payment (of the
 * claim, or of one line when `line_payment_id` is set), or a biller's write-off. Patient responsibility (PR)
 * is an adjustment too: it moves the balance to the patient rather than cancelling it.
 */
export const claimAdjustments = pgTable(
  "claim_adjustments",
  {
    orgId: orgId(),
    id: id(),
    claimId: uuid("claim_id").notNull(),
    kind: adjustmentKind("kind").notNull().default("REMITTANCE"),
    /** The posting it came from; null for a biller's write-off or transfer to the patient. */
    claimPaymentId: uuid("claim_payment_id"),
    linePaymentId: uuid("line_payment_id"),
    /** Our claim line it adjusts; null when it adjusts the whole claim. */
    lineNumber: smallint("line_number"),
    /** CAS01: CO contractual, PR patient responsibility, OA other, PI payer initiated, CR correction. */
    groupCode: text("group_code").notNull(),
    /** The CARC, for a REMITTANCE adjustment; Chartroom's own code for the other kinds. */
    reasonCode: text("reason_code").notNull(),
    /** Why, in the biller's words: set for a write-off or transfer, null for what an 835 posted. */
    note: text("note"),
    /** Positive reduces what the payer owes; negative (in a reversal) gives it back. */
    amount: money("amount").notNull(),
    quantity: text("quantity"),
    createdBy: uuid("created_by").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.claimId], foreignColumns: [claims.orgId, claims.id] }),
    foreignKey({ columns: [t.orgId, t.claimPaymentId], foreignColumns: [claimPayments.orgId, claimPayments.id] }),
    foreignKey({ columns: [t.orgId, t.linePaymentId], foreignColumns: [linePayments.orgId, linePayments.id] }),
    foreignKey({ columns: [t.orgId, t.createdBy], foreignColumns: [users.orgId, users.id] }),
    index("claim_adjustments_claim_idx").on(t.orgId, t.claimId),
    index("claim_adjustments_claim_payment_idx").on(t.orgId, t.claimPaymentId),
    // An 835's adjustment names its posting; a biller's names none and says why.
    check(
      "claim_adjustments_kind_source",
      sql`(${t.kind} = 'REMITTANCE') = (${t.claimPaymentId} is not null)
        and (${t.kind} = 'REMITTANCE') = (${t.note} is null)`,
    ),
  ],
);

/** A provider-level adjustment of a payment (PLB): interest, a recoupment, a forwarding balance… */
export const providerAdjustments = pgTable(
  "provider_adjustments",
  {
    orgId: orgId(),
    id: id(),
    remittanceId: uuid("remittance_id").notNull(),
    /** PLB01. */
    providerIdentifier: text("provider_identifier").notNull(),
    fiscalPeriodEnd: date("fiscal_period_end", { mode: "string" }),
    /** PLB03-1: L6 interest, WO overpayment recovery, FB forwarding balance, CS adjustment… */
    reasonCode: text("reason_code").notNull(),
    /** PLB03-2: the payer's reference (the claim it recovers from, say). */
    reference: text("reference"),
    /** Positive takes money from the payment (a recoupment); negative adds to it (interest). */
    amount: money("amount").notNull(),
    /** Its order in the file. */
    position: integer("position").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.remittanceId], foreignColumns: [remittances.orgId, remittances.id] }),
    index("provider_adjustments_remittance_idx").on(t.orgId, t.remittanceId),
  ],
);

/**
 * A biller's appeal of a denied claim: why, and by when the payer must have it. Append-only: a second-level
 * appeal is a new row, and the latest is the one in progress.
 */
export const claimAppeals = pgTable(
  "claim_appeals",
  {
    orgId: orgId(),
    id: id(),
    claimId: uuid("claim_id").notNull(),
    /** The claim payment (the denial) it appeals: the claim's latest standing posting when it was made. */
    claimPaymentId: uuid("claim_payment_id").notNull(),
    reason: text("reason").notNull(),
    /** The last day the payer accepts it: the payer's appeal window from the denial unless the biller set one. */
    deadline: date("deadline", { mode: "string" }).notNull(),
    createdBy: uuid("created_by").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.claimId], foreignColumns: [claims.orgId, claims.id] }),
    foreignKey({ columns: [t.orgId, t.claimPaymentId], foreignColumns: [claimPayments.orgId, claimPayments.id] }),
    foreignKey({ columns: [t.orgId, t.createdBy], foreignColumns: [users.orgId, users.id] }),
    index("claim_appeals_claim_idx").on(t.orgId, t.claimId, t.createdAt),
  ],
);
