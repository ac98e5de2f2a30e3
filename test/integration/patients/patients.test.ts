import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, startApi, type TestApi } from "../../helpers/api.js";

const CREATE = `mutation ($input: CreatePatientInput!) {
  createPatient(input: $input) { patient { id mrn firstName lastName birthDate sex } userErrors { code field message } }
}`;

describe("patients", () => {
  let api: TestApi;
  let biller: string;
  let facilityId: string;

  beforeAll(async () => {
    api = await startApi();
    biller = await api.signIn("biller1@demo.chartroom.test");
    facilityId = (await api.gql(`{ facilities { id } }`, {}, biller)).data?.["facilities"][0].id;
  });
  afterAll(() => api.close());

  const patient = (overrides: Record<string, unknown> = {}) => ({
    facilityId,
    mrn: "NEW-1001",
    firstName: "Talia",
    lastName: "Brook",
    birthDate: "1988-09-30",
    sex: "F",
    ...overrides,
  });

  it("a biller registers a patient and finds them by name or MRN", async () => {
    const created = await api.gql(CREATE, { input: patient() }, biller);
    expect(created.data?.["createPatient"]).toMatchObject({
      userErrors: [],
      patient: { mrn: "NEW-1001", firstName: "Talia", lastName: "Brook", birthDate: "1988-09-30", sex: "F" },
    });

    const byName = await api.gql(
      `{ patients(filter: { search: "bro tal" }) { totalCount edges { node { mrn } } } }`,
      {},
      biller,
    );
    expect(byName.data?.["patients"].edges.map((e: { node: { mrn: string } }) => e.node.mrn)).toContain("NEW-1001");
    const byMrn = await api.gql(`{ patients(filter: { search: "NEW-1001" }) { totalCount } }`, {}, biller);
    expect(byMrn.data?.["patients"].totalCount).toBe(1);
  });

  it("refuses a repeated MRN, a future birth date, an unknown sex and a blank name, writing nothing", async () => {
    const count = async () =>
      Number((await api.database.rows<{ n: string }>(sql`select count(*)::text as n from patients`))[0]!.n);
    const before = await count();

    await api.gql(CREATE, { input: patient({ mrn: "DUP-1" }) }, biller);
    const duplicate = await api.gql(CREATE, { input: patient({ mrn: "DUP-1", firstName: "Other" }) }, biller);
    expect(duplicate.data?.["createPatient"]).toEqual({
      patient: null,
      userErrors: [{ code: "MRN_TAKEN", field: ["mrn"], message: "Another patient at this facility has that MRN." }],
    });

    const invalid = await api.gql(
      CREATE,
      { input: patient({ mrn: "X-2", birthDate: "2999-01-01", sex: "Q", lastName: "  " }) },
      biller,
    );
    expect(invalid.data?.["createPatient"].userErrors.map((e: { code: string }) => e.code).sort()).toEqual([
      "BIRTH_DATE_IN_FUTURE",
      "INVALID_NAME",
      "INVALID_SEX",
    ]);
    expect(await count()).toBe(before + 1);
  });

  it("refuses an impossible date, a malformed id and a coder's registration with clear codes", async () => {
    const badDate = await api.gql(CREATE, { input: patient({ birthDate: "1990-02-30" }) }, biller);
    expect(badDate.status).toBe(400);
    expect(codes(badDate)).toEqual(["BAD_USER_INPUT"]);

    const unknownFacility = await api.gql(CREATE, { input: patient({ facilityId: "no-such-facility" }) }, biller);
    expect(codes(unknownFacility)).toEqual(["NOT_FOUND"]);

    const coder = await api.signIn("coder2@demo.chartroom.test");
    const forbidden = await api.gql(CREATE, { input: patient({ mrn: "C-1" }) }, coder);
    expect(codes(forbidden)).toEqual(["FORBIDDEN"]);
  });

  it("pages through every patient exactly once", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const page: any = await api.gql(
        `query ($after: String) { patients(first: 7, after: $after) { totalCount pageInfo { hasNextPage ` +
          `endCursor } edges { node { id } } } }`,
        { after },
        biller,
      );
      total = page.data.patients.totalCount;
      seen.push(...page.data.patients.edges.map((e: { node: { id: string } }) => e.node.id));
      after = page.data.patients.pageInfo.hasNextPage ? page.data.patients.pageInfo.endCursor : null;
    } while (after);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
  });
});
