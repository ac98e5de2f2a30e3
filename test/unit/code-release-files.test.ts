import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { applyAddenda, readAddenda } from "../../src/modules/codesets/codeset.addenda.js";
import { CODESETS_DIR } from "../../src/modules/codesets/codeset.files.js";
import type { StagedCode } from "../../src/modules/codesets/codeset.merge.js";
import { readReleaseFile } from "../../src/modules/codesets/codeset.readers.js";

const shipped = (path: string) => join(CODESETS_DIR, path);
const ADDENDA = shipped("icd10cm/icd10cm_order_addenda_2027.txt");

/**
 * An administrator bringing CMS's files as downloaded: the file says what it is, and a bad one is
 * refused by name and line.
 */
describe("release files as CMS publishes them", () => {
  let fy2026: StagedCode[];
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "chartroom-release-files-"));
    const release = await readReleaseFile(shipped("icd10cm/icd10cm_fy2026_code_descriptions_cms.zip"));
    expect(release).toMatchObject({ system: "ICD10CM", label: "FY2026", effectiveFrom: "2025-10-01" });
    fy2026 = release.codes;
  });

  it("makes FY2027 from FY2026 and the official order addenda, with the counts its footer states", async () => {
    const addenda = await readAddenda(ADDENDA);
    expect(addenda).toMatchObject({
      system: "ICD10CM",
      label: "FY2027",
      baseLabel: "FY2026",
      effectiveFrom: "2026-10-01",
    });
    const fy2027 = applyAddenda(ADDENDA, addenda, fy2026);
    expect(fy2027.filter((c) => c.billable)).toHaveLength(74_879);
    expect(fy2027.filter((c) => !c.billable)).toHaveLength(23_524);
    const find = (code: string) => fy2027.find((c) => c.code === code);
    expect(find("I420")).toMatchObject({ billable: false });
    expect(find("I4200")).toMatchObject({ billable: true, long: "Dilated cardiomyopathy, unspecified" });
    expect(find("L02232")!.long).toBe("Carbuncle of back [any part, except buttock and flank]");
  });

  it("refuses addenda that delete a code the release lacks, naming the line", async () => {
    const text = readFileSync(ADDENDA, "latin1").replace("Delete:      1 I420   ", "Delete:      1 I429X  ");
    const file = join(dir, "icd10cm_order_addenda_2027.txt");
    writeFileSync(file, text, "latin1");
    const addenda = await readAddenda(file);
    expect(() => applyAddenda(file, addenda, fy2026)).toThrow(
      /line 12: deletes code I42.9X, which is not in the release/,
    );
  });

  it("refuses addenda applied to another release than the one they follow", async () => {
    const fy2025 = (await readReleaseFile(shipped("icd10cm/icd10cm_fy2025_code_descriptions_cms.zip"))).codes;
    const addenda = await readAddenda(ADDENDA);
    expect(() => applyAddenda(ADDENDA, addenda, fy2025)).toThrow(
      /applies to icd10cm_order_2026.txt \(74719 codes, 23467 headers\), but .* has 74260 codes and 23324 headers/,
    );
  });

  it("refuses a truncated zip, a zip without an order file and an xlsx of another layout", async () => {
    const truncated = join(dir, "icd10pcs_order_2026.zip");
    writeFileSync(truncated, readFileSync(shipped("icd10pcs/icd10pcs_fy2026_order_file_cms.zip")).subarray(0, 50_000));
    await expect(readReleaseFile(truncated)).rejects.toThrow(/icd10pcs_order_2026.zip: not a readable zip file/);
    const other = join(dir, "other.zip");
    writeFileSync(other, zipSync({ "readme.txt": strToU8("hello") }));
    await expect(readReleaseFile(other)).rejects.toThrow(/other.zip: holds 0 order files/);
    const bad = join(dir, "bad-line.zip");
    writeFileSync(
      bad,
      zipSync({ "icd10cm_order_2026.txt": strToU8("00001 A00     0 Cholera\r\nnot an order line\r\n") }),
    );
    await expect(readReleaseFile(bad)).rejects.toThrow(
      /icd10cm_order_2026.txt, line 2: not a line of a CMS order file/,
    );
    const sheet = join(dir, "HCPC2026_JAN_ANWEB.xlsx");
    writeFileSync(
      sheet,
      readFileSync(join(import.meta.dirname, "../fixtures/codesets/hcpcs/hcpcs_HCPC2025_OCT_ANWEB.xlsx")),
    );
    await expect(readReleaseFile(join(dir, "HCPC2026_JAN_ANWEB.xlsx"))).resolves.toMatchObject({
      system: "HCPCS",
      label: "2025 OCT",
      effectiveFrom: "2025-10-01",
    });
    const notAnweb = join(dir, "notes.xlsx");
    writeFileSync(notAnweb, zipSync({ "xl/workbook.xml": strToU8("<workbook/>") }));
    await expect(readReleaseFile(notAnweb)).rejects.toThrow(/notes.xlsx: /);
  });
});
