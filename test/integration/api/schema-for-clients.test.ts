import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { write277ca, write999 } from "../../../src/modules/claims/clearinghouse.js";
import { startApi, subscribe, type TestApi } from "../../helpers/api.js";
import { givenSubmittedClaims } from "../../helpers/claims.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";

const IMPORT = `mutation ($input: ImportAcknowledgementInput!) { importAcknowledgement(input: $input) {
  acknowledgement { kind transactionSet outcomes { patientControlNumber outcome } } userErrors { code } } }`;

/*
 * A front-end team generates its types from schema/schema.graphql (README, "Typed operations for a
 * front-end"): kinds are enums, a queue says what it takes, and a scalar's error names the scalar.
 */
describe("the schema as a front-end's code generator reads it", () => {
  let api: TestApi;
  let org: Organization;

  beforeAll(async () => {
    api = await startApi();
    org = await givenOrganization(api);
  });
  afterAll(() => api.close());

  it("a supervisor's queue screen reads each queue's routing, lease, SLA and required credential", async () => {
    const answer = await api.gql(
      `{ workQueues { name kind slaHours leaseMinutes requiredCredential
        routing { order encounterTypes payerKinds facilities { name } } } }`,
      {},
      await org.signIn("supervisor"),
    );
    expect(answer.errors).toBeUndefined();
    const queues = answer.data!["workQueues"];
    expect(queues.find((q: any) => q.name === "Inpatient coding")).toEqual({
      name: "Inpatient coding",
      kind: "CODING",
      slaHours: 72,
      leaseMinutes: 30,
      requiredCredential: "CCS",
      routing: { order: 10, encounterTypes: ["INPATIENT"], payerKinds: [], facilities: [] },
    });
    expect(queues.find((q: any) => q.name === "Outpatient coding")).toMatchObject({
      leaseMinutes: 15,
      requiredCredential: null,
      routing: { order: 20, encounterTypes: ["PROFESSIONAL", "OUTPATIENT", "EMERGENCY"] },
    });
  });

  it("a coverage's relation and eligibility are enums; a relation off the list is refused before it runs", async () => {
    const biller = await org.signIn("biller1");
    const added = await api.gql(
      `mutation ($input: AddCoverageInput!) { addCoverage(input: $input) {
        coverage { subscriberRelation eligibilityStatus } userErrors { code field } } }`,
      {
        input: {
          patientId: org.sites.clinic.patientId,
          payerId: org.payerId("commercial"),
          memberId: "NGH0042",
          priority: 2,
          effectiveFrom: "2026-01-01",
          subscriberRelation: "SPOUSE",
          subscriber: { firstName: "Ada", lastName: "Lovelace", birthDate: "1980-12-10", sex: "F" },
        },
      },
      biller,
    );
    expect(added.errors).toBeUndefined();
    expect(added.data!["addCoverage"]).toMatchObject({
      coverage: { subscriberRelation: "SPOUSE", eligibilityStatus: "UNVERIFIED" },
      userErrors: [],
    });
    const refused = await api.gql(
      `mutation { addCoverage(input: {
        patientId: "${org.sites.clinic.patientId}", payerId: "${org.payerId("commercial")}",
        memberId: "NGH0043", priority: 3, effectiveFrom: "2026-01-01", subscriberRelation: COUSIN }) {
        coverage { id } } }`,
      {},
      biller,
    );
    expect(refused.errors?.[0]?.message).toMatch(/SubscriberRelation/);
  });

  it("a biller's screen switches on enums: claim event kinds, acknowledgement sets, outcomes, data sets", async () => {
    const biller = await org.signIn("biller1");
    const watching = subscribe(
      api.ws({ authorization: `Bearer ${biller}` }),
      `subscription { claimEvents { type kind claim { id status } } }`,
    );
    const { claims, batch } = await givenSubmittedClaims(org, 2);
    const [accepted, rejected] = claims as [(typeof claims)[0], (typeof claims)[0]];

    const received = await api.gql(IMPORT, { input: { x12: write999(batch.x12) } }, biller);
    const setsAccepted = received.data!["importAcknowledgement"].acknowledgement;
    expect(setsAccepted).toMatchObject({ kind: "999", transactionSet: "X12_999" });
    expect(setsAccepted.outcomes).toEqual(
      expect.arrayContaining(claims.map(({ patientControlNumber }) => ({ patientControlNumber, outcome: "ACCEPTED" }))),
    );
    const verdicts = await api.gql(
      IMPORT,
      {
        input: {
          x12: write277ca(batch.x12, {
            [accepted.patientControlNumber]: { accept: true, payerClaimControlNumber: "PAYER-1" },
            [rejected.patientControlNumber]: { accept: false },
          }),
        },
      },
      biller,
    );
    const acknowledgement = verdicts.data!["importAcknowledgement"].acknowledgement;
    expect(acknowledgement).toMatchObject({ kind: "277CA", transactionSet: "X12_277CA" });
    expect(acknowledgement.outcomes).toEqual(
      expect.arrayContaining([
        { patientControlNumber: accepted.patientControlNumber, outcome: "ACCEPTED" },
        { patientControlNumber: rejected.patientControlNumber, outcome: "REJECTED" },
      ]),
    );
    let rejection: Record<string, any> | undefined;
    for (let count = 1; !rejection; count++) {
      const event = (await watching.waitFor(count)).at(-1)!["claimEvents"];
      if (event.claim.id === rejected.id && event.claim.status === "REJECTED") rejection = event;
    }
    expect(rejection).toMatchObject({ type: "status_changed", kind: "STATUS_CHANGED" });
    expect(watching.received.map((event) => event["claimEvents"].kind)).toContain("CREATED");
    watching.stop();

    const releases = (await api.gql(`{ codeSetReleases { dataset } }`, {}, await org.signIn("coder1"))).data![
      "codeSetReleases"
    ];
    expect(releases.map((r: { dataset: string }) => r.dataset)).toEqual(expect.arrayContaining(["ICD10CM", "POS"]));
  });

  it("a bad date is refused in the schema's own words, as a variable or written in the document", async () => {
    const biller = await org.signIn("biller1");
    const asVariable = await api.gql(
      `query ($from: Date) { encounters(filter: { serviceDateFrom: $from }) { totalCount } }`,
      { from: "2026-02-30" },
      biller,
    );
    const inline = await api.gql(
      `{ encounters(filter: { serviceDateFrom: "30/01/2026" }) { totalCount } }`,
      {},
      biller,
    );
    for (const answer of [asVariable, inline]) {
      const message = answer.errors?.[0]?.message ?? "";
      expect(message).toMatch(/Date must be a calendar date written YYYY-MM-DD/);
      expect(message).not.toMatch(/LocalDate/);
    }
  });
});
