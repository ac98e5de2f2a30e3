import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../../src/shared/ids.js";
import { codes, startApi, type TestApi } from "../../helpers/api.js";
import { givenEncounterWithPatientElsewhere } from "../../helpers/behind-the-api.js";

const missingEncounter = toGlobalId("Encounter", "00000000-0000-4000-8000-000000000000");
const missingPatient = toGlobalId("Patient", "00000000-0000-4000-8000-000000000000");
const missingFacility = toGlobalId("Facility", "00000000-0000-4000-8000-000000000000");

const FIRST_ENCOUNTER = `query ($facilityId: ID) {
  encounters(first: 1, filter: { facilityId: $facilityId }) {
    edges { node { id facility { id name } patient { id mrn } renderingProvider { id } } }
  }
}`;

describe("tenant and facility isolation", () => {
  let api: TestApi;
  let riverbendAdmin: string;
  let lakesideAdmin: string;
  let facilities: { id: string; name: string }[];

  beforeAll(async () => {
    api = await startApi();
    riverbendAdmin = await api.signIn("admin@demo.chartroom.test");
    lakesideAdmin = await api.signIn("admin@lakeside.chartroom.test");
    facilities = (await api.gql(`{ facilities { id name } }`, {}, riverbendAdmin)).data?.["facilities"];
    expect(facilities).toHaveLength(2);
  });
  afterAll(() => api.close());

  const firstEncounter = async (token: string, facilityId?: string) =>
    (await api.gql(FIRST_ENCOUNTER, { facilityId }, token)).data?.["encounters"].edges[0].node;

  it("a user of another organization gets what an id that does not exist would get, through every query", async () => {
    const theirs = await firstEncounter(riverbendAdmin);

    const read = `query ($e: ID!, $p: ID!) { encounter(id: $e) { id } encounterNode: node(id: $e) {
      id } patientNode: node(id: $p) { id } }`;
    const foreign = await api.gql(read, { e: theirs.id, p: theirs.patient.id }, lakesideAdmin);
    const missing = await api.gql(read, { e: missingEncounter, p: missingPatient }, lakesideAdmin);
    expect(foreign.data).toEqual({ encounter: null, encounterNode: null, patientNode: null });
    expect(foreign.data).toEqual(missing.data);

    const byPatient = `query ($p: ID!) { encounters(filter: { patientId: $p }) { totalCount } }`;
    const foreignPatient = await api.gql(byPatient, { p: theirs.patient.id }, lakesideAdmin);
    expect(codes(foreignPatient)).toEqual(["NOT_FOUND"]);
    expect(foreignPatient.errors?.[0]?.message).toBe(
      (await api.gql(byPatient, { p: missingPatient }, lakesideAdmin)).errors?.[0]?.message,
    );

    const byFacility = `query ($f: ID!) { encounters(filter: { facilityId: $f }) { totalCount } patients(filter: {
      facilityId: $f }) { totalCount } }`;
    expect(codes(await api.gql(byFacility, { f: theirs.facility.id }, lakesideAdmin))).toEqual(["NOT_FOUND"]);
    expect(codes(await api.gql(byFacility, { f: missingFacility }, lakesideAdmin))).toEqual(["NOT_FOUND"]);

    const search = await api.gql(
      `query ($s: String!) { patients(filter: { search: $s }) { totalCount } }`,
      { s: theirs.patient.mrn },
      lakesideAdmin,
    );
    expect(search.data?.["patients"].totalCount).toBe(0);

    const all = await api.gql(
      `{ encounters { totalCount } patients { totalCount } facilities { name } }`,
      {},
      lakesideAdmin,
    );
    expect(all.data?.["encounters"].totalCount).toBe(10);
    expect(all.data?.["facilities"].map((f: { name: string }) => f.name)).not.toContain(theirs.facility.name);
  });

  it("a user of another organization cannot write against the first organization's rows", async () => {
    const theirs = await firstEncounter(riverbendAdmin);
    const own = await firstEncounter(lakesideAdmin);

    const createEncounter = `mutation ($input: CreateEncounterInput!) { createEncounter(input: $input) { encounter {
      id } userErrors { code } } }`;
    const input = {
      facilityId: own.facility.id,
      patientId: theirs.patient.id,
      renderingProviderId: own.renderingProvider.id,
      type: "PROFESSIONAL",
      serviceDate: "2026-10-01",
      documentation: "Follow-up visit.",
    };
    const response = await api.gql(createEncounter, { input }, lakesideAdmin);
    expect(codes(response)).toEqual(["NOT_FOUND"]);
    expect(response.errors?.[0]?.extensions?.["field"]).toBe("patientId");

    const wrongProvider = await api.gql(
      createEncounter,
      { input: { ...input, patientId: own.patient.id, renderingProviderId: theirs.renderingProvider.id } },
      lakesideAdmin,
    );
    expect(codes(wrongProvider)).toEqual(["NOT_FOUND"]);

    const createPatient = `mutation ($input: CreatePatientInput!) { createPatient(input: $input) { patient { id } } }`;
    const patient = {
      facilityId: theirs.facility.id,
      mrn: "LK-X1",
      firstName: "Ada",
      lastName: "Quill",
      birthDate: "1980-01-01",
      sex: "F",
    };
    expect(codes(await api.gql(createPatient, { input: patient }, lakesideAdmin))).toEqual(["NOT_FOUND"]);
  });

  it("a coder sees only the facilities granted to them", async () => {
    const clinicCoder = await api.signIn("coder2@demo.chartroom.test");
    const hospitalCoder = await api.signIn("coder1@demo.chartroom.test");
    const clinic = (await api.gql(`{ facilities { id name } }`, {}, clinicCoder)).data?.["facilities"];
    const hospital = (await api.gql(`{ facilities { id name } }`, {}, hospitalCoder)).data?.["facilities"];
    expect(clinic).toHaveLength(1);
    expect(hospital).toHaveLength(1);
    expect(clinic[0].id).not.toBe(hospital[0].id);

    const hospitalEncounter = await firstEncounter(riverbendAdmin, hospital[0].id);
    const read = await api.gql(
      `query ($id: ID!) { encounter(id: $id) { id } node(id: $id) { id } }`,
      { id: hospitalEncounter.id },
      clinicCoder,
    );
    expect(read.data).toEqual({ encounter: null, node: null });
    expect(
      (await api.gql(`query ($id: ID!) { encounter(id: $id) { id } }`, { id: hospitalEncounter.id }, hospitalCoder))
        .data?.["encounter"],
    ).toEqual({
      id: hospitalEncounter.id,
    });

    const listed = await api.gql(`{ encounters(first: 100) { edges { node { facility { id } } } } }`, {}, clinicCoder);
    const seen = new Set(
      listed.data?.["encounters"].edges.map((e: { node: { facility: { id: string } } }) => e.node.facility.id),
    );
    expect([...seen]).toEqual([clinic[0].id]);
    expect(
      codes(
        await api.gql(
          `query ($f: ID!) { patients(filter: { facilityId: $f }) { totalCount } }`,
          { f: hospital[0].id },
          clinicCoder,
        ),
      ),
    ).toEqual(["NOT_FOUND"]);
  });

  describe("between facilities of one organization", () => {
    let clinicCoder: string;
    let clinic: string;
    let hospital: string;
    const ids = (response: { data?: any }, list: string) =>
      response.data?.[list].edges.map((e: { node: { id: string } }) => e.node.id);

    beforeAll(async () => {
      clinicCoder = await api.signIn("coder2@demo.chartroom.test");
      clinic = (await api.gql(`{ facilities { id } }`, {}, clinicCoder)).data?.["facilities"][0].id;
      hospital = facilities.find((f) => f.id !== clinic)!.id;
    });

    it("a coder sees only the facilities and providers granted to them, by any query", async () => {
      const hospitalProvider = (
        await api.gql(
          `query ($f: ID!) { providers(facilityId: $f, first: 1) { edges { node { id } } } }`,
          { f: hospital },
          riverbendAdmin,
        )
      ).data?.["providers"].edges[0].node.id;
      const read = `query ($f: ID!, $p: ID!) { facility: node(id: $f) { id } provider: node(id: $p) { id } }`;
      expect((await api.gql(read, { f: hospital, p: hospitalProvider }, clinicCoder)).data).toEqual({
        facility: null,
        provider: null,
      });

      const all = await api.gql(`{ providers(first: 100) { totalCount edges { node { id } } } }`, {}, riverbendAdmin);
      const clinics = await api.gql(
        `query ($f: ID!) { providers(facilityId: $f, first: 100) { edges { node { id } } } }`,
        { f: clinic },
        riverbendAdmin,
      );
      const seen = await api.gql(`{ providers(first: 100) { totalCount edges { node { id } } } }`, {}, clinicCoder);
      expect(ids(seen, "providers")).toEqual(ids(clinics, "providers"));
      expect(seen.data?.["providers"].totalCount).toBeLessThan(all.data?.["providers"].totalCount);
      expect(
        codes(
          await api.gql(`query ($f: ID!) { providers(facilityId: $f) { totalCount } }`, { f: hospital }, clinicCoder),
        ),
      ).toEqual(["NOT_FOUND"]);
    });

    it("an encounter whose patient is at a facility the user may not see stays out of their lists", async () => {
      const hospitalPatient = (
        await api.gql(
          `query ($f: ID!) { patients(first: 1, filter: { facilityId: $f }) { edges { node { id } } } }`,
          { f: hospital },
          riverbendAdmin,
        )
      ).data?.["patients"].edges[0].node.id;
      const clinicProvider = (
        await api.gql(
          `query ($f: ID!) { providers(facilityId: $f, first: 1) { edges { node { id } } } }`,
          { f: clinic },
          riverbendAdmin,
        )
      ).data?.["providers"].edges[0].node.id;
      const mixed = await givenEncounterWithPatientElsewhere(api.database, {
        facilityId: clinic,
        patientId: hospitalPatient,
        providerId: clinicProvider,
      });

      const list = `{ encounters(first: 100, orderBy: SERVICE_DATE_DESC) { totalCount edges { node { id patient {
        lastName } renderingProvider { name } facility { id } } } } }`;
      const coders = await api.gql(list, {}, clinicCoder);
      expect(coders.errors).toBeUndefined();
      expect(ids(coders, "encounters")).not.toContain(mixed);
      expect(
        (
          await api.gql(
            `query ($id: ID!) { encounter(id: $id) { id } node(id: $id) { id } }`,
            { id: mixed },
            clinicCoder,
          )
        ).data,
      ).toEqual({ encounter: null, node: null });

      const admins = await api.gql(
        `query ($id: ID!) { encounter(id: $id) { patient { id } } }`,
        { id: mixed },
        riverbendAdmin,
      );
      expect(admins.data?.["encounter"].patient.id).toBe(hospitalPatient);
    });
  });
});
