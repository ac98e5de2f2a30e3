import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "../../helpers/api.js";
import { CODER_QUERIES_DATE, coderQueries, top5HitRate } from "../../helpers/code-search-queries.js";

const SEARCH = `query ($query: String!, $dateOfService: Date, $first: Int) {
  searchCodes(system: ICD10CM, query: $query, dateOfService: $dateOfService, first: $first) { code longDescription }
}`;
const CODE = `query ($code: String!, $dateOfService: Date) {
  code(system: ICD10CM, code: $code, dateOfService: $dateOfService) { code billable }
}`;

/** A coder typing lay words and single clinical words, on the newest shipped ICD-10-CM release. */
describe("a coder searching in lay words and single words", () => {
  let api: TestApi;
  let coder: string;

  const top = async (query: string, first = 5): Promise<string[]> => {
    const response = await api.gql(SEARCH, { query, dateOfService: CODER_QUERIES_DATE, first }, coder);
    expect(response.errors, query).toBeUndefined();
    return (response.data!["searchCodes"] as { code: string }[]).map((c) => c.code);
  };

  beforeAll(async () => {
    api = await startApi();
    coder = await api.signIn("coder1@demo.chartroom.test");
  });
  afterAll(() => api.close());

  it("offers the index's default code first for a single clinical word", async () => {
    expect((await top("asthma"))[0]).toBe("J45.909");
    expect((await top("migraine"))[0]).toBe("G43.909");
    expect((await top("Anemia"))[0]).toBe("D64.9");
    expect((await top("pneumonia"))[0]).toBe("J18.9");
    // A misspelled default word is corrected first, then means its default code.
    expect((await top("astma"))[0]).toBe("J45.909");
  });

  it("reaches ICD wording from lay words and lay anatomy", async () => {
    expect(await top("heart attack")).toContain("I21.9");
    expect((await top("kidney stone"))[0]).toBe("N20.0");
    expect(await top("cellulitis right arm")).toContain("L03.113");
    expect(await top("lump left arm")).toContain("R22.32");
    expect(await top("ringing in the ears")).toContain("H93.19");
    // The typed words still match as they did: a lay term adds wordings, it takes none away.
    expect(await top("pain in arm", 20)).toContain("M79.603");
  });

  it("offers an injury's initial encounter before its later ones", async () => {
    const sprain = await top("sprained ankle", 20);
    expect(sprain.indexOf("S93.409A")).toBeLessThan(sprain.indexOf("S93.409S"));
  });

  it("finds the expected code among the first five for at least 97% of 100 coder queries", async () => {
    expect(coderQueries()).toHaveLength(100);
    const { rate, misses } = await top5HitRate((query) => top(query));
    expect(rate, misses.join("\n")).toBeGreaterThanOrEqual(0.97);
  });

  it("prefers only codes that are billable on the date", async () => {
    const [, ...rows] = readFileSync(new URL("../../../data/codesets/preferred-codes.tsv", import.meta.url), "utf8")
      .split("\n")
      .filter((row) => row.includes("\t") && !row.startsWith("#"));
    for (const row of rows) {
      const [, system, code] = row.split("\t");
      if (system !== "ICD10CM") continue;
      const response = await api.gql(CODE, { code, dateOfService: CODER_QUERIES_DATE }, coder);
      expect(response.data!["code"], code).toMatchObject({ billable: true });
    }
  });
});
