import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, startApi, type TestApi } from "../../helpers/api.js";
import { withoutTableAge } from "../../helpers/claims.js";
import { givenBilledEncounter, givenEncounterReadyForCoding } from "../../helpers/encounters.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";

const CLAIM_FIELDS = `id status version patientControlNumber frequencyCode payerClaimControlNumber serviceDate
  placeOfService diagnoses totalCharge paidAmount balance scrubbedAt
  payer { name } facility { name } patient { lastName } renderingProvider { name } encounter { id status }
  lines { lineNumber lineControlNumber code modifiers units charge serviceDate diagnosisPointers paidAmount }
  issues { code severity field message }
  statusHistory { fromStatus toStatus reason }`;
const READ_CLAIM = `query ($id: ID!) { claim(id: $id) { ${CLAIM_FIELDS} } }`;
const CLAIM_NEXT = `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) {
  workItem { id status version queue { name } subject { ... on Claim { id version status } } } userErrors { code } } }`;
const MARK_READY = `mutation ($input: ClaimVersionInput!) { markClaimReady(input: $input) {
  claim { id status version } userErrors { code field message } } }`;
const SCRUB = `mutation ($input: ClaimRefInput!) { scrubClaim(input: $input) {
  claim { id status version issues { code severity field } payer { name } } userErrors { code } } }`;
const CREATE = `mutation ($input: EncounterRefInput!) { createClaimFromEncounter(input: $input) {
  claim { id status patientControlNumber payer { name } } userErrors { code field message } } }`;
const ADD_COVERAGE = `mutation ($input: AddCoverageInput!) { addCoverage(input: $input) {
  coverage { id memberId payer { name } } userErrors { code field } } }`;
const REGISTER = `mutation ($input: CreatePatientInput!) { createPatient(input: $input) {
  patient { id } userErrors { code } } }`;
const STATEMENT = `query ($id: ID!) { node(id: $id) { ... on Patient { statementBalance coverages { memberId } } } }`;

