import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PayerVerdict, write835 } from "../../../src/modules/remittance/index.js";
import { startApi, type TestApi } from "../../helpers/api.js";
import { givenSubmittedClaims } from "../../helpers/claims.js";
import { VISIT_WITH_URINALYSIS } from "../../helpers/encounters.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";
import { validateX12, x12ValidatorMissing } from "../../helpers/x12-validate.js";

const POST = `mutation ($input: PostRemittanceInput!) { postRemittance(input: $input) {
  remittance { id claimsPosted } userErrors { code field message } } }`;
const READ_CLAIM = `query ($id: ID!) { claim(id: $id) { id status version patientControlNumber totalCharge paidAmount
  adjustedAmount balance payer { name } primaryClaim { id } secondaryClaims { id status patientControlNumber }
  issues { code severity } payments { claimStatusCode paid }
  statusHistory { toStatus reason } } }`;

/**
 * Wendell Marsh, seen at the hospital, has Medicare first and Buckeye Mutual second: the biller records the second
 * card, his visit is billed to Medicare, and Medicare's 835 pays 80% less 20.00 coinsurance.
 */
async function givenMedicarePaidWithCoinsurance(
  org: Organization,
  verdict: PayerVerdict = { pay: true, patient: { reason: "2", amount: "20.00" } },
) {
  const biller = await org.signIn("biller1");
  const added = await org.api.gql(
    `mutation ($input: AddCoverageInput!) { addCoverage(input: $input) { userErrors { code message } } }`,
    {
      input: {
        patientId: org.sites.hospital.patientId,
        payerId: org.payerId("commercial"),
        memberId: "BMH880412276",
        groupNumber: "GRP7731",
        priority: 2,
        effectiveFrom: "2024-01-01",
      },
    },
    biller,
  );
  expect(added.data!["addCoverage"].userErrors).toEqual([]);
  const { claims, batch } = await givenSubmittedClaims(org, 1, { at: "hospital", codes: VISIT_WITH_URINALYSIS });
  const primary = claims[0]!;
  const medicare835 = write835(
    batch.x12,
    { [primary.patientControlNumber]: verdict },
    { traceNumber: "MCR20261130", paymentDate: "20261130" },
  );
  const posted = await org.api.gql(POST, { input: { x12: medicare835 } }, biller);
  expect(posted.data!["postRemittance"].userErrors).toEqual([]);
  return { biller, primary };
}

/** The biller takes the secondary claim from Billing, marks it ready and submits it: the 837P written. */
async function submitSecondary(org: Organization, biller: string, secondaryId: string): Promise<string> {
  const taken = await org.api.gql(
    `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) {
      workItem { subject { ... on Claim { id version } } } userErrors { code } } }`,
    { queueId: org.queueId("Billing") },
    biller,
  );
  const subject = taken.data!["claimNextWorkItem"].workItem.subject;
  expect(subject.id).toBe(secondaryId);
  const ready = await org.api.gql(
    `mutation ($input: ClaimVersionInput!) { markClaimReady(input: $input) { claim { status } userErrors { code } } }`,
    { input: { claimId: secondaryId, expectedVersion: subject.version } },
    biller,
  );
  expect(ready.data!["markClaimReady"]).toEqual({ claim: { status: "READY" }, userErrors: [] });
  const submitted = await org.api.gql(
    `mutation ($input: SubmitClaimsInput!) { submitClaims(input: $input) {
      batch { x12 payer { name } } userErrors { code message } } }`,
    { input: { claimIds: [secondaryId] } },
    biller,
  );
  expect(submitted.data!["submitClaims"].userErrors).toEqual([]);
  expect(submitted.data!["submitClaims"].batch.payer.name).toBe("Buckeye Mutual Health");
  return submitted.data!["submitClaims"].batch.x12;
}

