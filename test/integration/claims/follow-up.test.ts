import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sweepFollowUps } from "../../../src/modules/follow-ups/index.js";
import { addDays } from "../../../src/shared/calendar.js";
import { startApi, type TestApi } from "../../helpers/api.js";
import { changeClaimBehindTheApi } from "../../helpers/behind-the-api.js";
import { givenReadyClaim, type ReadyClaim } from "../../helpers/claims.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";

const TODAY = new Date().toISOString().slice(0, 10);
/** The follow-up sweep's clock, `days` from today (the server runs it every FOLLOW_UP_SWEEP_SECONDS). */
const inDays = (days: number) => new Date(`${addDays(TODAY, days)}T12:00:00Z`);

const FOLLOW_UP_WORK = `query ($queueId: ID!) { workQueue(id: $queueId) { items(first: 50, status: READY) {
  edges { node { id priority history { reason } subject { ... on Claim { id patientControlNumber } } } } } } }`;
const CLAIM_NEXT = `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) {
  workItem { id subject { ... on Claim { id } } } userErrors { code } } }`;
const RECORD = `mutation ($input: RecordClaimFollowUpInput!) { recordClaimFollowUp(input: $input) {
  followUp { note nextFollowUpOn by { email } } claim { id status } userErrors { code field message } } }`;

/*
 * Billers chase claims the payer has not paid: the sweep puts a claim into Follow-up when its
 * payer's follow-up days (30 unless set) have passed since it was sent, and again on the day the
 * biller said to ask again.
 */
