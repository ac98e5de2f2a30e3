import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "../../helpers/api.js";
import { type ClaimChange, changeClaimBehindTheApi } from "../../helpers/behind-the-api.js";
import { givenReadyClaim, submitClaims, withoutTableAge } from "../../helpers/claims.js";
import { type Codes, givenBilledEncounter } from "../../helpers/encounters.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";

/*
 * The scrubber's code edits on real claims, with the shipped code sets. The encounters are OUTPATIENT
 * visits: coding checks them against CMS's outpatient-hospital NCCI and MUE tables, while their claim
 * goes out as an 837P and is scrubbed against the practitioner tables, which bundle and limit some
 * codes the hospital tables do not. That is how these edits reach a claim that coding let through.
 */

const READ_CLAIM = `query ($id: ID!) { claim(id: $id) { id status version issues { code severity field message } } }`;
const SCRUB = `mutation ($input: ClaimRefInput!) { scrubClaim(input: $input) {
  claim { id status issues { code severity field message } } userErrors { code } } }`;
const CLAIM_NEXT = `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) {
  workItem { subject { ... on Claim { id status } } } userErrors { code } } }`;

type Issue = { code: string; severity: string; field: string[]; message: string };
const brief = (issues: Issue[]) =>
  issues.filter((i) => i.code !== "TABLE_OLDER_THAN_SERVICE_DATE").map((i) => [i.code, i.severity, i.field.join(".")]);

const line = (code: string, extra: Record<string, unknown> = {}) => ({
  system: /^[0-9]/.test(code) ? "CPT" : "HCPCS",
  code,
  units: 1,
  charge: "100.00",
  diagnosisPointers: [1],
  ...extra,
});
const dx = (...codes: string[]) => codes.map((code) => ({ code }));

/** A knee injection (20610) and an office visit (99213) the same day: the practitioner NCCI table bundles them. */
const kneeInjectionAndVisit = (visitModifiers: string[]): Codes => ({
  diagnoses: dx("M1711", "I10"),
  procedures: [line("20610"), line("99213", { modifiers: visitModifiers, diagnosisPointers: [1, 2] })],
});

