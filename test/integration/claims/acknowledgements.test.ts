import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { write277ca, write999 } from "../../../src/modules/claims/clearinghouse.js";
import { codes, startApi, type TestApi } from "../../helpers/api.js";
import { givenReadyClaim, type ReadyClaim } from "../../helpers/claims.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";

const SUBMIT = `mutation ($input: SubmitClaimsInput!) { submitClaims(input: $input) {
  batch { id x12 } userErrors { code } } }`;
const ACKNOWLEDGEMENT = `id kind receivedAt receivedBy claimsAccepted claimsRejected unmatched
  outcomes { claimId patientControlNumber outcome payerClaimControlNumber message }
  unmatchedItems { patientControlNumber message }`;
const IMPORT = `mutation ($input: ImportAcknowledgementInput!) { importAcknowledgement(input: $input) {
  acknowledgement { ${ACKNOWLEDGEMENT} } userErrors { code field message } } }`;
const READ_CLAIM = `query ($id: ID!) { claim(id: $id) { id status version payerClaimControlNumber
  statusHistory { fromStatus toStatus reason } } }`;
const LIST = `{ acknowledgements { id kind } }`;
const CLAIM_NEXT = `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) {
  workItem { subject { ... on Claim { id status } } } userErrors { code } } }`;

describe("acknowledgements: a 999 or 277CA moves submitted claims", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  async function submitted(org: Organization, count: number) {
    const claims: ReadyClaim[] = [];
    for (let i = 0; i < count; i++) claims.push(await givenReadyClaim(org));
    const biller = await org.signIn("biller1");
    const result = await api.gql(SUBMIT, { input: { claimIds: claims.map((c) => c.id) } }, biller);
    expect(result.data!["submitClaims"].userErrors).toEqual([]);
    return { claims, batch: result.data!["submitClaims"].batch as { id: string; x12: string }, biller };
  }

  it("a 277CA accepts one claim and rejects the other; importing it again changes nothing", async () => {
    const org = await givenOrganization(api);
    const { claims, batch, biller } = await submitted(org, 2);
    const [kept, refused] = claims as [ReadyClaim, ReadyClaim];
    const file = write277ca(batch.x12, {
      [kept.patientControlNumber]: { accept: true, payerClaimControlNumber: "PAYER0001" },
      [refused.patientControlNumber]: { accept: false, category: "A7", status: "562", entity: "85" },
    });

    const first = (await api.gql(IMPORT, { input: { x12: file } }, biller)).data!["importAcknowledgement"];
    expect(first.userErrors).toEqual([]);
    expect(first.acknowledgement).toMatchObject({ kind: "277CA", claimsAccepted: 1, claimsRejected: 1, unmatched: 0 });

    const accepted = (await api.gql(READ_CLAIM, { id: kept.id }, biller)).data!["claim"];
    expect(accepted).toMatchObject({ status: "ACCEPTED", payerClaimControlNumber: "PAYER0001" });
    expect(accepted.statusHistory.at(-1)).toMatchObject({ fromStatus: "SUBMITTED", toStatus: "ACCEPTED" });
    const rejected = (await api.gql(READ_CLAIM, { id: refused.id }, biller)).data!["claim"];
    expect(rejected.status).toBe("REJECTED");
    expect(rejected.statusHistory.at(-1)).toMatchObject({ fromStatus: "SUBMITTED", toStatus: "REJECTED" });
    expect(rejected.statusHistory.at(-1).reason).toMatch(/^277CA rejected: .*[Nn]ational [Pp]rovider/);
    const work = (await api.gql(CLAIM_NEXT, { queueId: org.queueId("Claim edits") }, biller)).data![
      "claimNextWorkItem"
    ];
    expect(work.workItem.subject).toEqual({ id: refused.id, status: "REJECTED" });

    const again = (await api.gql(IMPORT, { input: { x12: file } }, biller)).data!["importAcknowledgement"];
    expect(again.acknowledgement.id).toBe(first.acknowledgement.id);
    expect((await api.gql(READ_CLAIM, { id: kept.id }, biller)).data!["claim"]).toEqual(accepted);
    expect((await api.gql(LIST, {}, biller)).data!["acknowledgements"]).toEqual([
      { id: first.acknowledgement.id, kind: "277CA" },
    ]);
    const batchAcks = await api.gql(
      `query ($id: ID!) { node(id: $id) { ... on SubmissionBatch { acknowledgements { id } } } }`,
      { id: batch.id },
      biller,
    );
    expect(batchAcks.data!["node"].acknowledgements).toEqual([{ id: first.acknowledgement.id }]);
  });

  it("a 999 rejecting the transaction set returns every claim of it to CLAIM_EDIT with the errors", async () => {
    const org = await givenOrganization(api);
    const { claims, batch, biller } = await submitted(org, 2);
    const file = write999(batch.x12, ["0001"]);
    const result = (await api.gql(IMPORT, { input: { x12: file } }, biller)).data!["importAcknowledgement"];
    expect(result.userErrors).toEqual([]);
    expect(result.acknowledgement).toMatchObject({ kind: "999", claimsAccepted: 0, claimsRejected: 2 });
    for (const claim of claims) {
      const read = (await api.gql(READ_CLAIM, { id: claim.id }, biller)).data!["claim"];
      expect(read.status).toBe("REJECTED");
      expect(read.statusHistory.at(-1).reason).toMatch(/^999 rejected transaction set 0001: /);
    }
    const work = (await api.gql(CLAIM_NEXT, { queueId: org.queueId("Claim edits") }, biller)).data![
      "claimNextWorkItem"
    ];
    expect(work.workItem.subject.status).toBe("REJECTED");
  });

  it("a file naming a batch or claim we don't know is kept and reported, and changes no claim", async () => {
    const org = await givenOrganization(api);
    const { claims, batch, biller } = await submitted(org, 1);
    const known = claims[0]!;
    const strangerClaim = batch.x12.replace(`CLM*${known.patientControlNumber}*`, "CLM*STRANGER01*");
    const claimReport = (
      await api.gql(
        IMPORT,
        { input: { x12: write277ca(strangerClaim, { STRANGER01: { accept: true, payerClaimControlNumber: "P1" } }) } },
        biller,
      )
    ).data!["importAcknowledgement"];
    expect(claimReport.userErrors).toEqual([]);
    expect(claimReport.acknowledgement).toMatchObject({ claimsAccepted: 0, claimsRejected: 0, unmatched: 1 });
    expect(claimReport.acknowledgement.unmatchedItems).toEqual([
      { patientControlNumber: "STRANGER01", message: expect.stringContaining("not one of yours") },
    ]);

    const strangerBatch = batch.x12.replace(/BHT\*0019\*00\*\d+/, "BHT*0019*00*999999990001");
    const file = write277ca(
      strangerBatch,
      { [known.patientControlNumber]: { accept: true, payerClaimControlNumber: "P2" } },
      9100,
    );
    const batchReport = (await api.gql(IMPORT, { input: { x12: file } }, biller)).data!["importAcknowledgement"];
    expect(batchReport.acknowledgement).toMatchObject({ claimsAccepted: 0, unmatched: 1 });
    expect(batchReport.acknowledgement.unmatchedItems).toEqual([
      { patientControlNumber: known.patientControlNumber, message: expect.stringContaining("999999990001") },
    ]);
    expect((await api.gql(LIST, {}, biller)).data!["acknowledgements"]).toHaveLength(2);
    expect((await api.gql(READ_CLAIM, { id: known.id }, biller)).data!["claim"].status).toBe("SUBMITTED");
  });

  it("refuses bad files with a clear error and writes nothing; a coder may not import", async () => {
    const org = await givenOrganization(api);
    const { claims, batch, biller } = await submitted(org, 1);
    const good = write277ca(batch.x12, { [claims[0]!.patientControlNumber]: { accept: false } });
    const cases: [string, string][] = [
      ["hello, this is not a file", "X12_NOT_X12"],
      [batch.x12, "X12_WRONG_TRANSACTION"],
      [good.slice(0, good.length / 2), "X12_TRUNCATED"],
      [good.replace("IEA*1*000009002", "IEA*1*000009003"), "X12_CONTROL_NUMBER_MISMATCH"],
      ["ISA".padEnd(21 * 1024 * 1024, " "), "X12_TOO_LARGE"],
    ];
    for (const [x12, code] of cases) {
      const result = await api.gql(IMPORT, { input: { x12 } }, biller);
      const payload = result.data?.["importAcknowledgement"];
      if (code === "X12_TOO_LARGE") expect(payload ?? null).toBeNull();
      else expect(payload).toMatchObject({ acknowledgement: null, userErrors: [{ code, field: ["x12"] }] });
    }
    const coder = await org.signIn("coder3");
    expect(codes(await api.gql(IMPORT, { input: { x12: good } }, coder))).toEqual(["FORBIDDEN"]);
    expect((await api.gql(LIST, {}, biller)).data!["acknowledgements"]).toEqual([]);
    expect((await api.gql(READ_CLAIM, { id: claims[0]!.id }, biller)).data!["claim"].status).toBe("SUBMITTED");
  });

  it("a biller uploads a 277CA over HTTP: the same answer as JSON; no token or a coder is refused", async () => {
    const org = await givenOrganization(api);
    const { claims, batch, biller } = await submitted(org, 1);
    const file = write277ca(batch.x12, {
      [claims[0]!.patientControlNumber]: { accept: true, payerClaimControlNumber: "HTTP0001" },
    });
    const upload = (token?: string) =>
      fetch(new URL("/acknowledgements", api.url), {
        method: "POST",
        headers: { "content-type": "application/edi-x12", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: file,
      });
    expect((await upload()).status).toBe(401);
    expect((await upload(await org.signIn("coder3"))).status).toBe(403);

    const response = await upload(biller);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, any>;
    expect(body).toMatchObject({
      acknowledgement: { kind: "277CA", claimsAccepted: 1, claimsRejected: 0, unmatched: 0 },
      userErrors: [],
    });
    expect(body["acknowledgement"].outcomes).toEqual([
      {
        claimId: claims[0]!.id,
        patientControlNumber: claims[0]!.patientControlNumber,
        outcome: "ACCEPTED",
        payerClaimControlNumber: "HTTP0001",
        message: expect.stringMatching(/^277CA accepted: /),
      },
    ]);
    const listed = (await api.gql(LIST, {}, biller)).data!["acknowledgements"];
    expect(listed).toEqual([{ id: body["acknowledgement"].id, kind: "277CA" }]);
    const notX12 = await fetch(new URL("/acknowledgements", api.url), {
      method: "POST",
      headers: { authorization: `Bearer ${biller}` },
      body: "not a file",
    });
    expect(notX12.status).toBe(422);
    expect(((await notX12.json()) as Record<string, any>)["userErrors"]).toMatchObject([{ code: "X12_NOT_X12" }]);
  });
});
