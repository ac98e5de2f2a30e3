import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, startApi, type TestApi } from "../../helpers/api.js";
import { demoOrganization, givenUser } from "../../helpers/organizations.js";

/**
 * The arithmetic of coderProductivity on completions and reviews written straight into the tables
 * (the story through completeCoding and submitCodingReview is coding-review.test.ts): medians,
 * periods and their clipping, UTC day boundaries, facility scope, and the accuracy rate.
 */
const REPORT = `query ($from: Date!, $to: Date!, $interval: ProductivityInterval, $coderId: ID) {
  coderProductivity(from: $from, to: $to, interval: $interval, coderId: $coderId) {
    coder { email name } periodStart periodEnd encountersCoded medianHandleSeconds reviews
      findingsPerReviewedEncounter accuracyRate
  }
}`;

const CLINIC = "Riverbend Family Medicine";
const HOSPITAL = "Riverbend Community Hospital";

describe("coder productivity", () => {
  let api: TestApi;
  let supervisor: string;
  let clinicSupervisor: string;
  let coder: string;

  const report = (variables: Record<string, unknown>, token = supervisor) => api.gql(REPORT, variables, token);

  beforeAll(async () => {
    api = await startApi();
    supervisor = await api.signIn("supervisor@demo.chartroom.test");
    coder = await api.signIn("coder3@demo.chartroom.test");
    // A supervisor of the clinic alone.
    const demo = await demoOrganization(api);
    clinicSupervisor = await api.signIn(
      await givenUser(demo, "clinic-supervisor", { roles: ["SUPERVISOR"], sites: ["clinic"] }),
    );

    /**
     * One completion by `email` of an encounter at `facility`, and optionally its review, at a time in
     * the past: completeCoding and submitCodingReview stamp the present, and these stories report on
     * past periods and their boundaries.
     */
    const complete = (
      email: string,
      facility: string,
      at: string,
      handleSeconds: number,
      review?: { reviewed: number; unchanged: number; findings: number },
    ) =>
      api.database.rows(sql`
        with c as (
          insert into coding_completions (org_id, encounter_id, work_item_id, coder_id, completed_at,
            handle_seconds, codes, code_count, sampled, sampling_reason)
          select e.org_id, e.id, w.id, u.id, ${at}::timestamptz,
            ${handleSeconds}, '{"diagnoses":[],"procedures":[]}', 3, ${review !== undefined}, 'test'
          from users u
          join facilities f on f.org_id = u.org_id and f.name = ${facility}
          join lateral (select * from encounters e
            where e.org_id = f.org_id and e.facility_id = f.id order by e.id limit 1) e on true
          join lateral (select * from work_items w where w.org_id = e.org_id order by w.id limit 1) w on true
          where u.email = ${email}
          returning org_id, id, encounter_id),
        r as (
          insert into coding_reviews (org_id, completion_id, encounter_id, auditor_id, outcome,
            codes_reviewed, codes_unchanged)
          select c.org_id, c.id, c.encounter_id, a.id,
            ${review && review.findings > 0 ? "CORRECTED" : "ACCEPTED"}::review_outcome,
            ${review?.reviewed ?? 0}, ${review?.unchanged ?? 0}
          from c join users a on a.org_id = c.org_id and a.email = 'auditor@demo.chartroom.test'
          where ${review !== undefined}
          returning org_id, id)
        insert into coding_review_findings (org_id, review_id, kind, code_kind, before, after, reason)
        select r.org_id, r.id, 'CHANGED', 'DIAGNOSIS', '{}', '{}', 'test'
        from r, generate_series(1, ${review?.findings ?? 0})`);

    const c3 = "coder3@demo.chartroom.test";
    await complete(c3, CLINIC, "2026-03-02T09:00:00Z", 100, { reviewed: 4, unchanged: 2, findings: 2 });
    await complete(c3, CLINIC, "2026-03-03T09:00:00Z", 200);
    await complete(c3, HOSPITAL, "2026-03-03T10:00:00Z", 1000, { reviewed: 3, unchanged: 3, findings: 0 });
    await complete(c3, CLINIC, "2026-03-10T09:00:00Z", 400);
    // The last minutes of the range in UTC count; the first minutes after it do not.
    await complete(c3, CLINIC, "2026-03-31T23:59:00Z", 300);
    await complete(c3, CLINIC, "2026-04-01T00:01:00Z", 9999);
    await complete("coder2@demo.chartroom.test", CLINIC, "2026-03-05T12:00:00Z", 50);
  });

  afterAll(() => api?.close());

  it("answers per coder for the whole range: counts, median handle time, findings per review, accuracy", async () => {
    const { data, errors } = await report({ from: "2026-03-01", to: "2026-03-31" });
    expect(errors).toBeUndefined();
    const rows = data?.["coderProductivity"] as { coder: { email: string; name: string } }[];
    // Ordered by the coder's name.
    expect(rows.map((r) => r.coder.name)).toEqual(rows.map((r) => r.coder.name).sort((a, b) => a.localeCompare(b)));
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(
      expect.arrayContaining([
        {
          coder: expect.objectContaining({ email: "coder2@demo.chartroom.test" }),
          periodStart: "2026-03-01",
          periodEnd: "2026-03-31",
          encountersCoded: 1,
          medianHandleSeconds: 50,
          reviews: 0,
          findingsPerReviewedEncounter: null,
          accuracyRate: null,
        },
        {
          coder: expect.objectContaining({ email: "coder3@demo.chartroom.test" }),
          periodStart: "2026-03-01",
          periodEnd: "2026-03-31",
          encountersCoded: 5,
          medianHandleSeconds: 300,
          reviews: 2,
          findingsPerReviewedEncounter: 1,
          // (2 + 3) unchanged of (4 + 3) reviewed.
          accuracyRate: 5 / 7,
        },
      ]),
    );
  });

  it("splits by ISO week, clipping the first and last week to the range, and filters by coder", async () => {
    const coderId = (await api.gql(`{ viewer { id } }`, {}, coder)).data?.["viewer"].id;
    const { data, errors } = await report({ from: "2026-03-01", to: "2026-03-31", interval: "WEEK", coderId });
    expect(errors).toBeUndefined();
    expect(
      data?.["coderProductivity"].map((r: any) => [
        r.periodStart,
        r.periodEnd,
        r.encountersCoded,
        r.medianHandleSeconds,
        r.reviews,
      ]),
    ).toEqual([
      ["2026-03-02", "2026-03-08", 3, 200, 2],
      ["2026-03-09", "2026-03-15", 1, 400, 0],
      ["2026-03-30", "2026-03-31", 1, 300, 0],
    ]);
    const days = await report({ from: "2026-03-03", to: "2026-03-03", interval: "DAY", coderId });
    expect(days.data?.["coderProductivity"]).toMatchObject([
      {
        periodStart: "2026-03-03",
        periodEnd: "2026-03-03",
        encountersCoded: 2,
        medianHandleSeconds: 600,
        reviews: 1,
        accuracyRate: 1,
      },
    ]);
    const months = await report({ from: "2026-02-15", to: "2026-04-15", interval: "MONTH", coderId });
    expect(months.data?.["coderProductivity"].map((r: any) => [r.periodStart, r.periodEnd, r.encountersCoded])).toEqual(
      [
        ["2026-03-01", "2026-03-31", 5],
        ["2026-04-01", "2026-04-15", 1],
      ],
    );
  });

  it("counts only encounters at the caller's facilities", async () => {
    const { data } = await report({ from: "2026-03-01", to: "2026-03-31" }, clinicSupervisor);
    const coder3 = data?.["coderProductivity"].find((r: any) => r.coder.email === "coder3@demo.chartroom.test");
    // Without the hospital encounter (1000 s, its accepted review of 3 codes).
    expect(coder3).toMatchObject({
      encountersCoded: 4,
      medianHandleSeconds: 250,
      reviews: 1,
      findingsPerReviewedEncounter: 2,
      accuracyRate: 0.5,
    });
  });

  it("is for supervisors and administrators, over at most 366 days, `to` not before `from`", async () => {
    expect(codes(await report({ from: "2026-03-01", to: "2026-03-31" }, coder))).toEqual(["FORBIDDEN"]);
    expect(codes(await report({ from: "2026-03-01", to: "2026-02-28" }))).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await report({ from: "2024-01-01", to: "2025-01-01" }))).toEqual(["BAD_USER_INPUT"]);
    const leapYear = await report({ from: "2024-01-01", to: "2024-12-31" });
    expect(leapYear.errors).toBeUndefined();
    expect(codes(await report({ from: "2026-03-01", to: "2026-03-31", coderId: "not-an-id" }))).toEqual(["NOT_FOUND"]);
    const admin = await api.signIn("admin@demo.chartroom.test");
    expect((await report({ from: "2026-03-01", to: "2026-03-31" }, admin)).data?.["coderProductivity"]).toHaveLength(2);
  });
});
