import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getTableName, sql } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { medicalCodes } from "../../../src/db/schema/codesets.js";
import { importCodeFile, importShippedCodeSets } from "../../../src/modules/codesets/codeset.importer.js";
import { findCode, searchCodes } from "../../../src/modules/codesets/codeset.service.js";
import { checkCode } from "../../../src/modules/codesets/codeset.validation.js";
import { cloneTemplate, type TestDatabase } from "../../helpers/template.js";

/** One line of a CMS order file: order number, code, valid flag, short (60 wide) and long description. */
const orderLine = (order: number, code: string, billable: boolean, short: string, long: string) =>
  `${String(order).padStart(5, "0")} ${code.padEnd(7)} ${billable ? 1 : 0} ${short.padEnd(60)} ${long}`;

/** One line of CMS order addenda: the action, the header flag, code, short (60 wide) and long title. */
const addendaLine = (action: string, code: string, short: string, long = short) =>
  `${`${action}:`.padEnd(13)} 1 ${code.padEnd(7)} ${short.padEnd(60)} ${long}`;

/**
 * ICD-10-CM order addenda in CMS's format, standing in for the fiscal year after the last one
 * shipped (FY2027): E11.B is new (a made-up code), I10 reworded, S72.001A deleted.
 */
const FY2028_ADDENDA = [
  addendaLine("Add", "E11B", "Type 2 diabetes mellitus in test remission"),
  addendaLine("Revise from", "I10", "Essential (primary) hypertension"),
  addendaLine(
    "Revise to",
    "I10",
    "Essential (primary) hypertension",
    "Essential (primary) hypertension, reworded for this test",
  ),
  addendaLine("Delete", "S72001A", "Fx unsp part of neck of right femur, init for clos fx"),
  "",
  "Headers",
  "  23524 headers in icd10cm_order_2027.txt",
  "  23524 headers in icd10cm_order_2028.txt",
  "",
  "Codes",
  "  74879 codes in icd10cm_order_2027.txt",
  "  74879 codes in icd10cm_order_2028.txt",
].join("\r\n");

