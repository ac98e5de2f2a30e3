import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PayerVerdict, write835 } from "../../../src/modules/remittance/index.js";
import { codes, startApi, type TestApi } from "../../helpers/api.js";
import { givenSubmittedClaims, type SubmittedBatch } from "../../helpers/claims.js";
import { VISIT_WITH_URINALYSIS } from "../../helpers/encounters.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";

const POST = `mutation ($input: PostRemittanceInput!) { postRemittance(input: $input) {
  userErrors { code message } } }`;
const CLAIM_NEXT = `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) {
  workItem { id subject { ... on Claim { id } } } userErrors { code } } }`;
const READ_CLAIM = `query ($id: ID!) { claim(id: $id) { id status version paidAmount adjustedAmount balance
  denial { category nextStep
    reasons { groupCode reasonCode reason amount lineNumber remarks { code description } }
    latestAppeal { reason deadline createdAt } }
  adjustments { kind groupCode reasonCode amount note }
  statusHistory { fromStatus toStatus reason } } }`;
const WORK_STATUS = `query ($id: ID!) { node(id: $id) { ... on WorkItem { status history { to reason } } } }`;
const CLAIM_RESULT = "claim { id status version balance adjustedAmount } userErrors { code field message }";
const APPEAL = `mutation ($input: AppealClaimInput!) { appealClaim(input: $input) { ${CLAIM_RESULT} } }`;
const WRITE_OFF = `mutation ($input: WriteOffClaimBalanceInput!) { writeOffClaimBalance(input: $input) {
  ${CLAIM_RESULT} } }`;
const TRANSFER = `mutation ($input: TransferBalanceToPatientInput!) { transferBalanceToPatient(input: $input) {
  ${CLAIM_RESULT} } }`;