describe("follow-up: unpaid claims come back to the biller until the payer answers", () => {
  let api: TestApi;
  let org: Organization;

  beforeAll(async () => {
    api = await startApi();
  });
  // Each story has an organization of its own: its queues hold only the work the story makes.
  beforeEach(async () => {
    org = await givenOrganization(api);
  });
  afterAll(() => api.close());

  async function submitted(plan: Parameters<typeof givenReadyClaim>[1] = {}): Promise<ReadyClaim> {
    const claim = await givenReadyClaim(org, plan);
    const sent = await api.gql(
      `mutation ($ids: [ID!]!) { submitClaims(input: { claimIds: $ids }) { batch { id } userErrors { code } } }`,
      { ids: [claim.id] },
      await org.signIn("biller1"),
    );
    expect(sent.data!["submitClaims"].userErrors).toEqual([]);
    return claim;
  }

  async function followUpWork() {
    const read = await api.gql(FOLLOW_UP_WORK, { queueId: org.queueId("Follow-up") }, await org.signIn("supervisor"));
    expect(read.errors).toBeUndefined();
    return read.data!["workQueue"].items.edges.map((edge: any) => edge.node);
  }

  /** Claims sent today, in the Follow-up queue thirty days on. */
  async function givenFollowUpWork(count: number): Promise<ReadyClaim[]> {
    const claims: ReadyClaim[] = [];
    for (let i = 0; i < count; i++) claims.push(await submitted());
    await sweepFollowUps(api.server.services, inDays(30));
    expect(await followUpWork()).toHaveLength(count);
    return claims;
  }

  async function recordFollowUp(claimId: string, note: string, nextFollowUpOn: string) {
    return (await api.gql(RECORD, { input: { claimId, note, nextFollowUpOn } }, await org.signIn("biller1"))).data![
      "recordClaimFollowUp"
    ];
  }

  it("a claim sent today waits; thirty days on it is follow-up work, deadline first, made once", async () => {
    const commercial = await submitted();
    const medicare = await submitted({ at: "hospital" });

    await sweepFollowUps(api.server.services, inDays(29));
    expect(await followUpWork()).toEqual([]);

    await Promise.all([
      sweepFollowUps(api.server.services, inDays(30)),
      sweepFollowUps(api.server.services, inDays(30)),
    ]);
    await sweepFollowUps(api.server.services, inDays(31));
    const work = await followUpWork();
    const of = (claim: ReadyClaim) => work.filter((item: any) => item.subject.id === claim.id);
    expect([of(commercial).length, of(medicare).length]).toEqual([1, 1]);
    // Buckeye Mutual takes claims for 180 days from the date of service (2026-10-15), Medicare for 365:
    // the claim nearer its deadline is worked first.
    expect(of(commercial)[0].priority).toBeGreaterThan(of(medicare)[0].priority);
    expect(of(commercial)[0].history).toEqual([{ reason: "no payment yet: follow up with the payer" }]);

    const claimed = await api.gql(CLAIM_NEXT, { queueId: org.queueId("Follow-up") }, await org.signIn("biller2"));
    expect(claimed.data!["claimNextWorkItem"].workItem.subject.id).toBe(commercial.id);
    await api.gql(
      `mutation ($id: ID!) { releaseWorkItem(input: { workItemId: $id }) { userErrors { code } } }`,
      { id: claimed.data!["claimNextWorkItem"].workItem.id },
      await org.signIn("biller2"),
    );
  });

  it("a biller records the call: the work is done, and the claim comes back on the day they chose", async () => {
    await givenFollowUpWork(1);
    const biller = await org.signIn("biller1");
    const claimed = await api.gql(CLAIM_NEXT, { queueId: org.queueId("Follow-up") }, biller);
    const claimId = claimed.data!["claimNextWorkItem"].workItem.subject.id;

    const recorded = await recordFollowUp(
      claimId,
      "Payer: in process, no records needed. Ref 88213.",
      addDays(TODAY, 45),
    );
    expect(recorded).toEqual({
      followUp: {
        note: "Payer: in process, no records needed. Ref 88213.",
        nextFollowUpOn: addDays(TODAY, 45),
        by: { email: org.email("biller1") },
      },
      claim: { id: claimId, status: "SUBMITTED" },
      userErrors: [],
    });
    const claim = await api.gql(
      `query ($id: ID!) { claim(id: $id) { followUps { note nextFollowUpOn } } }`,
      { id: claimId },
      biller,
    );
    expect(claim.data!["claim"].followUps).toEqual([
      { note: "Payer: in process, no records needed. Ref 88213.", nextFollowUpOn: addDays(TODAY, 45) },
    ]);

    await sweepFollowUps(api.server.services, inDays(44));
    expect((await followUpWork()).map((item: any) => item.subject.id)).not.toContain(claimId);
    await sweepFollowUps(api.server.services, inDays(45));
    expect((await followUpWork()).map((item: any) => item.subject.id)).toContain(claimId);
  });

  it("a claim no longer waiting on its payer is not followed up", async () => {
    const paid = await submitted();
    await changeClaimBehindTheApi(org, paid.id, { status: "PAID" });
    await sweepFollowUps(api.server.services, inDays(60));
    expect((await followUpWork()).map((item: any) => item.subject.id)).not.toContain(paid.id);
  });

  it("refusals: no note, a day out of range, work not held, a claim not with the payer, a coder", async () => {
    await givenFollowUpWork(2);
    const biller = await org.signIn("biller1");
    const waiting = (await followUpWork())[0].subject.id;
    const notHeld = await api.gql(
      RECORD,
      { input: { claimId: waiting, note: "Called.", nextFollowUpOn: addDays(TODAY, 10) } },
      biller,
    );
    expect(notHeld.errors?.[0]?.extensions?.code).toBe("CONFLICT");

    const claimed = await api.gql(CLAIM_NEXT, { queueId: org.queueId("Follow-up") }, biller);
    const held = claimed.data!["claimNextWorkItem"].workItem.subject.id;
    expect((await recordFollowUp(held, "  ", addDays(TODAY, 10))).userErrors.map((e: any) => e.code)).toEqual([
      "NOTE_REQUIRED",
    ]);
    for (const day of [TODAY, addDays(TODAY, 181)])
      expect((await recordFollowUp(held, "Called.", day)).userErrors).toEqual([
        expect.objectContaining({ code: "NEXT_FOLLOW_UP_OUT_OF_RANGE", field: ["nextFollowUpOn"] }),
      ]);
    const claim = await api.gql(`query ($id: ID!) { claim(id: $id) { followUps { note } } }`, { id: held }, biller);
    expect(claim.data!["claim"].followUps.map((f: any) => f.note)).not.toContain("Called.");

    const ready = await givenReadyClaim(org);
    const notSent = await api.gql(
      RECORD,
      { input: { claimId: ready.id, note: "Called.", nextFollowUpOn: addDays(TODAY, 10) } },
      biller,
    );
    expect(notSent.errors?.[0]?.extensions?.code).toBe("CONFLICT");

    const coder = await api.gql(
      RECORD,
      { input: { claimId: held, note: "Called.", nextFollowUpOn: addDays(TODAY, 10) } },
      await org.signIn("coder3"),
    );
    expect(coder.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
