import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, startApi, type TestApi } from "../../helpers/api.js";
import { givenReadyClaim } from "../../helpers/claims.js";
import { givenBilledEncounter } from "../../helpers/encounters.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";
import { validateX12, x12ValidatorMissing } from "../../helpers/x12-validate.js";

const BATCH_FIELDS = `id claimCount x12 createdAt interchangeControlNumber groupControlNumber downloadPath
  payer { name }`;
const SUBMIT = `mutation ($input: SubmitClaimsInput!) { submitClaims(input: $input) {
  batch { id } batches { ${BATCH_FIELDS} } userErrors { code field message } } }`;
const READ_CLAIM = `query ($id: ID!) { claim(id: $id) { id status version batch { id claimCount }
  encounter { status } statusHistory { fromStatus toStatus reason } } }`;

/** The three numbers of an interchange's envelope as written: ISA13, GS06 and each ST02. */
function controlNumbers(x12: string) {
  const segments = x12.split("~\n").map((segment) => segment.split("*"));
  return {
    isa13: segments.find((s) => s[0] === "ISA")![13]!,
    gs06: segments.find((s) => s[0] === "GS")![6]!,
    st02: segments.filter((s) => s[0] === "ST").map((s) => s[2]!),
  };
}

describe("submission: READY claims go out as 837P interchanges, one per payer", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const download = (path: string, token?: string) =>
    fetch(new URL(path, api.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it("claims of two payers: two batches, SUBMITTED, encounters BILLED; the file downloads as shown", async () => {
    const org = await givenOrganization(api);
    const commercial = [await givenReadyClaim(org), await givenReadyClaim(org)];
    const medicare = await givenReadyClaim(org, { at: "hospital" });
    const biller = await org.signIn("biller1");

    const submitted = await api.gql(
      SUBMIT,
      { input: { claimIds: [commercial[0]!.id, medicare.id, commercial[1]!.id] } },
      biller,
    );
    const { batch, batches, userErrors } = submitted.data!["submitClaims"];
    expect(userErrors).toEqual([]);
    expect(batches.map((b: { payer: { name: string }; claimCount: number }) => [b.payer.name, b.claimCount])).toEqual([
      ["Buckeye Mutual Health", 2],
      ["Medicare Part B (Ohio)", 1],
    ]);
    expect(batch.id).toBe(batches[0].id);
    const [first, second] = batches;
    expect(first.x12).toMatch(/^ISA\*00\*/);
    expect(first.x12).toContain(`NM1*PR*2*BUCKEYE MUTUAL HEALTH*****PI*BMH01~`);
    for (const claim of commercial) expect(first.x12).toContain(`CLM*${claim.patientControlNumber}*110*`);
    expect(second.x12).toContain(`CLM*${medicare.patientControlNumber}*110*`);
    expect(controlNumbers(first.x12).isa13).toBe(first.interchangeControlNumber);
    expect(Number(second.interchangeControlNumber)).toBeGreaterThan(Number(first.interchangeControlNumber));

    const read = (await api.gql(READ_CLAIM, { id: commercial[0]!.id }, biller)).data!["claim"];
    expect(read).toMatchObject({
      status: "SUBMITTED",
      version: commercial[0]!.version + 1,
      batch: { id: first.id, claimCount: 2 },
      encounter: { status: "BILLED" },
    });
    expect(read.statusHistory.at(-1)).toEqual({
      fromStatus: "READY",
      toStatus: "SUBMITTED",
      reason: `Submitted in 837P interchange ${first.interchangeControlNumber}.`,
    });

    const file = await download(first.downloadPath, biller);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/edi-x12");
    expect(file.headers.get("content-disposition")).toBe(
      `attachment; filename="837P-${first.interchangeControlNumber}.x12"`,
    );
    expect(await file.text()).toBe(first.x12);
    expect((await download(first.downloadPath)).status).toBe(401);
    expect((await download(first.downloadPath, await org.signIn("coder3"))).status).toBe(403);
    const stranger = await givenOrganization(api, "Elsewhere Clinic");
    expect((await download(first.downloadPath, await stranger.signIn("biller1"))).status).toBe(404);
    const node = await api.gql(
      `query ($id: ID!) { node(id: $id) { ... on SubmissionBatch { claimCount } } }`,
      { id: first.id },
      await stranger.signIn("supervisor"),
    );
    expect(node.data!["node"]).toBeNull();
  });

  const title = "the stored interchanges pass the X12 validator (pyx12, 005010X222A1)";
  it.skipIf(x12ValidatorMissing !== null)(
    x12ValidatorMissing ? `${title} (skipped: ${x12ValidatorMissing})` : title,
    async () => {
      const org = await givenOrganization(api);
      const claims = [await givenReadyClaim(org), await givenReadyClaim(org, { at: "hospital" })];
      const submitted = await api.gql(
        SUBMIT,
        { input: { claimIds: claims.map((claim) => claim.id) } },
        await org.signIn("biller1"),
      );
      const dir = mkdtempSync(join(tmpdir(), "chartroom-submission-"));
      try {
        const files = submitted.data!["submitClaims"].batches.map((batch: { x12: string }, i: number) => {
          const file = join(dir, `batch-${i}.837`);
          writeFileSync(file, batch.x12);
          return file;
        });
        expect(files).toHaveLength(2);
        const run = await validateX12(files);
        expect(run.status, run.output).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    300_000,
  );

  it("control numbers count up, never repeat; a payer's READY claims go at once, then nothing is left", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const seen = { isa13: new Set<string>(), gs06: new Set<string>(), st02: new Set<string>() };
    let last = 0;
    for (let round = 0; round < 3; round++) {
      await givenReadyClaim(org);
      await givenReadyClaim(org);
      const submitted = await api.gql(SUBMIT, { input: { claimIds: [], payerId: org.payerId("commercial") } }, biller);
      const [batch, ...others] = submitted.data!["submitClaims"].batches;
      expect(others).toEqual([]);
      expect(batch.claimCount).toBe(2);
      const numbers = controlNumbers(batch.x12);
      expect(Number(numbers.isa13)).toBeGreaterThan(last);
      last = Number(numbers.isa13);
      for (const [kind, values] of [
        ["isa13", [numbers.isa13]],
        ["gs06", [numbers.gs06]],
        ["st02", numbers.st02],
      ] as const) {
        for (const value of values) {
          expect(seen[kind].has(value), `${kind} ${value} repeated`).toBe(false);
          seen[kind].add(value);
        }
      }
    }
    const nothing = await api.gql(SUBMIT, { input: { claimIds: [], payerId: org.payerId("commercial") } }, biller);
    expect(nothing.data!["submitClaims"]).toMatchObject({
      batch: null,
      batches: [],
      userErrors: [{ code: "NOTHING_TO_SUBMIT", field: ["payerId"] }],
    });
  });

  /** What the organization has submitted, as the biller sees it: claims SUBMITTED. */
  const submittedCount = async (org: Organization) => {
    const read = await api.gql(
      `{ claims(filter: { status: [SUBMITTED] }) { totalCount } }`,
      {},
      await org.signIn("supervisor"),
    );
    return read.data!["claims"].totalCount as number;
  };

  it("not READY, another organization's, a coder, an empty or repeating list: refused, nothing sent", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const ready = await givenReadyClaim(org);
    const { claim: draft } = await givenBilledEncounter(org, "coder3");
    const stranger = await givenOrganization(api, "Elsewhere Clinic");
    const theirs = await givenReadyClaim(stranger);

    const notReady = await api.gql(SUBMIT, { input: { claimIds: [ready.id, draft!.id] } }, biller);
    expect(notReady.data!["submitClaims"]).toEqual({
      batch: null,
      batches: [],
      userErrors: [
        {
          code: "CLAIM_NOT_READY",
          field: ["claimIds", "1"],
          message: expect.stringMatching(/^Claim C\d{9} is DRAFT: only READY claims are submitted\.$/),
        },
      ],
    });
    const foreign = await api.gql(SUBMIT, { input: { claimIds: [ready.id, theirs.id] } }, biller);
    expect(codes(foreign)).toEqual(["NOT_FOUND"]);
    expect(foreign.errors![0]!.extensions!["field"]).toBe("claimIds.1");
    const coder = await api.gql(SUBMIT, { input: { claimIds: [ready.id] } }, await org.signIn("coder3"));
    expect(codes(coder)).toEqual(["FORBIDDEN"]);
    expect(codes(await api.gql(SUBMIT, { input: { claimIds: [] } }, biller))).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await api.gql(SUBMIT, { input: { claimIds: [ready.id, ready.id] } }, biller))).toEqual([
      "BAD_USER_INPUT",
    ]);

    expect(await submittedCount(org)).toBe(0);
    expect((await api.gql(READ_CLAIM, { id: ready.id }, biller)).data!["claim"]).toMatchObject({
      status: "READY",
      version: ready.version,
      batch: null,
    });
    // The refusals took no control number: the next interchange is the organization's first.
    const sent = await api.gql(SUBMIT, { input: { claimIds: [ready.id] } }, biller);
    expect(sent.data!["submitClaims"].batch).not.toBeNull();
    expect(sent.data!["submitClaims"].batches[0].interchangeControlNumber).toBe("000000001");
  });

  it("separators in names never reach the file; an id holding one is refused, naming the claim and field", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const registered = await api.gql(
      `mutation ($input: CreatePatientInput!) { createPatient(input: $input) { patient { id } userErrors { code } } }`,
      {
        input: {
          facilityId: org.sites.clinic.id,
          mrn: "CL000901",
          firstName: "Ana:Maria^",
          lastName: "O*Neil~Day",
          birthDate: "1980-02-29",
          sex: "F",
          addressLine1: "12 Elm St*Apt~4",
          city: "Lancaster",
          state: "OH",
          postalCode: "43130-1212",
        },
      },
      biller,
    );
    const patientId = registered.data!["createPatient"].patient.id;
    const covered = await api.gql(
      `mutation ($input: AddCoverageInput!) { addCoverage(input: $input) { coverage { id } userErrors { code } } }`,
      {
        input: {
          patientId,
          payerId: org.payerId("commercial"),
          memberId: "BMH778812345",
          priority: 1,
          effectiveFrom: "2026-01-01",
        },
      },
      biller,
    );
    const coverageId = covered.data!["addCoverage"].coverage.id;
    const named = await givenReadyClaim(org, { patientId });
    const plain = await givenReadyClaim(org);

    const changed = await api.gql(
      `mutation ($input: UpdateCoverageInput!) { updateCoverage(input: $input) { userErrors { code } } }`,
      { input: { coverageId, memberId: "BMH7788*2345" } },
      biller,
    );
    expect(changed.data!["updateCoverage"].userErrors).toEqual([]);
    const refused = await api.gql(SUBMIT, { input: { claimIds: [plain.id, named.id] } }, biller);
    expect(refused.data!["submitClaims"]).toMatchObject({
      batch: null,
      userErrors: [
        {
          code: "CLAIM_NOT_WRITABLE",
          field: ["claimIds", "1"],
          message: expect.stringContaining(`Claim ${named.patientControlNumber}: subscriber.memberId contains "*"`),
        },
      ],
    });
    expect(await submittedCount(org)).toBe(0);

    await api.gql(
      `mutation ($input: UpdateCoverageInput!) { updateCoverage(input: $input) { userErrors { code } } }`,
      { input: { coverageId, memberId: "BMH778812345" } },
      biller,
    );
    const sent = await api.gql(SUBMIT, { input: { claimIds: [plain.id, named.id] } }, biller);
    const x12: string = sent.data!["submitClaims"].batches[0].x12;
    expect(x12).toContain("NM1*IL*1*O NEIL DAY*ANA MARIA****MI*BMH778812345~");
    expect(x12).toContain("N3*12 ELM ST APT 4~");
    const segments = x12.split("~\n").filter(Boolean);
    expect(segments.every((segment) => !segment.includes("~"))).toBe(true);
    expect(segments.at(-1)).toMatch(/^IEA\*1\*\d{9}$/);
  });
});
