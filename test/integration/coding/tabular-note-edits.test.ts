import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCodeFile } from "../../../src/modules/codesets/codeset.importer.js";
import { startApi, type TestApi } from "../../helpers/api.js";
import { givenClaimedEncounter } from "../../helpers/encounters.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";

/** Real entries of CMS's FY2026 tabular list: E10, E11, E85, G60-G65 with G62, G63, G65 (see its README). */
const TABULAR = new URL("../../fixtures/tabular/icd10cm_tabular_2026.xml", import.meta.url).pathname;

const SET = `mutation ($input: SetEncounterCodesInput!) { setEncounterCodes(input: $input) {
  encounter { version diagnoses { sequence unrelatedTo code { code } } edits { code severity message field } }
  userErrors { code field message } } }`;
const COMPLETE = `mutation ($input: EncounterRefInput!) { completeCoding(input: $input) {
  encounter { status } userErrors { code field message } } }`;

/** A visit on 2026-03-10, in FY2026, which the tabular list's notes are in force for. */
const VISIT = { serviceDate: "2026-03-10" };
const visitLine = (pointers: number[]) => [
  { system: "CPT", code: "99213", units: 1, charge: "110.00", diagnosisPointers: pointers },
];
/** The edits the tabular notes make, without those of other tables. */
const NOTE_EDITS = ["EXCLUDES1_CONFLICT", "EXCLUDES1_UNRELATED", "CODE_FIRST", "USE_ADDITIONAL_CODE"];

interface Edit {
  code: string;
  severity: string;
  message: string;
  field: string[];
}

/*
 * The coding edits that read the ICD-10-CM tabular list's notes, as a coder meets them through
 * setEncounterCodes: the administrator has loaded the tabular list (here the fixture). Each story
 * has an organization of its own; coder2 codes at its clinic.
 */
