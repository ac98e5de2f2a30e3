import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PtpFiles } from "../../src/modules/codesets/codeset.ptp.js";

const HEADER = "column_1\tcolumn_2\tdeletion_date\tmodifier_indicator\trationale";
/** A few rows shaped like CMS's practitioner PTP table: two column-1 codes, one pair deleted before FY2024. */
const PTP = [
  HEADER,
  "11042\t97597\t9999-12-31\t1\tStandards of medical / surgical practice",
  "11042\t97598\t2024-03-31\t1\tMisuse of column two code with column one code",
  "11042\t11000\t2019-12-31\t0\tStandards of medical / surgical practice",
  "20610\t76942\t9999-12-31\t1\tStandards of medical / surgical practice",
].join("\n");

describe("the PTP tables read in a worker thread", () => {
  const dir = mkdtempSync(join(tmpdir(), "chartroom-ptp-"));
  const file = join(dir, "ptp_practitioner.tsv");
  writeFileSync(file, `${PTP}\n`);
  const files = new PtpFiles();
  afterAll(() => files.close());

  it("turns a file asked for into one row per column-1 code, its rationales given the caller's ids", async () => {
    const asked: string[][] = [];
    const read = await files.text(file, "PRACTITIONER", async (texts) => {
      asked.push([...texts]);
      return new Map(texts.map((text, index) => [text, 10 + index]));
    });
    expect(asked).toEqual([
      ["Standards of medical / surgical practice", "Misuse of column two code with column one code"],
    ]);
    expect(read.pairs).toBe(3);
    expect(read.text.join("")).toBe(
      "PRACTITIONER\t11042\t{97597,97598}\t{1,1}\t{NULL,2024-03-31}\t{10,11}\n" +
        "PRACTITIONER\t20610\t{76942}\t{1}\t{NULL}\t{10}\n",
    );
    expect(read.named.sort((a, b) => (a.code < b.code ? -1 : 1))).toEqual([
      { code: "11042", to: null },
      { code: "20610", to: null },
      { code: "76942", to: null },
      { code: "97597", to: null },
      { code: "97598", to: "2024-03-31" },
    ]);
  });

  it("refuses a file it cannot read, naming it", async () => {
    const missing = join(dir, "ptp_missing.tsv");
    await expect(files.text(missing, "PRACTITIONER", async () => new Map())).rejects.toThrow(missing);
  });
});
