import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { medicalCodes } from "../../../src/db/schema/codesets.js";
import { isCptNumber } from "../../../src/modules/codesets/codeset.codes.js";
import { ncciCodeNumbers } from "../../../src/modules/codesets/codeset.import-store.js";
import { cloneTemplate, type TestDatabase } from "../../helpers/template.js";

/**
 * The first load counts the CPT numbers the NCCI tables name while it writes the tables, instead
 * of asking the tables afterwards: the numbers and their last dates must be what the tables say.
 */
describe("CPT code numbers on a first start", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await cloneTemplate(inject("database"));
  });
  afterAll(() => database.close());

  it("are every CPT number the loaded NCCI tables name, each until the last row naming it ends", async () => {
    const m = medicalCodes;
    const loaded = await database.rows<{ code: string; to: string | null }>(
      sql`select ${m.code} as code, ${m.effectiveTo}::text as "to" from ${m} where ${m.system} = 'CPT' order by 1`,
    );
    const named = (await ncciCodeNumbers(database.db))
      .filter(({ code }) => isCptNumber(code))
      .sort((a, b) => (a.code < b.code ? -1 : 1));
    expect(loaded.length).toBeGreaterThan(10_000);
    expect(loaded.some(({ to }) => to !== null)).toBe(true);
    expect(loaded).toEqual(named);
  });
});
