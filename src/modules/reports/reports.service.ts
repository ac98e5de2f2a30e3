import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import { badInput } from "../../shared/errors.js";
import { type Role, requireRole } from "../auth/index.js";
import type { DenialCategory } from "../remittance/index.js";
import {
  AGING_BUCKETS,
  type AgingBasis,
  type AgingBounds,
  type AgingRow,
  arAging,
  type ClaimQualityRow,
  type CollectionRow,
  claimQuality,
  claimsByStatus,
  type DateRange,
  type DaysInArRow,
  type DenialRow,
  daysInAr,
  denialRates,
  netCollection,
  type StatusTotalsRow,
} from "./reports.store.js";

/** Who reads the revenue-cycle reports: supervisors (for their facilities) and administrators. */
export const REPORT_ROLES: Role[] = ["SUPERVISOR", "ADMIN"];
/** The longest range a report covers: a year, leap years included. */
export const MAX_REPORT_DAYS = 366;
/** Days in A/R averages the charges of this many days unless asked otherwise (the usual quarter). */
export const DEFAULT_CHARGE_DAYS = 90;

const DAY_MS = 86_400_000;

/** Today's UTC date: what ages and periods are counted to. */
const today = () => new Date().toISOString().slice(0, 10);

/** A share of two counts or amounts; null when there is nothing to divide by. */
const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

function readRange(ctx: RequestContext, range: DateRange, what: string) {
  const actor = actorOf(ctx);
  requireRole(actor, REPORT_ROLES, what);
  const days = (Date.parse(range.to) - Date.parse(range.from)) / DAY_MS + 1;
  if (days < 1) throw badInput("`to` is before `from`.", "to");
  if (days > MAX_REPORT_DAYS)
    throw badInput(`A report covers at most ${MAX_REPORT_DAYS} days; this range has ${days}.`, "to");
  return actor.scope;
}

/** One aging bucket: its bounds, the open claims in it and their balance. */
export interface AgingBucketFigures extends AgingBounds {
  claimCount: number;
  balance: string;
}

/** One line of the aging report, its buckets spelled out. */
export interface AgingLine extends Pick<AgingRow, "payerId" | "facilityId" | "claimCount" | "balance"> {
  buckets: AgingBucketFigures[];
  notSubmittedCount: number;
  notSubmittedBalance: string;
}

export interface AgingReport {
  asOf: string;
  basis: AgingBasis;
  total: AgingLine;
  byPayer: AgingLine[];
  byFacility: AgingLine[];
}

/** Largest balance first, then by id, so a page of the report reads the same each time. */
const byBalance = (a: AgingLine, b: AgingLine) =>
  Number(b.balance) - Number(a.balance) ||
  String(a.payerId ?? a.facilityId).localeCompare(String(b.payerId ?? b.facilityId));

/** A/R aging today at the caller's facilities: in all, per payer and per facility, in the five buckets. */
export async function agingReport(ctx: RequestContext, basis: AgingBasis): Promise<AgingReport> {
  const actor = actorOf(ctx);
  requireRole(actor, REPORT_ROLES, "read A/R aging");
  const asOf = today();
  const lines = (await arAging(ctx.db, actor.scope, basis, asOf)).map((row) => ({
    ...row,
    buckets: AGING_BUCKETS.map((bounds, index) => ({
      ...bounds,
      claimCount: row.bucketCounts[index]!,
      balance: row.bucketBalances[index]!,
    })),
  }));
  const empty: AgingLine = {
    payerId: null,
    facilityId: null,
    claimCount: 0,
    balance: "0.00",
    buckets: AGING_BUCKETS.map((bounds) => ({ ...bounds, claimCount: 0, balance: "0.00" })),
    notSubmittedCount: 0,
    notSubmittedBalance: "0.00",
  };
  return {
    asOf,
    basis,
    // Grouping sets give no row at all when there is no open claim.
    total: lines.find((line) => line.whole) ?? empty,
    byPayer: lines.filter((line) => line.byPayer).sort(byBalance),
    byFacility: lines.filter((line) => !line.whole && !line.byPayer).sort(byBalance),
  };
}

export interface DaysInArFigures extends DaysInArRow {
  asOf: string;
  periodDays: number;
  averageDailyCharges: string;
  daysInAr: number | null;
}

