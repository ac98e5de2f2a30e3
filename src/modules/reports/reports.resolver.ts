import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { DateScalar } from "../../graphql/scalars.js";
import { Facility, type FacilityRow, Payer, type PayerRow } from "../organizations/index.js";
import {
  type AgingLine as AgingLineFigures,
  type AgingReport,
  agingReport,
  type ClaimQualityFigures,
  type CollectionFigures,
  claimQualityReport,
  collectionReport,
  type DaysInArFigures,
  DEFAULT_CHARGE_DAYS,
  type DenialFigures,
  type DenialReport,
  daysInArReport,
  denialReport,
  REPORT_ROLES,
  statusTotals,
} from "./reports.service.js";
import type { AgingBasis, StatusTotalsRow } from "./reports.store.js";
import {
  AgingBasisEnum,
  AgingLine,
  ArAgingReport,
  ClaimQualityReport,
  ClaimStatusTotals,
  DaysInArReport,
  DenialRateReport,
  NetCollectionReport,
  PayerDenials,
  ReasonDenials,
} from "./reports.type.js";

const FROM = { description: "First day, inclusive (UTC)." } as const;
const TO = { description: "Last day, inclusive (UTC); at most 366 days after `from`." } as const;

@Resolver(() => ArAgingReport)
export class ReportsResolver {
  @Roles(...REPORT_ROLES)
  @Query(() => ArAgingReport, {
    description:
      "A/R aging today of the open claims at the caller's facilities (not VOID or CLOSED, balance above zero): in " +
      "all, per payer and per facility, in buckets of 0–30, 31–60, 61–90, 91–120 and over 120 days.",
  })
  arAging(
    @Ctx() ctx: RequestContext,
    @Arg("basis", () => AgingBasisEnum, { defaultValue: "SERVICE_DATE", description: "What ages count from." })
    basis: AgingBasis,
  ): Promise<AgingReport> {
    return agingReport(ctx, basis);
  }

  @Roles(...REPORT_ROLES)
  @Query(() => DaysInArReport, {
    description:
      "Days in A/R at the caller's facilities: the open balance ÷ the average daily charges of the last " +
      "`periodDays` days of service. A period outside 1–366 is BAD_USER_INPUT.",
  })
  daysInAr(
    @Ctx() ctx: RequestContext,
    @Arg("periodDays", () => Int, {
      defaultValue: DEFAULT_CHARGE_DAYS,
      description: "Days of charges to average, ending today.",
    })
    periodDays: number,
  ): Promise<DaysInArFigures> {
    return daysInArReport(ctx, periodDays);
  }

  @Roles(...REPORT_ROLES)
  @Query(() => DenialRateReport, {
    description:
      "Denial rates over the payer answers (835) posted from `from` to `to`: in all, per payer, per denial category " +
      "and per CARC. `to` before `from`, or more than 366 days, is BAD_USER_INPUT.",
  })
  denialRates(
    @Ctx() ctx: RequestContext,
    @Arg("from", () => DateScalar, FROM) from: string,
    @Arg("to", () => DateScalar, TO) to: string,
  ): Promise<DenialReport> {
    return denialReport(ctx, { from, to });
  }

  @Roles(...REPORT_ROLES)
  @Query(() => ClaimQualityReport, {
    description:
      "Clean-claim rate (claims READY with no scrubber ERROR edits ever) and first-pass acceptance (claims " +
      "ACCEPTED by their first acknowledgement) from `from` to `to`.",
  })
  claimQuality(
    @Ctx() ctx: RequestContext,
    @Arg("from", () => DateScalar, FROM) from: string,
    @Arg("to", () => DateScalar, TO) to: string,
  ): Promise<ClaimQualityFigures> {
    return claimQualityReport(ctx, { from, to });
  }

  @Roles(...REPORT_ROLES)
  @Query(() => NetCollectionReport, {
    description: "Net collection rate over the payer answers posted from `from` to `to`.",
  })
  netCollection(
    @Ctx() ctx: RequestContext,
    @Arg("from", () => DateScalar, FROM) from: string,
    @Arg("to", () => DateScalar, TO) to: string,
  ): Promise<CollectionFigures> {
    return collectionReport(ctx, { from, to });
  }

  @Roles(...REPORT_ROLES)
  @Query(() => [ClaimStatusTotals], {
    description: "Claims and their money per status at the caller's facilities, now; statuses with no claim omitted.",
  })
  claimStatusTotals(@Ctx() ctx: RequestContext): Promise<StatusTotalsRow[]> {
    return statusTotals(ctx);
  }
}

@Resolver(() => AgingLine)
export class AgingLineResolver {
  @FieldResolver(() => Payer, { nullable: true, description: "The payer of a by-payer line; null on other lines." })
  payer(@Root() line: AgingLineFigures, @Ctx() ctx: RequestContext): Promise<PayerRow | null> {
    return line.payerId ? ctx.loaders.payer.load(line.payerId) : Promise.resolve(null);
  }

  @FieldResolver(() => Facility, {
    nullable: true,
    description: "The facility of a by-facility line; null on other lines.",
  })
  facility(@Root() line: AgingLineFigures, @Ctx() ctx: RequestContext): Promise<FacilityRow | null> {
    return line.facilityId ? ctx.loaders.facility.load(line.facilityId) : Promise.resolve(null);
  }
}

@Resolver(() => PayerDenials)
export class PayerDenialsResolver {
  @FieldResolver(() => Payer, { nullable: true, description: "The payer; null for claims with no payer." })
  payer(@Root() row: DenialFigures, @Ctx() ctx: RequestContext): Promise<PayerRow | null> {
    return row.key ? ctx.loaders.payer.load(row.key) : Promise.resolve(null);
  }
}

@Resolver(() => ReasonDenials)
export class ReasonDenialsResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: "The CARC's text, from the shipped list; null for a code not in it.",
  })
  reason(@Root() row: ReasonDenials, @Ctx() ctx: RequestContext): Promise<string | null> {
    return ctx.loaders.adjustmentCodeText.load(`CARC:${row.reasonCode}`);
  }
}