describe("secondary claims: what the primary payer leaves goes to the second coverage", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it("Medicare pays part; the secondary claim carries its payment and adjustments, and is paid the rest", async () => {
    const org = await givenOrganization(api);
    const { biller, primary } = await givenMedicarePaidWithCoinsurance(org);
    const read = async (id: string) => (await api.gql(READ_CLAIM, { id }, biller)).data!["claim"];

    // Medicare allowed 88.00 + 16.00 and paid 84.00; 20.00 coinsurance is left, which the secondary is billed for.
    const paid = await read(primary.id);
    expect(paid).toMatchObject({ status: "PAID", paidAmount: "84.00", balance: "20.00", primaryClaim: null });
    expect(paid.secondaryClaims).toHaveLength(1);
    const secondary = await read(paid.secondaryClaims[0].id);
    expect(secondary).toMatchObject({
      status: "DRAFT",
      totalCharge: "130.00",
      payer: { name: "Buckeye Mutual Health" },
      primaryClaim: { id: primary.id },
      secondaryClaims: [],
    });
    expect(secondary.patientControlNumber).not.toBe(primary.patientControlNumber);
    expect(secondary.issues.filter((issue: { severity: string }) => issue.severity === "ERROR")).toEqual([]);
    expect(secondary.issues.map((issue: { code: string }) => issue.code)).not.toContain("POSSIBLE_DUPLICATE_CLAIM");
    expect(secondary.statusHistory[0]).toMatchObject({ toStatus: "DRAFT" });
    expect(secondary.statusHistory[0].reason).toMatch(
      new RegExp(
        "^Secondary claim to Buckeye Mutual Health for the 20.00 that Medicare Part B \\(Ohio\\) left on claim " +
          "C\\d+ \\(paid 84.00 on 2026-11-30\\)",
      ),
    );

    const x12 = await submitSecondary(org, biller, secondary.id);
    const segments = x12.split("~\n");
    // 2000B: the commercial plan is billed as secondary; 2320/2330: Medicare, its payment and its adjustments.
    expect(segments).toContain("SBR*S*18*GRP7731******CI");
    expect(segments).toContain("SBR*P*18*******MB");
    expect(segments).toContain("AMT*D*84");
    expect(segments).toContain("OI***Y***Y");
    expect(segments).toContain("NM1*IL*1*MARSH*WENDELL****MI*1EG4TE5MK73");
    expect(segments).toContain("NM1*PR*2*MEDICARE PART B (OHIO)*****PI*15202");
    expect(segments).toContain(`REF*F8*P${primary.patientControlNumber}`);
    // 2430 per line: Medicare's payment, CAS and adjudication date.
    const line1 = segments.indexOf("SVD*15202*68*HC:99213**1");
    expect(line1).toBeGreaterThan(0);
    expect(segments.slice(line1 + 1, line1 + 4)).toEqual(["CAS*CO*45*22", "CAS*PR*2*20", "DTP*573*D8*20261130"]);
    expect(segments).toContain("SVD*15202*16*HC:81002**1");

    // Buckeye Mutual's 835 processes it as secondary (CLP02 2) and pays the coinsurance Medicare left.
    const secondary835 = write835(
      x12,
      { [secondary.patientControlNumber]: { pay: true } },
      { traceNumber: "BMH20261215", control: 8002 },
    );
    expect(secondary835).toContain(`CLP*${secondary.patientControlNumber}*2*130.00*20.00*`);
    const posted = await api.gql(POST, { input: { x12: secondary835 } }, biller);
    expect(posted.data!["postRemittance"]).toMatchObject({ userErrors: [], remittance: { claimsPosted: 1 } });
    expect(await read(secondary.id)).toMatchObject({
      status: "PAID",
      paidAmount: "20.00",
      adjustedAmount: "110.00",
      balance: "0.00",
      payments: [{ claimStatusCode: "2", paid: "20.00" }],
      secondaryClaims: [],
    });
    expect((await read(primary.id)).secondaryClaims).toHaveLength(1);
  });

  const title = "the secondary claim's 837P passes the X12 validator (pyx12, 005010X222A1)";
  it.skipIf(x12ValidatorMissing !== null)(
    x12ValidatorMissing ? `${title} (skipped: ${x12ValidatorMissing})` : title,
    async () => {
      const org = await givenOrganization(api);
      const { biller, primary } = await givenMedicarePaidWithCoinsurance(org);
      const paid = (await api.gql(READ_CLAIM, { id: primary.id }, biller)).data!["claim"];
      const x12 = await submitSecondary(org, biller, paid.secondaryClaims[0].id);
      const dir = mkdtempSync(join(tmpdir(), "chartroom-secondary-"));
      try {
        const file = join(dir, "secondary.837");
        writeFileSync(file, x12);
        const run = await validateX12([file]);
        expect(run.status, run.output).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    300_000,
  );

  it("a primary that denies the claim bills no secondary: the denial is worked in Denials first", async () => {
    const org = await givenOrganization(api);
    const { biller, primary } = await givenMedicarePaidWithCoinsurance(org, { pay: false, reason: "50" });
    const read = (await api.gql(READ_CLAIM, { id: primary.id }, biller)).data!["claim"];
    expect(read).toMatchObject({ status: "DENIED", balance: "130.00", secondaryClaims: [] });
    const queues = await api.gql(`{ workQueues { name stats { ready } } }`, {}, biller);
    const ready = Object.fromEntries(
      queues.data!["workQueues"].map((queue: { name: string; stats: { ready: number } }) => [
        queue.name,
        queue.stats.ready,
      ]),
    );
    expect(ready).toMatchObject({ Billing: 0, Denials: 1 });
  });

  it("a patient with no secondary coverage gets no secondary claim, whatever the primary leaves", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const { claims, batch } = await givenSubmittedClaims(org, 1, { codes: VISIT_WITH_URINALYSIS });
    const [claim] = claims;
    const file = write835(
      batch.x12,
      { [claim!.patientControlNumber]: { pay: true, patient: { reason: "1", amount: "50.00" } } },
      { traceNumber: "BMH0042" },
    );
    expect((await api.gql(POST, { input: { x12: file } }, biller)).data!["postRemittance"].userErrors).toEqual([]);
    const read = (await api.gql(READ_CLAIM, { id: claim!.id }, biller)).data!["claim"];
    expect(read).toMatchObject({ status: "PAID", balance: "50.00", secondaryClaims: [] });
    const billing = await api.gql(`{ workQueues { name stats { ready } } }`, {}, biller);
    const queue = billing.data!["workQueues"].find((each: { name: string }) => each.name === "Billing");
    expect(queue.stats.ready).toBe(0);
  });
});