describe("claim scrubber: the coding engine's edits on a real claim", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const read = async (org: Organization, claimId: string) =>
    (await api.gql(READ_CLAIM, { id: claimId }, await org.signIn("biller1"))).data!["claim"];
  const issuesOf = async (org: Organization, codes: Codes) => {
    const { claim } = await givenBilledEncounter(org, "coder3", { codes });
    return { claim: await read(org, claim!.id), ...claim! };
  };
  const scrub = async (org: Organization, claimId: string) => {
    const scrubbed = await api.gql(SCRUB, { input: { claimId } }, await org.signIn("biller1"));
    expect(scrubbed.data!["scrubClaim"].userErrors).toEqual([]);
    return scrubbed.data!["scrubClaim"].claim;
  };

  it("an NCCI pair without its modifier is NEEDS_REVIEW; with 25 on the visit, a clean DRAFT in Billing", async () => {
    const org = await givenOrganization(api);
    const bundled = await issuesOf(org, kneeInjectionAndVisit([]));
    expect(bundled.claim.status).toBe("NEEDS_REVIEW");
    expect(brief(bundled.claim.issues)).toEqual([["NCCI_PTP_CONFLICT", "ERROR", "lines.1.code"]]);
    expect(bundled.claim.issues[0].message).toMatch(
      new RegExp(
        "^99213 is bundled into 20610 on the same date of service \\(NCCI: .*\\)\\. " +
          "Add 25 to 99213 if it was a significant, separately identifiable visit\\.$",
      ),
    );
    const separate = await issuesOf(org, kneeInjectionAndVisit(["25"]));
    expect(withoutTableAge(separate.claim)).toMatchObject({ status: "DRAFT", issues: [] });

    const biller = await org.signIn("biller1");
    const edits = await api.gql(CLAIM_NEXT, { queueId: org.queueId("Claim edits") }, biller);
    expect(edits.data!["claimNextWorkItem"].workItem.subject).toEqual({ id: bundled.id, status: "NEEDS_REVIEW" });
    const billing = await api.gql(CLAIM_NEXT, { queueId: org.queueId("Billing") }, biller);
    expect(billing.data!["claimNextWorkItem"].workItem.subject).toEqual({ id: separate.id, status: "DRAFT" });
  });

  it("an NCCI pair that 59 or an X modifier separates: refused bare, clean with XU where CMS allows it", async () => {
    const org = await givenOrganization(api);
    // Incision and drainage of an abscess (10060) bundles the local anaesthetic injected for it (J0670).
    const drainage = (modifiers: string[]): Codes => ({
      diagnoses: dx("L02411"),
      procedures: [line("10060"), line("J0670", { modifiers, charge: "8.00" })],
    });
    const bundled = await issuesOf(org, drainage([]));
    expect(brief(bundled.claim.issues)).toEqual([["NCCI_PTP_CONFLICT", "ERROR", "lines.1.code"]]);
    expect(bundled.claim.issues[0].message).toContain("Add 59 or an X{EPSU} modifier to J0670");
    expect(withoutTableAge((await issuesOf(org, drainage(["XU"]))).claim)).toMatchObject({
      status: "DRAFT",
      issues: [],
    });
    expect(withoutTableAge((await issuesOf(org, drainage(["59"]))).claim)).toMatchObject({
      status: "DRAFT",
      issues: [],
    });
  });

  it("units over the practitioner MUE are an ERROR on the line; at the limit the claim is clean", async () => {
    const org = await givenOrganization(api);
    // Von Willebrand factor (J7179), per IU: 7,500 on one line for a practitioner, 9,600 for a hospital.
    const factor = (units: number): Codes => ({
      diagnoses: dx("D6800"),
      procedures: [line("J7179", { units, charge: "9000.00" })],
    });
    const over = await issuesOf(org, factor(8000));
    expect(over.claim.status).toBe("NEEDS_REVIEW");
    expect(brief(over.claim.issues)).toEqual([["MUE_EXCEEDED", "ERROR", "lines.0.units"]]);
    expect(over.claim.issues[0].message).toMatch(
      /^J7179 allows at most 7500 units on one line \(MUE, .*\); this line has 8000\.$/,
    );
    expect(withoutTableAge((await issuesOf(org, factor(7500))).claim)).toMatchObject({ status: "DRAFT", issues: [] });
  });

  it("more than 12 diagnoses reach a professional claim from an outpatient visit: the 13th is an ERROR", async () => {
    const org = await givenOrganization(api);
    const thirteen = ["E119", "I10", "E785", "J449", "K219", "N390", "R079", "M5450", "F329", "J069", "Z0000"]
      .concat(["R739", "G4733"])
      .map((code) => ({ code }));
    const visit = (diagnoses: { code: string }[]): Codes => ({
      diagnoses,
      procedures: [line("99213", { diagnosisPointers: [1, 2, 3, 4] })],
    });
    const many = await issuesOf(org, visit(thirteen));
    expect(brief(many.claim.issues)).toEqual([["TOO_MANY_DIAGNOSES", "ERROR", "diagnoses.12.code"]]);
    expect(many.claim.issues[0].message).toContain("Keep the 12 the procedures point to");
    expect(withoutTableAge((await issuesOf(org, visit(thirteen.slice(0, 12)))).claim)).toMatchObject({
      status: "DRAFT",
      issues: [],
    });
  });

  it("what coding refuses but a changed claim may hold: the scrub finds each; restored, it is clean", async () => {
    const org = await givenOrganization(api);
    const { id } = await issuesOf(org, {
      diagnoses: dx("E11.9", "I10"),
      procedures: [line("99213", { diagnosisPointers: [1, 2] })],
    });
    const cases: [ClaimChange, string[][]][] = [
      [
        { line: { lineNumber: 1, modifiers: ["25", "GT", "95", "KX", "Q5"] } },
        [["TOO_MANY_MODIFIERS", "ERROR", "lines.0.modifiers.4"]],
      ],
      [{ line: { lineNumber: 1, modifiers: ["25", "ZZ"] } }, [["MODIFIER_UNKNOWN", "ERROR", "lines.0.modifiers.1"]]],
      [
        { line: { lineNumber: 1, diagnosisPointers: [1, 3] } },
        [["POINTER_INVALID", "ERROR", "lines.0.diagnosisPointers.1"]],
      ],
      [{ line: { lineNumber: 1, diagnosisPointers: [] } }, [["POINTER_MISSING", "ERROR", "lines.0.diagnosisPointers"]]],
      [{ diagnoses: ["E119", "I10", "E119"] }, [["DUPLICATE_DIAGNOSIS", "ERROR", "diagnoses.2.code"]]],
      // 0001A, a COVID-19 vaccine administration, was in force from 2023-10-01 to 2023-12-31.
      [{ line: { lineNumber: 1, code: "0001A" } }, [["NOT_IN_FORCE", "ERROR", "lines.0.code"]]],
    ];
    const original: ClaimChange = {
      diagnoses: ["E119", "I10"],
      line: { lineNumber: 1, code: "99213", modifiers: [], diagnosisPointers: [1, 2] },
    };
    for (const [change, expected] of cases) {
      await changeClaimBehindTheApi(org, id, change);
      const scrubbed = await scrub(org, id);
      expect(scrubbed.status, JSON.stringify(change)).toBe("NEEDS_REVIEW");
      expect(brief(scrubbed.issues), JSON.stringify(change)).toEqual(expected);
      await changeClaimBehindTheApi(org, id, original);
    }
    expect(withoutTableAge(await scrub(org, id))).toMatchObject({ status: "DRAFT", issues: [] });
  });

  it("warns of a possible duplicate once the same service for the patient and date has gone to the payer", async () => {
    const org = await givenOrganization(api);
    const visit: Codes = { diagnoses: dx("E11.9"), procedures: [line("99213")] };
    // The first claim is READY, not yet sent, when the second is built: nothing has gone to the payer.
    const first = await givenReadyClaim(org, { codes: visit });
    const second = await issuesOf(org, visit);
    expect(withoutTableAge(second.claim)).toMatchObject({ status: "DRAFT", issues: [] });

    await submitClaims(org, [first.id]);
    const scrubbed = await scrub(org, second.id);
    expect(scrubbed.status).toBe("DRAFT");
    expect(brief(scrubbed.issues)).toEqual([["POSSIBLE_DUPLICATE_CLAIM", "WARNING", "lines.0.code"]]);
    expect(withoutTableAge(scrubbed).issues[0].message).toContain(
      `went out already on claim ${first.patientControlNumber}`,
    );
  });
});