describe("denials: a biller works what the payer refused", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  /** The payer's 835 for the batch, posted by biller1. */
  async function payerAnswers(
    org: Organization,
    batch: SubmittedBatch,
    verdicts: Record<string, PayerVerdict>,
    traceNumber: string,
    control = 1,
  ): Promise<void> {
    const file = write835(batch.x12, verdicts, { traceNumber, control });
    const posted = await api.gql(POST, { input: { x12: file } }, await org.signIn("biller1"));
    expect(posted.data?.["postRemittance"].userErrors).toEqual([]);
  }

  /** A routine visit's claim, submitted and answered by the payer as `verdict` says, in an organization of its own. */
  async function givenAnsweredClaim(verdict: PayerVerdict, traceNumber: string) {
    const org = await givenOrganization(api);
    const { claims, batch } = await givenSubmittedClaims(org, 1);
    const claim = claims[0]!;
    await payerAnswers(org, batch, { [claim.patientControlNumber]: verdict }, traceNumber);
    return { org, batch, claim, biller: await org.signIn("biller1") };
  }

  /** The next Denials item biller1 claims: its id, and the claim it is about. */
  async function claimDenial(org: Organization, login = "biller1"): Promise<{ id: string; claimId: string }> {
    const claimed = await api.gql(CLAIM_NEXT, { queueId: org.queueId("Denials") }, await org.signIn(login));
    const item = claimed.data?.["claimNextWorkItem"].workItem;
    if (!item) throw new Error(`no denial to claim: ${JSON.stringify(claimed)}`);
    return { id: item.id, claimId: item.subject.id };
  }

  it("appeals a medical-necessity denial; the payer's later payment posts to the appealed claim", async () => {
    const { org, batch, claim, biller } = await givenAnsweredClaim({ pay: false, reason: "50", remark: "N115" }, "D1");

    const work = await claimDenial(org);
    expect(work.claimId).toBe(claim.id);
    const denied = (await api.gql(READ_CLAIM, { id: claim.id }, biller)).data!["claim"];
    expect(denied).toMatchObject({ status: "DENIED", adjustedAmount: "0.00", balance: "110.00" });
    expect(denied.denial).toMatchObject({
      category: "MEDICAL_NECESSITY",
      reasons: [{ groupCode: "CO", reasonCode: "50", amount: "110.00", lineNumber: 1, remarks: [{ code: "N115" }] }],
      latestAppeal: null,
    });
    expect(denied.denial.reasons[0].reason).toMatch(/medical necessity/i);
    expect(denied.denial.reasons[0].remarks[0].description).toBeTruthy();
    expect(denied.denial.nextStep).toMatch(/^Appeal with the clinical documentation/);

    const input = { claimId: claim.id, expectedVersion: denied.version, reason: "Records attached: failed therapy." };
    const blank = (await api.gql(APPEAL, { input: { ...input, reason: "  " } }, biller)).data!["appealClaim"];
    expect(blank).toMatchObject({ claim: null, userErrors: [{ code: "REASON_REQUIRED", field: ["reason"] }] });
    const tooLong = (await api.gql(APPEAL, { input: { ...input, reason: "x".repeat(2001) } }, biller)).data![
      "appealClaim"
    ];
    expect(tooLong.userErrors).toMatchObject([{ code: "TEXT_TOO_LONG", field: ["reason"] }]);
    expect(codes(await api.gql(APPEAL, { input: { ...input, expectedVersion: denied.version - 1 } }, biller))).toEqual([
      "CONFLICT",
    ]);

    const appealed = (await api.gql(APPEAL, { input }, biller)).data!["appealClaim"];
    expect(appealed).toMatchObject({ userErrors: [], claim: { status: "APPEALED", balance: "110.00" } });
    const read = (await api.gql(READ_CLAIM, { id: claim.id }, biller)).data!["claim"];
    // The payer's default window: 120 days from the denial's posting, today.
    const deadline = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);
    expect(read.denial.latestAppeal).toMatchObject({ reason: input.reason, deadline });
    expect(read.statusHistory.at(-1)).toMatchObject({ fromStatus: "DENIED", toStatus: "APPEALED" });
    expect(read.statusHistory.at(-1).reason).toContain(input.reason);
    const item = (await api.gql(WORK_STATUS, { id: work.id }, biller)).data!["node"];
    expect(item).toMatchObject({ status: "DONE" });
    expect(item.history.at(-1)).toMatchObject({ to: "DONE", reason: expect.stringMatching(/^Appealed/) });
    expect(codes(await api.gql(APPEAL, { input: { ...input, expectedVersion: read.version } }, biller))).toEqual([
      "CONFLICT",
    ]);

    // The appeal won: the payer pays the claim on a new payment.
    await payerAnswers(org, batch, { [claim.patientControlNumber]: { pay: true } }, "D1-APPEAL", 2);
    const paid = (await api.gql(READ_CLAIM, { id: claim.id }, biller)).data!["claim"];
    expect(paid).toMatchObject({ status: "PAID", paidAmount: "88.00", adjustedAmount: "22.00", balance: "0.00" });
    expect(paid.denial).toBeNull();
    expect(paid.statusHistory.at(-1)).toMatchObject({ fromStatus: "APPEALED", toStatus: "PAID" });
  });

  it("corrects a coding denial with a replacement claim, which ends the denial's work", async () => {
    const { org, claim, biller } = await givenAnsweredClaim({ pay: false, reason: "4", remark: "M114" }, "C1");

    const work = await claimDenial(org);
    const denied = (await api.gql(READ_CLAIM, { id: claim.id }, biller)).data!["claim"];
    expect(denied.denial).toMatchObject({ category: "CODING", reasons: [{ reasonCode: "4" }] });
    expect(denied.denial.nextStep).toMatch(/corrected claim \(frequency 7\)/);

    const replaced = await api.gql(
      `mutation ($input: ClaimRefInput!) { createReplacementClaim(input: $input) {
        claim { id frequencyCode status replaces { id } } userErrors { code } } }`,
      { input: { claimId: claim.id } },
      biller,
    );
    expect(replaced.data?.["createReplacementClaim"]).toMatchObject({
      userErrors: [],
      claim: { frequencyCode: "7", replaces: { id: claim.id } },
    });
    expect((await api.gql(WORK_STATUS, { id: work.id }, biller)).data!["node"]).toMatchObject({
      status: "DONE",
      history: expect.arrayContaining([
        expect.objectContaining({ to: "DONE", reason: expect.stringMatching(/^Replacement/) }),
      ]),
    });
  });

  it("a biller writes off a small timely-filing denial; above the limit a supervisor must", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const supervisor = await org.signIn("supervisor");
    const { claims, batch } = await givenSubmittedClaims(org, 2, { codes: VISIT_WITH_URINALYSIS });
    const [small, large] = claims as [(typeof claims)[0], (typeof claims)[0]];
    await payerAnswers(
      org,
      batch,
      {
        [small.patientControlNumber]: { pay: true, deniedLines: { lineNumbers: [2], reason: "29" } },
        [large.patientControlNumber]: { pay: false, reason: "29" },
      },
      "T1",
    );

    const first = await claimDenial(org);
    const second = await claimDenial(org);
    const smallWork = first.claimId === small.id ? first : second;
    const largeWork = first.claimId === small.id ? second : first;

    const partly = (await api.gql(READ_CLAIM, { id: small.id }, biller)).data!["claim"];
    expect(partly).toMatchObject({ status: "PARTIALLY_PAID", balance: "20.00", denial: { category: "TIMELY_FILING" } });
    const input = { claimId: small.id, expectedVersion: partly.version, reason: "No proof of timely filing." };
    const over = (await api.gql(WRITE_OFF, { input: { ...input, amount: "20.01" } }, biller)).data![
      "writeOffClaimBalance"
    ];
    expect(over.userErrors).toMatchObject([{ code: "AMOUNT_OVER_BALANCE", field: ["amount"] }]);
    const zero = (await api.gql(WRITE_OFF, { input: { ...input, amount: "0.00" } }, biller)).data![
      "writeOffClaimBalance"
    ];
    expect(zero.userErrors).toMatchObject([{ code: "AMOUNT_NOT_POSITIVE" }]);
    const written = (await api.gql(WRITE_OFF, { input }, biller)).data!["writeOffClaimBalance"];
    expect(written).toMatchObject({
      userErrors: [],
      claim: { status: "CLOSED", balance: "0.00", adjustedAmount: "42.00" },
    });
    const closed = (await api.gql(READ_CLAIM, { id: small.id }, biller)).data!["claim"];
    expect(closed.adjustments.at(-1)).toEqual({
      kind: "WRITE_OFF",
      groupCode: "CO",
      reasonCode: "CHR-WO",
      amount: "20.00",
      note: input.reason,
    });
    expect(closed.statusHistory.at(-1)).toMatchObject({ fromStatus: "PARTIALLY_PAID", toStatus: "CLOSED" });
    expect((await api.gql(WORK_STATUS, { id: smallWork.id }, biller)).data!["node"].status).toBe("DONE");

    const denied = (await api.gql(READ_CLAIM, { id: large.id }, biller)).data!["claim"];
    expect(denied.balance).toBe("130.00");
    const largeInput = { claimId: large.id, expectedVersion: denied.version, reason: "Filed after 90 days." };
    const refused = await api.gql(WRITE_OFF, { input: largeInput }, biller);
    expect(codes(refused)).toEqual(["FORBIDDEN"]);
    expect(refused.errors![0]!.message).toMatch(/above 100\.00/);
    expect((await api.gql(READ_CLAIM, { id: large.id }, biller)).data!["claim"]).toMatchObject({
      status: "DENIED",
      balance: "130.00",
    });

    const approved = (await api.gql(WRITE_OFF, { input: largeInput }, supervisor)).data!["writeOffClaimBalance"];
    expect(approved).toMatchObject({ userErrors: [], claim: { status: "CLOSED", balance: "0.00" } });
    // The biller's item is moot: the supervisor's write-off ends it.
    const largeItem = (await api.gql(WORK_STATUS, { id: largeWork.id }, supervisor)).data!["node"];
    expect(largeItem.status).toBe("CANCELLED");
    expect(largeItem.history.at(-1).reason).toMatch(/^Wrote off 130.00 of 130.00: Filed after 90 days/);
  });

  it("moves a deductible balance to the patient's statement", async () => {
    const { org, claim, biller } = await givenAnsweredClaim(
      { pay: true, patient: { reason: "1", amount: "30.00" } },
      "P1",
    );
    const patientId = org.sites.clinic.patientId;
    const statement = async () =>
      (
        await api.gql(
          `query ($id: ID!) { node(id: $id) { ... on Patient { statementBalance } } }`,
          { id: patientId },
          biller,
        )
      ).data!["node"].statementBalance;
    const before = await statement();

    const paid = (await api.gql(READ_CLAIM, { id: claim.id }, biller)).data!["claim"];
    expect(paid).toMatchObject({ status: "PAID", paidAmount: "58.00", balance: "30.00", denial: null });
    const input = { claimId: claim.id, expectedVersion: paid.version, reason: "Deductible not yet met (PR-1)." };
    expect(codes(await api.gql(TRANSFER, { input: { ...input, expectedVersion: 1 } }, biller))).toEqual(["CONFLICT"]);
    const moved = (await api.gql(TRANSFER, { input }, biller)).data!["transferBalanceToPatient"];
    expect(moved).toMatchObject({ userErrors: [], claim: { status: "CLOSED", balance: "0.00" } });
    expect(Number(await statement()) - Number(before)).toBe(30);
    const closed = (await api.gql(READ_CLAIM, { id: claim.id }, biller)).data!["claim"];
    expect(closed.adjustments.at(-1)).toEqual({
      kind: "PATIENT_TRANSFER",
      groupCode: "PR",
      reasonCode: "CHR-PT",
      amount: "30.00",
      note: input.reason,
    });
    expect(codes(await api.gql(TRANSFER, { input: { ...input, expectedVersion: closed.version } }, biller))).toEqual([
      "CONFLICT",
    ]);
  });
});
