import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "../../helpers/api.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";

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
