import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkCode } from "../../../src/modules/codesets/codeset.validation.js";
import { cloneTemplate, type TestDatabase } from "../../helpers/template.js";

const DOS = "2024-08-15";
const woman = { sex: "F", birthDate: "1980-05-01" } as const;
const man = { sex: "M", birthDate: "1958-02-10" } as const;

/** What the coding edits ask of a code before it may go on a claim, with real codes from the shipped tables. */
describe("checking a code for a claim line", () => {
  let database: TestDatabase;
  const check = (
    system: "ICD10CM" | "HCPCS" | "CPT",
    code: string,
    extra: Partial<Parameters<typeof checkCode>[1]> = {},
  ) => checkCode(database.db, { system, code, dateOfService: DOS, ...extra });
  const problemCodes = async (...args: Parameters<typeof check>) => (await check(...args)).problems.map((p) => p.code);

  beforeAll(async () => {
    database = await cloneTemplate(inject("database"));
  });
  afterAll(() => database.close());

  it("passes a billable code in force, typed either way", async () => {
    for (const typed of ["E11.9", "e119", "I10", "S72.001A"])
      expect(await problemCodes("ICD10CM", typed), typed).toEqual([]);
    expect(await problemCodes("HCPCS", "J1100")).toEqual([]);
    expect(await problemCodes("CPT", "99213")).toEqual([]);
  });

  it("refuses a category header and offers the billable codes beneath it, least specific first", async () => {
    const e11 = await check("ICD10CM", "E11");
    expect(e11.problems).toEqual([
      { code: "NOT_BILLABLE", message: "E11 is a category header; choose one of the 86 billable codes beneath it." },
    ]);
    expect(e11.suggestions[0]!.code).toBe("E119");
    expect(e11.suggestions.every((c) => c.billable && c.code.startsWith("E11"))).toBe(true);
  });

  it("suggests the real codes one keystroke away from a code that does not exist", async () => {
    const swapped = await check("ICD10CM", "E191");
    expect(swapped.problems[0]).toMatchObject({ code: "UNKNOWN_CODE" });
    expect(swapped.problems[0]!.message).toMatch(/^E19\.1 is not a ICD10CM code\. Did you mean E11\.9/);
    expect(swapped.suggestions[0]!.code).toBe("E119");

    const letterO = await check("ICD10CM", "I1O");
    expect(letterO.suggestions.map((c) => c.code)).toContain("I10");

    const sameCategoryFirst = await check("ICD10CM", "S72.001Z");
    expect(sameCategoryFirst.suggestions.length).toBeGreaterThan(0);
    expect(sameCategoryFirst.suggestions.every((c) => c.code.startsWith("S72"))).toBe(true);
    expect(sameCategoryFirst.suggestions.map((c) => c.code)).toContain("S72001A");

    expect((await check("ICD10CM", "ZZZZZZZ")).suggestions).toEqual([]);
  });

  it("reads a code written with other punctuation, and says what was meant", async () => {
    const dashed = await check("ICD10CM", "E11-9");
    expect(dashed.problems).toEqual([
      { code: "MALFORMED_CODE", message: '"E11-9" is not written as a ICD10CM code: did you mean E11.9?' },
    ]);
    expect(dashed.suggestions.map((c) => c.code)).toEqual(["E119"]);
    expect((await check("ICD10CM", "---")).problems[0]!.code).toBe("MALFORMED_CODE");
  });

  it("tells a code not yet in force on the date of service from one that never existed", async () => {
    const early = await checkCode(database.db, { system: "ICD10CM", code: "S72.001A", dateOfService: "2023-09-30" });
    expect(early.problems).toEqual([
      { code: "NOT_IN_FORCE", message: "S72.001A is not in force on 2023-09-30 (in force 2023-10-01 to now)." },
    ]);
  });

  it("applies the Medicare Code Editor's sex and age limits to the patient", async () => {
    expect(await problemCodes("ICD10CM", "O80", { patient: woman })).toEqual([]);
    expect(await problemCodes("ICD10CM", "O80", { patient: man })).toEqual(["SEX_CONFLICT", "AGE_CONFLICT"]);
    expect(await problemCodes("ICD10CM", "O80", { patient: { sex: "F", birthDate: "1950-01-01" } })).toEqual([
      "AGE_CONFLICT",
    ]);
    expect(await problemCodes("ICD10CM", "C61", { patient: woman })).toEqual(["SEX_CONFLICT"]);
    expect(await problemCodes("ICD10CM", "C61", { patient: { sex: "U", birthDate: "1970-01-01" } })).toEqual([]);
    // Tetanus neonatorum fits a newborn only: age 0 on the date of service.
    expect(await problemCodes("ICD10CM", "A33", { patient: { sex: "M", birthDate: "2024-03-01" } })).toEqual([]);
    expect(await problemCodes("ICD10CM", "A33", { patient: { sex: "M", birthDate: "2023-08-15" } })).toEqual([
      "AGE_CONFLICT",
    ]);
    const message = (await check("ICD10CM", "A33", { patient: man })).problems[0]!.message;
    expect(message).toBe("A33 applies to patients of age 0; this patient is 66 on the date of service.");
  });

  it("refuses a manifestation code as the principal diagnosis only", async () => {
    expect(await problemCodes("ICD10CM", "G63", { principal: true })).toEqual(["MANIFESTATION_AS_PRINCIPAL"]);
    expect(await problemCodes("ICD10CM", "G63", { principal: false })).toEqual([]);
  });
});
