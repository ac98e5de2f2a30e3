import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateScalar } from "../../graphql/scalars.js";
import type { ProductivityInterval } from "./productivity.store.js";

export const ProductivityIntervalEnum: Record<ProductivityInterval, ProductivityInterval> = {
  WHOLE: "WHOLE",
  DAY: "DAY",
  WEEK: "WEEK",
  MONTH: "MONTH",
};
registerEnumType(ProductivityIntervalEnum, {
  name: "ProductivityInterval",
  description:
    "How coderProductivity splits its range in time. Periods follow UTC dates and are clipped to the range asked for.",
  valuesConfig: {
    WHOLE: { description: "One row per coder for the whole range (the default)." },
    DAY: { description: "One row per coder per day on which they completed coding." },
    WEEK: { description: "One row per coder per ISO week (Monday to Sunday) in which they completed coding." },
    MONTH: { description: "One row per coder per calendar month in which they completed coding." },
  },
});

@ObjectType({
  description:
    "One coder's output and accuracy over one period: the encounters whose coding they completed in it " +
    "(by completion time, UTC) at the caller's facilities, and the reviews of those completions. A coder " +
    "with no completed coding in a period has no row for it.",
})
export class CoderProductivity {
  @Field(() => DateScalar, {
    description:
      "First day of the period (inclusive). With interval WHOLE, the `from` asked for; otherwise the day, " +
      "week or month start, or `from` when that is later.",
  })
  periodStart!: string;

  @Field(() => DateScalar, {
    description:
      "Last day of the period (inclusive). With interval WHOLE, the `to` asked for; otherwise the day, " +
      "week or month end, or `to` when that is earlier.",
  })
  periodEnd!: string;

  @Field(() => Int, {
    description: "Encounters whose coding the coder completed in the period (completeCoding), at least 1.",
  })
  encountersCoded!: number;

  @Field(() => Float, {
    description:
      "Median time the coder held those encounters' work items, in seconds, holds excluded. Halfway " +
      "between the middle two for an even count.",
  })
  medianHandleSeconds!: number;

  @Field(() => Int, {
    description:
      "How many of those completions an auditor has reviewed so far " +
      "(sampled ones still waiting for review do not count).",
  })
  reviews!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      "Review findings (added, removed, changed or resequenced codes) per reviewed encounter; 0 when every " +
      "review accepted the codes, null when none was reviewed.",
  })
  findingsPerReviewedEncounter!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Share of codes the reviews left unchanged, from 0 to 1: over all reviews of the " +
      "period, the coder's codes with no finding divided by the coder's codes plus the " +
      "codes the auditors added (a missed code counts against accuracy). 1 when every " +
      "review accepted the codes; null when none was reviewed. Show it as a percentage.",
  })
  accuracyRate!: number | null;
}
