import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "../../../src/db/client.js";
import { createLogger } from "../../../src/logger.js";
import { sweepFollowUps } from "../../../src/modules/follow-ups/index.js";
import { write835 } from "../../../src/modules/remittance/index.js";
import { startServer } from "../../../src/server.js";
import { codes, startApi, type TestApi } from "../../helpers/api.js";
import { acceptedByPayer } from "../../helpers/behind-the-api.js";
import { givenSubmittedClaims } from "../../helpers/claims.js";
import { VISIT_WITH_URINALYSIS } from "../../helpers/encounters.js";
import { givenOrganization } from "../../helpers/organizations.js";
import { validateX12, x12ValidatorMissing } from "../../helpers/x12-validate.js";

const POST = `mutation ($input: PostRemittanceInput!) { postRemittance(input: $input) {
  remittance { id payerName traceNumber paymentAmount claimsPosted unmatched }
  remittances { id } alreadyPosted userErrors { code field message } } }`;
const ADJUSTMENT = "groupCode reasonCode reason amount lineNumber";
const READ_CLAIM = `query ($id: ID!) { claim(id: $id) { id status version totalCharge paidAmount adjustedAmount
  patientResponsibility balance payerClaimControlNumber
  lines { lineNumber paidAmount adjustments { ${ADJUSTMENT} } }
  payments { id claimStatusCode paid reversal statusBefore statusAfter reverses { id }
    remarks { code description } lines { lineNumber code paid remarks { code } adjustments { ${ADJUSTMENT} } } }
  statusHistory { fromStatus toStatus reason } } }`;
const CLAIM_NEXT = `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) {
  workItem { id history { reason } subject { __typename ... on Claim { id status }
    ... on ClaimPayment { id patientControlNumber unmatchedReason paid
      lines { code paid adjustments { groupCode reasonCode reason amount } } } } }
  userErrors { code } } }`;