describe("a coder meets the tabular list's Excludes1, Code first and Use additional code notes", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
    await importCodeFile(api.database.db, { file: TABULAR }, () => {});
  });
  afterAll(() => api.close());

  /** A clinic encounter coder2 claimed in an organization of its own, and a way to save its codes. */
  const givenCoder = async () => {
    const org: Organization = await givenOrganization(api);
    const token = await org.signIn("coder2");
    const { encounter } = await givenClaimedEncounter(org, "coder2", VISIT);
    let version = encounter.version;
    const save = async (diagnoses: unknown[], procedures: unknown[] = visitLine([1])) => {
      const response = await api.gql(
        SET,
        { input: { encounterId: encounter.id, expectedVersion: version, diagnoses, procedures } },
        token,
      );
      expect(response.errors).toBeUndefined();
      const payload = response.data!["setEncounterCodes"];
      if (payload.encounter) version = payload.encounter.version;
      const edits = (payload.encounter?.edits ?? []) as Edit[];
      return { ...payload, noteEdits: edits.filter((e) => NOTE_EDITS.includes(e.code)) };
    };
    const complete = async () =>
      (await api.gql(COMPLETE, { input: { encounterId: encounter.id } }, token)).data!["completeCoding"];
    return { save, complete };
  };

  it("refuses to complete type 2 diabetes coded with type 1: E11's Excludes1 names E10, an ERROR", async () => {
    const { save, complete } = await givenCoder();
    const saved = await save([{ code: "E11.9" }, { code: "E10.10" }, { code: "Z79.4" }], visitLine([1, 2]));
    expect(saved.userErrors).toEqual([]);
    expect(saved.noteEdits).toEqual([
      {
        code: "EXCLUDES1_CONFLICT",
        severity: "ERROR",
        field: ["diagnoses", "1", "code"],
        message:
          'E10.10 is not coded with E11.9: E11 excludes "type 1 diabetes mellitus (E10.-)" (Excludes1). Keep the ' +
          "one the documentation supports; if the conditions are unrelated, name E11.9 in diagnosis 2's unrelatedTo " +
          "to report both.",
      },
    ]);
    const refused = await complete();
    expect(refused.userErrors.map((e: { code: string }) => e.code)).toContain("EXCLUDES1_CONFLICT");

    // The physician confirms type 2 only: E10.10 goes, and with insulin coded E11 asks for nothing more.
    const fixed = await save([{ code: "E11.9" }, { code: "Z79.4" }]);
    expect(fixed.noteEdits).toEqual([]);
    expect((await complete()).userErrors).toEqual([]);
  });

  it("lets the coder report an Excludes1 pair of unrelated conditions, as a WARNING that says so", async () => {
    const { save, complete } = await givenCoder();
    // Idiopathic polyneuropathy and a radiculitis from a disc: the section G60-G65 excludes radiculitis NOS.
    const barred = await save([{ code: "G62.9" }, { code: "M54.10" }], visitLine([1, 2]));
    expect(barred.noteEdits.map((e: Edit) => [e.code, e.severity, e.field.join(".")])).toEqual([
      ["EXCLUDES1_CONFLICT", "ERROR", "diagnoses.1.code"],
    ]);
    const stated = await save([{ code: "G62.9" }, { code: "m5410", unrelatedTo: ["g629"] }], visitLine([1, 2]));
    expect(stated.encounter.diagnoses.map((d: { unrelatedTo: string[] }) => d.unrelatedTo)).toEqual([[], ["G62.9"]]);
    expect(stated.noteEdits).toEqual([
      {
        code: "EXCLUDES1_UNRELATED",
        severity: "WARNING",
        field: ["diagnoses", "1", "code"],
        message:
          "M54.10 is reported with G62.9 as an unrelated condition, although G60-G65 excludes " +
          '"radiculitis NOS (M54.10)" (Excludes1): the guidelines allow it only when the documentation shows the two ' +
          "are unrelated.",
      },
    ]);
    expect((await complete()).encounter.status).not.toBe("CODING");
  });

  it("refuses an unrelatedTo that names no other diagnosis of the encounter, and saves nothing", async () => {
    const { save } = await givenCoder();
    const refused = await save([{ code: "G62.9" }, { code: "M54.10", unrelatedTo: ["E11.9"] }]);
    expect(refused.encounter).toBeNull();
    expect(refused.userErrors).toEqual([
      {
        code: "UNRELATED_CODE_NOT_LISTED",
        field: ["diagnoses", "1", "unrelatedTo", "0"],
        message:
          "E11.9 is not another diagnosis of this encounter: unrelatedTo names the diagnosis an Excludes1 note bars " +
          "beside this one.",
      },
    ]);
  });

  it("asks for the underlying disease before a manifestation, and the additional code E11 names", async () => {
    const { save } = await givenCoder();
    const manifestationFirst = await save([{ code: "G63" }, { code: "E85.1" }]);
    expect(manifestationFirst.noteEdits.map((e: Edit) => [e.code, e.severity, e.field.join(".")])).toEqual([
      ["CODE_FIRST", "WARNING", "diagnoses.0.code"],
    ]);
    expect(manifestationFirst.noteEdits[0].message).toMatch(
      /^G63 says "Code first underlying disease, such as: amyloidosis \(E85\.-\); .*": list E85\.1 before G63\.$/,
    );
    expect((await save([{ code: "E85.1" }, { code: "G63" }])).noteEdits).toEqual([]);

    const diabetes = await save([{ code: "E11.22" }, { code: "N18.30" }]);
    expect(diabetes.noteEdits).toEqual([
      {
        code: "USE_ADDITIONAL_CODE",
        severity: "WARNING",
        field: ["diagnoses", "0", "code"],
        message:
          'E11 says "Use additional code to identify control using: injectable non-insulin antidiabetic drugs ' +
          '(Z79.85); insulin (Z79.4); oral antidiabetic drugs (Z79.84); oral hypoglycemic drugs (Z79.84)": add it ' +
          "after E11.22 where the documentation supports it.",
      },
    ]);
  });
});
