import { describe, expect, it } from "vitest";
import { diffCodes, type ReviewedDiagnosis, type ReviewedProcedure } from "../../src/modules/review/review.diff.js";

const dx = (code: string, presentOnAdmission: string | null = null): ReviewedDiagnosis => ({
  code,
  presentOnAdmission,
});
const line = (code: string, overrides: Partial<ReviewedProcedure> = {}): ReviewedProcedure => ({
  system: "CPT",
  code,
  modifiers: [],
  units: 1,
  charge: "125.00",
  serviceDate: null,
  diagnosisPointers: [1],
  ...overrides,
});
const codes = (diagnoses: ReviewedDiagnosis[], procedures: ReviewedProcedure[] = []) => ({ diagnoses, procedures });
/** Findings as "KIND before→after" for short assertions. */
const summary = (diff: ReturnType<typeof diffCodes>) =>
  diff.findings.map(
    (f) => `${f.kind} ${f.codeKind === "DIAGNOSIS" ? "dx" : "px"} ${f.before?.code ?? "-"}→${f.after?.code ?? "-"}`,
  );

describe("diagnosis findings", () => {
  it("accepting the codes as coded finds nothing, and every code counts as unchanged", () => {
    const coded = codes([dx("E119"), dx("I10")], [line("99213")]);
    expect(diffCodes(coded, coded)).toEqual({ findings: [], codesReviewed: 3, codesUnchanged: 3 });
  });

  it("a more specific code of the same category is one CHANGED, not a removal and an addition", () => {
    const diff = diffCodes(codes([dx("E119"), dx("I10")]), codes([dx("E1165"), dx("I10")]));
    expect(summary(diff)).toEqual(["CHANGED dx E119→E1165"]);
    expect(diff.findings[0]).toMatchObject({ before: { code: "E119" }, after: { code: "E1165" } });
    expect(diff).toMatchObject({ codesReviewed: 2, codesUnchanged: 1 });
  });

  it("pairs a category change even when the code moved, and by position when no category matches", () => {
    expect(
      summary(diffCodes(codes([dx("E119"), dx("I10"), dx("J449")]), codes([dx("I10"), dx("E1122"), dx("N179")]))),
    ).toEqual(["CHANGED dx E119→E1122", "CHANGED dx J449→N179"]);
  });

  it("moving hypertension before diabetes resequences the moved code only", () => {
    const diff = diffCodes(codes([dx("E119"), dx("I10"), dx("Z794")]), codes([dx("I10"), dx("E119"), dx("Z794")]));
    expect(summary(diff)).toEqual(["RESEQUENCED dx I10→I10"]);
    expect(diff).toMatchObject({ codesReviewed: 3, codesUnchanged: 2 });
  });

  it("moving the principal diagnosis down to last resequences that code alone", () => {
    const diff = diffCodes(
      codes([dx("J189"), dx("E119"), dx("I10"), dx("N179")]),
      codes([dx("E119"), dx("I10"), dx("N179"), dx("J189")]),
    );
    expect(summary(diff)).toEqual(["RESEQUENCED dx J189→J189"]);
  });

  it("removing a code in the middle does not resequence the codes after it", () => {
    const diff = diffCodes(
      codes([dx("E119"), dx("R739"), dx("I10"), dx("E785")]),
      codes([dx("E119"), dx("I10"), dx("E785")]),
    );
    expect(summary(diff)).toEqual(["REMOVED dx R739→-"]);
    expect(diff).toMatchObject({ codesReviewed: 4, codesUnchanged: 3 });
  });

  it("an added code is ADDED and counts against accuracy as a missed code", () => {
    const diff = diffCodes(codes([dx("E119"), dx("I10")]), codes([dx("E119"), dx("I10"), dx("Z794")]));
    expect(summary(diff)).toEqual(["ADDED dx -→Z794"]);
    expect(diff).toMatchObject({ codesReviewed: 3, codesUnchanged: 2 });
  });

  it("a changed present-on-admission indicator is CHANGED", () => {
    const diff = diffCodes(codes([dx("J189", "Y"), dx("N179", "Y")]), codes([dx("J189", "Y"), dx("N179", "N")]));
    expect(summary(diff)).toEqual(["CHANGED dx N179→N179"]);
    expect(diff.findings[0]).toMatchObject({ before: { presentOnAdmission: "Y" }, after: { presentOnAdmission: "N" } });
  });

  it("the correction of the story: E11.9 → E11.65, Z79.4 added, I10 kept", () => {
    const diff = diffCodes(
      codes([dx("E119"), dx("I10")], [line("99213")]),
      codes([dx("E1165"), dx("I10"), dx("Z794")], [line("99213")]),
    );
    expect(summary(diff)).toEqual(["CHANGED dx E119→E1165", "ADDED dx -→Z794"]);
    // 3 coded + 1 missed = 4 reviewed; I10 and 99213 unchanged.
    expect(diff).toMatchObject({ codesReviewed: 4, codesUnchanged: 2 });
  });
});

