import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, startApi, type TestApi } from "../../helpers/api.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";

const LIST = `query ($filter: EncounterFilter, $orderBy: EncounterOrder, $first: Int, $after: String) {
  encounters(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id status type serviceDate facility { id } patient { id } } }
  }
}`;
const CREATE = `mutation ($input: CreateEncounterInput!) {
  createEncounter(input: $input) {
    encounter { id status type serviceDate dischargeDate placeOfService version documentation facility {
      id } patient { id } renderingProvider { id name npi } }
    userErrors { code field message }
  }
}`;

type Node = {
  id: string;
  status: string;
  type: string;
  serviceDate: string;
  facility: { id: string };
  patient: { id: string };
};
const nodes = (response: { data?: any }): Node[] => response.data?.encounters.edges.map((e: { node: Node }) => e.node);

describe("encounters", () => {
  let api: TestApi;
  let supervisor: string;

  beforeAll(async () => {
    api = await startApi();
    supervisor = await api.signIn("supervisor@demo.chartroom.test");
  });
  afterAll(() => api.close());

  it("a supervisor filters the work by status, type, facility, patient and dates of service", async () => {
    const all = await api.gql(LIST, { first: 100 }, supervisor);
    const total = all.data?.["encounters"].totalCount;
    expect(total).toBe(250);

    const inpatient = await api.gql(LIST, { filter: { type: ["INPATIENT"] }, first: 100 }, supervisor);
    expect(nodes(inpatient).length).toBeGreaterThan(0);
    expect(nodes(inpatient).every((n) => n.type === "INPATIENT")).toBe(true);

    const [sample] = nodes(all);
    const drafts = await api.gql(LIST, { filter: { status: [sample!.status] }, first: 100 }, supervisor);
    expect(nodes(drafts).every((n) => n.status === sample!.status)).toBe(true);

    const byFacility = await api.gql(LIST, { filter: { facilityId: sample!.facility.id }, first: 100 }, supervisor);
    expect(nodes(byFacility).every((n) => n.facility.id === sample!.facility.id)).toBe(true);
    expect(byFacility.data?.["encounters"].totalCount).toBeLessThan(total);

    const byPatient = await api.gql(LIST, { filter: { patientId: sample!.patient.id } }, supervisor);
    expect(nodes(byPatient).map((n) => n.id)).toContain(sample!.id);
    expect(nodes(byPatient).every((n) => n.patient.id === sample!.patient.id)).toBe(true);

    const window = { serviceDateFrom: "2026-09-01", serviceDateTo: "2026-09-30" };
    const september = await api.gql(LIST, { filter: window, first: 100 }, supervisor);
    expect(nodes(september).length).toBeGreaterThan(0);
    expect(nodes(september).every((n) => n.serviceDate >= "2026-09-01" && n.serviceDate <= "2026-09-30")).toBe(true);
  });

  it("pages by date of service, newest or oldest first, each encounter exactly once", async () => {
    for (const orderBy of ["SERVICE_DATE_DESC", "SERVICE_DATE_ASC"]) {
      const seen: Node[] = [];
      let after: string | null = null;
      do {
        const page = await api.gql(LIST, { orderBy, first: 40, after }, supervisor);
        seen.push(...nodes(page));
        const info: { hasNextPage: boolean; endCursor: string } = page.data?.["encounters"].pageInfo;
        after = info.hasNextPage ? info.endCursor : null;
      } while (after);
      expect(seen).toHaveLength(250);
      expect(new Set(seen.map((n) => n.id)).size).toBe(250);
      const dates = seen.map((n) => n.serviceDate);
      const sorted = [...dates].sort();
      expect(dates).toEqual(orderBy === "SERVICE_DATE_ASC" ? sorted : sorted.reverse());
    }
  });

  /* Stories that record encounters do it in an organization of their own: the demo's count stays the seed's. */
  describe("recording a new encounter", () => {
    let org: Organization;
    let supervisor: string;
    let input: Record<string, unknown>;

    beforeAll(async () => {
      org = await givenOrganization(api);
      supervisor = await org.signIn("supervisor");
      const clinic = org.sites.clinic;
      input = {
        facilityId: clinic.id,
        patientId: clinic.patientId,
        renderingProviderId: clinic.providerId,
        type: "PROFESSIONAL",
        serviceDate: "2026-10-15",
        documentation: "CC: cough x 5 days. A/P: acute bronchitis; supportive care.",
        externalId: "EHR-TEST-1",
      };
    });

    it("a biller records an encounter; it starts as a DRAFT with the office place of service", async () => {
      const biller = await org.signIn("biller2");
      const response = await api.gql(CREATE, { input }, biller);
      expect(response.data?.["createEncounter"].userErrors).toEqual([]);
      expect(response.data?.["createEncounter"].encounter).toMatchObject({
        status: "DRAFT",
        type: "PROFESSIONAL",
        serviceDate: "2026-10-15",
        dischargeDate: null,
        placeOfService: "11",
        version: 1,
        documentation: input["documentation"],
        facility: { id: input["facilityId"] },
        patient: { id: input["patientId"] },
      });
      expect(response.data?.["createEncounter"].encounter.renderingProvider.npi).toMatch(/^\d{10}$/);

      const again = await api.gql(CREATE, { input }, biller);
      expect(again.data?.["createEncounter"].userErrors.map((e: { code: string }) => e.code)).toEqual([
        "EXTERNAL_ID_TAKEN",
      ]);
    });

    it("refuses dates that cannot be, writing nothing", async () => {
      const count = async () =>
        Number((await api.database.rows<{ n: string }>(sql`select count(*)::text as n from encounters`))[0]!.n);
      const before = await count();
      const refused = async (overrides: Record<string, unknown>) =>
        (await api.gql(CREATE, { input: { ...input, externalId: null, ...overrides } }, supervisor)).data?.[
          "createEncounter"
        ].userErrors.map((e: { code: string }) => e.code);

      expect(await refused({ serviceDate: "2999-01-01" })).toEqual(["SERVICE_DATE_IN_FUTURE"]);
      expect(await refused({ serviceDate: "1901-01-01" })).toEqual(["SERVICE_DATE_BEFORE_BIRTH"]);
      expect(await refused({ dischargeDate: "2026-10-20" })).toEqual(["DISCHARGE_DATE_NOT_INPATIENT"]);
      expect(await refused({ type: "INPATIENT", dischargeDate: "2026-10-01" })).toEqual(["DISCHARGE_BEFORE_ADMISSION"]);
      expect(await refused({ placeOfService: "1A", documentation: "   " })).toEqual([
        "INVALID_PLACE_OF_SERVICE",
        "DOCUMENTATION_REQUIRED",
      ]);
      expect(await count()).toBe(before);
    });

    it("takes the patient and the provider from the encounter's own facility", async () => {
      const { patientId: patientElsewhere, providerId: providerElsewhere } = org.sites.hospital;

      const response = await api.gql(
        CREATE,
        { input: { ...input, externalId: null, patientId: patientElsewhere, renderingProviderId: providerElsewhere } },
        supervisor,
      );
      expect(response.data?.["createEncounter"]).toEqual({
        encounter: null,
        userErrors: [
          {
            code: "PATIENT_AT_OTHER_FACILITY",
            field: ["patientId"],
            message: "The patient is registered at another facility: use their registration at this one.",
          },
          {
            code: "PROVIDER_AT_OTHER_FACILITY",
            field: ["renderingProviderId"],
            message: "The provider bills under another facility.",
          },
        ],
      });
    });

    it("answers bad requests with clear error codes", async () => {
      const badDate = await api.gql(CREATE, { input: { ...input, serviceDate: "2026-02-30" } }, supervisor);
      expect(codes(badDate)).toEqual(["BAD_USER_INPUT"]);

      const unknownField = await api.gql(`{ encounters { edges { node { id billingPriority } } } }`, {}, supervisor);
      expect(unknownField.status).toBe(400);
      expect(codes(unknownField)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);

      const badLiteral = await api.gql(
        `{ encounters(filter: { serviceDateFrom: "yesterday" }) { totalCount } }`,
        {},
        supervisor,
      );
      expect(codes(badLiteral)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);

      const tooMany = await api.gql(LIST, { first: 101 }, supervisor);
      expect(codes(tooMany)).toEqual(["BAD_USER_INPUT"]);
      expect(tooMany.errors?.[0]?.message).toMatch(/between 0 and 100/);

      const badCursor = await api.gql(LIST, { after: "garbage" }, supervisor);
      expect(codes(badCursor)).toEqual(["BAD_USER_INPUT"]);

      const unknownFacility = await api.gql(
        CREATE,
        { input: { ...input, facilityId: "RmFjaWxpdHk6bm9wZQ" } },
        supervisor,
      );
      expect(codes(unknownFacility)).toEqual(["NOT_FOUND"]);
      expect(unknownFacility.errors?.[0]?.extensions?.["field"]).toBe("facilityId");

      const coder = await org.signIn("coder3");
      expect(codes(await api.gql(CREATE, { input: { ...input, externalId: null } }, coder))).toEqual(["FORBIDDEN"]);
    });
  });
});
