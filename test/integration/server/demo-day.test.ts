import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chartroomSchema } from "../../../src/schema.js";
import { type DemoDaySummary, workDemoDay } from "../../../src/seed/demo-day.js";
import { startApi, type TestApi } from "../../helpers/api.js";
import { validateX12, x12ValidatorMissing } from "../../helpers/x12-validate.js";

const BILLER = "biller1@demo.chartroom.test";

describe("the demo's first day: a biller signing in finds claims in every state", () => {
  let api: TestApi;
  let day: DemoDaySummary;
  let biller: string;

  beforeAll(async () => {
    api = await startApi();
    day = await workDemoDay(api.server.services, await chartroomSchema());
    biller = await api.signIn(BILLER);
  }, 600_000);
  afterAll(() => api.close());

  const claims = async () => {
    const read = await api.gql(
      `{ claims(first: 100) { edges { node { id status issues { ` +
        `code severity } batch { id } encounter { status } } } } }`,
      {},
      biller,
    );
    expect(read.errors).toBeUndefined();
    return read.data!["claims"].edges.map((edge: any) => edge.node);
  };

  it("the day was worked on the shipped code sets: the recent office visits became claims", async () => {
    expect(day.skipped).toBeNull();
    const all = await claims();
    expect(all.length).toBe(Object.values(day.claims).reduce((a, b) => a + b, 0));
    expect(all.length).toBeGreaterThanOrEqual(12);
    expect(new Set(all.map((claim: any) => claim.encounter.status))).toEqual(new Set(["BILLED", "READY_TO_BILL"]));
  });

  it("the biller's queues hold work: claims with scrubber ERRORs in Claim edits, clean ones in Billing", async () => {
    const all = await claims();
    const needsReview = all.filter((claim: any) => claim.status === "NEEDS_REVIEW");
    expect(needsReview.length).toBeGreaterThan(0);
    for (const claim of needsReview) expect(claim.issues.some((edit: any) => edit.severity === "ERROR")).toBe(true);
    const queues = await api.gql(`{ workQueues { kind stats { ready } } }`, {}, biller);
    const ready = (kind: string) => queues.data!["workQueues"].find((q: any) => q.kind === kind).stats.ready;
    const rejected = all.filter((claim: any) => claim.status === "REJECTED");
    expect(ready("CLAIM_EDIT")).toBe(needsReview.length + rejected.length);
    expect(ready("BILLING")).toBe(2);
  });

  it("some claims wait READY for the next batch; the rest went out in one 837P per payer", async () => {
    const all = await claims();
    expect(all.filter((claim: any) => claim.status === "READY")).toHaveLength(2);
    const sent = all.filter((claim: any) =>
      ["SUBMITTED", "ACCEPTED", "REJECTED", "PAID", "PARTIALLY_PAID", "DENIED"].includes(claim.status),
    );
    expect(new Set(sent.map((claim: any) => claim.batch.id)).size).toBe(day.batches);
    expect(day.batches).toBeGreaterThan(1);
  });

  it("the clearinghouse answered all but the newest batch: ACCEPTED with payer numbers, one REJECTED", async () => {
    expect(day.acknowledgements).toBe(2 * (day.batches - 1));
    const answered = await api.gql(
      `{ claims(first: 100, filter: { status: [ACCEPTED, REJECTED, SUBMITTED] }) { edges { node { status
        payerClaimControlNumber batch { id } statusHistory { toStatus reason } } } } }`,
      {},
      biller,
    );
    const nodes = answered.data!["claims"].edges.map((edge: any) => edge.node);
    const accepted = nodes.filter((claim: any) => claim.status === "ACCEPTED");
    expect(accepted.length).toBeGreaterThan(0);
    for (const claim of accepted) expect(claim.payerClaimControlNumber).toMatch(/^26\d{9}$/);
    const rejected = nodes.filter((claim: any) => claim.status === "REJECTED");
    expect(rejected).toHaveLength(1);
    expect(rejected[0].statusHistory.at(-1).reason).toMatch(/member number/);
    const waiting = nodes.filter((claim: any) => claim.status === "SUBMITTED");
    expect(waiting.length).toBeGreaterThan(0);
    expect(new Set(waiting.map((claim: any) => claim.batch.id)).size).toBe(1);
  });

  it("the payers paid what they accepted: payments, denials in Denials, a reversal, a payment unmatched", async () => {
    expect(day.remittances).toBe(day.batches - 1 + 1);
    const read = await api.gql(
      `{ claims(first: 100, filter: { status: [PAID, DENIED] }) { edges { node { status balance
        payments { reversal paid } } } } }`,
      {},
      biller,
    );
    const nodes = read.data!["claims"].edges.map((edge: any) => edge.node);
    expect(nodes.filter((claim: any) => claim.status === "DENIED")).toHaveLength(3);
    const paid = nodes.filter((claim: any) => claim.status === "PAID");
    expect(paid).toHaveLength(2);
    expect(paid.filter((claim: any) => claim.balance !== "0.00")).toHaveLength(1);
    const reversed = paid.find((claim: any) => claim.payments.some((payment: any) => payment.reversal));
    expect(reversed.payments).toHaveLength(3);
    const queues = await api.gql(`{ workQueues { name stats { ready } } }`, {}, biller);
    const ready = Object.fromEntries(queues.data!["workQueues"].map((queue: any) => [queue.name, queue.stats.ready]));
    expect(ready).toMatchObject({ Denials: 3, "Unmatched payments": 1 });
  });

  it.skipIf(x12ValidatorMissing !== null)("every demo batch passes the 5010 validator", async () => {
    const batches = await api.gql(
      `{ claims(first: 100, filter: { status: [SUBMITTED, ACCEPTED, REJECTED, PAID, PARTIALLY_PAID, DENIED] }) {
        edges { node { batch { id x12 } } } } }`,
      {},
      biller,
    );
    const files = new Map<string, string>();
    for (const { node } of batches.data!["claims"].edges) files.set(node.batch.id, node.batch.x12);
    const dir = mkdtempSync(join(tmpdir(), "chartroom-demo-837p-"));
    try {
      const paths = [...files.values()].map((x12, i) => {
        const path = join(dir, `batch-${i + 1}.837p`);
        writeFileSync(path, x12);
        return path;
      });
      const result = await validateX12(paths);
      expect(result.output).not.toContain("FAIL");
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