describe("procedure findings", () => {
  it("a higher level of the same E/M family is one CHANGED", () => {
    const diff = diffCodes(
      codes([dx("I10")], [line("99213", { charge: "110.00" })]),
      codes([dx("I10")], [line("99214", { charge: "165.00" })]),
    );
    expect(summary(diff)).toEqual(["CHANGED px 99213→99214"]);
    expect(diff).toMatchObject({ codesReviewed: 2, codesUnchanged: 1 });
  });

  it("a 59 modifier added to a line is CHANGED", () => {
    const before = codes([dx("M170")], [line("20610"), line("76942")]);
    const after = codes([dx("M170")], [line("20610"), line("76942", { modifiers: ["59"] })]);
    const diff = diffCodes(before, after);
    expect(summary(diff)).toEqual(["CHANGED px 76942→76942"]);
    expect(diff.findings[0]).toMatchObject({ before: { modifiers: [] }, after: { modifiers: ["59"] } });
  });

  it("units, charge, date and pointers are each a change; the same charge written differently is not", () => {
    const base = line("J1885", { system: "HCPCS", units: 2, charge: "20.00", diagnosisPointers: [1, 2] });
    const findingsAfter = (overrides: Partial<ReviewedProcedure>) =>
      diffCodes(codes([dx("M545")], [base]), codes([dx("M545")], [{ ...base, ...overrides }])).findings.length;
    expect(findingsAfter({ units: 4 })).toBe(1);
    expect(findingsAfter({ charge: "40.00" })).toBe(1);
    expect(findingsAfter({ charge: "20" })).toBe(0);
    expect(findingsAfter({ serviceDate: "2026-11-02" })).toBe(1);
    expect(findingsAfter({ diagnosisPointers: [2, 1] })).toBe(1);
  });

  it("the order of lines means nothing", () => {
    const lines = [line("99214"), line("93000"), line("36415", { charge: "12.00" })];
    expect(diffCodes(codes([dx("I10")], lines), codes([dx("I10")], [...lines].reverse())).findings).toEqual([]);
  });

  it("a line of another code family is REMOVED, a new one ADDED, and two lines of one code do not cross", () => {
    const before = codes(
      [dx("I10")],
      [line("93000"), line("36415", { serviceDate: "2026-11-01" }), line("36415", { serviceDate: "2026-11-02" })],
    );
    const after = codes(
      [dx("I10")],
      [
        line("36415", { serviceDate: "2026-11-02" }),
        line("36415", { serviceDate: "2026-11-01" }),
        line("G0439", { system: "HCPCS" }),
      ],
    );
    const diff = diffCodes(before, after);
    // 93000 sat first and G0439 lands third: neither family nor position pairs them.
    expect(summary(diff)).toEqual(["REMOVED px 93000→-", "ADDED px -→G0439"]);
    expect(diff).toMatchObject({ codesReviewed: 5, codesUnchanged: 3 });
  });
});
