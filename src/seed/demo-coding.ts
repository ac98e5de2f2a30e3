/**
 * How the demo's coder codes the notes the demo writes: read the note's assessment, as a coder
 * does, and choose the ICD-10-CM diagnoses and the CPT lines for it. Only the office visits whose
 * assessment names one coding are read; other notes are left for the people trying the demo.
 */

/** A diagnosis or a procedure line as `setEncounterCodes` takes them. */
export interface DemoCodes {
  diagnoses: { code: string }[];
  procedures: {
    system: "CPT" | "HCPCS";
    code: string;
    units: number;
    charge: string;
    diagnosisPointers: number[];
  }[];
}

/** The demo practice's fees (synthetic; a practice sets its own chargemaster). */
const FEES: Readonly<Record<string, string>> = {
  "99213": "110.00",
  "99214": "165.00",
  "81002": "12.00",
};

const line = (code: string, diagnosisPointers: number[]): DemoCodes["procedures"][number] => ({
  system: "CPT",
  code,
  units: 1,
  charge: FEES[code]!,
  diagnosisPointers,
});

/** Established-patient office visits, by how much the visit took: a change of treatment is moderate. */
const visit = (moderate: boolean, pointers: number[]) => line(moderate ? "99214" : "99213", pointers);

const diagnoses = (...codes: string[]) => codes.map((code) => ({ code }));

/** The readings of assessments the demo coder knows, first match wins. */
const READINGS: readonly ((assessment: string) => DemoCodes | null)[] = [
  (text) => {
    const ckd = /Hypertension with chronic kidney disease stage (3a|3b)\./.exec(text);
    if (!ckd) return null;
    // I12.9 with the CKD stage (N18.31/N18.32): ICD-10-CM presumes the two are linked.
    const stage = ckd[1] === "3a" ? "N18.31" : "N18.32";
    return { diagnoses: diagnoses("I12.9", stage), procedures: [visit(true, [1, 2])] };
  },
  (text) => {
    if (!text.includes("1. Essential hypertension,")) return null;
    return { diagnoses: diagnoses("I10"), procedures: [visit(text.includes("not at goal"), [1])] };
  },
  (text) => {
    if (!text.includes("1. Acute upper respiratory infection, viral.")) return null;
    return { diagnoses: diagnoses("J06.9"), procedures: [visit(false, [1])] };
  },
  (text) => {
    const cystitis = /1\. Acute cystitis (with|without) hematuria\./.exec(text);
    if (!cystitis) return null;
    // The in-office dipstick (81002, non-automated, without microscopy) is billed beside the visit.
    return {
      diagnoses: diagnoses(cystitis[1] === "with" ? "N30.01" : "N30.00"),
      procedures: [visit(false, [1]), line("81002", [1])],
    };
  },
  (text) => {
    const sciatica = /1\. Low back pain with (right|left)-sided sciatica\./.exec(text);
    if (!sciatica) return null;
    return { diagnoses: diagnoses(sciatica[1] === "right" ? "M54.41" : "M54.42"), procedures: [visit(false, [1])] };
  },
  (text) => {
    if (!text.includes("1. Strain of muscle of the lower back, initial encounter.")) return null;
    return { diagnoses: diagnoses("S39.012A"), procedures: [visit(false, [1])] };
  },
];

/** Every code the demo coder may set, so a start can check that the loaded code sets hold them. */
export const DEMO_CODES: readonly { system: "ICD10CM" | "CPT"; code: string }[] = [
  ...["I12.9", "N18.31", "N18.32", "I10", "J06.9", "N30.00", "N30.01", "M54.41", "M54.42", "S39.012A"].map((code) => ({
    system: "ICD10CM" as const,
    code,
  })),
  ...Object.keys(FEES).map((code) => ({ system: "CPT" as const, code })),
];

/** The codes for a demo note, from its assessment and plan; null for a note the demo coder does not read. */
export function demoCodes(documentation: string): DemoCodes | null {
  const start = documentation.indexOf("ASSESSMENT AND PLAN:");
  if (start < 0) return null;
  const assessment = documentation.slice(start);
  for (const read of READINGS) {
    const codes = read(assessment);
    if (codes) return codes;
  }
  return null;
}
