import { readFileSync } from "node:fs";

/**
 * What coders type at the search box and the code they mean: `test/fixtures/code-search-queries.tsv`,
 * written from the ICD-10-CM alphabetic index's default codes and common-code lists (its third
 * column names the entry), not from the search's own answers.
 */
export interface CoderQuery {
  query: string;
  /** The code as written, with its dot. */
  expected: string;
}

/** The date of service the queries are asked on: inside the newest shipped ICD-10-CM release. */
export const CODER_QUERIES_DATE = "2026-11-15";

/** The fixture's queries, in file order. */
export function coderQueries(): CoderQuery[] {
  const path = new URL("../fixtures/code-search-queries.tsv", import.meta.url);
  const [, ...rows] = readFileSync(path, "utf8").split("\n");
  return rows
    .filter((row) => row.includes("\t"))
    .map((row) => {
      const [query, expected] = row.split("\t");
      return { query: query!, expected: expected! };
    });
}

/** The share of queries whose expected code `search` answers among its first five, and the queries it missed. */
export async function top5HitRate(
  search: (query: string) => Promise<string[]>,
): Promise<{ rate: number; misses: string[] }> {
  const queries = coderQueries();
  const misses: string[] = [];
  for (const { query, expected } of queries) {
    const found = await search(query);
    if (!found.slice(0, 5).includes(expected)) misses.push(`${query} → ${expected} (got ${found.join(", ")})`);
  }
  return { rate: (queries.length - misses.length) / queries.length, misses };
}