/** Days in A/R today: the open balance over the average daily charges of the last `periodDays` days of service. */
export async function daysInArReport(ctx: RequestContext, periodDays: number): Promise<DaysInArFigures> {
  const actor = actorOf(ctx);
  requireRole(actor, REPORT_ROLES, "read days in A/R");
  if (!Number.isInteger(periodDays) || periodDays < 1 || periodDays > MAX_REPORT_DAYS)
    throw badInput(`The period is 1 to ${MAX_REPORT_DAYS} days; got ${periodDays}.`, "periodDays");
  const asOf = today();
  const row = await daysInAr(ctx.db, actor.scope, asOf, periodDays);
  const daily = Number(row.charges) / periodDays;
  return {
    ...row,
    asOf,
    periodDays,
    averageDailyCharges: daily.toFixed(2),
    daysInAr: daily === 0 ? null : Number(row.balance) / daily,
  };
}

/** Denial figures of one cut, with the rate against the claims adjudicated in it (or in all). */
export interface DenialFigures {
  key: string | null;
  adjudicatedClaims: number;
  deniedClaims: number;
  denialRate: number | null;
  deniedAmount: string;
}

export interface DenialReport extends DateRange {
  total: DenialFigures;
  byPayer: DenialFigures[];
  byCategory: (DenialFigures & { category: DenialCategory })[];
  byReason: (DenialFigures & { reasonCode: string })[];
}

/** Most denied first, then by key. */
const byDenied = (a: DenialFigures, b: DenialFigures) =>
  b.deniedClaims - a.deniedClaims ||
  Number(b.deniedAmount) - Number(a.deniedAmount) ||
  String(a.key).localeCompare(String(b.key));

/** Denial rates over the postings of a range: in all, per payer, per denial category and per CARC. */
export async function denialReport(ctx: RequestContext, range: DateRange): Promise<DenialReport> {
  const scope = readRange(ctx, range, "read denial rates");
  const rows = await denialRates(ctx.db, scope, range);
  const all = rows.find((row) => row.dimension === "ALL");
  const adjudicated = all?.adjudicatedClaims ?? 0;
  // Categories and reasons are shares of every claim adjudicated; a payer's of its own.
  const figures = (row: DenialRow): DenialFigures => {
    const base = row.dimension === "PAYER" ? row.adjudicatedClaims : adjudicated;
    return { ...row, adjudicatedClaims: base, denialRate: rate(row.deniedClaims, base) };
  };
  const of = (dimension: DenialRow["dimension"]) =>
    rows
      .filter((row) => row.dimension === dimension)
      .map(figures)
      .sort(byDenied);
  return {
    ...range,
    total: figures(all ?? { dimension: "ALL", key: null, adjudicatedClaims: 0, deniedClaims: 0, deniedAmount: "0.00" }),
    byPayer: of("PAYER"),
    byCategory: of("CATEGORY").map((row) => ({ ...row, category: row.key as DenialCategory })),
    byReason: of("CARC").map((row) => ({ ...row, reasonCode: row.key! })),
  };
}

export interface ClaimQualityFigures extends ClaimQualityRow, DateRange {
  cleanClaimRate: number | null;
  firstPassAcceptanceRate: number | null;
}

/** Clean-claim rate and first-pass acceptance over a range, from the claims' status history. */
export async function claimQualityReport(ctx: RequestContext, range: DateRange): Promise<ClaimQualityFigures> {
  const scope = readRange(ctx, range, "read clean-claim rates");
  const row = await claimQuality(ctx.db, scope, range);
  return {
    ...range,
    ...row,
    cleanClaimRate: rate(row.clean, row.readied),
    firstPassAcceptanceRate: rate(row.acceptedFirst, row.acknowledged),
  };
}

export interface CollectionFigures extends CollectionRow, DateRange {
  netCollectionRate: number | null;
}

/** Net collection rate over the postings of a range: payments ÷ (charges − contractual adjustments). */
export async function collectionReport(ctx: RequestContext, range: DateRange): Promise<CollectionFigures> {
  const scope = readRange(ctx, range, "read the net collection rate");
  const row = await netCollection(ctx.db, scope, range);
  return {
    ...range,
    ...row,
    netCollectionRate: rate(Number(row.payments), Number(row.charges) - Number(row.contractual)),
  };
}

/** Claims and their money per status, now, at the caller's facilities. */
export async function statusTotals(ctx: RequestContext): Promise<StatusTotalsRow[]> {
  const actor = actorOf(ctx);
  requireRole(actor, REPORT_ROLES, "read claim totals");
  return claimsByStatus(ctx.db, actor.scope);
}