describe("importing code-set releases", () => {
  let database: TestDatabase;
  let dir: string;
  const log: string[] = [];
  const progress = (message: string) => log.push(message);
  const count = async (table: string) =>
    Number(
      (await database.rows<{ n: string | number }>(sql`select count(*) as n from ${sql.identifier(table)}`))[0]!.n,
    );

  beforeAll(async () => {
    database = await cloneTemplate(inject("database"));
    dir = mkdtempSync(join(tmpdir(), "chartroom-codes-"));
  });
  afterAll(() => database.close());

  it("leaves nothing in the search indexes' pending lists, which every search would scan, once loaded", async () => {
    // Cleaning returns the pages it merged: none, if each load merged its own (PGlite never vacuums them).
    const pending = await database.rows<{ codes: number; words: number }>(
      sql`select gin_clean_pending_list('medical_codes_search_idx'::regclass) as codes,
                 gin_clean_pending_list('code_search_terms_trgm_idx'::regclass) as words`,
    );
    expect(pending.map((row) => ({ codes: Number(row.codes), words: Number(row.words) }))).toEqual([
      { codes: 0, words: 0 },
    ]);
  });

  it("keeps every index and the release's foreign key the first load set aside while it wrote the codes", async () => {
    const { indexes } = getTableConfig(medicalCodes);
    const kept = await database.rows<{ name: string }>(
      sql`select indexname as name from pg_indexes where tablename = ${getTableName(medicalCodes)}`,
    );
    expect(kept.map((row) => row.name).sort()).toEqual(
      ["medical_codes_pkey", ...indexes.map((index) => index.config.name)].sort(),
    );
    const foreignKeys = await database.rows<{ column: string; checked: boolean }>(
      sql`select a.attname as column, c.convalidated as checked
            from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
           where c.conrelid = ${getTableName(medicalCodes)}::regclass and c.contype = 'f'`,
    );
    expect(foreignKeys).toEqual([{ column: "release_id", checked: true }]);
  });

  it("changes nothing when the shipped code sets are imported again", async () => {
    const counts = async () => ({
      codes: await count("medical_codes"),
      releases: await count("code_set_releases"),
      pairs: await count("ncci_ptp_edits"),
      addOnCodes: await count("ncci_add_on_codes"),
    });
    const before = await counts();
    // 668 add-on codes: the CMS table's 7,465 rows hold one per add-on and primary code.
    expect(before.addOnCodes).toBe(668);
    await importShippedCodeSets(database.db, progress);
    expect(await counts()).toEqual(before);
    expect(log.filter((line) => line.includes("already imported")).length).toBeGreaterThanOrEqual(13);
  });

  it("adds a newer release from CMS order addenda without losing the old one", async () => {
    const file = join(dir, "icd10cm_order_addenda_2028.txt");
    writeFileSync(file, FY2028_ADDENDA);
    const codesBefore = await count("medical_codes");
    expect(await importCodeFile(database.db, { file }, progress)).toBe(true);
    expect(log.at(-1)).toMatch(/^ICD10CM FY2028 \(FY2027 with the order addenda\): 98,403 rows in/);
    // Seven new rows: E11.B, the reworded I10, and the headers whose billable codes beneath changed:
    // E11 above E11.B; S72.001, S72.00, S72.0 and S72 above S72.001A. The other codes keep their rows.
    expect(await count("medical_codes")).toBe(codesBefore + 7);

    const on = (date: string) => (code: string) => findCode(database.db, "ICD10CM", code, date);
    expect(await on("2027-09-30")("E11.B")).toBeNull();
    expect(await on("2027-10-01")("E11.B")).toMatchObject({
      billable: true,
      effectiveFrom: "2027-10-01",
      parentCode: "E11",
    });
    expect((await on("2027-09-30")("I10"))!.longDescription).toBe("Essential (primary) hypertension");
    expect(await on("2027-09-30")("I10")).toMatchObject({ effectiveTo: "2027-09-30" });
    expect((await on("2027-10-01")("I10"))!.longDescription).toBe(
      "Essential (primary) hypertension, reworded for this test",
    );
    expect(await on("2027-10-01")("E11.A")).toMatchObject({ effectiveFrom: "2025-10-01", effectiveTo: null });
    expect(await on("2027-09-30")("S72.001A")).toMatchObject({ effectiveTo: "2027-09-30" });
    expect(await on("2027-10-01")("S72.001A")).toBeNull();

    const dropped = await checkCode(database.db, { system: "ICD10CM", code: "S72.001A", dateOfService: "2027-11-01" });
    expect(dropped.problems[0]).toMatchObject({ code: "NOT_IN_FORCE" });
    // The header's count follows the release (one more billable code beneath E11), and earlier dates keep theirs.
    const earlier = (await on("2027-09-30")("E11"))!;
    expect(earlier.effectiveTo).toBe("2027-09-30");
    expect(await on("2027-10-01")("E11")).toMatchObject({
      billableDescendants: earlier.billableDescendants + 1,
      effectiveFrom: "2027-10-01",
    });

    const searchOn = async (date: string) =>
      (await searchCodes(database.db, { system: "ICD10CM", query: "diabetes remission", dateOfService: date })).map(
        (c) => c.code,
      );
    expect(await searchOn("2027-10-15")).toContain("E11B");
    expect(await searchOn("2027-08-15")).not.toContain("E11B");

    const rows = await count("medical_codes");
    expect(
      await importCodeFile(
        database.db,
        { system: "ICD10CM", file, label: "FY2028", effectiveFrom: "2027-10-01" },
        progress,
      ),
    ).toBe(false);
    expect(await count("medical_codes")).toBe(rows);
  }, 180_000); // a whole fiscal year is read, compared and indexed: on a busy machine it outlasts the default

  it("closes a HCPCS code on the termination date a later file gives it", async () => {
    const file = join(dir, "hcpcs_2026_jan.tsv");
    const header = "code\tshort_description\tlong_description\tdate_term\tdate_added";
    writeFileSync(
      file,
      [
        header,
        "A0428\tBls\tAmbulance service, basic life support, non-emergency transport, (bls)\t\t2001-01-01",
        "J1100\tDexamethasone sodium phos\tInjection, dexamethasone sodium phosphate, 1 mg\t2026-03-31\t1982-01-01",
      ].join("\n"),
    );
    await importCodeFile(
      database.db,
      { system: "HCPCS", file, label: "2026 January", effectiveFrom: "2026-01-01" },
      progress,
    );
    expect(await findCode(database.db, "HCPCS", "J1100", "2026-02-15")).toMatchObject({ effectiveTo: "2026-03-31" });
    expect(await findCode(database.db, "HCPCS", "J1100", "2026-04-15")).toBeNull();
    expect(await findCode(database.db, "HCPCS", "A0428", "2026-04-15")).toMatchObject({ effectiveTo: null });
    // G0439 is not in this file: it ends the day before the file starts.
    expect(await findCode(database.db, "HCPCS", "G0439", "2025-12-31")).toMatchObject({ effectiveTo: "2025-12-31" });
    expect(await findCode(database.db, "HCPCS", "G0439", "2026-01-01")).toBeNull();
  });

  it("refuses an older release after a newer one, and a file of no known format, changing nothing", async () => {
    const older = join(dir, "icd10cm_order_2023.txt");
    writeFileSync(older, `${orderLine(1, "I10", true, "Hypertension", "Hypertension, older text")}\n`);
    const releases = await count("code_set_releases");
    await expect(
      importCodeFile(
        database.db,
        { system: "ICD10CM", file: older, label: "FY2023", effectiveFrom: "2022-10-01" },
        progress,
      ),
    ).rejects.toThrow(/import releases oldest first/);
    const junk = join(dir, "notes.txt");
    writeFileSync(junk, "these are not codes\nat all\n");
    await expect(
      importCodeFile(
        database.db,
        { system: "ICD10PCS", file: junk, label: "FY2026", effectiveFrom: "2025-10-01" },
        progress,
      ),
    ).rejects.toThrow(/notes.txt, line 1: not a line of a CMS order file/);
    const wrongSystem = join(dir, "icd10pcs_order_2028.txt");
    writeFileSync(
      wrongSystem,
      `${orderLine(1, "0016070", true, "Bypass Cereb Vent to Nasophar", "Bypass Cerebral Ventricle to Nasopharynx")}\n`,
    );
    await expect(importCodeFile(database.db, { system: "ICD10CM", file: wrongSystem }, progress)).rejects.toThrow(
      /icd10pcs_order_2028.txt: is an ICD10PCS file, not ICD10CM/,
    );
    const wrongYear = join(dir, "icd10cm_order_2029.txt");
    writeFileSync(wrongYear, `${orderLine(1, "I10", true, "Hypertension", "Hypertension")}\n`);
    await expect(
      importCodeFile(database.db, { file: wrongYear, effectiveFrom: "2027-10-01" }, progress),
    ).rejects.toThrow(/is ICD10CM FY2029, in force from 2028-10-01, not 2027-10-01/);
    const twice = join(dir, "cpt-twice.csv");
    writeFileSync(twice, "code,long_description\n99213,Office visit\n99213,Office visit again\n");
    await expect(
      importCodeFile(database.db, { system: "CPT", file: twice, label: "2026", effectiveFrom: "2026-01-01" }, progress),
    ).rejects.toThrow(/code 99213 appears twice/);
    expect(await count("code_set_releases")).toBe(releases);
  });

  it("loads a user's licensed CPT descriptors from their effective date", async () => {
    const file = join(dir, "cpt-licensed.csv");
    writeFileSync(
      file,
      "Code,Short_Description,Long_Description\n" +
        '99213,"Office o/p est low 20 min","Office or other outpatient visit for the evaluation and management ' +
        'of an established patient, low level of medical decision making"\n',
    );
    await importCodeFile(
      database.db,
      { system: "CPT", file, label: "2025 (licensed)", effectiveFrom: "2025-01-01" },
      progress,
    );
    expect((await findCode(database.db, "CPT", "99213", "2025-03-01"))!.shortDescription).toBe(
      "Office o/p est low 20 min",
    );
    expect((await findCode(database.db, "CPT", "99213", "2024-08-15"))!.longDescription).toBe(
      "CPT® descriptor requires a licence",
    );
    const found = await searchCodes(database.db, {
      system: "CPT",
      query: "office outpatient established",
      dateOfService: "2025-03-01",
    });
    expect(found.map((c) => c.code)).toEqual(["99213"]);

    // A corrected file for the same date replaces the first one's rows.
    const corrected = join(dir, "cpt-licensed-corrected.csv");
    writeFileSync(
      corrected,
      "code,short_description,long_description\n" +
        '99213,"Office o/p est low 20 min","Office visit, established patient, low complexity"\n',
    );
    await importCodeFile(
      database.db,
      { system: "CPT", file: corrected, label: "2025 (licensed, corrected)", effectiveFrom: "2025-01-01" },
      progress,
    );
    expect((await findCode(database.db, "CPT", "99213", "2025-03-01"))!.longDescription).toBe(
      "Office visit, established patient, low complexity",
    );
    expect((await findCode(database.db, "CPT", "99213", "2024-08-15"))!.longDescription).toBe(
      "CPT® descriptor requires a licence",
    );
  });
});
