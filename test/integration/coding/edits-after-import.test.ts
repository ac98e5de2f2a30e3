import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCodeFile } from "../../../src/modules/codesets/codeset.importer.js";
import { startApi, type TestApi } from "../../helpers/api.js";
import { givenClaimedEncounter } from "../../helpers/encounters.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";
import { adminWithImportFolder, imported } from "../codesets/import-folder.js";

/** Real entries of CMS's FY2026 tabular list, E11's "use additional code" note among them (see its README). */
const TABULAR = new URL("../../fixtures/tabular/icd10cm_tabular_2026.xml", import.meta.url).pathname;

const SET = `mutation ($input: SetEncounterCodesInput!) { setEncounterCodes(input: $input) {
  encounter { version } userErrors { code field message } } }`;
const EDITS = `query ($id: ID!) { encounter(id: $id) { edits { code field } } }`;

/** Type 2 diabetes with kidney complications, on a visit in FY2026: E11's note asks for the drug code. */
const CODES = {
  diagnoses: [{ code: "E11.22" }, { code: "N18.30" }],
  procedures: [{ system: "CPT", code: "99213", units: 1, charge: "110.00", diagnosisPointers: [1, 2] }],
};
const VISIT = { serviceDate: "2026-03-10" };
const ASKS_FOR_DRUG_CODE = { code: "USE_ADDITIONAL_CODE", field: ["diagnoses", "0", "code"] };

/** An encounter coder2 has claimed and coded with CODES, and a way to read its edits as coder2. */
async function givenCodedEncounter(api: TestApi, org: Organization) {
  const token = await org.signIn("coder2");
  const { encounter } = await givenClaimedEncounter(org, "coder2", VISIT);
  const saved = await api.gql(
    SET,
    { input: { encounterId: encounter.id, expectedVersion: encounter.version, ...CODES } },
    token,
  );
  expect(saved.data!["setEncounterCodes"].userErrors).toEqual([]);
  return async () => {
    const read = await api.gql(EDITS, { id: encounter.id }, token);
    expect(read.errors).toBeUndefined();
    return read.data!["encounter"].edits as { code: string; field: string[] }[];
  };
}

/*
 * A coder reads an encounter's edits again and again while the code sets stay as they are (each
 * instance keeps the code-set rows the edits read); once a release is imported, reads are checked
 * against it: at once after an import this instance ran, and as soon as the database announces one
 * that ran anywhere else.
 */
describe("an encounter's edits follow a release an administrator imports through the API", () => {
  let api: TestApi;
  let org: Organization;
  let admin: string;
  let folder: string;

  beforeAll(async () => {
    ({ api, org, admin, folder } = await adminWithImportFolder());
  });
  afterAll(() => api.close());

  it("shows a tabular note's edit as soon as an administrator's import of the tabular list succeeds", async () => {
    const edits = await givenCodedEncounter(api, org);
    expect(await edits()).not.toContainEqual(ASKS_FOR_DRUG_CODE);
    expect(await edits()).not.toContainEqual(ASKS_FOR_DRUG_CODE);

    copyFileSync(TABULAR, join(folder, "icd10cm_tabular_2026.xml"));
    expect(await imported(api, admin, "icd10cm_tabular_2026.xml")).toMatchObject({ state: "SUCCEEDED" });

    expect(await edits()).toContainEqual(ASKS_FOR_DRUG_CODE);
  });
});

describe("an encounter's edits follow a release imported outside the instance serving them", () => {
  let api: TestApi;
  let org: Organization;

  beforeAll(async () => {
    api = await startApi();
    org = await givenOrganization(api);
  });
  afterAll(() => api.close());

  it("shows the tabular note's edit once the database announces the import's commit", async () => {
    const edits = await givenCodedEncounter(api, org);
    expect(await edits()).not.toContainEqual(ASKS_FOR_DRUG_CODE);
    expect(await edits()).not.toContainEqual(ASKS_FOR_DRUG_CODE);

    // As `npm run import-codes` or another instance would: the same database, written without this server.
    await importCodeFile(api.database.db, { file: TABULAR }, () => {});

    await expect.poll(edits, { timeout: 5_000, interval: 50 }).toContainEqual(ASKS_FOR_DRUG_CODE);
  });
});
