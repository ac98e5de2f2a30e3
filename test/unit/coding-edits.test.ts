import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type CodeEdit,
  type CodingFacts,
  codingEdits,
  type EncounterCodes,
  type ProcedureEntry,
} from "../../src/modules/edits/index.js";
import { cloneTemplate, type TestDatabase } from "../helpers/template.js";

const DOS = "2024-08-15";
const man = { sex: "M", birthDate: "1958-02-10" } as const;
const woman = { sex: "F", birthDate: "1980-05-01" } as const;
const professional: CodingFacts = {
  encounterType: "PROFESSIONAL",
  serviceDate: DOS,
  dischargeDate: null,
  patient: man,
};
/** An inpatient stay admitted before the FY2024 code sets took effect and discharged after. */
const inpatient: CodingFacts = {
  encounterType: "INPATIENT",
  serviceDate: "2023-09-28",
  dischargeDate: "2023-10-03",
  patient: man,
};

/** Thirteen billable FY2024 ICD-10-CM codes without Code Editor limits for an adult man. */
const THIRTEEN = [
  "E119",
  "I10",
  "E785",
  "J449",
  "K219",
  "N390",
  "R079",
  "M5450",
  "F329",
  "J069",
  "Z0000",
  "R739",
  "G4733",
];

const dx = (...codes: string[]) => codes.map((code) => ({ code, presentOnAdmission: null }));
const line = (code: string, extra: Partial<ProcedureEntry> = {}): ProcedureEntry => ({
  system: /^[0-9]/.test(code) ? "CPT" : "HCPCS",
  code,
  modifiers: [],
  units: 1,
  charge: "100.00",
  serviceDate: null,
  diagnosisPointers: [1],
  ...extra,
});
const pcs = (code: string): ProcedureEntry => line(code, { system: "ICD10PCS", diagnosisPointers: [] });

/** Edits as [code, severity, field] triples: what each assertion is about. */
const brief = (edits: CodeEdit[]) => edits.map((e) => [e.code, e.severity, e.field.join(".")]);