describe("remittance: a biller posts the payer's 835", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it("posts a paid, a partly denied and a denied claim to the cent; the same 835 again changes nothing", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const { claims, batch } = await givenSubmittedClaims(org, 3, { codes: VISIT_WITH_URINALYSIS });
    const [paid, partly, denied] = claims.map((claim) => claim.patientControlNumber) as [string, string, string];
    const file = write835(
      batch.x12,
      {
        [paid]: { pay: true, patient: { reason: "2", amount: "20.00" } },
        [partly]: { pay: true, deniedLines: { lineNumbers: [2], reason: "50", remark: "N115" } },
        [denied]: { pay: false, reason: "27", remark: "N30" },
      },
      { traceNumber: "EFT0001" },
    );

    const posted = (await api.gql(POST, { input: { x12: file } }, biller)).data!["postRemittance"];
    expect(posted.userErrors).toEqual([]);
    // Allowed 80%: 88.00 + 16.00 less 20.00 coinsurance = 84.00; 88.00 for the visit alone; nothing for the third.
    expect(posted.remittance).toMatchObject({
      traceNumber: "EFT0001",
      paymentAmount: "172.00",
      claimsPosted: 3,
      unmatched: 0,
    });
    expect(posted.alreadyPosted).toBe(false);

    const read = async (id: string) => (await api.gql(READ_CLAIM, { id }, biller)).data!["claim"];
    const first = await read(claims[0]!.id);
    expect(first).toMatchObject({
      status: "PAID",
      totalCharge: "130.00",
      paidAmount: "84.00",
      adjustedAmount: "26.00",
      patientResponsibility: "20.00",
      balance: "20.00",
      payerClaimControlNumber: `P${paid}`,
    });
    expect(first.lines).toEqual([
      {
        lineNumber: 1,
        paidAmount: "68.00",
        adjustments: [
          expect.objectContaining({ groupCode: "CO", reasonCode: "45", amount: "22.00", lineNumber: 1 }),
          expect.objectContaining({ groupCode: "PR", reasonCode: "2", amount: "20.00", reason: "Coinsurance Amount" }),
        ],
      },
      { lineNumber: 2, paidAmount: "16.00", adjustments: [expect.objectContaining({ reasonCode: "45" })] },
    ]);
    expect(first.lines[0].adjustments[0].reason).toMatch(/fee schedule/i);
    expect(first.statusHistory.at(-1)).toMatchObject({ fromStatus: "SUBMITTED", toStatus: "PAID" });
    expect(first.statusHistory.at(-1).reason).toMatch(/^835 EFT0001 from .*: paid 84.00 of 130.00; adjustments CO-45/);

    const second = await read(claims[1]!.id);
    // What the payer refused stays in the balance until a biller works the denial; only reductions are adjusted away.
    expect(second).toMatchObject({
      status: "PARTIALLY_PAID",
      paidAmount: "88.00",
      adjustedAmount: "22.00",
      balance: "20.00",
    });
    expect(second.payments[0].lines[1]).toMatchObject({
      lineNumber: 2,
      code: "81002",
      paid: "0.00",
      remarks: [{ code: "N115" }],
      adjustments: [expect.objectContaining({ groupCode: "CO", reasonCode: "50", amount: "20.00" })],
    });

    const third = await read(claims[2]!.id);
    expect(third).toMatchObject({ status: "DENIED", paidAmount: "0.00", adjustedAmount: "0.00", balance: "130.00" });
    expect(third.payments[0]).toMatchObject({ claimStatusCode: "4", statusBefore: "SUBMITTED", statusAfter: "DENIED" });

    // Both denials wait in the Denials queue, with the payer's reasons in words.
    const denials = [];
    for (let i = 0; i < 2; i++)
      denials.push((await api.gql(CLAIM_NEXT, { queueId: org.queueId("Denials") }, biller)).data!["claimNextWorkItem"]);
    expect(denials.map((work) => work.workItem.subject.id).sort()).toEqual([claims[1]!.id, claims[2]!.id].sort());
    const deniedWork = denials.find((work) => work.workItem.subject.id === claims[2]!.id);
    expect(deniedWork.workItem.history[0].reason).toMatch(/^Denied by 835 EFT0001: CO-27: Expenses incurred after/);

    const again = (await api.gql(POST, { input: { x12: file } }, biller)).data!["postRemittance"];
    expect(again).toMatchObject({ alreadyPosted: true, userErrors: [], remittance: { id: posted.remittance.id } });
    expect(await read(claims[0]!.id)).toEqual(first);
    const listed = await api.gql(`{ remittances { totalCount edges { node { id } } } }`, {}, biller);
    expect(listed.data!["remittances"]).toEqual({ totalCount: 1, edges: [{ node: { id: posted.remittance.id } }] });
  });

  it("a payment that names no claim of ours waits whole in Unmatched payments until a biller matches it", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const { claims, batch } = await givenSubmittedClaims(org, 1);
    const [claim] = claims;
    const file = write835(
      batch.x12,
      { [claim!.patientControlNumber]: { pay: true } },
      { traceNumber: "CHK7781", renamed: { [claim!.patientControlNumber]: "C0000O1234" } },
    );

    const posted = (await api.gql(POST, { input: { x12: file } }, biller)).data!["postRemittance"];
    expect(posted.remittance).toMatchObject({ claimsPosted: 0, unmatched: 1, paymentAmount: "88.00" });

    const work = (await api.gql(CLAIM_NEXT, { queueId: org.queueId("Unmatched payments") }, biller)).data![
      "claimNextWorkItem"
    ];
    expect(work.workItem.subject).toMatchObject({
      __typename: "ClaimPayment",
      patientControlNumber: "C0000O1234",
      unmatchedReason: "No claim you may see has patient control number C0000O1234.",
      paid: "88.00",
      lines: [{ code: "99213", paid: "88.00", adjustments: [expect.objectContaining({ reasonCode: "45" })] }],
    });

    const match = `mutation ($input: MatchClaimPaymentInput!) { matchClaimPayment(input: $input) {
      claimPayment { id paid claim { id status paidAmount } resolves { id } } userErrors { code } } }`;
    const input = { claimPaymentId: work.workItem.subject.id, claimId: claim!.id };
    const matched = (await api.gql(match, { input }, biller)).data!["matchClaimPayment"];
    expect(matched).toMatchObject({
      userErrors: [],
      claimPayment: {
        paid: "88.00",
        claim: { id: claim!.id, status: "PAID", paidAmount: "88.00" },
        resolves: { id: work.workItem.subject.id },
      },
    });
    const unmatched = await api.gql(`{ unmatchedClaimPayments { totalCount } }`, {}, biller);
    expect(unmatched.data!["unmatchedClaimPayments"].totalCount).toBe(0);
    const remittance = await api.gql(
      `query ($id: ID!) { node(id: $id) { ... on Remittance { claimsPosted unmatched } } }`,
      { id: posted.remittance.id },
      biller,
    );
    expect(remittance.data!["node"]).toEqual({ claimsPosted: 1, unmatched: 0 });
    const twice = await api.gql(match, { input }, biller);
    expect(codes(twice)).toEqual(["CONFLICT"]);
  });

  it("a payment of a voided claim waits in Unmatched payments, saying the claim was voided", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const { claims, batch } = await givenSubmittedClaims(org, 1);
    const [claim] = claims;
    await acceptedByPayer(api.database, claim!.id, "PCN2026112900001");
    const voiding = await api.gql(
      `mutation ($input: ClaimRefInput!) { voidClaim(input: $input) { userErrors { code } } }`,
      { input: { claimId: claim!.id } },
      biller,
    );
    expect(voiding.data!["voidClaim"].userErrors).toEqual([]);
    const file = write835(batch.x12, { [claim!.patientControlNumber]: { pay: true } }, { traceNumber: "CHK9001" });

    const posted = (await api.gql(POST, { input: { x12: file } }, biller)).data!["postRemittance"];
    expect(posted.remittance).toMatchObject({ claimsPosted: 0, unmatched: 1 });
    const work = (await api.gql(CLAIM_NEXT, { queueId: org.queueId("Unmatched payments") }, biller)).data![
      "claimNextWorkItem"
    ];
    expect(work.workItem.subject.unmatchedReason).toBe(
      `Claim ${claim!.patientControlNumber} is VOID: it was voided, so nothing can be paid on it.`,
    );
  });

  it("a reversal takes back a payment and the corrected one posts anew, both kept in the history", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const { claims, batch } = await givenSubmittedClaims(org, 1);
    const pcn = claims[0]!.patientControlNumber;
    const paidFirst = write835(batch.x12, { [pcn]: { pay: true, allowedPercent: 60 } }, { traceNumber: "EFT1" });
    expect((await api.gql(POST, { input: { x12: paidFirst } }, biller)).data!["postRemittance"].userErrors).toEqual([]);
    const corrected = write835(
      batch.x12,
      { [pcn]: { reverse: { pay: true, allowedPercent: 60 }, correction: { pay: true, allowedPercent: 90 } } },
      { traceNumber: "EFT2", control: 8002 },
    );
    const posted = (await api.gql(POST, { input: { x12: corrected } }, biller)).data!["postRemittance"];
    expect(posted.userErrors).toEqual([]);
    expect(posted.remittance.paymentAmount).toBe("33.00");

    const claim = (await api.gql(READ_CLAIM, { id: claims[0]!.id }, biller)).data!["claim"];
    expect(claim).toMatchObject({ status: "PAID", paidAmount: "99.00", adjustedAmount: "11.00", balance: "0.00" });
    const [original, reversal, anew] = claim.payments;
    expect(original).toMatchObject({ paid: "66.00", reversal: false, statusAfter: "PAID" });
    expect(reversal).toMatchObject({
      claimStatusCode: "22",
      paid: "-66.00",
      reversal: true,
      reverses: { id: original.id },
      statusBefore: "PAID",
      statusAfter: "SUBMITTED",
    });
    expect(anew).toMatchObject({ paid: "99.00", statusBefore: "SUBMITTED", statusAfter: "PAID" });
    expect(claim.statusHistory.slice(-3).map((change: { toStatus: string }) => change.toStatus)).toEqual([
      "PAID",
      "SUBMITTED",
      "PAID",
    ]);
    expect(claim.lines[0].adjustments.map((each: { amount: string }) => each.amount)).toEqual([
      "44.00",
      "-44.00",
      "11.00",
    ]);
  });

  it("a payment ends the claim's open follow-up: the payer has answered", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const { claims, batch } = await givenSubmittedClaims(org, 1);
    await sweepFollowUps(api.server.services, new Date(Date.now() + 31 * 86_400_000));
    const followUp = `query ($queueId: ID) { workItems(filter: { queueId: $queueId }) { edges { node {
      status subject { ... on Claim { id } } history { to reason } } } } }`;
    const items = async () =>
      (await api.gql(followUp, { queueId: org.queueId("Follow-up") }, biller)).data!["workItems"].edges.map(
        (edge: { node: unknown }) => edge.node,
      );
    expect(await items()).toEqual([expect.objectContaining({ status: "READY", subject: { id: claims[0]!.id } })]);

    const file = write835(batch.x12, { [claims[0]!.patientControlNumber]: { pay: true } }, { traceNumber: "EFT9" });
    expect((await api.gql(POST, { input: { x12: file } }, biller)).data!["postRemittance"].userErrors).toEqual([]);
    const [item] = await items();
    expect(item.status).toBe("CANCELLED");
    expect(item.history.at(-1)).toEqual({
      to: "CANCELLED",
      reason: "The payer answered in 835 EFT9: nothing to follow up.",
    });
  });

  it.skipIf(x12ValidatorMissing !== null)("the payer simulator writes 835s the 5010 validator passes", async () => {
    const org = await givenOrganization(api);
    const { claims, batch } = await givenSubmittedClaims(org, 3, { codes: VISIT_WITH_URINALYSIS });
    const [paid, denied, reversed] = claims.map((claim) => claim.patientControlNumber) as [string, string, string];
    const file = write835(
      batch.x12,
      {
        [paid]: {
          pay: true,
          patient: { reason: "1", amount: "30.00" },
          deniedLines: { lineNumbers: [2], reason: "4" },
        },
        [denied]: { pay: false, reason: "29" },
        [reversed]: { reverse: { pay: true }, correction: { pay: true, allowedPercent: 95 } },
      },
      { traceNumber: "VALID1", providerAdjustments: [{ reason: "L6", reference: "INTEREST", amount: "-1.25" }] },
    );
    const dir = mkdtempSync(join(tmpdir(), "chartroom-835-"));
    try {
      writeFileSync(join(dir, "payment.835"), file);
      const result = await validateX12([join(dir, "payment.835")]);
      expect(result.output).not.toContain("FAIL");
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses what is not a balanced 835, and posts nothing of it", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const { claims, batch } = await givenSubmittedClaims(org, 1);
    const file = write835(batch.x12, { [claims[0]!.patientControlNumber]: { pay: true } }, { traceNumber: "BAD1" });
    const refused = async (x12: string) => {
      const answer = (await api.gql(POST, { input: { x12 } }, biller)).data!["postRemittance"];
      expect(answer.remittance).toBeNull();
      return answer.userErrors;
    };

    const unbalanced = await refused(file.replace("BPR*I*88.00", "BPR*I*88.01"));
    expect(unbalanced).toEqual([
      {
        code: "REMITTANCE_UNBALANCED",
        field: ["x12"],
        message:
          "Segment 3 (ST): payment BAD1: claims paid 88.00 − provider adjustments 0.00 = 88.00, but BPR02 is 88.01.",
      },
    ]);
    const lineOff = await refused(file.replace("*110.00*88.00~", "*110.00*87.00~"));
    expect(lineOff[0].message).toMatch(/line 99213: charge 110.00 − adjustments 22.00 = 88.00, but 87.00 is paid/);
    expect((await refused(file.replace("ST*835*", "ST*277*")))[0].code).toBe("X12_WRONG_TRANSACTION");
    expect((await refused(file.slice(0, file.indexOf("SE*"))))[0].code).toBe("X12_TRUNCATED");
    expect((await refused(file.replace("*110.00*88.00~", "*110.00*8B.00~")))[0].code).toBe("X12_MALFORMED");
    expect((await refused("not an 835"))[0].code).toBe("X12_NOT_X12");

    const claim = (await api.gql(READ_CLAIM, { id: claims[0]!.id }, biller)).data!["claim"];
    expect(claim).toMatchObject({ status: "SUBMITTED", paidAmount: "0.00", payments: [] });
    expect((await api.gql(`{ remittances { totalCount } }`, {}, biller)).data!["remittances"].totalCount).toBe(0);
  });

  it("never posts to another organization's claim, and posts each payment once however it arrives", async () => {
    const ours = await givenOrganization(api);
    const theirs = await givenOrganization(api, "Lakeside Clinic");
    const { claims, batch } = await givenSubmittedClaims(ours, 1);
    const pcn = claims[0]!.patientControlNumber;
    const file = write835(batch.x12, { [pcn]: { pay: true } }, { traceNumber: "EFT-SHARED" });

    const elsewhere = (await api.gql(POST, { input: { x12: file } }, await theirs.signIn("biller1"))).data![
      "postRemittance"
    ];
    expect(elsewhere.remittance).toMatchObject({ claimsPosted: 0, unmatched: 1 });

    // The same payment twice at once, the second in a file of its own (another ISA13): it posts once.
    const biller = await ours.signIn("biller1");
    const resent = write835(batch.x12, { [pcn]: { pay: true } }, { traceNumber: "EFT-SHARED", control: 8009 });
    const [one, two] = await Promise.all(
      [file, resent].map(async (x12) => (await api.gql(POST, { input: { x12 } }, biller)).data!["postRemittance"]),
    );
    expect(one.remittance.id).toBe(two.remittance.id);
    expect([one.alreadyPosted, two.alreadyPosted].sort()).toEqual([false, true]);
    const claim = (await api.gql(READ_CLAIM, { id: claims[0]!.id }, biller)).data!["claim"];
    expect(claim).toMatchObject({ status: "PAID", paidAmount: "88.00" });
    expect(claim.payments).toHaveLength(1);
  });

  it.skipIf(inject("database").driver !== "postgres")(
    "two server instances posting the same payment at the same moment post it once (PostgreSQL)",
    async () => {
      const org = await givenOrganization(api);
      const biller = await org.signIn("biller1");
      const { claims, batch } = await givenSubmittedClaims(org, 2);
      const verdicts = Object.fromEntries(claims.map((claim) => [claim.patientControlNumber, { pay: true as const }]));
      const file = write835(batch.x12, verdicts, { traceNumber: "EFT-TWICE" });
      const database = await openDatabase({ url: api.database.url! });
      const other = await startServer({ config: api.config, database, log: createLogger("silent") });
      try {
        const post = async (url: string) => {
          const response = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${biller}` },
            body: JSON.stringify({ query: POST, variables: { input: { x12: file } } }),
          });
          return ((await response.json()) as { data: Record<string, any> }).data["postRemittance"];
        };
        const answers = await Promise.all([post(api.url), post(other.url), post(api.url), post(other.url)]);
        expect(new Set(answers.map((answer) => answer.remittance.id)).size).toBe(1);
        expect(answers.filter((answer) => !answer.alreadyPosted)).toHaveLength(1);
        for (const claim of claims) {
          const read = (await api.gql(READ_CLAIM, { id: claim.id }, biller)).data!["claim"];
          expect(read).toMatchObject({ status: "PAID", paidAmount: "88.00" });
          expect(read.payments).toHaveLength(1);
        }
      } finally {
        await other.stop();
        await database.close();
      }
    },
  );

  it("a biller uploads an 835 over HTTP; no token, a coder or 21 MiB is refused", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const { claims, batch } = await givenSubmittedClaims(org, 1);
    const file = write835(batch.x12, { [claims[0]!.patientControlNumber]: { pay: true } }, { traceNumber: "HTTP1" });
    const upload = (body: string, token?: string) =>
      fetch(new URL("/remittances", api.url), {
        method: "POST",
        headers: { "content-type": "application/edi-x12", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
      });
    expect((await upload(file)).status).toBe(401);
    expect((await upload(file, await org.signIn("coder3"))).status).toBe(403);
    expect((await upload("ISA".padEnd(21 * 1024 * 1024, " "), biller)).status).toBe(413);
    expect(codes(await api.gql(POST, { input: { x12: file } }, await org.signIn("coder3")))).toEqual(["FORBIDDEN"]);

    const response = await upload(file, biller);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      remittances: [
        expect.objectContaining({ traceNumber: "HTTP1", paymentAmount: "88.00", claimsPosted: 1, unmatched: 0 }),
      ],
      alreadyPosted: false,
      userErrors: [],
    });
    const refused = await upload(file.replace("BPR*I*88.00", "BPR*I*88.10"), biller);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { userErrors: { code: string }[] }).userErrors[0]!.code).toBe(
      "REMITTANCE_UNBALANCED",
    );
  });

  it("reads real payers' sample 835s as they are: each balances, and their claims wait unmatched", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const dir = join(import.meta.dirname, "../../fixtures/x12/835");
    const names = readdirSync(dir).filter((name) => name.endsWith(".835"));
    const posted: Record<string, unknown> = {};
    for (const name of names) {
      const answer = (await api.gql(POST, { input: { x12: readFileSync(join(dir, name), "utf8") } }, biller)).data![
        "postRemittance"
      ];
      posted[name] = answer.userErrors.length ? answer.userErrors : answer.remittance.claimsPosted;
    }
    expect(posted).toEqual(Object.fromEntries(names.map((name) => [name, 0])));
    const demo = await api.gql(
      `{ remittances(first: 10) { edges { node { traceNumber unmatched paymentAmount
        providerAdjustments { reasonCode reference amount } } } } }`,
      {},
      biller,
    );
    const byTrace = Object.fromEntries(
      demo.data!["remittances"].edges.map((edge: { node: { traceNumber: string } }) => [
        edge.node.traceNumber,
        edge.node,
      ]),
    );
    expect(byTrace["12345"]).toMatchObject({
      paymentAmount: "150000.00",
      unmatched: 2,
      providerAdjustments: [{ reasonCode: "CV", reference: "CP", amount: "-1.27" }],
    });
  });
});
