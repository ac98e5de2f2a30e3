import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, startApi, subscribe, type TestApi } from "../../helpers/api.js";
import { withoutTableAge } from "../../helpers/claims.js";
import { givenBilledEncounter } from "../../helpers/encounters.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";

const CLAIM_NEXT = `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) {
  workItem { id subject { ... on Claim { id version } ... on Encounter { id version } } } userErrors { code } } }`;
const CORRECT = `mutation ($input: CorrectClaimInput!) { correctClaim(input: $input) {
  claim { id status version totalCharge lines { lineNumber modifiers units charge } issues { code field } }
  userErrors { code field } } }`;
const RETURN = `mutation ($input: ReturnToCodingInput!) { returnToCoding(input: $input) {
  claim { id status version statusHistory { toStatus reason } } userErrors { code field } } }`;
const ENCOUNTER = `query ($id: ID!) { encounter(id: $id) { status version
  claims { status patientControlNumber diagnoses }
  workItems { status queue { name } history { reason } } } }`;
const CLAIM_EVENTS = `subscription ($claimId: ID, $after: String) { claimEvents(claimId: $claimId, after: $after) {
  cursor type claim { id status version } } }`;

describe("biller corrections: lines fixed and scrubbed again, codes sent back to coding", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  /** A claim built clean in the Billing queue, claimed by biller1: its id and version. */
  const claimedClaim = async (org: Organization) => {
    const { encounter, claim } = await givenBilledEncounter(org, "coder3");
    const biller = await org.signIn("biller1");
    const work = (await api.gql(CLAIM_NEXT, { queueId: org.queueId("Billing") }, biller)).data!["claimNextWorkItem"];
    expect(work.workItem.subject.id).toBe(claim!.id);
    return { encounter, claim: claim!, biller };
  };

  it("a biller corrects units and charge: the total follows, zero units stop the claim, a fix clears it", async () => {
    const org = await givenOrganization(api);
    const { claim, biller } = await claimedClaim(org);

    const zero = (
      await api.gql(
        CORRECT,
        { input: { claimId: claim.id, expectedVersion: claim.version, lines: [{ lineNumber: 1, units: 0 }] } },
        biller,
      )
    ).data!["correctClaim"];
    expect(withoutTableAge(zero.claim)).toMatchObject({
      status: "NEEDS_REVIEW",
      version: claim.version + 1,
      issues: [{ code: "UNITS_NOT_POSITIVE", field: ["lines", "0", "units"] }],
    });

    const fixed = (
      await api.gql(
        CORRECT,
        {
          input: {
            claimId: claim.id,
            expectedVersion: zero.claim.version,
            lines: [{ lineNumber: 1, units: 1, charge: "125.50", modifiers: ["25"] }],
          },
        },
        biller,
      )
    ).data!["correctClaim"];
    expect(withoutTableAge(fixed.claim)).toMatchObject({
      status: "DRAFT",
      totalCharge: "125.50",
      lines: [{ lineNumber: 1, modifiers: ["25"], units: 1, charge: "125.50" }],
      issues: [],
    });

    const stale = await api.gql(
      CORRECT,
      { input: { claimId: claim.id, expectedVersion: claim.version, lines: [{ lineNumber: 1, units: 2 }] } },
      biller,
    );
    expect(codes(stale)).toEqual(["CONFLICT"]);
    const wrongLine = await api.gql(
      CORRECT,
      { input: { claimId: claim.id, expectedVersion: fixed.claim.version, lines: [{ lineNumber: 7, units: 2 }] } },
      biller,
    );
    expect(wrongLine.data!["correctClaim"]).toEqual({
      claim: null,
      userErrors: [{ code: "LINE_NOT_FOUND", field: ["lines", "0", "lineNumber"] }],
    });
    const other = await api.gql(
      CORRECT,
      { input: { claimId: claim.id, expectedVersion: fixed.claim.version, lines: [{ lineNumber: 1, units: 2 }] } },
      await org.signIn("biller2"),
    );
    expect(codes(other)).toEqual(["CONFLICT"]);
  });

  it("a wrong diagnosis goes back to coding with a reason; recoded and audited, a new claim is built", async () => {
    const org = await givenOrganization(api);
    const { encounter, claim, biller } = await claimedClaim(org);

    const blank = await api.gql(
      RETURN,
      { input: { claimId: claim.id, expectedVersion: claim.version, reason: "  " } },
      biller,
    );
    expect(blank.data!["returnToCoding"].userErrors).toEqual([{ code: "REASON_REQUIRED", field: ["reason"] }]);

    const reason = "Notes document diabetic hyperglycemia: E11.65, not E11.9.";
    const returned = (
      await api.gql(RETURN, { input: { claimId: claim.id, expectedVersion: claim.version, reason } }, biller)
    ).data!["returnToCoding"];
    expect(returned.claim.status).toBe("VOID");
    expect(returned.claim.statusHistory.at(-1).reason).toContain(reason);

    const supervisor = await org.signIn("supervisor");
    const back = (await api.gql(ENCOUNTER, { id: encounter.id }, supervisor)).data!["encounter"];
    expect(back.status).toBe("READY_FOR_CODING");
    const coding = back.workItems.find(
      (item: { status: string; queue: { name: string } }) =>
        item.queue.name === "Outpatient coding" && item.status === "READY",
    );
    expect(coding.history[0].reason).toContain(reason);

    const coder = await org.signIn("coder3");
    const work = (await api.gql(CLAIM_NEXT, { queueId: org.queueId("Outpatient coding") }, coder)).data![
      "claimNextWorkItem"
    ];
    expect(work.workItem.subject.id).toBe(encounter.id);
    const recoded = await api.gql(
      `mutation ($input: SetEncounterCodesInput!) { setEncounterCodes(input: $input) { userErrors { code } } }`,
      {
        input: {
          encounterId: encounter.id,
          expectedVersion: work.workItem.subject.version,
          diagnoses: [{ code: "E11.65" }, { code: "I10" }],
          procedures: [{ system: "CPT", code: "99213", units: 1, charge: "110.00", diagnosisPointers: [1, 2] }],
        },
      },
      coder,
    );
    expect(recoded.data!["setEncounterCodes"].userErrors).toEqual([]);
    await api.gql(
      `mutation ($input: EncounterRefInput!) { completeCoding(input: $input) { userErrors { code } } }`,
      { input: { encounterId: encounter.id } },
      coder,
    );
    const auditor = await org.signIn("auditor");
    const review = (await api.gql(CLAIM_NEXT, { queueId: org.queueId("Coding review") }, auditor)).data![
      "claimNextWorkItem"
    ];
    await api.gql(
      `mutation ($input: SubmitCodingReviewInput!) { submitCodingReview(input: $input) { userErrors { code } } }`,
      { input: { encounterId: encounter.id, expectedVersion: review.workItem.subject.version } },
      auditor,
    );

    const rebilled = (await api.gql(ENCOUNTER, { id: encounter.id }, supervisor)).data!["encounter"];
    expect(rebilled.status).toBe("READY_TO_BILL");
    expect(rebilled.claims.map((c: { status: string; diagnoses: string[] }) => [c.status, c.diagnoses])).toEqual([
      ["VOID", ["E119", "I10"]],
      ["DRAFT", ["E1165", "I10"]],
    ]);
    expect(rebilled.claims[1].patientControlNumber).not.toBe(rebilled.claims[0].patientControlNumber);
  });

  it("a watching biller sees each change and resumes after a drop; other facilities see none", async () => {
    const org = await givenOrganization(api);
    const { claim, biller } = await claimedClaim(org);
    const watching = subscribe(api.ws({ authorization: `Bearer ${biller}` }), CLAIM_EVENTS, { claimId: claim.id });
    await new Promise((resolve) => setTimeout(resolve, 300));

    const corrected = (
      await api.gql(
        CORRECT,
        { input: { claimId: claim.id, expectedVersion: claim.version, lines: [{ lineNumber: 1, units: 0 }] } },
        biller,
      )
    ).data!["correctClaim"];
    const [first] = await watching.waitFor(1);
    expect(first!["claimEvents"]).toMatchObject({ type: "status_changed", claim: { id: claim.id } });
    watching.stop();

    await api.gql(
      CORRECT,
      {
        input: { claimId: claim.id, expectedVersion: corrected.claim.version, lines: [{ lineNumber: 1, units: 1 }] },
      },
      biller,
    );
    const resumed = subscribe(api.ws({ authorization: `Bearer ${biller}` }), CLAIM_EVENTS, {
      claimId: claim.id,
      after: first!["claimEvents"].cursor,
    });
    const [missed] = await resumed.waitFor(1);
    expect(missed!["claimEvents"]).toMatchObject({
      type: "status_changed",
      claim: { id: claim.id, status: "DRAFT" },
    });
    resumed.stop();

    // coder1 works at the hospital only: the clinic's claim events are not theirs, replayed or live.
    const elsewhere = subscribe(api.ws({ authorization: `Bearer ${await org.signIn("coder1")}` }), CLAIM_EVENTS, {
      after: first!["claimEvents"].cursor,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(elsewhere.received).toEqual([]);
    elsewhere.stop();
  });
});