/** The coding edits of the encounter, checked against the real code sets the template loaded. */
describe("coding edits", () => {
  let database: TestDatabase;
  const statements: string[] = [];
  const edits = (codes: Partial<EncounterCodes>, facts: Partial<CodingFacts> = {}) =>
    codingEdits(database.db, { ...professional, ...facts }, { diagnoses: [], procedures: [], ...codes });
  const of = async (code: string, codes: Partial<EncounterCodes>, facts: Partial<CodingFacts> = {}) =>
    (await edits(codes, facts)).filter((e) => e.code === code);

  beforeAll(async () => {
    database = await cloneTemplate(inject("database"), { onQuery: (statement) => statements.push(statement) });
  });
  afterAll(() => database.close());

  it("checks every code: in force, billable, a real code, within the Code Editor's limits", async () => {
    const header = await edits({ diagnoses: dx("E11"), procedures: [line("99213")] });
    expect(brief(header)).toEqual([["NOT_BILLABLE", "ERROR", "diagnoses.0.code"]]);
    expect(header[0]!.message).toMatch(
      /^E11 is a category header; choose one of the 86 billable codes beneath it\. For example E11\.9, /,
    );
    expect(header[0]!.suggestions![0]).toBe("E11.9");
    expect(await edits({ diagnoses: dx("E119"), procedures: [line("99213")] })).toEqual([]);

    const typo = await edits({ diagnoses: dx("E191") });
    expect(brief(typo)).toEqual([["UNKNOWN_CODE", "ERROR", "diagnoses.0.code"]]);
    expect(typo[0]!.message).toMatch(/^E19\.1 is not a ICD10CM code\. Did you mean E11\.9/);
    expect(typo[0]!.suggestions).toContain("E11.9");
    expect(brief(await edits({ diagnoses: dx("E11-9") }))).toEqual([["MALFORMED_CODE", "ERROR", "diagnoses.0.code"]]);
    expect(brief(await edits({ diagnoses: dx("I10"), procedures: [line("J1199")] }))).toEqual([
      ["UNKNOWN_CODE", "ERROR", "procedures.0.code"],
    ]);

    expect(brief(await edits({ diagnoses: dx("C61") }, { patient: woman }))).toEqual([
      ["SEX_CONFLICT", "ERROR", "diagnoses.0.code"],
    ]);
    expect(await edits({ diagnoses: dx("C61") })).toEqual([]);
    expect((await edits({ diagnoses: dx("O80") })).map((e) => e.code)).toEqual(["SEX_CONFLICT", "AGE_CONFLICT"]);
    expect(brief(await edits({ diagnoses: dx("G63", "E119") }))).toEqual([
      ["MANIFESTATION_AS_PRINCIPAL", "ERROR", "diagnoses.0.code"],
    ]);
    expect(await edits({ diagnoses: dx("E119", "G63") })).toEqual([]);
  });

  it("checks a code on its date: the line's, the encounter's, or for an inpatient stay the discharge", async () => {
    // FY2024 ICD-10-CM starts 2023-10-01; the HCPCS A9506 was added on 2024-07-01.
    const early = await edits({ diagnoses: dx("S72001A") }, { serviceDate: "2023-09-30" });
    expect(brief(early)).toEqual([["NOT_IN_FORCE", "ERROR", "diagnoses.0.code"]]);
    expect(early[0]!.message).toBe("S72.001A is not in force on 2023-09-30 (in force 2023-10-01 to now).");
    const stay = { diagnoses: [{ code: "S72001A", presentOnAdmission: "Y" as const }], procedures: [pcs("0SRC0J9")] };
    expect(await edits(stay, inpatient)).toEqual([]);
    expect(brief(await edits(stay, { ...inpatient, dischargeDate: "2023-09-30" }))).toEqual([
      ["NOT_IN_FORCE", "ERROR", "diagnoses.0.code"],
      ["NOT_IN_FORCE", "ERROR", "procedures.0.code"],
    ]);

    expect(
      brief(await edits({ diagnoses: dx("E119"), procedures: [line("A9506", { serviceDate: "2024-06-30" })] })),
    ).toEqual([["NOT_IN_FORCE", "ERROR", "procedures.0.code"]]);
    expect(await edits({ diagnoses: dx("E119"), procedures: [line("A9506")] })).toEqual([]);
  });

  it("refuses a procedure in the wrong code system for the encounter", async () => {
    const wrong = await edits({
      diagnoses: dx("E119"),
      procedures: [line("I10", { system: "ICD10CM" }), pcs("0DTJ4ZZ")],
    });
    expect(brief(wrong)).toEqual([
      ["WRONG_CODE_SYSTEM", "ERROR", "procedures.0.system"],
      ["WRONG_CODE_SYSTEM", "ERROR", "procedures.1.system"],
    ]);
    expect(wrong[0]!.message).toBe("I10 is a diagnosis code: list it under diagnoses, not as a procedure.");
    const stay = { diagnoses: [{ code: "K3580", presentOnAdmission: "Y" as const }] };
    const appendectomy = { ...inpatient, serviceDate: "2024-08-12", dischargeDate: DOS };
    expect(brief(await edits({ ...stay, procedures: [line("44970")] }, appendectomy))).toEqual([
      ["WRONG_CODE_SYSTEM", "ERROR", "procedures.0.system"],
    ]);
    expect(await edits({ ...stay, procedures: [pcs("0DTJ4ZZ")] }, appendectomy)).toEqual([]);
  });

  it("checks the diagnosis list: present, at most 12 on a professional claim, no repeat, POA inpatient", async () => {
    expect(brief(await edits({ procedures: [line("99213")] }))).toEqual([
      ["NO_DIAGNOSIS", "ERROR", "diagnoses"],
      ["POINTER_INVALID", "ERROR", "procedures.0.diagnosisPointers.0"],
    ]);
    expect(brief(await edits({}))).toEqual([["NO_DIAGNOSIS", "ERROR", "diagnoses"]]);

    expect(brief(await edits({ diagnoses: dx(...THIRTEEN) }))).toEqual([
      ["TOO_MANY_DIAGNOSES", "ERROR", "diagnoses.12.code"],
    ]);
    expect(await edits({ diagnoses: dx(...THIRTEEN.slice(0, 12)) })).toEqual([]);
    expect(await edits({ diagnoses: dx(...THIRTEEN) }, { encounterType: "OUTPATIENT" })).toEqual([]);

    const repeated = await edits({ diagnoses: dx("E119", "I10", "E119") });
    expect(brief(repeated)).toEqual([["DUPLICATE_DIAGNOSIS", "ERROR", "diagnoses.2.code"]]);
    expect(repeated[0]!.message).toBe("E11.9 is already diagnosis 1; remove the repeat.");

    const withPoa = [
      { code: "E119", presentOnAdmission: "Y" as const },
      { code: "I10", presentOnAdmission: null },
    ];
    expect(brief(await edits({ diagnoses: withPoa }, inpatient))).toEqual([
      ["POA_MISSING", "ERROR", "diagnoses.1.presentOnAdmission"],
    ]);
    expect(brief(await edits({ diagnoses: withPoa }))).toEqual([
      ["POA_NOT_APPLICABLE", "WARNING", "diagnoses.0.presentOnAdmission"],
    ]);
  });

  it("checks each line's pointers and modifiers, and lines that repeat", async () => {
    const three = dx("E119", "I10", "E785");
    const lineEdits = (...procedures: ProcedureEntry[]) => edits({ diagnoses: three, procedures }).then(brief);
    expect(await lineEdits(line("99213", { diagnosisPointers: [] }))).toEqual([
      ["POINTER_MISSING", "ERROR", "procedures.0.diagnosisPointers"],
    ]);
    expect(await lineEdits(line("99213", { diagnosisPointers: [1, 2, 3] }))).toEqual([]);
    expect(await lineEdits(line("99213", { diagnosisPointers: [1, 2, 3, 1, 2] }))).toEqual([
      ["POINTER_DUPLICATE", "ERROR", "procedures.0.diagnosisPointers.3"],
      ["TOO_MANY_POINTERS", "ERROR", "procedures.0.diagnosisPointers.4"],
      ["POINTER_DUPLICATE", "ERROR", "procedures.0.diagnosisPointers.4"],
    ]);
    const invalid = await edits({ diagnoses: three, procedures: [line("99213", { diagnosisPointers: [0, 13, 5] })] });
    expect(brief(invalid)).toEqual(
      [0, 1, 2].map((k) => ["POINTER_INVALID", "ERROR", `procedures.0.diagnosisPointers.${k}`]),
    );
    expect(invalid[2]!.message).toBe("Line 1 points to diagnosis 5 but there are 3.");

    expect(await lineEdits(line("J1100", { modifiers: ["JZ", "ZZ"] }))).toEqual([
      ["MODIFIER_UNKNOWN", "ERROR", "procedures.0.modifiers.1"],
    ]);
    expect(await lineEdits(line("J1100", { modifiers: ["JZ"] }))).toEqual([]);
    expect(await lineEdits(line("99213", { modifiers: ["25", "GT", "95", "KX", "Q5"] }))).toEqual([
      ["TOO_MANY_MODIFIERS", "ERROR", "procedures.0.modifiers.4"],
    ]);

    const repeated = await edits({
      diagnoses: three,
      procedures: [line("J1100", { modifiers: ["JZ", "KX"] }), line("J1100", { modifiers: ["KX", "JZ"] })],
    });
    expect(brief(repeated)).toEqual([["DUPLICATE_LINE", "ERROR", "procedures.1.code"]]);
    expect(repeated[0]!.message).toBe(
      "Line 2 repeats line 1 (J1100 on 2024-08-15, same modifiers): combine the units on one line.",
    );
    expect(await lineEdits(line("J1100", { modifiers: ["JZ"] }), line("J1100", { modifiers: ["JW"] }))).toEqual([]);
    expect(await lineEdits(line("J1100"), line("J1100", { serviceDate: "2024-08-16" }))).toEqual([]);
  });

  it("applies NCCI procedure-to-procedure edits on one date of service, bypass modifiers for indicator 1", async () => {
    const knee = dx("M170");
    // 20610 (arthrocentesis, major joint) bundles 99213 (office visit): indicator 1.
    const bundled = await edits({ diagnoses: knee, procedures: [line("20610"), line("99213")] });
    expect(brief(bundled)).toEqual([["NCCI_PTP_CONFLICT", "ERROR", "procedures.1.code"]]);
    expect(bundled[0]!.message).toBe(
      "99213 is bundled into 20610 on the same date of service (NCCI: CPT Manual or CMS manual coding " +
        "instruction). Add 25 to 99213 if it was a significant, separately identifiable visit.",
    );
    expect(await edits({ diagnoses: knee, procedures: [line("20610"), line("99213", { modifiers: ["25"] })] })).toEqual(
      [],
    );
    // 25 bypasses only on an E/M code.
    expect(
      (
        await of("NCCI_PTP_CONFLICT", {
          diagnoses: knee,
          procedures: [line("20610", { modifiers: ["25"] }), line("99213")],
        })
      ).length,
    ).toBe(1);
    expect(
      await edits({ diagnoses: knee, procedures: [line("20610"), line("99213", { serviceDate: "2024-08-16" })] }),
    ).toEqual([]);

    const wound = dx("L97812");
    const debridement = await edits({ diagnoses: wound, procedures: [line("11042"), line("97597")] });
    expect(brief(debridement)).toEqual([["NCCI_PTP_CONFLICT", "ERROR", "procedures.1.code"]]);
    expect(debridement[0]!.message).toContain(
      "Add 59 or an X{EPSU} modifier to 97597 if it was a separate site or session",
    );
    expect(
      await edits({ diagnoses: wound, procedures: [line("11042"), line("97597", { modifiers: ["XS"] })] }),
    ).toEqual([]);

    // 96372 (injection) and 99211 (nurse visit): indicator 0 for practitioners, no modifier helps;
    // indicator 1 for outpatient hospitals.
    const injection = { diagnoses: dx("E119"), procedures: [line("96372"), line("99211", { modifiers: ["25"] })] };
    const never = await edits(injection);
    expect(brief(never)).toEqual([["NCCI_PTP_CONFLICT", "ERROR", "procedures.1.code"]]);
    expect(never[0]!.message).toBe(
      "99211 is never reported with 96372 on the same date of service, whatever the modifiers (NCCI: " +
        "Misuse of Column Two code with Column One code); report only one of them.",
    );
    expect(await edits(injection, { encounterType: "OUTPATIENT" })).toEqual([]);
    expect(
      brief(await edits({ ...injection, procedures: [line("96372"), line("99211")] }, { encounterType: "EMERGENCY" })),
    ).toEqual([["NCCI_PTP_CONFLICT", "ERROR", "procedures.1.code"]]);
  });

  it("reads the NCCI pair row in force on each line's date when CMS changed the pair's indicator", async () => {
    // 0202U with 87899: indicator 0 through 2024-06-30 (the last day of the deleted row), 1 from 2024-07-01.
    const respiratory = (serviceDate: string) =>
      edits(
        { diagnoses: dx("J069"), procedures: [line("0202U"), line("87899", { modifiers: ["59"] })] },
        { serviceDate },
      );
    const neverTogether = await respiratory("2024-06-30");
    expect(brief(neverTogether)).toEqual([["NCCI_PTP_CONFLICT", "ERROR", "procedures.1.code"]]);
    expect(neverTogether[0]!.message).toBe(
      "87899 is never reported with 0202U on the same date of service, whatever the modifiers (NCCI: " +
        "Mutually exclusive procedures); report only one of them.",
    );
    expect(await respiratory("2024-07-01")).toEqual([]);

    // 58573 with 58570: indicator 1 through 2024-03-31, 0 from 2024-04-01.
    const hysterectomy = (serviceDate: string) =>
      edits(
        { diagnoses: dx("N8000"), procedures: [line("58573"), line("58570", { modifiers: ["59"] })] },
        { serviceDate, patient: woman },
      );
    expect(await hysterectomy("2024-03-31")).toEqual([]);
    expect(brief(await hysterectomy("2024-04-01"))).toEqual([["NCCI_PTP_CONFLICT", "ERROR", "procedures.1.code"]]);
  });

  it("applies MUEs per line (indicator 1) and per day (2: policy, an error; 3: clinical, a warning)", async () => {
    const diagnoses = dx("E119");
    const mileage = await edits({ diagnoses, procedures: [line("A0425", { units: 300 })] });
    expect(brief(mileage)).toEqual([["MUE_EXCEEDED", "ERROR", "procedures.0.units"]]);
    expect(mileage[0]!.message).toBe(
      "A0425 allows at most 250 units on one line (MUE, Clinical: Data); this line has 300.",
    );
    expect(
      await edits({
        diagnoses,
        procedures: [line("A0425", { units: 250 }), line("A0425", { units: 250, modifiers: ["QN"] })],
      }),
    ).toEqual([]);

    const wellness = await edits({ diagnoses: dx("Z0000"), procedures: [line("G0439", { units: 2 })] });
    expect(brief(wellness)).toEqual([["MUE_EXCEEDED", "ERROR", "procedures.0.units"]]);
    expect(wellness[0]!.message).toMatch(/^G0439 is reported 2 units on 2024-08-15; CMS allows at most 1 a day /);
    expect(wellness[0]!.message).toContain("(MUE, Code Descriptor / CPT Instruction)");

    const injections = [line("96372", { units: 3 }), line("96372", { units: 2, modifiers: ["59"] })];
    const clinical = await edits({ diagnoses, procedures: injections });
    expect(brief(clinical)).toEqual([["MUE_EXCEEDED", "WARNING", "procedures.1.units"]]);
    expect(clinical[0]!.message).toContain(
      "96372 is reported 5 units on 2024-08-15; CMS pays at most 4 a day without review (MUE, Clinical: Data)",
    );
    expect(
      await edits({ diagnoses, procedures: [injections[0]!, line("96372", { units: 1, modifiers: ["59"] })] }),
    ).toEqual([]);
    expect(
      await edits({
        diagnoses,
        procedures: [injections[0]!, line("96372", { units: 2, modifiers: ["59"], serviceDate: "2024-08-16" })],
      }),
    ).toEqual([]);
    expect(brief(await edits({ diagnoses, procedures: [line("J1100", { units: 130 })] }))).toEqual([
      ["MUE_EXCEEDED", "WARNING", "procedures.0.units"],
    ]);
  });

  it("refuses an add-on code with no primary code that date: type 1 an error, 3 a warning, 2 the payer's", async () => {
    const addOnEdits = (procedures: ProcedureEntry[]) =>
      of("ADD_ON_WITHOUT_PRIMARY", { diagnoses: dx("C3490"), procedures });
    // 96570 (photodynamic therapy, each additional 30 minutes) is paid only with 31641, 43229 or 43270.
    const alone = await addOnEdits([line("96570")]);
    expect(brief(alone)).toEqual([["ADD_ON_WITHOUT_PRIMARY", "ERROR", "procedures.0.code"]]);
    expect(alone[0]!.message).toBe(
      "96570 is an add-on code and no line on 2024-08-15 has one of its " +
        "primary codes (31641, 43229, 43270): CMS pays it only with one of them " +
        "(add-on type 1). Add the primary procedure or remove the add-on.",
    );
    expect(await addOnEdits([line("31641"), line("96570")])).toEqual([]);
    expect(brief(await addOnEdits([line("31641", { serviceDate: "2024-08-14" }), line("96570")]))).toEqual([
      ["ADD_ON_WITHOUT_PRIMARY", "ERROR", "procedures.1.code"],
    ]);
    expect(brief(await addOnEdits([line("22585")]))).toEqual([
      ["ADD_ON_WITHOUT_PRIMARY", "ERROR", "procedures.0.code"],
    ]);
    expect(await addOnEdits([line("22554"), line("22585")])).toEqual([]);
    expect(brief(await addOnEdits([line("96374"), line("96370")]))).toEqual([
      ["ADD_ON_WITHOUT_PRIMARY", "ERROR", "procedures.1.code"],
    ]);
    expect(await addOnEdits([line("96369"), line("96370")])).toEqual([]);

    // 99292 (critical care, each additional 30 minutes) alone is CMS's one exception: another practitioner
    // of the group may have reported 99291.
    expect(brief(await addOnEdits([line("99292")]))).toEqual([
      ["ADD_ON_WITHOUT_PRIMARY", "WARNING", "procedures.0.code"],
    ]);
    // 20701 (type 3): CMS lists some primaries, the payer may accept others.
    const partly = await addOnEdits([line("20701")]);
    expect(brief(partly)).toEqual([["ADD_ON_WITHOUT_PRIMARY", "WARNING", "procedures.0.code"]]);
    expect(partly[0]!.message).toMatch(
      /^20701 is an add-on code and no line on 2024-08-15 has one of its primary codes /,
    );
    expect(partly[0]!.message).toMatch(/\(11010, 11011, 11012 or one of \d+ more\); CMS lists only some/);
    expect(await addOnEdits([line("11010"), line("20701")])).toEqual([]);
    // 0054T (type 2): CMS lists no primary codes.
    expect(await addOnEdits([line("0054T")])).toEqual([]);
  });

  it("knows a CPT number on the dates the NCCI tables name it", async () => {
    // 99213 is named by PTP rows in force since before the first date the shipped tables cover (2023-10-01).
    expect(await edits({ diagnoses: dx("E119"), procedures: [line("99213")] }, { serviceDate: "2023-11-15" })).toEqual(
      [],
    );
    const vaccine = (serviceDate: string) =>
      edits({ diagnoses: dx("Z23"), procedures: [line("0001A")] }, { serviceDate });
    // 0001A (a COVID-19 vaccine administration) is named only by PTP rows deleted on 2023-12-31.
    expect(await vaccine("2023-12-31")).toEqual([]);
    const retired = await vaccine("2024-01-01");
    expect(brief(retired)).toEqual([["NOT_IN_FORCE", "ERROR", "procedures.0.code"]]);
    expect(retired[0]!.message).toBe("0001A is not in force on 2024-01-01 (in force 2023-10-01 to 2023-12-31).");
    // 99201 is named only by PTP rows deleted on 2020-12-31, before any date Chartroom codes.
    expect(brief(await edits({ diagnoses: dx("E119"), procedures: [line("99201")] }))).toEqual([
      ["UNKNOWN_CODE", "ERROR", "procedures.0.code"],
    ]);
  });

  it("lists errors first, then in field order", async () => {
    const mixed = await edits({
      diagnoses: [
        { code: "E11", presentOnAdmission: "Y" },
        { code: "E11", presentOnAdmission: null },
      ],
      procedures: [line("J1100", { units: 130, modifiers: ["ZZ"], diagnosisPointers: [3] })],
    });
    expect(brief(mixed)).toEqual([
      ["NOT_BILLABLE", "ERROR", "diagnoses.0.code"],
      ["NOT_BILLABLE", "ERROR", "diagnoses.1.code"],
      ["DUPLICATE_DIAGNOSIS", "ERROR", "diagnoses.1.code"],
      ["MODIFIER_UNKNOWN", "ERROR", "procedures.0.modifiers.0"],
      ["POINTER_INVALID", "ERROR", "procedures.0.diagnosisPointers.0"],
      ["POA_NOT_APPLICABLE", "WARNING", "diagnoses.0.presentOnAdmission"],
      ["MUE_EXCEEDED", "WARNING", "procedures.0.units"],
    ]);
  });

  it("costs a bounded number of statements however many codes, when the codes are valid", async () => {
    const procedures = [
      line("99214", { modifiers: ["25"], diagnosisPointers: [1, 2, 3, 4] }),
      line("20610", { modifiers: ["RT"], diagnosisPointers: [11] }),
      line("J3301", { units: 40, diagnosisPointers: [11] }),
      line("36415"),
      line("85025", { diagnosisPointers: [1] }),
      line("80053", { diagnosisPointers: [1, 3] }),
      line("93000", { diagnosisPointers: [7] }),
      line("71046", { diagnosisPointers: [4] }),
      line("81002", { diagnosisPointers: [6], serviceDate: "2024-08-16" }),
      line("J1100", { units: 10, diagnosisPointers: [11] }),
    ];
    statements.length = 0;
    const result = await edits({ diagnoses: dx(...THIRTEEN.slice(0, 12)), procedures });
    expect(brief(result)).toEqual([["MUE_EXCEEDED", "WARNING", "procedures.2.units"]]);
    // ICD-10-CM, CPT on two dates, HCPCS, Code Editor limits, modifiers, PTP pairs, MUE limits, add-on codes,
    // the tabular list's notes, and the newest Code Editor, tabular and NCCI releases (older than the dates?).
    expect(statements.length).toBeLessThanOrEqual(11);
  });

  it("runs Code Editor and NCCI edits on the newest tables loaded, saying so if they predate the service", async () => {
    const codes = { diagnoses: dx("E119"), procedures: [line("99213"), line("J1100", { units: 200 })] };
    expect(await of("TABLE_OLDER_THAN_SERVICE_DATE", codes)).toEqual([]);
    const later = await edits(codes, { serviceDate: "2026-10-15" });
    expect(brief(later)).toEqual([
      ["TABLE_OLDER_THAN_SERVICE_DATE", "WARNING", "diagnoses"],
      ["TABLE_OLDER_THAN_SERVICE_DATE", "WARNING", "procedures"],
      ["TABLE_OLDER_THAN_SERVICE_DATE", "WARNING", "procedures"],
      ["MUE_EXCEEDED", "WARNING", "procedures.1.units"],
    ]);
    expect(later[0]!.message).toBe(
      "Checked against the Medicare Code Editor v41.1 FY2024 (from 2023-10-01), the newest loaded, which " +
        "predates the date of service 2026-10-15: a payer may apply a newer release.",
    );
    expect(later[1]!.message).toMatch(/^Checked against the NCCI PTP edits 2024Q3 \(from 2024-07-01\)/);
    expect(later[2]!.message).toMatch(/^Checked against the NCCI MUE table 2024Q3 \(from 2024-07-01\)/);
    // An inpatient stay has no NCCI edits: only the Code Editor is read.
    const stay = { diagnoses: [{ code: "E119", presentOnAdmission: "Y" as const }], procedures: [] };
    expect(
      brief(
        await of("TABLE_OLDER_THAN_SERVICE_DATE", stay, {
          ...inpatient,
          serviceDate: "2026-10-10",
          dischargeDate: "2026-10-15",
        }),
      ),
    ).toEqual([["TABLE_OLDER_THAN_SERVICE_DATE", "WARNING", "diagnoses"]]);
  });
});
