import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPatient } from "../../../src/modules/patients/patient.service.js";
import { createContext } from "../../../src/request.js";
import { codes, startApi, type TestApi } from "../../helpers/api.js";

const CREATE = `mutation ($input: CreatePatientInput!) {
  createPatient(input: $input) { patient { id } userErrors { code } }
}`;

/** Roles are checked twice: by the schema (`@Roles`, through authChecker) and again by the service. */
describe("roles", () => {
  let api: TestApi;
  let coder: string;
  let input: Record<string, string>;

  beforeAll(async () => {
    api = await startApi();
    coder = await api.signIn("coder3@demo.chartroom.test");
    const facilityId = (await api.gql(`{ facilities { id } }`, {}, coder)).data?.["facilities"][0].id;
    input = { facilityId, mrn: "ROLE-1", firstName: "Nell", lastName: "Ashby", birthDate: "1990-05-05", sex: "F" };
  });
  afterAll(() => api.close());

  const patientsNamedAshby = async () =>
    Number(
      (
        await api.database.rows<{ n: string }>(sql`select count(*)::text as n from patients where last_name = 'Ashby'`)
      )[0]!.n,
    );

  it("the schema refuses a role-guarded root field to a wrong role before its resolver runs", async () => {
    const response = await api.gql(CREATE, { input }, coder);
    expect(codes(response)).toEqual(["FORBIDDEN"]);
    // authChecker's wording, not the service's: the resolver never ran.
    expect(response.errors?.[0]?.message).toBe("This needs one of the roles ADMIN, SUPERVISOR, BILLER.");
    expect(response.data?.["createPatient"] ?? null).toBeNull();
    expect(await patientsNamedAshby()).toBe(0);
  });

  it("the service refuses the wrong role on its own, for callers that do not come through the schema", async () => {
    const ctx = await createContext(api.server.services, "roles-test", coder, "127.0.0.1");
    await expect(createPatient(ctx, input as never)).rejects.toMatchObject({
      message: "Only ADMIN, SUPERVISOR, BILLER may register patients.",
      code: "FORBIDDEN",
    });
    expect(await patientsNamedAshby()).toBe(0);
  });
});
