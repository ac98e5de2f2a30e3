import { sql } from "drizzle-orm";
import { type Database, selectRows } from "../../db/client.js";
import { codingCompletions, codingReviewFindings, codingReviews } from "../../db/schema/coding.js";
import { encounters } from "../../db/schema/encounters.js";
import { users } from "../../db/schema/users.js";
import { inFacilities, inOrg, type Scope, sameOrganization } from "../../db/scope.js";

/**
 * How a productivity report groups completions in time: one row per coder for the whole range, or
 * per day, ISO week or month.
 */
export type ProductivityInterval = "WHOLE" | "DAY" | "WEEK" | "MONTH";

export interface ProductivityRequest {
  /** First and last day of the range, inclusive, in UTC. */
  from: string;
  to: string;
  interval: ProductivityInterval;
  /** One coder only; null for every coder. */
  coderId: string | null;
}

/** One coder's figures for one period. */
export interface ProductivityRow {
  coderId: string;
  periodStart: string;
  periodEnd: string;
  encountersCoded: number;
  medianHandleSeconds: number;
  reviews: number;
  findings: number;
  /** Sums over the period's reviews: the coder's codes (plus those the auditors added), and those left unchanged. */
  codesReviewed: number;
  codesUnchanged: number;
}

const UNIT: Record<Exclude<ProductivityInterval, "WHOLE">, string> = { DAY: "day", WEEK: "week", MONTH: "month" };

/**
 * One statement. Completions in [from, to] by their UTC date, of encounters at
 * the caller's facilities, each with its review (at most one: coding_reviews is unique per
 * completion, so the join does not repeat a completion and the median stays a median of
 * completions) and that review's finding count. Grouped per coder and per period: date_trunc's
 * day, ISO week (from Monday) or month, clipped to the range so a period never claims days outside it.
 */
export async function coderProductivity(
  db: Database,
  scope: Scope,
  request: ProductivityRequest,
): Promise<ProductivityRow[]> {
  const day = sql`(${codingCompletions.completedAt} at time zone 'UTC')`;
  const bucket =
    request.interval === "WHOLE"
      ? sql`${request.from}::date`
      : sql`date_trunc(${UNIT[request.interval]}, ${day})::date`;
  const bucketEnd =
    request.interval === "WHOLE"
      ? sql`${request.to}::date`
      : sql`(period_start + ${`1 ${UNIT[request.interval]}`}::interval - interval '1 day')::date`;
  return selectRows<ProductivityRow>(
    db,
    sql`/* coderProductivity */
      with done as (
        select ${codingCompletions.coderId} as coder_id,
               ${bucket} as period_start,
               ${codingCompletions.handleSeconds} as handle_seconds,
               ${codingReviews.id} as review_id,
               ${codingReviews.codesReviewed} as codes_reviewed,
               ${codingReviews.codesUnchanged} as codes_unchanged,
               (select count(*) from ${codingReviewFindings}
                 where ${sameOrganization(codingReviewFindings, codingReviews)}
                   and ${codingReviewFindings.reviewId} = ${codingReviews.id}) as findings
        from ${codingCompletions}
        join ${encounters} on ${sameOrganization(encounters, codingCompletions)}
                          and ${encounters.id} = ${codingCompletions.encounterId}
        left join ${codingReviews} on ${sameOrganization(codingReviews, codingCompletions)}
                                  and ${codingReviews.completionId} = ${codingCompletions.id}
        where ${inFacilities(encounters, scope)}
          and ${codingCompletions.completedAt} >= (${request.from}::date)::timestamp at time zone 'UTC'
          and ${codingCompletions.completedAt} < (${request.to}::date + 1)::timestamp at time zone 'UTC'
          and (${request.coderId}::uuid is null or ${codingCompletions.coderId} = ${request.coderId}::uuid)
      ),
      per_period as (
        select coder_id, period_start,
               count(*)::int as encounters_coded,
               percentile_cont(0.5) within group (order by handle_seconds)::float8 as median_handle_seconds,
               count(review_id)::int as reviews,
               coalesce(sum(findings), 0)::int as findings,
               coalesce(sum(codes_reviewed), 0)::int as codes_reviewed,
               coalesce(sum(codes_unchanged), 0)::int as codes_unchanged
        from done
        group by coder_id, period_start
      )
      select p.coder_id as "coderId",
             greatest(p.period_start, ${request.from}::date)::text as "periodStart",
             least(${bucketEnd}, ${request.to}::date)::text as "periodEnd",
             p.encounters_coded as "encountersCoded",
             p.median_handle_seconds as "medianHandleSeconds",
             p.reviews, p.findings,
             p.codes_reviewed as "codesReviewed",
             p.codes_unchanged as "codesUnchanged"
      from per_period p
      join ${users} on ${inOrg(users, scope)} and ${users.id} = p.coder_id
      order by p.period_start, ${users.name}, p.coder_id`,
  );
}