describe("billing: a coded encounter becomes a claim a biller works and marks ready", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  /** A patient registered at the clinic by the biller, with no coverage yet. */
  const registerPatient = async (org: Organization, mrn: string, lastName: string) => {
    const registered = await api.gql(
      REGISTER,
      {
        input: {
          facilityId: org.sites.clinic.id,
          mrn,
          firstName: "Iris",
          lastName,
          birthDate: "1979-05-02",
          sex: "F",
        },
      },
      await org.signIn("biller1"),
    );
    return registered.data!["createPatient"].patient.id as string;
  };

  const addCoverage = async (org: Organization, patientId: string, payer: "commercial" | "selfPay", from: string) => {
    const added = await api.gql(
      ADD_COVERAGE,
      {
        input: {
          patientId,
          payerId: org.payerId(payer),
          memberId: payer === "selfPay" ? "SELF-PAY" : "BMH778812345",
          priority: 1,
          effectiveFrom: from,
        },
      },
      await org.signIn("biller1"),
    );
    expect(added.data!["addCoverage"].userErrors).toEqual([]);
    return added.data!["addCoverage"].coverage;
  };

  it("an encounter audited READY_TO_BILL gets its claim: numbers, lines, payer, history, Billing work", async () => {
    const org = await givenOrganization(api);
    const supervisor = await org.signIn("supervisor");
    const { encounter, claim } = await givenBilledEncounter(org, "coder3");
    expect(encounter.status).toBe("READY_TO_BILL");

    const built = (await api.gql(READ_CLAIM, { id: claim!.id }, supervisor)).data!["claim"];
    // Checked against the shipped NCCI, MUE and Code Editor tables, older than a 2026 visit: said, not an error.
    expect(
      built.issues.map((issue: { code: string; severity: string; field: string[] }) => [
        issue.code,
        issue.severity,
        issue.field,
      ]),
    ).toEqual([
      ["TABLE_OLDER_THAN_SERVICE_DATE", "WARNING", ["diagnoses"]],
      ["TABLE_OLDER_THAN_SERVICE_DATE", "WARNING", ["lines"]],
      ["TABLE_OLDER_THAN_SERVICE_DATE", "WARNING", ["lines"]],
    ]);
    const read = withoutTableAge(built);
    expect(read).toMatchObject({
      status: "DRAFT",
      frequencyCode: "1",
      payerClaimControlNumber: null,
      serviceDate: "2026-10-15",
      placeOfService: "22",
      diagnoses: ["E119", "I10"],
      totalCharge: "110.00",
      paidAmount: "0.00",
      balance: "110.00",
      payer: { name: "Buckeye Mutual Health" },
      facility: { name: org.sites.clinic.name },
      patient: { lastName: "Quill" },
      renderingProvider: { name: expect.stringContaining("Holt") },
      encounter: { id: encounter.id, status: "READY_TO_BILL" },
      issues: [],
      statusHistory: [{ fromStatus: null, toStatus: "DRAFT", reason: "Built from the coded encounter." }],
    });
    expect(read.patientControlNumber).toMatch(/^C\d{9}$/);
    expect(read.lines).toEqual([
      {
        lineNumber: 1,
        lineControlNumber: `${read.patientControlNumber}-1`,
        code: "99213",
        modifiers: [],
        units: 1,
        charge: "110.00",
        serviceDate: "2026-10-15",
        diagnosisPointers: [1, 2],
        paidAmount: "0.00",
      },
    ]);

    const biller = await org.signIn("biller1");
    const work = (await api.gql(CLAIM_NEXT, { queueId: org.queueId("Billing") }, biller)).data!["claimNextWorkItem"];
    expect(work.workItem).toMatchObject({ status: "ASSIGNED", subject: { id: claim!.id, status: "DRAFT" } });
  });

  it("a biller marks the claim they hold READY; a stale version or work not held is a CONFLICT", async () => {
    const org = await givenOrganization(api);
    const { claim } = await givenBilledEncounter(org, "coder3");
    const [biller, other] = [await org.signIn("biller1"), await org.signIn("biller2")];

    const unheld = await api.gql(MARK_READY, { input: { claimId: claim!.id, expectedVersion: claim!.version } }, other);
    expect(codes(unheld)).toEqual(["CONFLICT"]);

    const work = (await api.gql(CLAIM_NEXT, { queueId: org.queueId("Billing") }, biller)).data!["claimNextWorkItem"];
    const stale = await api.gql(
      MARK_READY,
      { input: { claimId: claim!.id, expectedVersion: claim!.version - 1 } },
      biller,
    );
    expect(codes(stale)).toEqual(["CONFLICT"]);
    expect(
      codes(await api.gql(MARK_READY, { input: { claimId: claim!.id, expectedVersion: claim!.version } }, other)),
    ).toEqual(["CONFLICT"]);

    const ready = await api.gql(MARK_READY, { input: { claimId: claim!.id, expectedVersion: claim!.version } }, biller);
    expect(ready.data!["markClaimReady"]).toEqual({
      claim: { id: claim!.id, status: "READY", version: claim!.version + 1 },
      userErrors: [],
    });
    const item = await api.gql(
      `query ($id: ID!) { node(id: $id) { ... on WorkItem { status history { to reason } } } }`,
      { id: work.workItem.id },
      await org.signIn("supervisor"),
    );
    expect(item.data!["node"]).toMatchObject({ status: "DONE" });
    expect(item.data!["node"].history.at(-1)).toEqual({ to: "DONE", reason: "Claim marked ready." });
    const history = (await api.gql(READ_CLAIM, { id: claim!.id }, biller)).data!["claim"].statusHistory;
    expect(history.at(-1)).toEqual({ fromStatus: "DRAFT", toStatus: "READY", reason: "Marked ready by the biller." });
  });

  it("no coverage: PAYER_MISSING stops the claim; the biller records the card, scrubs, marks it ready", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const patientId = await registerPatient(org, "CL000777", "Brandt");
    const { claim } = await givenBilledEncounter(org, "coder3", { patientId });
    expect(claim!.status).toBe("NEEDS_REVIEW");
    const stopped = (await api.gql(READ_CLAIM, { id: claim!.id }, biller)).data!["claim"];
    expect(withoutTableAge(stopped).issues).toEqual([
      expect.objectContaining({ code: "PAYER_MISSING", severity: "ERROR", field: ["payer"] }),
    ]);
    expect(stopped.payer).toBeNull();

    const work = (await api.gql(CLAIM_NEXT, { queueId: org.queueId("Claim edits") }, biller)).data![
      "claimNextWorkItem"
    ];
    expect(work.workItem.subject).toMatchObject({ id: claim!.id, status: "NEEDS_REVIEW" });
    const refused = await api.gql(
      MARK_READY,
      { input: { claimId: claim!.id, expectedVersion: claim!.version } },
      biller,
    );
    expect(refused.data!["markClaimReady"]).toMatchObject({
      claim: null,
      userErrors: [{ code: "PAYER_MISSING", field: ["payer"] }],
    });
    expect((await api.gql(READ_CLAIM, { id: claim!.id }, biller)).data!["claim"].version).toBe(claim!.version);

    await addCoverage(org, patientId, "commercial", "2026-01-01");
    const scrubbed = (await api.gql(SCRUB, { input: { claimId: claim!.id } }, biller)).data!["scrubClaim"];
    expect(withoutTableAge(scrubbed.claim)).toMatchObject({
      status: "DRAFT",
      issues: [],
      payer: { name: "Buckeye Mutual Health" },
    });
    const ready = await api.gql(
      MARK_READY,
      { input: { claimId: claim!.id, expectedVersion: scrubbed.claim.version } },
      biller,
    );
    expect(ready.data!["markClaimReady"].claim.status).toBe("READY");
    const history = (await api.gql(READ_CLAIM, { id: claim!.id }, biller)).data!["claim"].statusHistory;
    expect(history.map((change: { toStatus: string }) => change.toStatus)).toEqual(["NEEDS_REVIEW", "DRAFT", "READY"]);
  });

  it("self-pay goes on the statement; once insurance is found a claim is built, the statement credited", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const patientId = await registerPatient(org, "CL000778", "Okoro");
    await addCoverage(org, patientId, "selfPay", "2026-01-01");
    const { encounter, claim } = await givenBilledEncounter(org, "coder3", { patientId });
    expect(claim).toBeNull();
    expect((await api.gql(STATEMENT, { id: patientId }, biller)).data!["node"].statementBalance).toBe("110.00");

    const stillSelfPay = await api.gql(CREATE, { input: { encounterId: encounter.id } }, biller);
    expect(stillSelfPay.data!["createClaimFromEncounter"]).toMatchObject({
      claim: null,
      userErrors: [{ code: "SELF_PAY", field: ["encounterId"] }],
    });

    await addCoverage(org, patientId, "commercial", "2026-06-01");
    const built = (await api.gql(CREATE, { input: { encounterId: encounter.id } }, biller)).data![
      "createClaimFromEncounter"
    ];
    expect(built).toMatchObject({
      claim: { status: "DRAFT", payer: { name: "Buckeye Mutual Health" } },
      userErrors: [],
    });
    expect((await api.gql(STATEMENT, { id: patientId }, biller)).data!["node"].statementBalance).toBe("0.00");

    const again = await api.gql(CREATE, { input: { encounterId: encounter.id } }, biller);
    expect(codes(again)).toEqual(["CONFLICT"]);
    expect(again.errors![0]!.message).toContain(built.claim.patientControlNumber);
  });

  it("coders and auditors do not bill; claims only for READY_TO_BILL encounters: nothing is written", async () => {
    const org = await givenOrganization(api);
    const { encounter } = await givenEncounterReadyForCoding(org);
    for (const login of ["coder3", "auditor"]) {
      const refused = await api.gql(CREATE, { input: { encounterId: encounter.id } }, await org.signIn(login));
      expect(codes(refused), login).toEqual(["FORBIDDEN"]);
    }
    const early = await api.gql(CREATE, { input: { encounterId: encounter.id } }, await org.signIn("biller1"));
    expect(codes(early)).toEqual(["CONFLICT"]);
    expect(early.errors![0]!.message).toMatch(/READY_FOR_CODING/);
    const claims = await api.gql(`query { claims { totalCount } }`, {}, await org.signIn("supervisor"));
    expect(claims.data!["claims"].totalCount).toBe(0);
  });
});
