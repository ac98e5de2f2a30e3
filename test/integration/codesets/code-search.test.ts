import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CPT_PLACEHOLDER } from "../../../src/modules/codesets/codeset.codes.js";
import { searchCodeRows } from "../../../src/modules/codesets/codeset.store.js";
import { codes, startApi, type TestApi } from "../../helpers/api.js";

const SEARCH = `query ($system: CodeSystem!, $query: String!, $dateOfService: Date, $billableOnly: Boolean,
    $first: Int) {
  searchCodes(system: $system, query: $query, dateOfService: $dateOfService, billableOnly: $billableOnly,
    first: $first) {
    code compactCode billable billableDescendantCount shortDescription longDescription effectiveFrom effectiveTo
  }
}`;
const CODE = `query ($system: CodeSystem!, $code: String!, $dateOfService: Date) {
  code(system: $system, code: $code, dateOfService: $dateOfService) {
    code billable billableDescendantCount longDescription
    parent { code billable parent { code } }
    children { code billable billableDescendantCount }
  }
}`;

type Found = { code: string; billable: boolean; billableDescendantCount: number; longDescription: string };

/** A coder at the search box, on a date of service inside the shipped FY2024 / 2024 releases. */
describe("a coder searching codes", () => {
  let api: TestApi;
  let coder: string;

  const search = async (system: string, query: string, options: Record<string, unknown> = {}): Promise<Found[]> => {
    const response = await api.gql(SEARCH, { system, query, dateOfService: "2024-08-15", ...options }, coder);
    expect(response.errors).toBeUndefined();
    return response.data!["searchCodes"];
  };
  const top = async (system: string, query: string, n = 5) =>
    (await search(system, query, { first: n })).map((c) => c.code);

  beforeAll(async () => {
    api = await startApi();
    coder = await api.signIn("coder1@demo.chartroom.test");
  });
  afterAll(() => api.close());

  it("finds a code typed with or without its dot, in any case, first", async () => {
    for (const typed of ["E11.9", "e119", "E119", " e11.9 "]) {
      const [first] = await search("ICD10CM", typed);
      expect(first).toMatchObject({
        code: "E11.9",
        billable: true,
        longDescription: "Type 2 diabetes mellitus without complications",
      });
    }
    expect((await search("ICD10CM", "I10"))[0]).toMatchObject({
      code: "I10",
      longDescription: "Essential (primary) hypertension",
    });
    expect((await search("ICD10CM", "s72.001a"))[0]!.code).toBe("S72.001A");
    expect((await search("HCPCS", "a0428"))[0]!.longDescription).toMatch(
      /^Ambulance service, basic life support, non-emergency/,
    );
    expect((await search("HCPCS", "J1100"))[0]!.longDescription).toBe(
      "Injection, dexamethasone sodium phosphate, 1 mg",
    );
    expect((await search("HCPCS", "G0439"))[0]!.longDescription).toMatch(/^Annual wellness visit/);
  });

  it("lists codes under a typed prefix after the exact code, billable ones first", async () => {
    const withHeaders = await search("ICD10CM", "E11", { billableOnly: false, first: 10 });
    expect(withHeaders[0]).toMatchObject({ code: "E11", billable: false, billableDescendantCount: 86 });
    expect(withHeaders.slice(1).every((c) => c.code.startsWith("E11."))).toBe(true);
    expect(withHeaders[1]!.billable).toBe(true);

    const billableOnly = await search("ICD10CM", "E11", { first: 100 });
    expect(billableOnly.map((c) => c.code)).not.toContain("E11");
    expect(billableOnly.map((c) => c.code)).toContain("E11.9");
    expect(billableOnly.every((c) => c.billable)).toBe(true);
  });

  it("matches words in any order, as prefixes, with w/o read as without", async () => {
    expect(await top("ICD10CM", "diab mell w/o comp")).toContain("E11.9");
    expect(await top("ICD10CM", "mellitus type 2 without complications")).toContain("E11.9");
    expect(await top("ICD10CM", "fx neck femur right init closed", 10)).toContain("S72.001A");
    expect(await top("HCPCS", "ambulance basic life non-emerg")).toContain("A0428");
    expect(await top("HCPCS", "dexamethasone injection", 10)).toContain("J1100");
  });

  it("expands coder shorthand to the words of the descriptions", async () => {
    expect((await top("ICD10CM", "HTN"))[0]).toBe("I10");
    expect((await top("ICD10CM", "DM2"))[0]).toBe("E11.9");
    const expected: Record<string, string> = {
      CHF: "I50.9",
      COPD: "J44.9",
      CKD: "N18.9",
      UTI: "N39.0",
      MI: "I21.9",
      CVA: "I63.9",
      AFib: "I48.91",
      GERD: "K21.9",
    };
    for (const [shorthand, code] of Object.entries(expected))
      expect(await top("ICD10CM", shorthand), shorthand).toContain(code);
  });

  it("corrects a misspelled word to the closest word of the descriptions", async () => {
    const diabetes = await search("ICD10CM", "type 2 diabtes w/o comp");
    expect(diabetes.map((c) => c.code)).toContain("E11.9");
    expect((await top("ICD10CM", "esential hypertensoin"))[0]).toBe("I10");
  });

  it("ranks a single common word's codes as any other search would, stopping early", async () => {
    const [terms] = await api.database.rows<{ codes: number }>(
      sql`select sum(codes)::int as codes from code_search_terms where system = 'ICD10CM' and term like 'fracture%'`,
    );
    expect(terms!.codes).toBeGreaterThan(5000);
    const expected = await api.database.rows<{ code: string }>(sql`
      select code from medical_codes
       where system = 'ICD10CM' and billable and effective_from <= '2024-08-15'
         and (effective_to is null or effective_to >= '2024-08-15')
         and search_vector @@ to_tsquery('simple', 'fracture:*')
       order by specificity, code limit 20`);
    const found = await search("ICD10CM", "fracture");
    expect(found.map((c) => c.code.replace(".", ""))).toEqual(expected.map((r) => r.code));
  });

  it("ranks a common word's codes the same whether its first answers are short descriptions or not", async () => {
    // "fracture" has many billable codes of a few words ("Fracture of sternum"); "nonunion" none: every
    // code it is in also names a bone, a side and an encounter.
    const billableFewWords = async (word: string) =>
      (
        await api.database.rows<{ codes: number }>(sql`
          select count(*)::int as codes from medical_codes
           where system = 'ICD10CM' and billable and specificity <= 6 and effective_to is null
             and search_vector @@ to_tsquery('simple', ${`${word}:*`})`)
      )[0]!.codes;
    expect(await billableFewWords("fracture")).toBeGreaterThan(100);
    expect(await billableFewWords("nonunion")).toBe(0);
    for (const word of ["fracture", "nonunion"]) {
      for (const billableOnly of [true, false]) {
        const expected = await api.database.rows<{ code: string }>(sql`
          select code from medical_codes
           where system = 'ICD10CM' and (billable or not ${billableOnly}) and effective_from <= '2024-08-15'
             and (effective_to is null or effective_to >= '2024-08-15')
             and search_vector @@ to_tsquery('simple', ${`${word}:*`})
           order by (not billable), specificity, code limit 100`);
        const found = await search("ICD10CM", word, { billableOnly, first: 100 });
        expect(
          found.map((c) => c.code.replace(".", "")),
          `${word}, billable only: ${billableOnly}`,
        ).toEqual(expected.map((r) => r.code));
      }
    }
  });

  it("ranks billable codes before headers when headers are asked for", async () => {
    const results = await search("ICD10CM", "type 2 diabetes mellitus", { billableOnly: false, first: 100 });
    const firstHeader = results.findIndex((c) => !c.billable);
    expect(firstHeader).toBeGreaterThan(0);
    expect(results.slice(firstHeader).every((c) => !c.billable)).toBe(true);
    expect(results.find((c) => c.code === "E11")).toMatchObject({ billable: false, billableDescendantCount: 86 });
  });

  it("drills down from a category header to a billable code and back up", async () => {
    const e11 = (await api.gql(CODE, { system: "ICD10CM", code: "E11", dateOfService: "2024-08-15" }, coder)).data![
      "code"
    ];
    expect(e11).toMatchObject({ code: "E11", billable: false, billableDescendantCount: 86, parent: null });
    const children = e11.children as { code: string; billable: boolean; billableDescendantCount: number }[];
    expect(children.map((c) => c.code)).toEqual([
      "E11.0",
      "E11.1",
      "E11.2",
      "E11.3",
      "E11.4",
      "E11.5",
      "E11.6",
      "E11.8",
      "E11.9",
    ]);
    expect(children.find((c) => c.code === "E11.9")).toMatchObject({ billable: true, billableDescendantCount: 0 });
    expect(children.find((c) => c.code === "E11.6")).toMatchObject({ billable: false });

    const fracture = (await api.gql(CODE, { system: "ICD10CM", code: "S72001A", dateOfService: "2024-08-15" }, coder))
      .data!["code"];
    expect(fracture).toMatchObject({
      code: "S72.001A",
      billable: true,
      children: [],
      parent: { code: "S72.001", billable: false, parent: { code: "S72.00" } },
    });
  });

  it("knows CPT code numbers from the public NCCI tables without shipping licensed descriptors", async () => {
    const cpt = (await api.gql(CODE, { system: "CPT", code: "99213", dateOfService: "2024-08-15" }, coder)).data![
      "code"
    ];
    expect(cpt).toMatchObject({ code: "99213", billable: true, longDescription: "CPT® descriptor requires a licence" });
    // The placeholder text is no description: its words match no CPT code, even asked for directly.
    const placeholderWords = await searchCodeRows(api.database.db, {
      system: "CPT",
      dateOfService: "2024-08-15",
      billableOnly: true,
      limit: 5,
      code: null,
      words: "descriptor:* & licence:*",
      broad: false,
      placeholder: CPT_PLACEHOLDER,
    });
    expect(placeholderWords).toEqual([]);
    expect((await search("CPT", "9921", { first: 5 })).map((c) => c.code)).toContain("99213");
  });

  it("answers only codes in force on the date of service", async () => {
    // G0439 has been a HCPCS code since 2011; the shipped ICD-10-CM release (so E11.9 in it) starts 2023-10-01.
    expect((await search("HCPCS", "G0439", { dateOfService: "2012-01-01" }))[0]!.code).toBe("G0439");
    const before = await api.gql(SEARCH, { system: "ICD10CM", query: "E11.9", dateOfService: "2023-09-30" }, coder);
    expect(codes(before)).toEqual(["BAD_USER_INPUT"]);
    expect(before.errors![0]!.message).toMatch(/earliest starts 2023-10-01/);
    expect(
      (await api.gql(CODE, { system: "ICD10CM", code: "E11.9", dateOfService: "2023-09-30" }, coder)).errors![0]!
        .extensions!.code,
    ).toBe("BAD_USER_INPUT");
    expect(
      (await api.gql(CODE, { system: "ICD10CM", code: "E11.99", dateOfService: "2024-08-15" }, coder)).data!["code"],
    ).toBeNull();
  });

  it("handles bad input with an empty list or a clear error, never a crash", async () => {
    expect(await search("ICD10CM", "")).toEqual([]);
    expect(await search("ICD10CM", "e")).toEqual([]);
    expect(await search("ICD10CM", "   ")).toEqual([]);
    for (const hostile of [
      "'; drop table medical_codes; --",
      "(a|b)*",
      "\\",
      ":* & | ! <->",
      "%_%",
      "diabetes'::tsquery",
      "$1",
      "E11%",
    ]) {
      const response = await api.gql(SEARCH, { system: "ICD10CM", query: hostile }, coder);
      expect(response.errors, hostile).toBeUndefined();
      expect(Array.isArray(response.data!["searchCodes"])).toBe(true);
    }
    expect(await top("ICD10CM", "diabetes (type 2) | w/o comp*")).toContain("E11.9");

    const tooLong = await api.gql(SEARCH, { system: "ICD10CM", query: "diabetes ".repeat(1200) }, coder);
    expect(codes(tooLong)).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await api.gql(SEARCH, { system: "ICD10CM", query: "E11", first: 101 }, coder))).toEqual([
      "BAD_USER_INPUT",
    ]);
    expect(codes(await api.gql(SEARCH, { system: "ICD10CM", query: "E11", first: 0 }, coder))).toEqual([
      "BAD_USER_INPUT",
    ]);
    const unknownSystem = await api.gql(SEARCH, { system: "ICD9", query: "250.00" }, coder);
    expect(unknownSystem.status).toBe(400);
    expect(codes(unknownSystem)).toEqual(["BAD_USER_INPUT"]);
    expect(
      codes(await api.gql(SEARCH, { system: "ICD10CM", query: "E11", dateOfService: "2024-02-30" }, coder)),
    ).toEqual(["BAD_USER_INPUT"]);
  });

  it("requires sign-in", async () => {
    expect(codes(await api.gql(SEARCH, { system: "ICD10CM", query: "E11" }))).toEqual(["UNAUTHENTICATED"]);
  });

  it("lists the imported releases", async () => {
    const response = await api.gql(`{ codeSetReleases { dataset label effectiveFrom rowCount } }`, {}, coder);
    const releases = response.data!["codeSetReleases"] as {
      dataset: string;
      label: string;
      effectiveFrom: string;
      rowCount: number;
    }[];
    expect(releases).toContainEqual({
      dataset: "ICD10CM",
      label: "FY2024",
      effectiveFrom: "2023-10-01",
      rowCount: 97_296,
    });
    expect(releases.map((r) => r.dataset)).toEqual(
      expect.arrayContaining(["ICD10PCS", "HCPCS", "CPT", "MCE", "NCCI_PTP_PRACTITIONER", "MUE_PRACTITIONER"]),
    );
  });
});
