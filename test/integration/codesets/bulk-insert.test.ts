import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { bulkInsert } from "../../../src/db/bulk.js";
import { selectRows } from "../../../src/db/client.js";
import { cloneTemplate, type TestDatabase } from "../../helpers/template.js";

/** Texts COPY's format must escape, or that look like its own markers. */
const AWKWARD = [
  "tab\there",
  "line\nbreak and\r\nCRLF",
  "back\\slash \\N \\t",
  "\\N",
  'quote " and comma, {brace} NULL',
  "",
  "ünïcode ® — 𝄞",
];

describe("bulk inserts", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await cloneTemplate(inject("database"));
  });
  afterAll(() => database.close());

  it("writes every value as given: awkward texts, nulls, booleans, numbers, dates and arrays", async () => {
    const rows = AWKWARD.map((text, index) => ({
      id: index,
      text,
      flag: index % 2 === 0,
      day: index === 0 ? null : `2026-10-0${index}`,
      words: index === 0 ? [] : [text, null, "plain", "NULL", "null", " padded "],
    }));
    const read = await database.db.transaction(async (tx) => {
      await tx.execute(
        sql`create temp table bulk_check (id int, text text, flag boolean, day date, words text[]) on commit drop`,
      );
      await bulkInsert(tx, "bulk_check", ["id", "text", "flag", "day", "words"], [...rows, { id: 99, text: null }]);
      return selectRows<{ id: number; text: string | null; flag: boolean | null; day: string | null; words: unknown }>(
        tx,
        sql`select id, text, flag, day::text as day, to_json(words) as words from bulk_check order by id`,
      );
    });
    expect(read).toEqual([...rows, { id: 99, text: null, flag: null, day: null, words: null }]);
  });
});
