import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, startApi, subscribe, type TestApi } from "../../helpers/api.js";
import { givenCodedEncounter, ROUTINE_VISIT } from "../../helpers/encounters.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";

const CLAIM = `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) {
  workItem { id status queue { name } subject { ... on Encounter { id version status } } } userErrors { code } } }`;
const REVIEW_FIELDS = `id outcome reviewedAt note codesReviewed codesUnchanged accuracy coder { email } auditor {
  email }
  coding { coder { email } codes { diagnoses { code } } }
  findings { kind codeKind code reason beforePosition afterPosition
    before { ... on CodedDiagnosis { code presentOnAdmission } ... on CodedProcedure { system code modifiers } }
    after { ... on CodedDiagnosis { code presentOnAdmission } ... on CodedProcedure { system code modifiers } } }`;
const SUBMIT = `mutation ($input: SubmitCodingReviewInput!) { submitCodingReview(input: $input) {
  review { ${REVIEW_FIELDS} } encounter { id version status } userErrors { code field message } } }`;
const ENCOUNTER = `query ($id: ID!) { node(id: $id) { ... on Encounter {
  id version status
  diagnoses { sequence code { code } }
  procedures { code { code } modifiers }
  codings { coder { email } codes { diagnoses { code } procedures { code } } }
  codeHistory { source actor { email } after { diagnoses { code } } }
  codingReviews { ${REVIEW_FIELDS} }
  workItems { status queue { name } assignee { email } }
} } }`;
const MY_REVIEWS = `subscription ($after: String) { myCodingReviews(after: $after) { cursor at review {
  ${REVIEW_FIELDS} encounter { id } } } }`;
const PRODUCTIVITY = `query ($from: Date!, $to: Date!, $coderId: ID) {
  coderProductivity(from: $from, to: $to, coderId: $coderId) {
  coder { email } encountersCoded reviews findingsPerReviewedEncounter accuracyRate } }`;

/**
 * The coder's codes are a routine visit's; the auditor's: diabetes with hyperglycemia, and the long-term
 * insulin use the coder missed.
 */
const CORRECTED = {
  diagnoses: [{ code: "e1165" }, { code: "I10" }, { code: "Z79.4" }],
  procedures: ROUTINE_VISIT.procedures,
};
const REASONS = [
  { code: "e11.65", reason: "Documentation states diabetic hyperglycemia (glucose 312)." },
  { code: "Z794", reason: "On insulin glargine daily: report long-term insulin use." },
];

type Review = {
  id: string;
  outcome: string;
  codesReviewed: number;
  codesUnchanged: number;
  accuracy: number | null;
  findings: { kind: string; code: string; reason: string }[];
};

