import { aliasedTable, type SQL, sql } from "drizzle-orm";
import { type Database, selectRows } from "../../db/client.js";
import { claimMilestones, claims, submissionBatches } from "../../db/schema/claims.js";
import { claimAdjustments, claimPayments } from "../../db/schema/remittance.js";
import { inFacilities, type Scope, sameOrganization } from "../../db/scope.js";
import type { ClaimRow } from "../claims/index.js";
import { CATEGORY_OF_REASON, type DenialCategory, REDUCTIONS } from "../remittance/index.js";

/*
 * The supervisor's reports, each one statement over the claims and postings at the caller's facilities. Money is
 * summed in SQL as numeric and comes back as text ("1234.50"); counts as integers.
 */

/*
 * reportRows: a report's statement with JIT compilation off and room to group in memory. The planner turns JIT on
 * by estimated cost alone, and a report over 100,000 claims crosses jit_above_cost: its compiling then took 250 ms
 * unloaded and seconds on a busy server, more than the statement's own run, which reads a few hundred thousand rows
 * once. Grouping 25,000 claims' postings spilled to disk at the default 4 MB of work_mem. Both settings are local
 * to the transaction, and end with it.
 */
async function reportRows<T>(db: Database, statement: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`);
    return selectRows<T>(tx, statement);
  });
}

/** A range of UTC dates, both inclusive. */
export interface DateRange {
  from: string;
  to: string;
}

/** An aging bucket's bounds in days: `to` null for the last, open-ended one. */
export interface AgingBounds {
  from: number;
  to: number | null;
}

/** 0–30, 31–60, 61–90, 91–120 and over 120 days. */
export const AGING_BUCKETS: readonly AgingBounds[] = [
  { from: 0, to: 30 },
  { from: 31, to: 60 },
  { from: 61, to: 90 },
  { from: 91, to: 120 },
  { from: 121, to: null },
];

/** What a claim's age is counted from: its date of service, or the day it was last sent to the payer. */
export type AgingBasis = "SERVICE_DATE" | "SUBMISSION_DATE";

/** One line of an aging report: by payer, by facility, or every open claim (both keys null, `whole`). */
export interface AgingRow {
  whole: boolean;
  /** Set on a by-payer row; null there for claims with no payer yet. */
  payerId: string | null;
  byPayer: boolean;
  facilityId: string | null;
  claimCount: number;
  balance: string;
  /** Per bucket of AGING_BUCKETS, in order. */
  bucketCounts: number[];
  bucketBalances: string[];
  /** Open claims never sent, which have no submission date (SUBMISSION_DATE basis only; 0 otherwise). */
  notSubmittedCount: number;
  notSubmittedBalance: string;
}

const money = (amount: SQL) => sql`coalesce(${amount}, 0)::numeric(14, 2)::text`;

/** A claim's balance: what neither the payer paid nor adjustments took away (the patient's share included). */
const balance = sql`(${claims.totalCharge} - ${claims.paidAmount} - ${claims.adjustedAmount})`;

/**
 * Claims still owed money: not voided or closed, with a balance. A void request (frequency 8) carries its
 * original's charges but asks for nothing, so it is not A/R.
 */
const open = sql`${claims.status} not in ('VOID', 'CLOSED') and ${claims.frequencyCode} <> '8' and ${balance} > 0`;

/*
 * arAging: one statement. Each open claim at the caller's facilities with its age in days on `asOf` (from its date
 * of service, or from the creation of the batch it was last sent in: null when never sent) and the bucket of that
 * age; summed first per payer, facility and bucket, two aggregates a claim (ten filtered sums a claim took twice as
 * long, and grouping sets cannot run in parallel workers), then those few cells per payer, per facility and in all
 * (grouping sets); `grouping()` tells the three kinds of row apart, since a payer may be null. A service date after
 * `asOf` counts in the first bucket.
 */
export async function arAging(db: Database, scope: Scope, basis: AgingBasis, asOf: string): Promise<AgingRow[]> {
  const age =
    basis === "SERVICE_DATE"
      ? sql`${asOf}::date - ${claims.serviceDate}`
      : sql`${asOf}::date - (${submissionBatches.createdAt} at time zone 'UTC')::date`;
  // The buckets run on from one another, so the first whose end is not passed is the age's (the last has none).
  const bucketOf = sql`case when age is null then null ${sql.join(
    AGING_BUCKETS.map(({ to }, index) => (to === null ? sql`else ${index}` : sql`when age <= ${to} then ${index}`)),
    sql` `,
  )} end`;
  const inBucket = AGING_BUCKETS.map((_, index) => sql`bucket = ${index}`);
  return reportRows<AgingRow>(
    db,
    sql`/* arAging */
      with aged as (
        select ${claims.payerId} as payer_id, ${claims.facilityId} as facility_id, ${balance} as balance,
               ${age} as age
        from ${claims}
        left join ${submissionBatches} on ${sameOrganization(submissionBatches, claims)}
                                      and ${submissionBatches.id} = ${claims.batchId}
        where ${inFacilities(claims, scope)} and ${open}
      ),
      cells as (
        select payer_id, facility_id, ${bucketOf} as bucket, count(*) as claims, sum(balance) as balance
        from aged
        group by payer_id, facility_id, bucket
      )
      select grouping(payer_id) = 0 as "byPayer",
             grouping(payer_id) = 1 and grouping(facility_id) = 1 as "whole",
             payer_id as "payerId", facility_id as "facilityId",
             sum(claims)::int as "claimCount", ${money(sql`sum(balance)`)} as "balance",
             array[${sql.join(
               inBucket.map((where) => sql`coalesce(sum(claims) filter (where ${where}), 0)::int`),
               sql`, `,
             )}] as "bucketCounts",
             array[${sql.join(
               inBucket.map((where) => money(sql`sum(balance) filter (where ${where})`)),
               sql`, `,
             )}] as "bucketBalances",
             coalesce(sum(claims) filter (where bucket is null), 0)::int as "notSubmittedCount",
             ${money(sql`sum(balance) filter (where bucket is null)`)} as "notSubmittedBalance"
      from cells
      group by grouping sets ((payer_id), (facility_id), ())`,
  );
}

/** Days in A/R's inputs: the open balance now, and the charges of claims served in the period. */
export interface DaysInArRow {
  balance: string;
  charges: string;
}

/*
 * daysInAr: one statement, two sums over the claims at the caller's facilities: the open balance (as arAging) and
 * the charges of claims whose date of service is in the `days` days ending on `asOf`. Voided claims are left out of
 * the charges, since their encounter is billed again on a new claim, and void requests bill nothing new.
 */
export async function daysInAr(db: Database, scope: Scope, asOf: string, days: number): Promise<DaysInArRow> {
  const billed = sql`${claims.status} <> 'VOID' and ${claims.frequencyCode} <> '8'`;
  const served = sql`${claims.serviceDate} > ${asOf}::date - ${days}::int and ${claims.serviceDate} <= ${asOf}::date`;
  const [row] = await reportRows<DaysInArRow>(
    db,
    sql`/* daysInAr */
      select ${money(sql`sum(${balance}) filter (where ${open})`)} as "balance",
             ${money(sql`sum(${claims.totalCharge}) filter (where ${billed} and ${served})`)} as "charges"
      from ${claims}
      where ${inFacilities(claims, scope)}`,
  );
  return row!;
}

/** Which way a denial figure is cut. */
export type DenialDimension = "ALL" | "PAYER" | "CATEGORY" | "CARC";

/** Denial figures of one cut: every adjudicated claim (ALL), one payer, one category or one CARC. */
export interface DenialRow {
  dimension: DenialDimension;
  /** The payer's id, the category or the CARC; null for ALL and for claims with no payer. */
  key: string | null;
  /** Claims adjudicated in the range (ALL and PAYER rows; 0 on the others, whose base is ALL's). */
  adjudicatedClaims: number;
  deniedClaims: number;
  deniedAmount: string;
}

// A posting's reversal, by the alias the statement gives it (an aliased table names only its alias in `sql`).
const reversal = aliasedTable(claimPayments, "reversal");
const reductions = sql.join(
  [...REDUCTIONS].map((code) => sql`${code}`),
  sql`, `,
);

/** Postings of the range at the caller's facilities that still stand: not reversals, and not reversed since. */
function standingPostings(scope: Scope, range: DateRange): SQL {
  return sql`${inFacilities(claimPayments, scope)} and ${claimPayments.claimId} is not null
    and ${claimPayments.reversesId} is null
    and ${claimPayments.postedAt} >= (${range.from}::date)::timestamp at time zone 'UTC'
    and ${claimPayments.postedAt} < (${range.to}::date + 1)::timestamp at time zone 'UTC'
    and not exists (select 1 from ${claimPayments} as ${reversal} where ${sameOrganization(reversal, claimPayments)}
                                                and ${reversal.reversesId} = ${claimPayments.id})`;
}

/** The CASE that gives a CARC its denial category, built from the table posting uses (`denialCategoryOf`). */
const categoryOf = (reason: SQL) =>
  sql`case ${reason} ${sql.join(
    Object.entries(CATEGORY_OF_REASON).map(([code, category]) => sql`when ${code} then ${category}`),
    sql` `,
  )} else ${"OTHER" satisfies DenialCategory} end`;

/*
 * denialRates: one statement. The standing postings of the range (by posting time, UTC dates), each with its
 * claim's payer and its denying adjustments: amount above zero, not patient responsibility, and not a reduction (fee
 * schedule, deductible…: what `denialCategoryOf` answers null for). Those rows are read once (a CTE named three
 * times is computed once) and cut three ways, each claim counted once per cut: adjudicated when it has such a
 * posting and denied when one of them denies anything (the whole claim or a line), in all and per payer (grouping
 * sets); and per category and per CARC, over the denying adjustments.
 */
export async function denialRates(db: Database, scope: Scope, range: DateRange): Promise<DenialRow[]> {
  return reportRows<DenialRow>(
    db,
    sql`/* denialRates */
      with posted as (
        select ${claimPayments.claimId} as claim_id, ${claims.payerId} as payer_id,
               ${claimAdjustments.reasonCode} as reason_code, ${claimAdjustments.amount} as amount
        from ${claimPayments}
        join ${claims} on ${sameOrganization(claims, claimPayments)} and ${claims.id} = ${claimPayments.claimId}
        left join ${claimAdjustments} on ${sameOrganization(claimAdjustments, claimPayments)}
                                     and ${claimAdjustments.claimPaymentId} = ${claimPayments.id}
                                     and ${claimAdjustments.groupCode} <> 'PR' and ${claimAdjustments.amount} > 0
                                     and ${claimAdjustments.reasonCode} not in (${reductions})
        where ${standingPostings(scope, range)}
      )
      select case when grouping(payer_id) = 1 then 'ALL' else 'PAYER' end as "dimension", payer_id::text as "key",
             count(distinct claim_id)::int as "adjudicatedClaims",
             count(distinct claim_id) filter (where amount is not null)::int as "deniedClaims",
             ${money(sql`sum(amount)`)} as "deniedAmount"
      from posted
      group by grouping sets ((payer_id), ())
      union all
      select 'CATEGORY', ${categoryOf(sql`reason_code`)}, 0, count(distinct claim_id)::int, ${money(sql`sum(amount)`)}
      from posted where amount is not null group by 2
      union all
      select 'CARC', reason_code, 0, count(distinct claim_id)::int, ${money(sql`sum(amount)`)}
      from posted where amount is not null group by reason_code`,
  );
}

/** Clean-claim and first-pass acceptance counts over a range. */
export interface ClaimQualityRow {
  /** Claims whose first READY fell in the range, and those of them never NEEDS_REVIEW before it. */
  readied: number;
  clean: number;
  /** Claims whose first acknowledgement outcome (ACCEPTED or REJECTED) fell in the range, and those accepted. */
  acknowledged: number;
  acceptedFirst: number;
}

/*
 * claimQuality: one statement over the claims' firsts at the caller's facilities (`claim_milestones`: the first time
 * each went READY, NEEDS_REVIEW (ERROR edits), to an acknowledgement outcome (ACCEPTED or REJECTED, from a 999 or
 * 277CA), and ACCEPTED, kept with the history), counted where they fall in the range. A first READY is clean when no
 * NEEDS_REVIEW came before it; a first outcome that is an acceptance is a first-pass acceptance. Grouping the whole
 * history per claim took 300 ms over 100,000 claims; one narrow row a claim takes a tenth of it.
 */
export async function claimQuality(db: Database, scope: Scope, range: DateRange): Promise<ClaimQualityRow> {
  const inRange = (at: SQL) =>
    sql`${at} >= (${range.from}::date)::timestamp at time zone 'UTC'
      and ${at} < (${range.to}::date + 1)::timestamp at time zone 'UTC'`;
  const { readyAt, reviewAt, outcomeAt, acceptedAt } = claimMilestones;
  const [row] = await reportRows<ClaimQualityRow>(
    db,
    sql`/* claimQuality */
      select count(*) filter (where ${inRange(sql`${readyAt}`)})::int as "readied",
             count(*) filter (where ${inRange(sql`${readyAt}`)}
                                and (${reviewAt} is null or ${reviewAt} >= ${readyAt}))::int as "clean",
             count(*) filter (where ${inRange(sql`${outcomeAt}`)})::int as "acknowledged",
             count(*) filter (where ${inRange(sql`${outcomeAt}`)} and ${acceptedAt} = ${outcomeAt})::int
               as "acceptedFirst"
      from ${claimMilestones}
      where ${inFacilities(claimMilestones, scope)}`,
  );
  return row!;
}

/** Net collection's inputs over a range. */
export interface CollectionRow {
  charges: string;
  payments: string;
  contractual: string;
}

/*
 * netCollection: one statement over the claim payments posted in the range (UTC dates) at the caller's facilities,
 * reversals included (their negative amounts take back what they reverse): the charges the payers adjudicated
 * (CLP03), what they paid (CLP04), and the contractual adjustments of those postings, CO adjustments that are
 * reductions (the fee schedule and the like). CO denials are not contractual: they are money not collected.
 */
export async function netCollection(db: Database, scope: Scope, range: DateRange): Promise<CollectionRow> {
  const posted = sql`${inFacilities(claimPayments, scope)} and ${claimPayments.claimId} is not null
    and ${claimPayments.postedAt} >= (${range.from}::date)::timestamp at time zone 'UTC'
    and ${claimPayments.postedAt} < (${range.to}::date + 1)::timestamp at time zone 'UTC'`;
  const [row] = await reportRows<CollectionRow>(
    db,
    sql`/* netCollection */
      select ${money(sql`sum(${claimPayments.charge})`)} as "charges",
             ${money(sql`sum(${claimPayments.paid})`)} as "payments",
             (select ${money(sql`sum(${claimAdjustments.amount})`)}
              from ${claimPayments}
              join ${claimAdjustments} on ${sameOrganization(claimAdjustments, claimPayments)}
                                      and ${claimAdjustments.claimPaymentId} = ${claimPayments.id}
              where ${posted}
                and ${claimAdjustments.groupCode} = 'CO' and ${claimAdjustments.reasonCode} in (${reductions}))
               as "contractual"
      from ${claimPayments}
      where ${posted}`,
  );
  return row!;
}

/** Claims of one status and their money. */
export interface StatusTotalsRow {
  status: ClaimRow["status"];
  claimCount: number;
  totalCharge: string;
  paidAmount: string;
  adjustedAmount: string;
  patientResponsibility: string;
  balance: string;
}

/* claimsByStatus: one statement, the claims at the caller's facilities summed per status, in the enum's order. */
export async function claimsByStatus(db: Database, scope: Scope): Promise<StatusTotalsRow[]> {
  return reportRows<StatusTotalsRow>(
    db,
    sql`/* claimsByStatus */
      select ${claims.status} as "status", count(*)::int as "claimCount",
             ${money(sql`sum(${claims.totalCharge})`)} as "totalCharge",
             ${money(sql`sum(${claims.paidAmount})`)} as "paidAmount",
             ${money(sql`sum(${claims.adjustedAmount})`)} as "adjustedAmount",
             ${money(sql`sum(${claims.patientResponsibility})`)} as "patientResponsibility",
             ${money(sql`sum(${balance})`)} as "balance"
      from ${claims}
      where ${inFacilities(claims, scope)}
      group by ${claims.status}
      order by ${claims.status}`,
  );
}
