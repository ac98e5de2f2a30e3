import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { covers, readTabular, refsIn, type TabularFile } from "../../src/modules/codesets/codeset.tabular.js";
import type { DiagnosisEntry } from "../../src/modules/edits/edits.codes.js";
import { tabularNoteEdits } from "../../src/modules/edits/edits.tabular.js";

/** Real entries of CMS's FY2026 tabular list (see its README). */
const FIXTURE = new URL("../fixtures/tabular/icd10cm_tabular_2026.xml", import.meta.url).pathname;

describe("reading the ICD-10-CM tabular list", () => {
  let tabular: TabularFile;
  const dir = mkdtempSync(join(tmpdir(), "chartroom-tabular-"));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const notesAt = (scope: string, kind: string) =>
    tabular.notes.filter((n) => n.scope === scope && n.kind === kind).map((n) => [n.position, n.text, n.refs]);

  beforeAll(async () => {
    tabular = await readTabular(FIXTURE);
  });

  it("takes the fiscal year from <version>: FY2026, in force from 2025-10-01", () => {
    expect(tabular).toMatchObject({ label: "FY2026", effectiveFrom: "2025-10-01" });
  });

  it("keeps each code's notes in order, with the codes they name, and leaves out includes and inclusion terms", () => {
    expect(notesAt("E11", "EXCLUDES1").at(-1)).toEqual([8, "type 1 diabetes mellitus (E10.-)", ["E10"]]);
    expect(notesAt("E11", "USE_ADDITIONAL_CODE")).toEqual([
      [1, "code to identify control using:", []],
      [2, "injectable non-insulin antidiabetic drugs (Z79.85)", ["Z7985"]],
      [3, "insulin (Z79.4)", ["Z794"]],
      [4, "oral antidiabetic drugs (Z79.84)", ["Z7984"]],
      [5, "oral hypoglycemic drugs (Z79.84)", ["Z7984"]],
    ]);
    expect(notesAt("E1122", "USE_ADDITIONAL_CODE")).toEqual([
      [1, "code to identify stage of chronic kidney disease (N18.1-N18.6)", ["N181-N186"]],
    ]);
    expect(notesAt("G63", "CODE_FIRST").map(([, , refs]) => refs)).toEqual([
      [],
      ["E85"],
      ["E00-E07", "E15-E16", "E20-E34"],
      ["E70-E88"],
      ["C00-D49"],
      ["E40-E64"],
    ]);
    expect(tabular.notes.some((n) => n.text === "diabetes NOS" || n.text === "Neuropathy NOS")).toBe(false);
    expect(new Set(tabular.notes.map((n) => n.kind))).toEqual(
      new Set(["EXCLUDES1", "EXCLUDES2", "CODE_FIRST", "USE_ADDITIONAL_CODE"]),
    );
  });

  it("gives a section's notes its range of categories and a chapter's the range in its title", () => {
    expect(notesAt("G60-G65", "EXCLUDES1").at(-1)).toEqual([4, "radiculitis NOS (M54.10)", ["M5410"]]);
    expect(notesAt("A00-B99", "EXCLUDES2").map(([, , refs]) => refs)).toEqual([
      ["Z22"],
      ["O98"],
      ["P35-P39"],
      ["J00-J22"],
    ]);
  });

  it('reads "E08-E13 with .42" as the .42 codes of each category, and leaves out a qualifier it cannot read', () => {
    const excludes = notesAt("G63", "EXCLUDES1");
    expect(excludes[1]).toEqual([
      2,
      "diabetes mellitus (E08-E13 with .42)",
      ["E0842", "E0942", "E1042", "E1142", "E1242", "E1342"],
    ]);
    expect(excludes[3]![2]).toEqual([]);
  });

  it("reads the references CMS writes in parentheses", () => {
    expect(refsIn("gestational diabetes (O24.4-)")).toEqual(["O244"]);
    expect(refsIn("pathological fracture NOS (M84.4.-)")).toEqual(["M844"]);
    expect(refsIn("code to identify site of ulcer (L97.1-L97.9, L98.41-L98.49)")).toEqual(["L971-L979", "L9841-L9849"]);
    expect(refsIn("spinal cord injury (S14, S24, S34)")).toEqual(["S14", "S24", "S34"]);
    expect(refsIn("external cause code (W88-W90, X39.0-) to identify cause")).toEqual(["W88-W90", "X390"]);
    expect(refsIn("certain localized infections - see body system-related chapters")).toEqual([]);
  });

  it("says which codes a scope or reference covers: the code and those beneath it, or a range's", () => {
    expect(covers("E11", "E1165")).toBe(true);
    expect(covers("E11", "E1010")).toBe(false);
    expect(covers("G60-G65", "G63")).toBe(true);
    expect(covers("G60-G65", "G700")).toBe(false);
    expect(covers("N181-N186", "N1830")).toBe(true);
    expect(covers("N181-N186", "N189")).toBe(false);
  });

  it("refuses XML that does not parse, naming the file and line, and writes nothing of it", async () => {
    const truncated = readFileSync(FIXTURE, "utf8").slice(0, 3000);
    await expect(readTabular(write("icd10cm_tabular_2026.xml", `${truncated}<<`))).rejects.toThrow(
      /^icd10cm_tabular_2026\.xml, line \d+: not well-formed XML/,
    );
  });

  it("refuses another XML file and a tabular list that states no year", async () => {
    await expect(
      readTabular(write("icd10cm_index_2026.xml", "<ICD10CM.index><version>2026</version></ICD10CM.index>")),
    ).rejects.toThrow(/icd10cm_index_2026\.xml, line 1: has root element <ICD10CM\.index>, not <ICD10CM\.tabular>/);
    const body = readFileSync(FIXTURE, "utf8").replace("<version>2026</version>", "");
    await expect(readTabular(write("tabular.xml", body))).rejects.toThrow(/tabular\.xml: states no fiscal year/);
    await expect(readTabular(write("icd10cm_tabular_2027.xml", readFileSync(FIXTURE, "utf8")))).rejects.toThrow(
      /is named for 2027 but its <version> is 2026/,
    );
  });

  describe("the coding edits the notes make", () => {
    const dx = (...codes: (string | [string, string[]])[]): DiagnosisEntry[] =>
      codes.map((c) =>
        typeof c === "string"
          ? { code: c, presentOnAdmission: null }
          : { code: c[0], presentOnAdmission: null, unrelatedTo: c[1] },
      );
    const edits = (diagnoses: DiagnosisEntry[]) =>
      tabularNoteEdits(diagnoses, tabular.notes).map((e) => [e.code, e.severity, e.field.join(".")]);

    it("bars an Excludes1 pair once, on the later code, unless the coder names it unrelated", () => {
      expect(edits(dx("E119", "Z794", "E1010"))).toEqual([["EXCLUDES1_CONFLICT", "ERROR", "diagnoses.2.code"]]);
      expect(edits(dx("G629", ["M5410", ["G629"]]))).toEqual([["EXCLUDES1_UNRELATED", "WARNING", "diagnoses.1.code"]]);
      expect(edits(dx("E119", "E11A", "Z794"))).toEqual([["EXCLUDES1_CONFLICT", "ERROR", "diagnoses.1.code"]]);
    });

    it("asks for the underlying condition before a manifestation", () => {
      expect(edits(dx("E851", "G63"))).toEqual([]);
      expect(edits(dx("G63", "E851"))).toEqual([["CODE_FIRST", "WARNING", "diagnoses.0.code"]]);
      expect(edits(dx("I10", "G63"))).toEqual([["CODE_FIRST", "WARNING", "diagnoses.1.code"]]);
      // "Code first condition resulting from (sequela)": only checkable when nothing precedes it.
      expect(edits(dx("G650"))).toEqual([["CODE_FIRST", "WARNING", "diagnoses.0.code"]]);
      expect(edits(dx("I10", "G650"))).toEqual([]);
    });

    it("asks once for the additional code an etiology's note names", () => {
      const [only] = tabularNoteEdits(dx("E119", "E1165"), tabular.notes);
      expect(only).toMatchObject({
        code: "USE_ADDITIONAL_CODE",
        severity: "WARNING",
        field: ["diagnoses", "0", "code"],
      });
      expect(only!.message).toContain(
        "code to identify control using: injectable non-insulin antidiabetic drugs (Z79.85)",
      );
      expect(edits(dx("E119", "Z794"))).toEqual([]);
      expect(edits(dx("E1122", "Z7984"))).toEqual([["USE_ADDITIONAL_CODE", "WARNING", "diagnoses.0.code"]]);
      expect(edits(dx("E1122", "N1830", "Z7984"))).toEqual([]);
      // "Code to identify complication" names no code: nothing to check.
      expect(edits(dx("E1169", "Z794"))).toEqual([]);
    });
  });
});