/* Each story gets an organization of its own: coder2 is the coder corrected, coder3 another coder. */
describe("coding review: an auditor corrects a coder, the coder hears of it, and their accuracy falls", () => {
  let api: TestApi;
  const today = new Date().toISOString().slice(0, 10);

  /** `coder` codes a routine visit and completes it: the encounter, in review (a coder's first 20 all are). */
  const codedBy = async (org: Organization, coder: string) => {
    const { encounter } = await givenCodedEncounter(org, coder);
    expect(encounter.status).toBe("IN_REVIEW");
    return encounter;
  };
  const read = async (org: Organization, id: string, login = "supervisor") => {
    const response = await api.gql(ENCOUNTER, { id }, await org.signIn(login));
    expect(response.errors).toBeUndefined();
    return response.data?.["node"];
  };
  const submit = async (org: Organization, input: Record<string, unknown>, login = "auditor") =>
    api.gql(SUBMIT, { input }, await org.signIn(login));
  /** The auditor claims the encounter's review and submits it: corrected with `input`, or accepted. */
  const reviewed = async (org: Organization, encounter: { id: string; version: number }, input = {}) => {
    const claimed = (await api.gql(CLAIM, {}, await org.signIn("auditor"))).data?.["claimNextWorkItem"];
    expect(claimed.workItem.subject.id).toBe(encounter.id);
    const review = await submit(org, { encounterId: encounter.id, expectedVersion: encounter.version, ...input });
    expect(review.data?.["submitCodingReview"].userErrors).toEqual([]);
  };
  const reviewRows = async (org: Organization) =>
    (
      await api.database.rows<{ n: number }>(
        sql`select count(*)::int as n from coding_reviews where org_id = ${org.id}`,
      )
    )[0]!.n;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(() => api?.close());

  it("the auditor's correction becomes the encounter's codes, a reason per finding; the coder is told", async () => {
    const org = await givenOrganization(api);
    const [coder, otherCoder, auditor] = [
      await org.signIn("coder2"),
      await org.signIn("coder3"),
      await org.signIn("auditor"),
    ];
    const [CODER, AUDITOR] = [org.email("coder2"), org.email("auditor")];
    const encounter = await codedBy(org, "coder2");
    const mine = subscribe<{ myCodingReviews: { cursor: string; review: Review & { encounter: { id: string } } } }>(
      api.ws({ authorization: `Bearer ${coder}` }),
      MY_REVIEWS,
    );
    const someoneElse = subscribe(api.ws({ authorization: `Bearer ${otherCoder}` }), MY_REVIEWS);

    // The auditor claims from the review queue and sees the coder's codes.
    const claimed = (await api.gql(CLAIM, {}, auditor)).data?.["claimNextWorkItem"];
    expect(claimed.workItem).toMatchObject({
      status: "ASSIGNED",
      queue: { name: "Coding review" },
      subject: { id: encounter.id, status: "IN_REVIEW" },
    });
    const seen = await read(org, encounter.id, "auditor");
    expect(seen.codings[0]).toMatchObject({
      coder: { email: CODER },
      codes: { diagnoses: [{ code: "E11.9" }, { code: "I10" }], procedures: [{ code: "99213" }] },
    });

    // A review ends with submitCodingReview, which records it: completeWorkItem is refused and changes nothing.
    const shortcut = await api.gql(
      `mutation ($id: ID!) { completeWorkItem(input: { workItemId: $id }) { workItem { id } userErrors {
        code field message } } }`,
      { id: claimed.workItem.id },
      auditor,
    );
    expect(shortcut.data?.["completeWorkItem"]).toEqual({
      workItem: null,
      userErrors: [
        { code: "DOMAIN_ACTION_REQUIRED", field: ["workItemId"], message: expect.stringMatching(/submitCodingReview/) },
      ],
    });

    // A finding without a reason: nothing is written.
    const unexplained = await submit(org, {
      encounterId: encounter.id,
      expectedVersion: seen.version,
      corrections: CORRECTED,
      reasons: [{ code: "E11.9", reason: "Documentation states diabetic hyperglycemia (glucose 312)." }],
    });
    expect(unexplained.data?.["submitCodingReview"]).toMatchObject({
      review: null,
      userErrors: [{ code: "REVIEW_REASON_REQUIRED", field: ["reasons"], message: "Give a reason for adding Z79.4." }],
    });
    const untouched = await read(org, encounter.id);
    expect(untouched).toMatchObject({ version: seen.version, status: "IN_REVIEW", codingReviews: [] });
    expect(
      untouched.workItems.find((w: { queue: { name: string } }) => w.queue.name === "Coding review"),
    ).toMatchObject({ status: "ASSIGNED", assignee: { email: AUDITOR } });
    expect(await reviewRows(org)).toBe(0);

    // Without any reasons, each finding is named, as a coder would say it.
    const none = await submit(org, {
      encounterId: encounter.id,
      expectedVersion: seen.version,
      corrections: CORRECTED,
    });
    expect(none.data?.["submitCodingReview"].userErrors.map((e: { message: string }) => e.message)).toEqual([
      "Give a reason for changing E11.9 to E11.65.",
      "Give a reason for adding Z79.4.",
    ]);

    // Only an auditor (or supervisor) reviews.
    const byCoder = await submit(org, { encounterId: encounter.id, expectedVersion: seen.version }, "coder2");
    expect(codes(byCoder)).toEqual(["FORBIDDEN"]);

    const corrected = await submit(org, {
      encounterId: encounter.id,
      expectedVersion: seen.version,
      corrections: CORRECTED,
      reasons: REASONS,
      note: "Read the labs before settling on an unspecified code.",
    });
    const result = corrected.data?.["submitCodingReview"];
    expect(result.userErrors).toEqual([]);
    // 3 coded + 1 missed = 4 reviewed; I10 and 99213 unchanged.
    expect(result.review).toMatchObject({
      outcome: "CORRECTED",
      codesReviewed: 4,
      codesUnchanged: 2,
      accuracy: 0.5,
      coder: { email: CODER },
      auditor: { email: AUDITOR },
      note: "Read the labs before settling on an unspecified code.",
      findings: [
        {
          kind: "CHANGED",
          codeKind: "DIAGNOSIS",
          code: "E11.9",
          before: { code: "E11.9", presentOnAdmission: null },
          after: { code: "E11.65", presentOnAdmission: null },
          beforePosition: 1,
          afterPosition: 1,
          reason: "Documentation states diabetic hyperglycemia (glucose 312).",
        },
        {
          kind: "ADDED",
          codeKind: "DIAGNOSIS",
          code: "Z79.4",
          before: null,
          after: { code: "Z79.4" },
          beforePosition: null,
          afterPosition: 3,
          reason: "On insulin glargine daily: report long-term insulin use.",
        },
      ],
    });
    expect(result.encounter).toMatchObject({ id: encounter.id, version: seen.version + 1, status: "READY_TO_BILL" });

    const after = await read(org, encounter.id);
    expect(after.diagnoses.map((d: { code: { code: string } }) => d.code.code)).toEqual(["E11.65", "I10", "Z79.4"]);
    expect(after.codeHistory.at(-1)).toMatchObject({
      source: "REVIEW",
      actor: { email: AUDITOR },
      after: { diagnoses: [{ code: "E11.65" }, { code: "I10" }, { code: "Z79.4" }] },
    });
    expect(after.codingReviews).toEqual([result.review]);
    expect(after.workItems.find((w: { queue: { name: string } }) => w.queue.name === "Coding review")).toMatchObject({
      status: "DONE",
    });
    expect(
      (
        await api.gql(
          `query ($id: ID!) { node(id: $id) { ... on CodingReview { outcome } } }`,
          { id: result.review.id },
          await org.signIn("supervisor"),
        )
      ).data?.["node"],
    ).toEqual({ outcome: "CORRECTED" });

    // The coder hears of it; another coder does not.
    const [told] = await mine.waitFor(1);
    expect(told!.myCodingReviews.review).toMatchObject({
      id: result.review.id,
      outcome: "CORRECTED",
      accuracy: 0.5,
      encounter: { id: encounter.id },
    });
    expect(told!.myCodingReviews.review.findings.map((f) => `${f.kind} ${f.code}`)).toEqual([
      "CHANGED E11.9",
      "ADDED Z79.4",
    ]);
    // Resuming from before the event replays it.
    const replay = subscribe<{ myCodingReviews: { review: { id: string } } }>(
      api.ws({ authorization: `Bearer ${coder}` }),
      MY_REVIEWS,
      {
        after: Buffer.from(`event:1:${Date.now()}`).toString("base64url"),
      },
    );
    expect((await replay.waitFor(1))[0]!.myCodingReviews.review.id).toBe(result.review.id);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(someoneElse.received).toEqual([]);
    for (const s of [mine, someoneElse, replay]) s.stop();

    // The review is done: submitting it again is a conflict.
    expect(codes(await submit(org, { encounterId: encounter.id, expectedVersion: result.encounter.version }))).toEqual([
      "CONFLICT",
    ]);
  });

  it("review work the auditor does not hold is a CONFLICT; claimed, accepting as coded changes nothing", async () => {
    const org = await givenOrganization(api);
    const encounter = await codedBy(org, "coder3");
    const waiting = await read(org, encounter.id);
    const unheld = await submit(org, { encounterId: encounter.id, expectedVersion: waiting.version });
    expect(codes(unheld)).toEqual(["CONFLICT"]);
    expect((await read(org, encounter.id)).status).toBe("IN_REVIEW");

    const claimed = (await api.gql(CLAIM, {}, await org.signIn("auditor"))).data?.["claimNextWorkItem"];
    expect(claimed.workItem.subject.id).toBe(encounter.id);
    // A stale version is a conflict too.
    expect(codes(await submit(org, { encounterId: encounter.id, expectedVersion: waiting.version - 1 }))).toEqual([
      "CONFLICT",
    ]);
    const accepted = (await submit(org, { encounterId: encounter.id, expectedVersion: waiting.version })).data?.[
      "submitCodingReview"
    ];
    expect(accepted.userErrors).toEqual([]);
    expect(accepted.review).toMatchObject({
      outcome: "ACCEPTED",
      codesReviewed: 3,
      codesUnchanged: 3,
      accuracy: 1,
      findings: [],
      coder: { email: org.email("coder3") },
    });
    expect(accepted.encounter).toMatchObject({ status: "READY_TO_BILL" });
    // Accepting writes no code change.
    expect((await read(org, encounter.id)).codeHistory.map((c: { source: string }) => c.source)).toEqual(["CODING"]);
  });

  it("the supervisor sees each coder's accuracy: 2 of 4 codes unchanged if corrected, all if accepted", async () => {
    const org = await givenOrganization(api);
    const [supervisor, coder] = [await org.signIn("supervisor"), await org.signIn("coder2")];
    const [CODER, OTHER_CODER] = [org.email("coder2"), org.email("coder3")];
    await reviewed(org, await codedBy(org, "coder2"), { corrections: CORRECTED, reasons: REASONS });
    await reviewed(org, await codedBy(org, "coder3"));
    const report = await api.gql(PRODUCTIVITY, { from: today, to: today }, supervisor);
    expect(report.errors).toBeUndefined();
    const rows = report.data?.["coderProductivity"] as { coder: { email: string } }[];
    expect(rows.find((r) => r.coder.email === CODER)).toEqual({
      coder: { email: CODER },
      encountersCoded: 1,
      reviews: 1,
      findingsPerReviewedEncounter: 2,
      accuracyRate: 0.5,
    });
    expect(rows.find((r) => r.coder.email === OTHER_CODER)).toEqual({
      coder: { email: OTHER_CODER },
      encountersCoded: 1,
      reviews: 1,
      findingsPerReviewedEncounter: 0,
      accuracyRate: 1,
    });
    const one = await api.gql(PRODUCTIVITY, { from: today, to: today, coderId: org.userId("coder2") }, supervisor);
    expect(one.data?.["coderProductivity"]).toHaveLength(1);
    expect(codes(await api.gql(PRODUCTIVITY, { from: today, to: today }, coder))).toEqual(["FORBIDDEN"]);
  });
});
