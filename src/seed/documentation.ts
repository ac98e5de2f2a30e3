import type { Faker } from "@faker-js/faker";
import type { encounterType } from "../db/schema/encounters.js";
import type { administrativeSex } from "../db/schema/patients.js";
import { daysBetween, usDate, wholeMonthsBetween, wholeYearsBetween } from "../shared/calendar.js";

/**
 * Synthetic clinical notes for the demo encounters. Each template writes a note a coder
 * could code from (chief complaint, history, exam, results, assessment and plan), with
 * details drawn from the seeded Faker so that notes vary but the seed stays repeatable.
 * Notes state diagnoses and procedures in words, never codes: choosing codes is the coder's job.
 * No text comes from real patients.
 */

export type EncounterKind = (typeof encounterType.enumValues)[number];
export type Sex = (typeof administrativeSex.enumValues)[number];

/** The kind of clinician who writes a note; the seed gives it to a provider of that kind. */
export type ClinicianRole =
  | "PRIMARY_CARE"
  | "EMERGENCY"
  | "HOSPITALIST"
  | "SURGERY"
  | "ORTHOPAEDICS"
  | "CARDIOLOGY"
  | "NEUROLOGY";

export interface NotePatient {
  /** Stable per patient (the row id): facts that never change, such as birth weight, are derived from it. */
  key: string;
  sex: Sex;
  /** Age at the date of service. */
  years: number;
  months: number;
  days: number;
  /** "58-year-old woman", "3-week-old male infant". */
  description: string;
  /** Subject and object pronouns; an unknown sex reads "The patient" and "them". */
  Subj: string;
  obj: string;
}

export interface NoteContext {
  patient: NotePatient;
  /** "Dana Whitfield, MD". */
  provider: string;
  serviceDate: string;
  /** Inpatient stays only. */
  dischargeDate: string | null;
}

export interface NoteTemplate {
  key: string;
  type: EncounterKind;
  roles: readonly ClinicianRole[];
  /** Whole years at the date of service, inclusive. */
  ages: readonly [number, number];
  sexes?: readonly Sex[];
  /** Inpatient stays only: nights between admission and discharge, inclusive range. */
  lengthOfStay?: readonly [number, number];
  write(context: NoteContext, faker: Faker): string;
}

/** How a note names the patient at the date of service: days, months or years old, as a clinician writes it. */
export function notePatient(key: string, sex: Sex, birthDate: string, serviceDate: string): NotePatient {
  const days = daysBetween(birthDate, serviceDate);
  const months = wholeMonthsBetween(birthDate, serviceDate);
  const years = wholeYearsBetween(birthDate, serviceDate);
  const age =
    days < 28
      ? `${days}-day-old`
      : days < 84
        ? `${Math.floor(days / 7)}-week-old`
        : years < 2
          ? `${months}-month-old`
          : `${years}-year-old`;
  const noun =
    years < 1
      ? { F: "female infant", M: "male infant", U: "infant" }[sex]
      : years < 18
        ? { F: "girl", M: "boy", U: "child" }[sex]
        : { F: "woman", M: "man", U: "patient" }[sex];
  const pronouns = {
    F: { Subj: "She", obj: "her" },
    M: { Subj: "He", obj: "him" },
    U: { Subj: "The patient", obj: "them" },
  }[sex];
  return { key, sex, years, months, days, description: `${age} ${noun}`, ...pronouns };
}

const int = (f: Faker, min: number, max: number) => f.number.int({ min, max });
const dec = (f: Faker, min: number, max: number, digits = 1) =>
  f.number.float({ min, max, fractionDigits: digits }).toFixed(digits);
const pick = <T>(f: Faker, items: readonly T[]): T => f.helpers.arrayElement(items);
const chance = (f: Faker, probability: number) => f.datatype.boolean(probability);
const side = (f: Faker) => pick(f, ["left", "right"] as const);
const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

type Range = readonly [number, number];

interface VitalsOptions {
  systolic?: Range;
  diastolic?: Range;
  heartRate?: Range;
  respiratoryRate?: Range;
  tempF?: Range;
  spo2?: Range;
  /** When the note derives the weight itself (an infant's from birth weight). */
  weightKg?: number;
}

interface Vitals {
  text: string;
  weightKg: number;
}

function typicalWeightKg(f: Faker, p: NotePatient): number {
  if (p.years < 1) return Number(dec(f, 3.1 + 0.55 * p.months, 3.9 + 0.65 * p.months));
  if (p.years < 13) return Number(dec(f, 1.8 * p.years + 7, 2.3 * p.years + 10));
  if (p.years < 18) return Number(dec(f, 42, 78));
  return p.sex === "M" ? Number(dec(f, 64, 124)) : Number(dec(f, 52, 106));
}

/** Age-appropriate vitals; options move a value out of the normal range when the story calls for it. */
function vitals(f: Faker, p: NotePatient, options: VitalsOptions = {}): Vitals {
  const infant = p.years < 1;
  const child = p.years < 13;
  const heartRate = options.heartRate ?? (infant ? [110, 160] : child ? [80, 120] : [60, 90]);
  const respiratoryRate = options.respiratoryRate ?? (infant ? [30, 50] : child ? [18, 26] : [14, 18]);
  const weightKg = options.weightKg ?? typicalWeightKg(f, p);
  const parts: string[] = [];
  if (p.years >= 3) {
    const systolic = options.systolic ?? (child ? [92, 112] : [110, 134]);
    const diastolic = options.diastolic ?? (child ? [54, 70] : [66, 84]);
    parts.push(`BP ${int(f, systolic[0], systolic[1])}/${int(f, diastolic[0], diastolic[1])}`);
  }
  parts.push(`HR ${int(f, heartRate[0], heartRate[1])}`, `RR ${int(f, respiratoryRate[0], respiratoryRate[1])}`);
  const temp = options.tempF ?? [97.6, 98.9];
  parts.push(`Temp ${dec(f, temp[0], temp[1])} °F`);
  const spo2 = options.spo2 ?? [96, 99];
  parts.push(`SpO2 ${int(f, spo2[0], spo2[1])}% on room air`);
  parts.push(`Wt ${weightKg.toFixed(1)} kg`);
  if (p.years >= 18) {
    const heightM = Number(dec(f, p.sex === "M" ? 1.66 : 1.53, p.sex === "M" ? 1.92 : 1.76, 2));
    parts.push(`Ht ${Math.round(heightM * 100)} cm`, `BMI ${(weightKg / heightM ** 2).toFixed(1)}`);
  }
  return { text: `Vitals: ${parts.join(" | ")}`, weightKg };
}

function header(title: string, c: NoteContext): string[] {
  return [title, `Date of service: ${usDate(c.serviceDate)}`, `Provider: ${c.provider}`, ""];
}

function signed(c: NoteContext, on = c.serviceDate): string {
  return `\nElectronically signed by ${c.provider} on ${usDate(on)}.`;
}

function inpatientHeader(title: string, c: NoteContext): string[] {
  const discharge = c.dischargeDate ?? c.serviceDate;
  return [
    title,
    [
      `Admission date: ${usDate(c.serviceDate)}`,
      `Discharge date: ${usDate(discharge)}`,
      `Length of stay: ${daysBetween(c.serviceDate, discharge)} day(s)`,
    ].join("    "),
    `Attending: ${c.provider}`,
    "",
  ];
}

function companion(f: Faker, p: NotePatient): string {
  if (p.years >= 18) return "";
  const who = pick(f, ["mother", "father", "grandmother", "both parents"]);
  return ` Accompanied by ${who}, who ${who === "both parents" ? "provide" : "provides"} the history.`;
}

const note = (lines: string[]) => lines.join("\n");

/** A paragraph written one sentence per string, so that no line of this file runs long. */
const paragraph = (...sentences: string[]) => sentences.join(" ");

/**
 * The birth history every note about an infant repeats. It is drawn from the patient's key rather than
 * from the note's Faker, so that all of one infant's notes agree.
 */
function birthFacts(p: NotePatient): { weeks: number; delivery: string; weightKg: number } {
  // FNV-1a: a small, stable hash; any such hash would do.
  let hash = 0x811c9dc5;
  for (const char of p.key) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  const deliveries = ["spontaneous vaginal delivery", "induced vaginal delivery", "cesarean section"];
  return {
    weeks: 38 + (hash % 4),
    delivery: deliveries[(hash >>> 4) % deliveries.length] ?? "spontaneous vaginal delivery",
    weightKg: 2.9 + ((hash >>> 8) % 101) / 100,
  };
}

/**
 * Infant weight: newborns lose up to a tenth of birth weight, regain it by about ten days,
 * then gain about 30 g a day, slowing after three and six months.
 */
function infantWeight(f: Faker, birthWeightKg: number, days: number): number {
  if (days < 10) return birthWeightKg * (1 - Number(dec(f, 0.03, 0.08, 2)));
  const grams = Math.min(days - 10, 80) * 30 + Math.max(0, Math.min(days - 90, 90)) * 17 + Math.max(0, days - 180) * 10;
  return birthWeightKg + (grams / 1000) * Number(dec(f, 0.85, 1.15, 2));
}

interface InfantVisit {
  name: string;
  development: string;
  vaccines: string | null;
  next: string;
}

/** Scheduled infant well visits after the newborn check (CDC/AAP schedule), latest first. */
const INFANT_VISITS: readonly (InfantVisit & { fromMonths: number })[] = [
  {
    fromMonths: 9,
    name: "9 MONTHS",
    development: "sits well, pulls to stand, pincer grasp emerging; ASQ-3 screen normal",
    vaccines: null,
    next: "12-month",
  },
  {
    fromMonths: 6,
    name: "6 MONTHS",
    development: "sits with support, babbles, transfers objects hand to hand",
    vaccines: "DTaP-IPV-Hib-HepB, pneumococcal conjugate, rotavirus and influenza vaccines",
    next: "9-month",
  },
  {
    fromMonths: 4,
    name: "4 MONTHS",
    development: "laughs, rolls front to back, reaches for toys",
    vaccines: "DTaP-IPV-Hib-HepB, pneumococcal conjugate and rotavirus vaccines (second doses)",
    next: "6-month",
  },
  {
    fromMonths: 2,
    name: "2 MONTHS",
    development: "social smile, coos, lifts head 45 degrees prone",
    vaccines: "DTaP-IPV-Hib-HepB, pneumococcal conjugate and rotavirus vaccines",
    next: "4-month",
  },
  {
    fromMonths: 0,
    name: "1 MONTH",
    development: "lifts head briefly during tummy time, alerts to sound",
    vaccines: "hepatitis B vaccine (dose 2)",
    next: "2-month",
  },
];

const NEWBORN_VISIT: InfantVisit = {
  name: "NEWBORN",
  development: "normal suck, grasp and Moro reflexes; fixes on faces",
  vaccines: null,
  next: "1-month",
};

function infantVisit(p: NotePatient): InfantVisit {
  if (p.days <= 28) return NEWBORN_VISIT;
  return INFANT_VISITS.find((visit) => p.months >= visit.fromMonths) ?? NEWBORN_VISIT;
}

const PROFESSIONAL: NoteTemplate[] = [
  {
    key: "office-diabetes-follow-up",
    type: "PROFESSIONAL",
    roles: ["PRIMARY_CARE"],
    ages: [30, 90],
    write(c, f) {
      const p = c.patient;
      const a1c = Number(dec(f, 6.2, 10.6));
      const previous = Math.max(5.8, a1c + Number(dec(f, -1.2, 0.9))).toFixed(1);
      const neuropathy = chance(f, 0.35);
      const insulin = a1c >= 8.5 && chance(f, 0.6);
      const glargine = int(f, 14, 40);
      const low = int(f, 98, 140);
      const complications = neuropathy ? "with diabetic peripheral neuropathy" : "without complications";
      const plan =
        a1c < 7.5
          ? "At goal. Continue metformin 1000 mg twice daily."
          : insulin
            ? paragraph(
                "Not at goal.",
                `Increase insulin glargine from ${glargine} to ${glargine + 4} units at bedtime;`,
                "titrate by 2 units every 3 days to fasting glucose 80-130 mg/dL.",
                "Continue metformin.",
              )
            : paragraph(
                "Not at goal.",
                "Add empagliflozin 10 mg daily; reviewed hydration and genital mycotic infection risk.",
                "Continue metformin 1000 mg twice daily.",
              );
      return note([
        ...header("OFFICE VISIT - ESTABLISHED PATIENT", c),
        "CHIEF COMPLAINT: Diabetes follow-up.",
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} with type 2 diabetes mellitus presents for 3-month follow-up.`,
          `${p.Subj} checks fasting glucose ${pick(f, ["daily", "most mornings", "a few times a week"])},`,
          `with readings ${low}-${low + int(f, 30, 110)} mg/dL.`,
          insulin
            ? `Current regimen: metformin 1000 mg twice daily and insulin glargine ${glargine} units at bedtime.`
            : "Current regimen: metformin 1000 mg twice daily.",
          "Denies hypoglycemic episodes, polyuria, polydipsia, chest pain or visual changes.",
          neuropathy
            ? `Reports burning and numbness in both feet, worse at night, for the past ${int(f, 4, 18)} months.`
            : "Denies numbness or tingling of the feet.",
          "Also on atorvastatin 20 mg daily for hyperlipidemia.",
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vitals(f, p, { systolic: [118, 142] }).text,
        "General: Alert, well appearing, no distress.",
        "Cardiovascular: Regular rate and rhythm, no murmur. Lungs: Clear to auscultation bilaterally.",
        paragraph(
          "Feet: Skin intact without ulceration or callus.",
          "Dorsalis pedis pulses 2+ bilaterally.",
          "Monofilament sensation",
          neuropathy
            ? "diminished over the plantar forefoot bilaterally; vibration sense reduced at the great toes."
            : "intact bilaterally.",
        ),
        "",
        paragraph(
          `RESULTS: Hemoglobin A1c today ${a1c.toFixed(1)}% (previous ${previous}%).`,
          `Urine albumin/creatinine ratio ${int(f, 8, 26)} mg/g.`,
          `eGFR ${int(f, 64, 98)} mL/min/1.73m2.`,
          `LDL ${int(f, 62, 118)} mg/dL.`,
        ),
        "",
        "ASSESSMENT AND PLAN:",
        paragraph(`1. Type 2 diabetes mellitus ${complications}${a1c >= 9 ? ", with hyperglycemia" : ""}.`, plan),
        ...(neuropathy
          ? ["   Start gabapentin 100 mg at bedtime for neuropathic pain; podiatry referral for diabetic foot care."]
          : []),
        paragraph(
          `2. ${insulin ? "Long-term current use of insulin" : "Long-term current use of oral hypoglycemic drugs"}.`,
          "Medication reconciled.",
        ),
        "3. Hyperlipidemia. LDL acceptable on atorvastatin; continue.",
        "Annual dilated eye exam due; referral placed. Return in 3 months with repeat A1c.",
        signed(c),
      ]);
    },
  },
  {
    key: "office-hypertension-follow-up",
    type: "PROFESSIONAL",
    roles: ["PRIMARY_CARE"],
    ages: [30, 95],
    write(c, f) {
      const p = c.patient;
      const uncontrolled = chance(f, 0.45);
      const egfr = int(f, 38, 92);
      const ckdStage = egfr < 45 ? "3b" : egfr < 60 ? "3a" : null;
      const dose = pick(f, [10, 20]);
      const home = uncontrolled ? `${int(f, 142, 164)}/${int(f, 88, 98)}` : `${int(f, 118, 134)}/${int(f, 72, 84)}`;
      return note([
        ...header("OFFICE VISIT - ESTABLISHED PATIENT", c),
        "CHIEF COMPLAINT: Blood pressure follow-up and medication refill.",
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} with hypertension returns for follow-up.`,
          `${p.Subj} takes lisinopril ${dose} mg daily`,
          uncontrolled
            ? `and admits to missing doses ${pick(f, ["a few times a week", "on weekends", "when traveling"])}.`
            : "without missed doses.",
          `Home readings average ${home}.`,
          "Denies headache, chest pain, dyspnea, palpitations or lower extremity swelling.",
          `Limits salt; walks ${int(f, 2, 5)} days a week.`,
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vitals(
          f,
          p,
          uncontrolled ? { systolic: [146, 168], diastolic: [88, 100] } : { systolic: [120, 136], diastolic: [70, 84] },
        ).text,
        "General: No acute distress. Neck: No JVD, no carotid bruit.",
        "Cardiovascular: Regular rate and rhythm, S1 S2 normal, no murmur. Lungs: Clear.",
        "Extremities: No edema.",
        "",
        paragraph(
          `RESULTS: Basic metabolic panel: sodium ${int(f, 136, 143)}, potassium ${dec(f, 3.8, 5.1)},`,
          `creatinine ${egfr < 60 ? dec(f, 1.3, 1.8, 2) : dec(f, 0.7, 1.1, 2)} mg/dL,`,
          `eGFR ${egfr} mL/min/1.73m2${ckdStage ? " (stable over the past year)" : ""}.`,
        ),
        "",
        "ASSESSMENT AND PLAN:",
        ckdStage
          ? paragraph(
              `1. Hypertension with chronic kidney disease stage ${ckdStage}.`,
              uncontrolled
                ? `Above goal. Increase lisinopril to ${dose * 2} mg daily.`
                : "At goal on lisinopril; continue.",
              "Recheck BMP in 2 weeks; avoid NSAIDs.",
            )
          : paragraph(
              "1. Essential hypertension,",
              uncontrolled
                ? `not at goal. Increase lisinopril to ${dose * 2} mg daily; recheck BMP in 2 weeks.`
                : "well controlled. Continue lisinopril.",
            ),
        `2. Medication adherence counseling provided. Home blood pressure log reviewed.`,
        `Return in ${uncontrolled ? "4 weeks" : "6 months"}.`,
        signed(c),
      ]);
    },
  },
  {
    key: "office-upper-respiratory-infection",
    type: "PROFESSIONAL",
    roles: ["PRIMARY_CARE"],
    ages: [1, 95],
    write(c, f) {
      const p = c.patient;
      const days = int(f, 2, 6);
      return note([
        ...header("OFFICE VISIT - SICK VISIT", c),
        `CHIEF COMPLAINT: Cough and nasal congestion for ${days} days.`,
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} presents with ${days} days of rhinorrhea, nasal congestion,`,
          pick(f, ["scratchy throat", "mild sore throat", "hoarse voice"]),
          chance(f, 0.4)
            ? `and a dry cough, with subjective fever to ${dec(f, 99.8, 101.2)} °F on the first day.`
            : "and a dry cough.",
          `Sick contacts at ${p.years < 18 ? "school" : pick(f, ["home", "work"])}.`,
          "Eating and drinking normally.",
          `Denies ear pain, shortness of breath, wheezing or chest pain.${companion(f, p)}`,
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vitals(f, p, { tempF: [98.2, 99.9] }).text,
        "General: Well appearing, nontoxic.",
        paragraph(
          "HEENT: Tympanic membranes clear bilaterally.",
          "Nasal mucosa edematous with clear discharge.",
          "Pharynx mildly erythematous without exudate or tonsillar enlargement.",
        ),
        paragraph(
          "Neck: Shotty anterior cervical nodes.",
          "Lungs: Clear to auscultation, no wheezes or crackles, no increased work of breathing.",
        ),
        "",
        `RESULTS: Rapid influenza A/B and COVID-19 antigen negative.${p.years >= 3 ? " Rapid strep negative." : ""}`,
        "",
        "ASSESSMENT AND PLAN:",
        paragraph(
          "1. Acute upper respiratory infection, viral.",
          "Supportive care: fluids, rest, saline nasal spray, honey for cough.",
          "Acetaminophen or ibuprofen as needed for discomfort, weight-based dosing reviewed.",
          "No antibiotics indicated.",
        ),
        paragraph(
          "Return or call for fever beyond 3 days, difficulty breathing, ear pain,",
          "or symptoms lasting more than 10 days.",
        ),
        signed(c),
      ]);
    },
  },
  {
    key: "office-urinary-tract-infection",
    type: "PROFESSIONAL",
    roles: ["PRIMARY_CARE"],
    ages: [16, 90],
    sexes: ["F"],
    write(c, f) {
      const p = c.patient;
      const hematuria = chance(f, 0.4);
      return note([
        ...header("OFFICE VISIT - ACUTE", c),
        "CHIEF COMPLAINT: Burning with urination.",
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} reports ${int(f, 2, 4)} days of dysuria,`,
          `urinary frequency and urgency${hematuria ? ", and noticed pink-tinged urine this morning" : ""}.`,
          "Denies fever, chills, flank pain, nausea or vaginal discharge.",
          `Last similar episode ${pick(f, ["over a year ago", "two years ago", "never before"])}.`,
          "No recent antibiotics.",
          p.years < 55 ? "Last menstrual period 2 weeks ago; urine pregnancy test negative." : "Postmenopausal.",
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vitals(f, p).text,
        "General: Comfortable. Abdomen: Soft, mild suprapubic tenderness, no rebound or guarding.",
        "Back: No costovertebral angle tenderness.",
        "",
        paragraph(
          `RESULTS: Urinalysis dipstick: leukocyte esterase ${pick(f, ["2+", "3+"])}, nitrite positive,`,
          `blood ${hematuria ? "2+" : "negative"}, protein trace, glucose negative.`,
        ),
        "",
        "ASSESSMENT AND PLAN:",
        paragraph(
          `1. Acute cystitis ${hematuria ? "with hematuria" : "without hematuria"}.`,
          "Nitrofurantoin monohydrate/macrocrystals 100 mg twice daily for 5 days.",
          "Urine culture sent; will adjust antibiotic to sensitivities.",
        ),
        "Increase fluids. Return for fever, flank pain or vomiting.",
        signed(c),
      ]);
    },
  },
  {
    key: "office-low-back-pain",
    type: "PROFESSIONAL",
    roles: ["PRIMARY_CARE"],
    ages: [18, 80],
    write(c, f) {
      const p = c.patient;
      const sciatica = chance(f, 0.4);
      const leg = side(f);
      return note([
        ...header("OFFICE VISIT - ACUTE", c),
        "CHIEF COMPLAINT: Low back pain.",
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} with ${int(f, 3, 12)} days of low back pain that began after`,
          `${pick(f, ["lifting boxes at work", "moving furniture", "shoveling mulch", "a long car ride"])}.`,
          `Pain is ${int(f, 4, 8)}/10, aching, worse with bending and prolonged sitting.`,
          sciatica ? `Pain radiates down the posterior ${leg} thigh to the calf.` : "No radiation into the legs.",

          "Denies bowel or bladder changes, saddle numbness, fever, weight loss, history of cancer or trauma.",
          "Tried ibuprofen with partial relief.",
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vitals(f, p).text,
        paragraph(
          "Back: Tenderness and spasm of the lumbar paraspinal muscles at L4-L5, no midline bony tenderness.",
          "Range of motion limited in flexion by pain.",
        ),
        paragraph(
          `Neuro: Straight leg raise ${sciatica ? `positive on the ${leg} at 45 degrees` : "negative bilaterally"}.`,
          "Strength 5/5 in the lower extremities.",
          "Patellar and Achilles reflexes 2+ and symmetric.",
          "Sensation intact.",
        ),
        "Gait: Antalgic but steady.",
        "",
        "ASSESSMENT AND PLAN:",
        sciatica
          ? `1. Low back pain with ${leg}-sided sciatica. No red flags; imaging not indicated at this time.`
          : "1. Strain of muscle of the lower back, initial encounter. No red flags; imaging not indicated.",
        paragraph(
          "Naproxen 500 mg twice daily with food for 10 days.",
          "Cyclobenzaprine 5 mg at bedtime as needed for spasm; sedation precautions reviewed.",
          "Referral to physical therapy.",
          "Heat, gentle activity, avoid bed rest.",
        ),
        "Return in 4 weeks, sooner for weakness, numbness or bowel/bladder symptoms.",
        signed(c),
      ]);
    },
  },
  {
    key: "office-medicare-annual-wellness",
    type: "PROFESSIONAL",
    roles: ["PRIMARY_CARE"],
    ages: [66, 95],
    write(c, f) {
      const p = c.patient;
      const flu = chance(f, 0.6);
      const fallRisk = p.years >= 80 || chance(f, 0.25);
      return note([
        ...header("MEDICARE ANNUAL WELLNESS VISIT - SUBSEQUENT", c),
        paragraph(
          `${p.description} presents for subsequent Medicare annual wellness visit.`,
          "Health risk assessment completed and reviewed with the patient.",
        ),
        "",
        paragraph(
          "Medical and family history updated.",
          "Current providers and suppliers list updated.",
          "Medications reconciled:",
          pick(f, [
            "amlodipine, atorvastatin, vitamin D.",
            "lisinopril, metformin, aspirin.",
            "levothyroxine, omeprazole, calcium.",
            "losartan, rosuvastatin.",
          ]),
        ),
        vitals(f, p, { systolic: [118, 142] }).text,
        paragraph(
          `Vision screen: ${pick(f, ["20/25 OU with glasses", "20/30 OU", "20/40 OD, 20/30 OS with glasses"])}.`,
          `Hearing: whispered voice test ${pick(f, ["passed bilaterally", "reduced on the left"])}.`,
        ),
        paragraph(
          p.years >= 85
            ? "Functional status: independent in all ADLs and IADLs except driving, which a family member now does."
            : "Functional status: independent in all ADLs and IADLs.",
          "Home safety reviewed.",
        ),
        fallRisk
          ? `Fall risk: one fall in the past year without injury; Timed Up and Go ${int(f, 13, 17)} seconds.`
          : `Fall risk: no falls; Timed Up and Go ${int(f, 8, 11)} seconds.`,
        paragraph(
          `Depression screen: PHQ-2 score ${int(f, 0, 1)}, negative.`,
          `Cognitive assessment: Mini-Cog ${int(f, 4, 5)}/5, no concerns from patient or family.`,
        ),
        paragraph(
          `Advance care planning: discussed voluntarily for ${int(f, 16, 25)} minutes;`,
          "patient has a health care power of attorney and will bring a copy of the living will.",
        ),
        "",
        "PERSONALIZED PREVENTION PLAN:",
        paragraph(
          "- Screening schedule provided for the next 5-10 years;",
          p.sex === "F" ? "bone density due this year." : "abdominal aortic aneurysm screening previously completed.",
        ),
        paragraph(
          "- Immunizations:",
          flu
            ? "high-dose influenza vaccine administered today in the left deltoid;"
            : "influenza vaccine already received this season at a pharmacy;",
          "pneumococcal series complete; recommend shingles vaccine at the pharmacy.",
        ),
        fallRisk
          ? paragraph(
              "- Fall prevention: referral to physical therapy for balance and strength training;",
              "home safety handout given.",
            )
          : "- Exercise: continue walking 30 minutes most days.",
        "",
        "ASSESSMENT:",
        "1. Encounter for subsequent annual wellness visit.",
        ...(flu ? ["2. Encounter for immunization (influenza)."] : []),
        ...(fallRisk ? [`${flu ? 3 : 2}. History of falling; at risk for falls.`] : []),
        "Chronic conditions are managed at separate visits and were not addressed today.",
        signed(c),
      ]);
    },
  },
  {
    key: "office-adult-preventive",
    type: "PROFESSIONAL",
    roles: ["PRIMARY_CARE"],
    ages: [18, 64],
    write(c, f) {
      const p = c.patient;
      const vital = vitals(f, p);
      const abnormal = chance(f, 0.3);
      return note([
        ...header("PREVENTIVE MEDICINE VISIT - ESTABLISHED PATIENT", c),
        paragraph(
          `${p.description} presents for an annual physical examination.`,
          "No acute complaints.",
          `${pick(f, ["Walks most days", "Exercises 3 days a week", "Rarely exercises", "Runs twice a week"])};`,
          `${pick(f, ["never smoker", "former smoker, quit 10 years ago", "never smoker; drinks alcohol socially"])}.`,
          `Sleeps ${int(f, 6, 8)} hours.`,
        ),
        "",
        "REVIEW OF SYSTEMS: Negative in 12 systems except as noted.",
        "",
        "PHYSICAL EXAMINATION:",
        vital.text,
        "General: Well developed, well nourished. HEENT: Normal. Neck: Supple, thyroid normal.",
        "Heart: Regular rate and rhythm, no murmur. Lungs: Clear. Abdomen: Soft, nontender, no organomegaly.",
        paragraph(
          abnormal
            ? paragraph(
                `Skin: ${int(f, 5, 9)} mm irregularly pigmented macule on the`,
                pick(f, ["upper back.", "left shoulder.", "right calf."]),
              )
            : "Skin: No suspicious lesions.",
          "Extremities: No edema.",
          "Neuro: Nonfocal.",
        ),
        "",
        paragraph(
          "COUNSELING: Diet, exercise, sun protection, seat belts and alcohol use discussed.",
          "Age-appropriate cancer screening reviewed.",
        ),
        `LABS ORDERED: Lipid panel, comprehensive metabolic panel${p.years >= 35 ? ", hemoglobin A1c" : ""}.`,
        paragraph(
          "IMMUNIZATIONS:",
          pick(f, [
            "Tdap administered today.",
            "Up to date; influenza vaccine declined.",
            "Influenza vaccine administered today.",
          ]),
        ),
        "",
        "ASSESSMENT AND PLAN:",
        abnormal
          ? paragraph(
              "1. Encounter for general adult medical examination with abnormal findings.",
              "2. Atypical pigmented skin lesion of the trunk/extremity;",
              "referral to dermatology for evaluation and possible biopsy.",
            )
          : "1. Encounter for general adult medical examination without abnormal findings.",
        "Return in one year or as needed.",
        signed(c),
      ]);
    },
  },
  {
    key: "office-well-child",
    type: "PROFESSIONAL",
    roles: ["PRIMARY_CARE"],
    ages: [1, 17],
    write(c, f) {
      const p = c.patient;
      const vaccines =
        p.years === 1
          ? "MMR, varicella and hepatitis A vaccines administered after counseling on each component."
          : p.years >= 4 && p.years <= 6
            ? "DTaP, IPV, MMR and varicella boosters administered after counseling on each component."
            : p.years >= 11 && p.years <= 12
              ? "Tdap, meningococcal conjugate and HPV vaccines administered after counseling on each component."
              : "Immunizations up to date; seasonal influenza vaccine administered.";
      const screens =
        p.years >= 4 ? "Vision and hearing screens passed. " : p.years < 3 ? "Developmental screen (ASQ) normal. " : "";
      const safety =
        p.years < 8
          ? "car seat and booster use"
          : p.years < 15
            ? "seat belts and bicycle helmets"
            : "seat belts, driving and substance use";
      return note([
        ...header("WELL CHILD VISIT", c),
        `${p.description} here for routine well-child examination.${companion(f, p)} No concerns today.`,
        paragraph(
          `Diet: ${p.years < 3 ? "whole milk 16 oz daily, table foods" : "varied diet, limits juice and soda"}.`,
          `Sleep: ${int(f, 9, 11)} hours nightly.`,
          p.years >= 5
            ? `School: ${pick(f, ["doing well", "grades mostly A and B", "enjoys reading and recess"])}.`
            : "Development: meeting milestones for age.",
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vitals(f, p).text,
        "Growth: Height and weight tracking along the 50th-75th percentiles.",
        "General: Active, well appearing. HEENT: Red reflexes present, TMs clear, dentition normal. Neck: Supple.",
        paragraph(
          "Heart: Regular, no murmur.",
          "Lungs: Clear.",
          "Abdomen: Soft, no masses.",
          "GU: Normal external genitalia, Tanner stage appropriate for age.",
        ),
        "Musculoskeletal: Normal gait, spine straight. Skin: No rashes.",
        "",
        `SCREENING: ${screens}Lead and anemia risk low.`,
        `IMMUNIZATIONS: ${vaccines}`,
        "",
        "ASSESSMENT AND PLAN:",
        "1. Encounter for routine child health examination without abnormal findings.",
        paragraph(
          `Anticipatory guidance given on safety, ${safety}, screen time and nutrition.`,
          "Return for next well visit in one year.",
        ),
        signed(c),
      ]);
    },
  },
  {
    key: "office-infant-well-visit",
    type: "PROFESSIONAL",
    roles: ["PRIMARY_CARE"],
    ages: [0, 0],
    write(c, f) {
      const p = c.patient;
      const newborn = p.days <= 28;
      const visit = infantVisit(p);
      const birth = birthFacts(p);
      const vital = vitals(f, p, { weightKg: infantWeight(f, birth.weightKg, p.days) });
      const feeds =
        p.months < 6
          ? ["breastfeeding every 2-3 hours", "formula every 3 hours", "breast milk and formula"]
          : ["breastfeeding plus pureed foods", "formula plus cereal and pureed foods"];
      return note([
        ...header(newborn ? "NEWBORN FOLLOW-UP VISIT" : `WELL INFANT VISIT - ${visit.name}`, c),
        paragraph(
          `${p.description} here with ${pick(f, ["mother", "both parents", "father"])}.`,
          `Born at ${birth.weeks} weeks by ${birth.delivery}, birth weight ${birth.weightKg.toFixed(2)} kg,`,
          "uncomplicated nursery course.",
        ),
        paragraph(`Feeding: ${pick(f, feeds)}, ${int(f, 6, 8)} wet diapers daily.`, "Sleeps on back in own crib."),
        `Development: ${visit.development}.`,
        "",
        "PHYSICAL EXAMINATION:",
        vital.text,
        `Weight change since birth: ${(((vital.weightKg - birth.weightKg) / birth.weightKg) * 100).toFixed(1)}%.`,
        paragraph(
          "General: Vigorous, good tone.",
          newborn
            ? paragraph(
                `Skin: mild facial jaundice; transcutaneous bilirubin ${dec(f, 4.0, 9.5)} mg/dL,`,
                "below the phototherapy threshold.",
              )
            : "Skin: no jaundice or rash.",
        ),
        paragraph(
          "Head: Anterior fontanelle soft and flat.",
          "Eyes: Red reflex present bilaterally.",
          "Heart: Regular, no murmur; femoral pulses 2+.",
        ),
        paragraph(
          "Lungs: Clear.",
          `Abdomen: Soft${newborn ? "; umbilicus clean and dry" : ", no masses"}.`,
          "Hips: Ortolani and Barlow negative, symmetric skin folds.",
        ),
        "",
        "ASSESSMENT AND PLAN:",
        newborn
          ? paragraph(
              `1. Health examination for newborn ${p.days < 8 ? "under 8 days old" : "8 to 28 days old"}.`,
              "Weight trend appropriate.",
            )
          : paragraph(
              "1. Encounter for routine child health examination without abnormal findings.",
              "Growth and development appropriate.",
            ),
        ...(visit.vaccines
          ? [
              paragraph(
                `2. Encounter for immunization: ${visit.vaccines}`,
                "administered after counseling on each vaccine component.",
              ),
            ]
          : []),
        paragraph(
          `${newborn ? "Newborn screen results normal. " : ""}Safe sleep, car seat and fever precautions reviewed.`,
          `Return for the ${visit.next} well visit.`,
        ),
        signed(c),
      ]);
    },
  },
  {
    key: "office-otitis-media",
    type: "PROFESSIONAL",
    roles: ["PRIMARY_CARE"],
    ages: [1, 10],
    write(c, f) {
      const p = c.patient;
      const ear = side(f);
      const vital = vitals(f, p, { tempF: [100.4, 102.6], heartRate: [100, 130] });
      const doseMg = Math.min(1000, Math.round((vital.weightKg * 45) / 25) * 25);
      return note([
        ...header("OFFICE VISIT - SICK VISIT", c),
        `CHIEF COMPLAINT: ${capitalize(ear)} ear pain and fever.`,
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} with ${int(f, 2, 4)} days of`,
          `${ear} ear pain${p.years < 3 ? " and ear pulling" : ""}, fever to ${dec(f, 101.0, 102.8)} °F and fussiness,`,
          "following a week of cold symptoms.",
          "Decreased appetite, drinking well.",
          "No ear drainage, vomiting or rash.",
          `No antibiotics in the past 30 days.${companion(f, p)}`,
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vital.text,
        "General: Fussy but consolable, well hydrated.",
        paragraph(
          `Ears: ${capitalize(ear)} tympanic membrane bulging and erythematous with purulent effusion, no perforation.`,
          `${ear === "left" ? "Right" : "Left"} tympanic membrane normal.`,
        ),
        "Nose: Clear rhinorrhea. Throat: Normal. Neck: Supple. Lungs: Clear.",
        "",
        "ASSESSMENT AND PLAN:",
        paragraph(
          `1. Acute suppurative otitis media of the ${ear} ear without spontaneous rupture of the eardrum,`,
          "initial episode.",
        ),
        paragraph(
          `Amoxicillin 90 mg/kg/day divided twice daily (${doseMg} mg per dose) for 10 days.`,
          "Ibuprofen for pain and fever, weight-based dose reviewed.",
        ),
        "Recheck if not improving in 48-72 hours or for ear drainage; ear check in 3 weeks.",
        signed(c),
      ]);
    },
  },
  {
    key: "office-depression-follow-up",
    type: "PROFESSIONAL",
    roles: ["PRIMARY_CARE"],
    ages: [18, 80],
    write(c, f) {
      const p = c.patient;
      const phq9 = int(f, 5, 17);
      const previous = phq9 + int(f, 2, 7);
      const recurrent = chance(f, 0.4);
      const severity = phq9 >= 15 ? "moderately severe" : phq9 >= 10 ? "moderate" : "mild";
      const dose = pick(f, [50, 100]);
      return note([
        ...header("OFFICE VISIT - ESTABLISHED PATIENT", c),
        "CHIEF COMPLAINT: Depression follow-up.",
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} with`,
          recurrent
            ? `recurrent major depressive disorder (prior episode ${int(f, 2, 8)} years ago)`
            : "a first episode of major depression diagnosed 3 months ago",
          `returns on sertraline ${dose} mg daily.`,
          phq9 < 10
            ? "Reports improved mood and energy."
            : "Reports some improvement but persistent low mood and poor sleep.",
          "Attending work,",
          pick(f, [
            "seeing a counselor every other week.",
            "on a wait list for counseling.",
            "uses a mindfulness app.",
          ]),
          "Denies suicidal ideation, intent or plan.",
          "No side effects besides mild nausea in the first week.",
          `Alcohol: ${pick(f, ["none", "1-2 drinks a week"])}.`,
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vitals(f, p).text,
        paragraph(
          "Mental status: Alert and oriented.",
          "Appearance neat.",
          `Mood "${pick(f, ["better", "okay", "still down"])}",`,
          `affect ${phq9 < 10 ? "brighter, congruent" : "mildly constricted"}.`,
          "Thought process linear.",
          "No suicidal or homicidal ideation.",
          "Insight and judgment good.",
        ),
        "",
        paragraph(
          `SCREENING: PHQ-9 score ${phq9} today (${previous} at the prior visit).`,
          `GAD-7 score ${int(f, 3, 12)}.`,
          "Columbia suicide screen negative.",
        ),
        "",
        "ASSESSMENT AND PLAN:",
        paragraph(
          `1. Major depressive disorder, ${recurrent ? "recurrent" : "single episode"},`,
          `${severity === "mild" ? "mild" : "moderate"} (PHQ-9 ${phq9}, ${severity} range).`,
          phq9 >= 10 ? `Increase sertraline to ${dose + 50} mg daily.` : "Continue sertraline; responding.",
          "Continue psychotherapy.",
        ),
        "Crisis line information reviewed. Return in 6 weeks, sooner if worse.",
        signed(c),
      ]);
    },
  },
  {
    key: "office-copd-exacerbation",
    type: "PROFESSIONAL",
    roles: ["PRIMARY_CARE"],
    ages: [45, 95],
    write(c, f) {
      const p = c.patient;
      const packYears = int(f, 25, 60);
      const current = chance(f, 0.35);
      const before = int(f, 90, 93);
      return note([
        ...header("OFFICE VISIT - ACUTE", c),
        "CHIEF COMPLAINT: Worsening shortness of breath and cough.",
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} with COPD on tiotropium daily presents with`,
          `${int(f, 3, 6)} days of increased dyspnea,`,
          `cough productive of ${pick(f, ["yellow", "green", "yellow-green"])} sputum`,
          "and increased rescue inhaler use to every 3-4 hours.",
          "No fever, chest pain or leg swelling.",
          current
            ? `Current smoker, ${packYears} pack-years, smoking half a pack daily.`
            : `Former smoker, ${packYears} pack-years, quit ${int(f, 2, 15)} years ago.`,
          `Last exacerbation ${pick(f, ["8 months ago", "last winter", "over a year ago"])}.`,
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vitals(f, p, { respiratoryRate: [20, 24], heartRate: [88, 104], spo2: [before, before] }).text,
        "General: Mild respiratory distress, speaking in full sentences. Pursed-lip breathing.",
        paragraph(
          "Lungs: Diffuse expiratory wheezes, prolonged expiratory phase, no crackles.",
          "Heart: Regular, tachycardic.",
          "Extremities: No edema.",
        ),
        "",
        paragraph(
          "IN-OFFICE TREATMENT: Albuterol/ipratropium nebulizer treatment administered.",
          `Reassessment: wheezing improved, SpO2 ${before + int(f, 2, 4)}% on room air, breathing easier.`,
        ),
        "",
        "ASSESSMENT AND PLAN:",
        paragraph(
          "1. Chronic obstructive pulmonary disease with acute exacerbation.",
          "Prednisone 40 mg daily for 5 days.",
          "Doxycycline 100 mg twice daily for 5 days for purulent sputum.",
          "Albuterol every 4-6 hours as needed; continue tiotropium.",
        ),
        current
          ? paragraph(
              "2. Nicotine dependence, cigarettes.",
              `Counseled on cessation for ${int(f, 4, 10)} minutes; nicotine patch 14 mg started.`,
            )
          : "2. History of tobacco dependence; remains abstinent.",
        "Return precautions for worsening breathing reviewed. Recheck in 1 week.",
        signed(c),
      ]);
    },
  },
  {
    key: "office-atrial-fibrillation-follow-up",
    type: "PROFESSIONAL",
    roles: ["CARDIOLOGY"],
    ages: [50, 95],
    write(c, f) {
      const p = c.patient;
      const rate = int(f, 68, 96);
      const persistent = chance(f, 0.5);
      return note([
        ...header("CARDIOLOGY OFFICE VISIT - ESTABLISHED PATIENT", c),
        "REASON FOR VISIT: Atrial fibrillation follow-up.",
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} with`,
          persistent ? "persistent atrial fibrillation," : "paroxysmal atrial fibrillation,",
          "hypertension and hyperlipidemia returns for follow-up.",
          `Takes apixaban 5 mg twice daily and metoprolol succinate ${pick(f, [25, 50, 100])} mg daily.`,
          pick(f, [
            "Reports occasional palpitations with exertion.",
            "Reports no palpitations.",
            "Reports mild fatigue climbing stairs.",
          ]),

          "No bleeding, syncope, chest pain or orthopnea.",
          `CHA2DS2-VASc score ${int(f, 3, 5)}.`,
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vitals(f, p, { heartRate: [rate, rate] }).text,
        paragraph(
          "Neck: No JVD.",
          `Heart: ${persistent ? "Irregularly irregular rhythm" : "Regular rhythm"}, no murmur.`,
          "Lungs: Clear.",
          "Extremities: No edema.",
        ),
        "",
        paragraph(
          "ECG (performed and interpreted today):",
          persistent
            ? `Atrial fibrillation with controlled ventricular response, rate ${rate};`
            : `Normal sinus rhythm, rate ${rate};`,
          `QRS 92 ms, QTc ${int(f, 420, 455)} ms, no acute ST changes.`,
        ),
        `Echocardiogram from earlier this year: LVEF ${int(f, 52, 62)}%, mild left atrial enlargement.`,
        "",
        "ASSESSMENT AND PLAN:",
        `1. ${persistent ? "Persistent" : "Paroxysmal"} atrial fibrillation. Rate controlled; continue metoprolol.`,
        paragraph(
          "2. Long-term current use of anticoagulant (apixaban).",
          "Dose appropriate for age, weight and creatinine; CBC and BMP ordered.",
        ),
        "3. Essential hypertension, controlled.",
        "Return in 6 months with ECG.",
        signed(c),
      ]);
    },
  },
  {
    key: "office-migraine-follow-up",
    type: "PROFESSIONAL",
    roles: ["NEUROLOGY"],
    ages: [16, 65],
    write(c, f) {
      const p = c.patient;
      const headacheDays = int(f, 4, 20);
      const chronic = headacheDays >= 15;
      const aura = chance(f, 0.3);
      return note([
        ...header("NEUROLOGY OFFICE VISIT - ESTABLISHED PATIENT", c),
        "REASON FOR VISIT: Migraine follow-up.",
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} with migraine`,
          aura ? "with visual aura (scintillating zigzag lines for 20 minutes before the headache)" : "without aura",

          `since ${pick(f, ["adolescence", "early twenties", "college"])}.`,
          `Headache diary shows ${headacheDays} headache days per month,`,
          `${int(f, 3, Math.min(headacheDays, 10))} of them severe.`,
          `Attacks are unilateral, throbbing, with photophobia and nausea, lasting ${int(f, 6, 36)} hours.`,
          "Sumatriptan 50 mg aborts most attacks within 2 hours.",
          `Headaches ${chance(f, 0.7) ? "respond to treatment and are not intractable" : "respond partially"}.`,
          `Taking topiramate ${pick(f, [25, 50])} mg twice daily for prevention.`,
          `Uses over-the-counter analgesics ${int(f, 2, 8)} days a month.`,
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vitals(f, p).text,
        paragraph(
          "Neurologic: Alert and oriented.",
          "Cranial nerves II-XII intact, fundi with sharp discs.",
          "Strength 5/5 throughout.",
          "Reflexes 2+ symmetric, toes downgoing.",
          "Coordination and gait normal.",
        ),
        "",
        "ASSESSMENT AND PLAN:",
        paragraph(
          `1. ${chronic ? "Chronic migraine" : "Migraine"} ${aura ? "with aura" : "without aura"}, not intractable,`,
          "without status migrainosus.",
        ),
        chronic
          ? paragraph(
              "Preventive therapy inadequate: start erenumab 70 mg subcutaneously monthly;",
              "taper topiramate after 2 months if effective.",
            )
          : "Continue topiramate and sumatriptan. Limit acute medications to fewer than 10 days per month.",
        "Sleep hygiene, hydration and trigger avoidance reviewed. Return in 3 months with diary.",
        signed(c),
      ]);
    },
  },
  {
    key: "office-knee-osteoarthritis-injection",
    type: "PROFESSIONAL",
    roles: ["ORTHOPAEDICS"],
    ages: [45, 90],
    write(c, f) {
      const p = c.patient;
      const knee = side(f);
      return note([
        ...header("ORTHOPAEDIC OFFICE VISIT - ESTABLISHED PATIENT", c),
        `CHIEF COMPLAINT: ${capitalize(knee)} knee pain.`,
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} with chronic ${knee} knee pain for ${int(f, 2, 8)} years,`,
          `worse with stairs and after walking more than ${pick(f, ["two blocks", "15 minutes", "half a mile"])}.`,
          "Morning stiffness under 30 minutes.",
          "Physical therapy and meloxicam gave partial relief.",
          "Last corticosteroid injection",
          pick(f, ["5 months ago with 3 months of relief.", "over a year ago.", "never."]),
          "No locking, giving way or recent injury.",
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vitals(f, p).text,
        paragraph(
          `${capitalize(knee)} knee: Small effusion, medial joint line tenderness,`,
          "crepitus with range of motion 5-115 degrees.",
          "Stable to varus and valgus stress, negative Lachman.",
          "Neurovascularly intact distally.",
        ),
        "",
        paragraph(
          `IMAGING: Standing radiographs of the ${knee} knee reviewed: medial joint space narrowing,`,
          `marginal osteophytes and subchondral sclerosis, Kellgren-Lawrence grade ${int(f, 2, 3)}.`,
        ),
        "",
        paragraph(
          `PROCEDURE: Arthrocentesis/injection, ${knee} knee (major joint).`,
          "After verbal consent and time-out, the skin was prepped with chlorhexidine.",
          "Via a superolateral approach, 40 mg triamcinolone acetonide with 4 mL 1% lidocaine",
          "was injected without ultrasound guidance.",
          "Tolerated well, no complications.",
        ),
        "",
        "ASSESSMENT AND PLAN:",
        paragraph(
          `1. Primary osteoarthritis of the ${knee} knee.`,
          "Injection performed as above.",
          "Continue home exercises and weight management; meloxicam 7.5 mg daily as needed.",
        ),
        "Follow up in 3 months; discuss arthroplasty if injections stop helping.",
        signed(c),
      ]);
    },
  },
];

const EMERGENCY: NoteTemplate[] = [
  {
    key: "ed-chest-pain",
    type: "EMERGENCY",
    roles: ["EMERGENCY"],
    ages: [30, 90],
    write(c, f) {
      const p = c.patient;
      const hypertension = chance(f, 0.6);
      const familyHistory = chance(f, 0.4);
      // HEART score: moderately suspicious history (1), normal ECG (0), age, risk factors, normal troponin (0).
      const riskFactors = 1 + (hypertension ? 1 : 0) + (familyHistory ? 1 : 0);
      const heart = 1 + (p.years >= 65 ? 2 : p.years >= 45 ? 1 : 0) + (riskFactors >= 3 ? 2 : 1);
      return note([
        ...header("EMERGENCY DEPARTMENT PHYSICIAN NOTE", c),
        "CHIEF COMPLAINT: Chest pain.",
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} with ${hypertension ? "hypertension and " : ""}hyperlipidemia`,
          `presents with substernal chest pressure that began ${int(f, 2, 8)} hours ago at rest, ${int(f, 4, 7)}/10,`,
          "non-radiating,",
          `lasting ${pick(f, ["about 20 minutes", "on and off for an hour", "several minutes at a time"])},`,
          `now ${int(f, 0, 2)}/10.`,
          "Mild associated shortness of breath.",
          "No diaphoresis, syncope or pleuritic component.",
          "No history of coronary disease.",
          familyHistory
            ? paragraph(
                "Family history of myocardial infarction in",
                pick(f, ["father at 52.", "mother at 60.", "a brother at 48."]),
              )
            : "No family history of premature coronary disease.",
        ),
        "",
        "REVIEW OF SYSTEMS: Negative except as above.",
        "",
        "PHYSICAL EXAMINATION:",
        vitals(f, p, { systolic: [132, 158] }).text,
        "General: Anxious, no acute distress. Neck: No JVD. Heart: Regular rate and rhythm, no murmur, rub or gallop.",
        paragraph(
          "Lungs: Clear bilaterally.",
          "Chest wall: Nontender.",
          "Abdomen: Soft, nontender.",
          "Extremities: No edema, calves nontender.",
        ),
        "",
        "ED COURSE AND RESULTS:",
        paragraph(
          `ECG at triage, interpreted by me: normal sinus rhythm, rate ${int(f, 68, 92)}, normal axis,`,
          "no ST elevation or depression.",
        ),
        paragraph(
          `High-sensitivity troponin ${int(f, 3, 9)} ng/L at arrival and ${int(f, 3, 9)} ng/L at 2 hours`,
          "(below the 99th percentile, no significant delta).",
          "CBC and BMP unremarkable.",
          p.years < 50
            ? "D-dimer not indicated (PERC negative)."
            : `Wells score 0; D-dimer ${dec(f, 0.2, 0.45, 2)} mg/L FEU, negative.`,
        ),
        "Chest x-ray: No acute cardiopulmonary process.",
        "Aspirin 324 mg chewed. Pain resolved without nitroglycerin.",
        "",
        paragraph(
          "MEDICAL DECISION MAKING: Differential includes acute coronary syndrome, pulmonary embolism,",
          "aortic dissection, pneumothorax and gastroesophageal reflux.",
          "Serial troponins and ECG without ischemia.",
          `HEART score ${heart} (${heart <= 3 ? "low" : "moderate"} risk).`,
          "Independent interpretation of ECG and chest x-ray performed.",
        ),
        "",
        "DIAGNOSES:",
        "1. Chest pain, other (atypical chest pain), acute coronary syndrome ruled out.",
        ...(hypertension ? ["2. Essential hypertension.", "3. Hyperlipidemia."] : ["2. Hyperlipidemia."]),
        "",
        paragraph(
          "DISPOSITION:",
          heart <= 3
            ? "Discharged home in stable condition."
            : paragraph(
                "Observation offered; after shared decision-making given two negative troponins,",
                "discharged home in stable condition.",
              ),
          "Outpatient exercise stress test within 72 hours arranged with cardiology.",
          "Return immediately for recurrent or worsening pain.",
        ),
        signed(c),
      ]);
    },
  },
  {
    key: "ed-ankle-fracture",
    type: "EMERGENCY",
    roles: ["EMERGENCY"],
    ages: [8, 85],
    write(c, f) {
      const p = c.patient;
      const ankle = side(f);
      const mechanism = pick(f, [
        "stepped off a curb awkwardly",
        "missed the last step on the stairs at home",
        "rolled the ankle playing basketball",
        "slipped on wet leaves while walking the dog",
      ]);
      return note([
        ...header("EMERGENCY DEPARTMENT PHYSICIAN NOTE", c),
        `CHIEF COMPLAINT: ${capitalize(ankle)} ankle injury.`,
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} ${mechanism} ${int(f, 2, 6)} hours ago`,
          `with an inversion injury to the ${ankle} ankle.`,
          "Immediate pain and swelling, unable to bear weight.",
          "No head strike or loss of consciousness, no other injuries.",
          `Pain ${int(f, 6, 9)}/10.${companion(f, p)}`,
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vitals(f, p).text,
        paragraph(
          `${capitalize(ankle)} ankle: Swelling and ecchymosis over the lateral malleolus,`,
          "point tenderness at the posterior edge of the distal fibula.",
          "No medial tenderness.",
          "Proximal fibula nontender.",
          "Dorsalis pedis pulse 2+, capillary refill under 2 seconds, sensation intact.",
          "Skin intact.",
        ),
        "",
        paragraph(
          `IMAGING: ${capitalize(ankle)} ankle x-ray, three views, independently interpreted:`,
          "nondisplaced transverse fracture of the lateral malleolus below the syndesmosis.",
          "Mortise congruent.",
          "No other fracture.",
        ),
        "",
        paragraph(
          "ED COURSE: Ibuprofen and ice given with improvement.",
          "Posterior short-leg splint with stirrup applied by me; post-splint neurovascular check intact.",
          "Crutch training completed, non-weight-bearing.",
        ),
        "",
        "DIAGNOSES:",
        paragraph(
          `1. Nondisplaced fracture of the lateral malleolus of the ${ankle} fibula,`,
          "initial encounter for closed fracture.",
        ),
        `2. Mechanism: ${mechanism}.`,
        "",
        paragraph(
          "DISPOSITION: Discharged home.",
          "Elevate, ice, ibuprofen and acetaminophen as needed.",
          "Orthopaedic follow-up in 5-7 days.",
          "Return for numbness, color change or uncontrolled pain.",
        ),
        signed(c),
      ]);
    },
  },
  {
    key: "ed-laceration-repair",
    type: "EMERGENCY",
    roles: ["EMERGENCY"],
    ages: [2, 90],
    write(c, f) {
      const p = c.patient;
      const lengthCm = Number(dec(f, 1.5, 7.5));
      const layered = lengthCm > 4 && chance(f, 0.6);
      const site = pick(f, ["left forearm", "right forearm", "scalp", "chin", "left knee", "right palm"]);
      const cause = pick(f, [
        "a kitchen knife while cutting vegetables",
        "the edge of a coffee table after tripping",
        "broken glass while washing dishes",
        "a metal shelf in the garage",
      ]);
      const tetanus = p.years >= 7 && chance(f, 0.4);
      const immunization = tetanus
        ? "Last tetanus vaccine more than 10 years ago."
        : "Tetanus immunization up to date.";
      return note([
        ...header("EMERGENCY DEPARTMENT PHYSICIAN NOTE", c),
        `CHIEF COMPLAINT: Laceration to the ${site}.`,
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} sustained a laceration to the ${site}`,
          `from ${cause} about ${int(f, 2, 5)} hours ago.`,
          "Bleeding controlled with pressure.",
          "No numbness or weakness distal to the wound, no foreign body sensation.",
          `${immunization}${companion(f, p)}`,
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vitals(f, p).text,
        paragraph(
          `Wound: ${lengthCm.toFixed(1)} cm linear laceration of the ${site},`,
          layered
            ? "extending into the subcutaneous fat with gaping edges."
            : "through the dermis, edges well approximated with minimal gaping.",
          "No tendon, vessel or bone exposure; full range of motion and strength, sensation intact distally.",
        ),
        "",
        paragraph(
          `PROCEDURE: Laceration repair, ${layered ? "intermediate (layered)" : "simple"}.`,
          "Verbal consent obtained.",
          `Anesthesia with ${int(f, 3, 6)} mL 1% lidocaine with epinephrine.`,
          "Irrigated with 250 mL normal saline, explored in a bloodless field: no foreign body.",
          layered
            ? paragraph(
                `Deep layer closed with ${int(f, 2, 4)} buried 4-0 absorbable sutures;`,
                `skin closed with ${int(f, 5, 9)} simple interrupted 5-0 nylon sutures.`,
              )
            : `Closed with ${int(f, 3, 8)} ${site === "scalp" ? "staples" : "simple interrupted 5-0 nylon sutures"}.`,
          `Total repaired length ${lengthCm.toFixed(1)} cm.`,
          "Antibiotic ointment and dressing applied.",
          "No complications.",
        ),
        "",
        "DIAGNOSES:",
        `1. Laceration without foreign body of the ${site}, initial encounter.`,
        ...(tetanus ? ["2. Tdap vaccine administered for tetanus prophylaxis."] : []),
        "",
        paragraph(
          "DISPOSITION: Discharged home.",
          "Wound care instructions given.",
          `Suture removal in ${site === "scalp" ? "7-10" : site === "chin" ? "5" : "10-14"} days.`,
          "Return for redness, drainage or fever.",
        ),
        signed(c),
      ]);
    },
  },
  {
    key: "ed-asthma-exacerbation",
    type: "EMERGENCY",
    roles: ["EMERGENCY"],
    ages: [4, 60],
    write(c, f) {
      const p = c.patient;
      const spo2 = int(f, 90, 94);
      const persistence = pick(f, ["mild persistent", "moderate persistent"] as const);
      return note([
        ...header("EMERGENCY DEPARTMENT PHYSICIAN NOTE", c),
        "CHIEF COMPLAINT: Wheezing and shortness of breath.",
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} with ${persistence} asthma on`,
          persistence === "mild persistent" ? "low-dose inhaled fluticasone" : "budesonide/formoterol",
          `presents with ${int(f, 2, 4)} days of wheezing, chest tightness and cough after`,
          pick(f, ["a cold.", "exposure to a friend's cat.", "a sudden change in weather.", "mowing the lawn."]),
          `Used albuterol every ${int(f, 2, 4)} hours without lasting relief.`,
          "No fever.",
          "No prior intubations or ICU admissions;",
          `last oral steroids ${pick(f, ["a year ago", "6 months ago", "never"])}.${companion(f, p)}`,
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vitals(f, p, {
          respiratoryRate: p.years < 13 ? [28, 36] : [22, 28],
          heartRate: p.years < 13 ? [118, 140] : [100, 118],
          spo2: [spo2, spo2],
        }).text,
        paragraph(
          "General: Moderate respiratory distress, speaking in short sentences.",
          "Lungs: Diffuse expiratory wheezes, prolonged expiration, subcostal retractions.",
          "No stridor.",
          "Heart: Tachycardic, regular.",
        ),
        "",
        paragraph(
          "ED COURSE: Albuterol/ipratropium nebulizers x3",
          `and dexamethasone ${p.years < 13 ? "0.6 mg/kg" : "16 mg"} orally.`,
          "After treatment: minimal end-expiratory wheeze, no retractions,",
          p.years >= 6
            ? paragraph(
                `SpO2 ${int(f, 96, 98)}% on room air,`,
                `peak flow improved from ${int(f, 35, 50)}% to ${int(f, 70, 85)}% of predicted.`,
              )
            : `SpO2 ${int(f, 96, 98)}% on room air.`,
          "Observed 2 hours without recurrence.",
        ),
        "",
        "DIAGNOSES:",
        `1. ${capitalize(persistence)} asthma with acute exacerbation.`,

        "",
        paragraph(
          "DISPOSITION: Discharged home.",
          "Albuterol every 4 hours for 2 days then as needed; second dexamethasone dose tomorrow.",
          "Follow up with primary care in 2-3 days; asthma action plan reviewed.",
        ),
        signed(c),
      ]);
    },
  },
  {
    key: "ed-renal-colic",
    type: "EMERGENCY",
    roles: ["EMERGENCY"],
    ages: [20, 75],
    write(c, f) {
      const p = c.patient;
      const flank = side(f);
      const sizeMm = int(f, 3, 6);
      const hydronephrosis = chance(f, 0.6);
      return note([
        ...header("EMERGENCY DEPARTMENT PHYSICIAN NOTE", c),
        `CHIEF COMPLAINT: ${capitalize(flank)} flank pain.`,
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} with sudden-onset colicky ${flank} flank pain`,
          `radiating to the groin since ${pick(f, ["early this morning", "3 hours ago", "last night"])}, 9/10,`,
          "with nausea and two episodes of emesis.",
          "Noted darker urine.",
          "No fever, dysuria or prior stones.",
          p.sex === "F" ? "Pregnancy test negative." : "",
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vitals(f, p, { heartRate: [92, 108], systolic: [138, 156] }).text,
        paragraph(
          "General: Writhing, unable to find a comfortable position.",
          `Abdomen: Soft, mild ${flank} lower quadrant tenderness, no peritoneal signs.`,
          `Back: ${capitalize(flank)} costovertebral angle tenderness.`,
        ),
        "",
        "RESULTS:",
        paragraph(
          `Urinalysis: large blood, ${int(f, 20, 50)}+ RBC/hpf, no leukocyte esterase or nitrite, no bacteria.`,
          `Creatinine ${dec(f, 0.8, 1.2, 2)} mg/dL.`,
          `WBC ${dec(f, 7.0, 11.5)} K/uL.`,
        ),
        paragraph(
          "CT abdomen/pelvis without contrast (stone protocol):",
          `${sizeMm} mm calculus at the ${flank} ureterovesical junction`,
          hydronephrosis ? "with mild hydronephrosis and perinephric stranding." : "without hydronephrosis.",
          "No other acute findings.",
        ),
        "",
        paragraph(
          "ED COURSE: Ketorolac 15 mg IV, ondansetron 4 mg IV and 1 L normal saline",
          `with pain improved to ${int(f, 1, 3)}/10.`,
          "Tolerating oral fluids.",
        ),
        "",
        "DIAGNOSES:",
        hydronephrosis
          ? `1. Hydronephrosis with ${flank} ureteral calculous obstruction (${sizeMm} mm UVJ stone).`
          : `1. Calculus of the ${flank} ureter (${sizeMm} mm UVJ stone).`,
        "2. Nausea with vomiting.",
        "",
        paragraph(
          "DISPOSITION: Discharged home with tamsulosin 0.4 mg daily, ibuprofen and ondansetron; strain urine.",
          "Urology follow-up in 1 week.",
          "Return for fever, uncontrolled pain or vomiting.",
        ),
        signed(c),
      ]);
    },
  },
  {
    key: "ed-concussion",
    type: "EMERGENCY",
    roles: ["EMERGENCY"],
    ages: [6, 85],
    write(c, f) {
      const p = c.patient;
      const lostConsciousness = chance(f, 0.35);
      const cause =
        p.years < 25
          ? pick(f, ["a collision during a soccer game", "a fall from a skateboard", "a tackle at football practice"])
          : pick(f, [
              "a fall from a step stool at home",
              "a slip and fall on ice in a parking lot",
              "a fall down three stairs at home",
            ]);
      return note([
        ...header("EMERGENCY DEPARTMENT PHYSICIAN NOTE", c),
        "CHIEF COMPLAINT: Head injury.",
        "",
        paragraph(
          `HISTORY OF PRESENT ILLNESS: ${p.description} struck the`,
          pick(f, ["left forehead", "back of the head", "right temple"]),
          `in ${cause} ${int(f, 2, 6)} hours ago.`,
          lostConsciousness
            ? `Witnesses report loss of consciousness for about ${int(f, 2, 5)} minutes.`
            : "No loss of consciousness.",
          'Since then has headache, mild nausea and feels "foggy".',
          "No vomiting, seizure, weakness or vision change.",
          `Not on anticoagulants.${companion(f, p)}`,
        ),
        "",
        "PHYSICAL EXAMINATION:",
        vitals(f, p).text,
        paragraph(
          `Head: ${int(f, 2, 4)} cm hematoma without laceration or step-off.`,
          "GCS 15. Neuro: Alert and oriented x3, repeats events of the day with some gaps.",
          "Pupils equal and reactive.",
          "Cranial nerves intact.",
          "Strength and sensation normal.",
          "Finger-to-nose normal; tandem gait mildly unsteady.",
          "C-spine: No midline tenderness, full painless range of motion (NEXUS negative).",
        ),
        "",
        lostConsciousness || p.years >= 65
          ? "IMAGING: CT head without contrast: no intracranial hemorrhage, no fracture."
          : "IMAGING: CT head not indicated by clinical decision rule.",
        "",
        paragraph(
          "ED COURSE: Acetaminophen and ondansetron with improvement.",
          "Observed 3 hours; tolerating food, ambulating steadily at discharge.",
        ),
        "",
        "DIAGNOSES:",
        paragraph(
          "1. Concussion",
          lostConsciousness ? "with loss of consciousness of 30 minutes or less," : "without loss of consciousness,",
          "initial encounter.",
        ),
        "2. Contusion of the scalp, initial encounter.",
        "",
        paragraph(
          "DISPOSITION: Discharged home with a responsible adult.",
          "Cognitive and physical rest for 48 hours,",
          `then gradual return${p.years < 25 ? "; no sports until cleared by primary care" : ""}.`,
          "Return for worsening headache, repeated vomiting, confusion or weakness.",
        ),
        signed(c),
      ]);
    },
  },
];

const INPATIENT: NoteTemplate[] = [
  {
    key: "inpatient-appendicitis-appendectomy",
    type: "INPATIENT",
    roles: ["SURGERY"],
    ages: [6, 75],
    lengthOfStay: [1, 3],
    write(c, f) {
      const p = c.patient;
      const peritonitis = chance(f, 0.35);
      return note([
        ...inpatientHeader("DISCHARGE SUMMARY - GENERAL SURGERY", c),
        paragraph(
          "PRINCIPAL DIAGNOSIS: Acute appendicitis",
          peritonitis
            ? "with localized peritonitis, without perforation or gangrene."
            : "without perforation, gangrene or peritonitis.",
        ),
        "PROCEDURE: Laparoscopic appendectomy on the day of admission.",
        "",
        paragraph(
          `HISTORY: ${p.description} presented to the emergency department with ${int(f, 12, 36)} hours of`,
          "periumbilical pain migrating to the right lower quadrant, anorexia,",
          `nausea and fever to ${dec(f, 100.4, 101.8)} °F.`,
          "Exam showed right lower quadrant tenderness with",
          peritonitis ? "guarding and rebound tenderness." : "tenderness at McBurney's point, no rebound.",
          `WBC ${dec(f, 12.5, 18.9)} K/uL with ${int(f, 78, 89)}% neutrophils.`,
          `${p.years < 18 ? "Ultrasound" : "CT abdomen/pelvis with contrast"} showed a dilated,`,
          `thick-walled appendix (${int(f, 9, 14)} mm) with periappendiceal fat stranding, no abscess or free air.`,
        ),
        "",
        paragraph(
          "OPERATIVE SUMMARY: Under general anesthesia, three-port laparoscopic appendectomy.",
          "Findings:",
          peritonitis
            ? paragraph(
                "inflamed appendix with fibrinous exudate and turbid fluid confined to the right lower quadrant,",
                "irrigated and suctioned.",
              )
            : "acutely inflamed, nonperforated appendix.",
          "Base divided with an endoscopic stapler; specimen removed in a retrieval bag.",
          `Estimated blood loss ${int(f, 5, 25)} mL.`,
          "No complications.",
        ),
        "",
        paragraph(
          peritonitis
            ? paragraph(
                "HOSPITAL COURSE: Received cefoxitin preoperatively",
                "and piperacillin-tazobactam for 24 hours postoperatively.",
              )
            : "HOSPITAL COURSE: Received cefoxitin preoperatively.",
          `Diet advanced on postoperative day ${peritonitis ? 1 : 0}, pain controlled with oral medications,`,
          "ambulating and voiding.",
          "Pathology: acute suppurative appendicitis, no neoplasm.",
        ),
        "",
        "DISCHARGE CONDITION: Stable. Afebrile, incisions clean and dry.",
        paragraph(
          "DISCHARGE MEDICATIONS: Acetaminophen 1 g every 6 hours as needed,",
          `ibuprofen ${p.years < 18 ? "weight-based" : "600 mg"}`,
          `every 6 hours as needed${peritonitis ? ", amoxicillin-clavulanate for 4 more days" : ""}.`,
        ),
        "DISPOSITION: Home. No lifting over 10 lb for 2 weeks. Surgery clinic in 2 weeks.",
        signed(c, c.dischargeDate ?? c.serviceDate),
      ]);
    },
  },
  {
    key: "inpatient-heart-failure-exacerbation",
    type: "INPATIENT",
    roles: ["HOSPITALIST"],
    ages: [55, 95],
    lengthOfStay: [3, 6],
    write(c, f) {
      const p = c.patient;
      const reduced = chance(f, 0.55);
      const ef = reduced ? int(f, 20, 35) : int(f, 52, 62);
      const ckd = chance(f, 0.45);
      const netLiters = dec(f, 3.2, 7.5);
      const kind = reduced
        ? "systolic (congestive) heart failure with reduced ejection fraction"
        : "diastolic (congestive) heart failure with preserved ejection fraction";
      return note([
        ...inpatientHeader("DISCHARGE SUMMARY - HOSPITAL MEDICINE", c),
        paragraph(
          `PRINCIPAL DIAGNOSIS: Acute on chronic ${kind}, due to`,
          ckd ? "hypertensive heart and chronic kidney disease." : "hypertensive heart disease.",
        ),
        paragraph(
          `SECONDARY DIAGNOSES: ${ckd ? "Chronic kidney disease stage 3b" : "Essential hypertension"};`,
          "type 2 diabetes mellitus without complications; hyperlipidemia;",
          chance(f, 0.4) ? "hypokalemia (resolved)." : "obesity.",
        ),
        "",
        paragraph(
          `HISTORY: ${p.description} with known heart failure (EF ${ef}%) presented with ${int(f, 4, 10)} days of`,
          "progressive dyspnea on exertion, 3-pillow orthopnea, paroxysmal nocturnal dyspnea",
          `and a ${int(f, 3, 6)} kg weight gain`,
          pick(f, ["after running out of furosemide.", "after a salty holiday meal.", "without a clear trigger."]),
          `On arrival SpO2 ${int(f, 86, 90)}% on room air, bilateral crackles to the mid-lung fields,`,
          "JVD to the angle of the jaw, 2+ pitting edema to the knees.",
          `BNP ${int(f, 900, 3200)} pg/mL.`,
          "Troponin flat and low.",
          "Chest x-ray: cardiomegaly, pulmonary vascular congestion and small bilateral effusions.",
          ckd
            ? `Creatinine ${dec(f, 1.6, 2.1, 2)} mg/dL (baseline 1.7), eGFR ${int(f, 31, 43)}.`
            : `Creatinine ${dec(f, 0.9, 1.2, 2)} mg/dL.`,
        ),
        "",
        paragraph(
          "HOSPITAL COURSE: Treated with IV furosemide 40-80 mg twice daily",
          `with net negative ${netLiters} L and weight down ${int(f, 3, 6)} kg.`,
          "Supplemental oxygen 2 L by nasal cannula weaned to room air by hospital day 2.",
          `Echocardiogram: LVEF ${ef}%${reduced ? ", global hypokinesis" : ", grade II diastolic dysfunction"}.`,
          "Potassium repleted.",
          reduced
            ? "Started sacubitril-valsartan and continued carvedilol; spironolactone added."
            : "Blood pressure optimized; empagliflozin started.",
          "Daily weights and 2 g sodium diet teaching completed.",
        ),
        "",
        "DISCHARGE CONDITION: Stable, euvolemic, SpO2 95% on room air.",
        paragraph(
          "DISCHARGE MEDICATIONS: Furosemide 40 mg daily,",
          reduced
            ? paragraph(
                "carvedilol 12.5 mg twice daily, sacubitril-valsartan 24/26 mg twice daily,",
                "spironolactone 12.5 mg daily,",
              )
            : "amlodipine 5 mg daily, empagliflozin 10 mg daily,",
          "metformin, atorvastatin.",
        ),
        paragraph(
          "DISPOSITION: Home with home health nursing.",
          "Heart failure clinic in 7 days; BMP in 3-5 days.",
          "Call for weight gain over 1 kg in a day or 2 kg in a week.",
        ),
        signed(c, c.dischargeDate ?? c.serviceDate),
      ]);
    },
  },
  {
    key: "inpatient-pneumonia",
    type: "INPATIENT",
    roles: ["HOSPITALIST"],
    ages: [18, 95],
    lengthOfStay: [2, 5],
    write(c, f) {
      const p = c.patient;
      const lobe = pick(f, ["right lower lobe", "left lower lobe", "right middle lobe"]);
      const hypoxic = chance(f, 0.45);
      const pneumococcal = chance(f, 0.35);
      const respiratoryRate = int(f, 24, 32);
      const bun = int(f, 16, 34);
      // CURB-65 from what the note states: no confusion, urea, respiratory rate, (blood pressure normal), age.
      const curb65 = (bun > 19 ? 1 : 0) + (respiratoryRate >= 30 ? 1 : 0) + (p.years >= 65 ? 1 : 0);
      const comorbidity = pick(f, [
        "essential hypertension",
        "type 2 diabetes mellitus",
        "gastroesophageal reflux disease",
      ]);
      const secondary = [...(hypoxic ? ["acute respiratory failure with hypoxia"] : []), comorbidity, "dehydration"];
      return note([
        ...inpatientHeader("DISCHARGE SUMMARY - HOSPITAL MEDICINE", c),
        paragraph(
          "PRINCIPAL DIAGNOSIS:",
          pneumococcal
            ? "Pneumonia due to Streptococcus pneumoniae,"
            : "Community-acquired pneumonia, organism unspecified,",
          `${lobe}.`,
        ),
        `SECONDARY DIAGNOSES: ${capitalize(secondary.join("; "))}.`,
        "",
        paragraph(
          `HISTORY: ${p.description} presented with ${int(f, 3, 6)} days of fever to ${dec(f, 101.2, 103.1)} °F,`,
          "rigors, cough productive of rust-colored sputum and pleuritic",
          `${lobe.startsWith("left") ? "left" : "right"}-sided chest pain.`,
          `On arrival RR ${respiratoryRate}, HR ${int(f, 104, 118)}, BP ${int(f, 108, 132)}/${int(f, 64, 80)},`,
          hypoxic
            ? paragraph(
                `SpO2 ${int(f, 84, 88)}% on room air requiring 4 L nasal cannula to keep saturation above 92%,`,
                "with increased work of breathing.",
              )
            : `SpO2 ${int(f, 92, 94)}% on room air.`,
          `Crackles and bronchial breath sounds over the ${lobe}.`,
          `WBC ${dec(f, 14.0, 21.5)} K/uL, procalcitonin ${dec(f, 0.8, 4.5, 2)} ng/mL,`,
          `lactate ${dec(f, 1.1, 1.9)} mmol/L, BUN ${bun} mg/dL.`,
          "Alert and oriented.",
          `Chest x-ray: ${lobe} consolidation.`,
          `CURB-65 score ${curb65}.`,
        ),
        "",
        paragraph(
          "HOSPITAL COURSE: Blood cultures drawn before ceftriaxone 1 g IV daily and azithromycin 500 mg daily.",
          pneumococcal
            ? paragraph(
                "Urine pneumococcal antigen positive;",
                "sputum culture grew Streptococcus pneumoniae sensitive to ceftriaxone.",
              )
            : "Blood and sputum cultures without growth; urine antigens negative.",
          "IV fluids for dehydration.",
          hypoxic
            ? "Oxygen weaned off by hospital day 3; ambulatory saturation 93% on room air at discharge."
            : "Remained on room air.",
          "Afebrile for more than 48 hours before discharge and tolerating diet.",
        ),
        "",
        "DISCHARGE CONDITION: Improved and stable.",
        paragraph(
          "DISCHARGE MEDICATIONS:",
          `${pneumococcal ? "Amoxicillin 1 g three times daily" : "Cefpodoxime 200 mg twice daily"} to complete 5 days`,
          "of therapy; benzonatate as needed for cough.",
        ),
        paragraph(
          "DISPOSITION: Home.",
          "Primary care follow-up in 1 week; repeat chest x-ray in 6-8 weeks.",
          "Pneumococcal vaccine recommended after recovery.",
        ),
        signed(c, c.dischargeDate ?? c.serviceDate),
      ]);
    },
  },
  {
    key: "inpatient-ischemic-stroke",
    type: "INPATIENT",
    roles: ["NEUROLOGY"],
    ages: [55, 95],
    lengthOfStay: [3, 7],
    write(c, f) {
      const p = c.patient;
      const nihss = int(f, 3, 9);
      const dysphagia = chance(f, 0.5);
      return note([
        ...inpatientHeader("DISCHARGE SUMMARY - NEUROLOGY", c),
        paragraph(
          "PRINCIPAL DIAGNOSIS: Acute ischemic cerebral infarction",
          "due to thrombosis of the right middle cerebral artery.",
        ),
        paragraph(
          "SECONDARY DIAGNOSES: Left-sided hemiparesis (nondominant side);",
          `${dysphagia ? "oropharyngeal dysphagia; " : ""}dysarthria; essential hypertension; hyperlipidemia;`,
          pick(f, ["type 2 diabetes mellitus.", "tobacco use (current cigarette smoker).", "obesity."]),
        ),
        "",
        paragraph(
          `HISTORY: ${p.description}, right-handed, was last known well at ${int(f, 7, 10)} p.m.`,
          "and awoke with left arm and leg weakness and slurred speech.",
          "Arrived outside the thrombolysis window;",
          "no large vessel occlusion amenable to thrombectomy on CT angiography.",
          `Initial NIH Stroke Scale score ${nihss}.`,
          `Blood pressure ${int(f, 168, 192)}/${int(f, 90, 104)}, permissive hypertension allowed for 48 hours.`,
        ),
        "",
        paragraph(
          "HOSPITAL COURSE: MRI brain: acute infarct in the right corona radiata and insular cortex,",
          "right MCA territory.",
          `CTA: ${int(f, 50, 70)}% atherosclerotic stenosis of the right MCA M1 segment;`,
          "carotids without significant stenosis.",
          "Telemetry without atrial fibrillation.",
          "Echocardiogram with bubble study: no thrombus or shunt.",
          `LDL ${int(f, 118, 164)} mg/dL, A1c ${dec(f, 5.8, 7.9)}%.`,
          "Started aspirin 81 mg plus clopidogrel 75 mg for 21 days and atorvastatin 80 mg.",
          dysphagia
            ? "Failed bedside swallow screen; speech therapy advanced to mechanical soft diet with thin liquids."
            : "Passed swallow screen; regular diet.",
          "PT/OT/SLP evaluated.",
          `Discharge NIHSS ${Math.max(1, nihss - int(f, 1, 3))}.`,
        ),
        "",
        paragraph(
          "DISCHARGE CONDITION: Stable; left hand grip 4/5, left leg 4+/5,",
          "walks with a rolling walker and standby assistance.",
        ),
        paragraph(
          "DISCHARGE MEDICATIONS: Aspirin 81 mg daily, clopidogrel 75 mg daily for 21 days, atorvastatin 80 mg daily,",
          "lisinopril 10 mg daily starting after the permissive hypertension period.",
        ),
        "DISPOSITION: Discharged to an inpatient rehabilitation facility. Neurology stroke clinic in 4-6 weeks.",
        signed(c, c.dischargeDate ?? c.serviceDate),
      ]);
    },
  },
  {
    key: "inpatient-hip-fracture-fixation",
    type: "INPATIENT",
    roles: ["ORTHOPAEDICS"],
    ages: [65, 95],
    lengthOfStay: [3, 6],
    write(c, f) {
      const p = c.patient;
      const hip = side(f);
      const anemia = chance(f, 0.5);
      const comorbidity = pick(f, ["osteoporosis", "essential hypertension", "chronic kidney disease stage 3a"]);
      return note([
        ...inpatientHeader("DISCHARGE SUMMARY - ORTHOPAEDIC SURGERY", c),
        paragraph(
          `PRINCIPAL DIAGNOSIS: Displaced intertrochanteric fracture of the ${hip} femur,`,
          "initial encounter for closed fracture.",
        ),
        paragraph(
          "SECONDARY DIAGNOSES: Fall on the same level from slipping on a wet bathroom floor at home;",
          `${anemia ? "acute blood loss anemia; " : ""}${comorbidity}.`,
        ),
        `PROCEDURE: Cephalomedullary nail fixation of the intertrochanteric fracture, ${hip} femur, on hospital day 1.`,
        "",
        paragraph(
          `HISTORY: ${p.description} slipped in the bathroom at home and fell onto the ${hip} hip,`,
          "unable to stand afterward.",
          "No head strike or loss of consciousness.",
          `${capitalize(hip)} leg shortened and externally rotated.`,
          "X-ray: displaced, comminuted intertrochanteric fracture.",
          "Medically optimized by hospital medicine.",
        ),
        "",
        paragraph(
          "HOSPITAL COURSE: Surgery under spinal anesthesia without complication,",
          `estimated blood loss ${int(f, 150, 350)} mL.`,
          anemia
            ? paragraph(
                `Postoperative hemoglobin fell to ${dec(f, 7.2, 7.9)} g/dL from ${dec(f, 11.8, 13.2)} g/dL;`,
                "transfused 1 unit packed red blood cells with appropriate response.",
              )
            : `Postoperative hemoglobin ${dec(f, 9.6, 10.8)} g/dL, stable.`,
          "Enoxaparin for VTE prophylaxis.",
          "Weight bearing as tolerated with physical therapy from postoperative day 1.",
          `Vitamin D level ${int(f, 14, 26)} ng/mL; supplementation started.`,
        ),
        "",
        "DISCHARGE CONDITION: Stable, pain controlled on oral medication, ambulating 40 feet with a walker.",
        paragraph(
          "DISCHARGE MEDICATIONS: Enoxaparin 40 mg daily for 4 weeks, acetaminophen 1 g every 8 hours,",
          "oxycodone 5 mg every 6 hours as needed, vitamin D3 2000 units daily, calcium carbonate, docusate.",
        ),
        paragraph(
          "DISPOSITION: Skilled nursing facility for rehabilitation.",
          "Orthopaedic clinic in 2 weeks for staple removal; osteoporosis evaluation with primary care.",
        ),
        signed(c, c.dischargeDate ?? c.serviceDate),
      ]);
    },
  },
];

const OUTPATIENT: NoteTemplate[] = [
  {
    key: "outpatient-colonoscopy",
    type: "OUTPATIENT",
    roles: ["SURGERY"],
    ages: [45, 80],
    write(c, f) {
      const p = c.patient;
      const finding = pick(f, ["none", "polyp", "polyps"] as const);
      const sizeMm = int(f, 4, 12);
      const bbps = int(f, 7, 9);
      return note([
        ...header("COLONOSCOPY PROCEDURE REPORT - HOSPITAL OUTPATIENT ENDOSCOPY", c),
        `PATIENT: ${p.description}.`,
        paragraph(
          "INDICATION: Screening colonoscopy, average risk.",
          pick(f, [
            "No prior colonoscopy.",
            "Last colonoscopy 10 years ago, normal.",
            "No family history of colorectal cancer.",
          ]),
        ),
        `SEDATION: Monitored anesthesia care with propofol administered by anesthesia.`,
        "",
        paragraph(
          "PROCEDURE: After informed consent, the colonoscope was inserted into the rectum and advanced to the cecum,",
          "identified by the appendiceal orifice and ileocecal valve.",
          `Withdrawal time ${int(f, 8, 14)} minutes.`,
          `Boston Bowel Prep Scale ${bbps} (adequate).`,
        ),
        "",
        "FINDINGS:",
        finding === "none"
          ? "- No polyps or masses throughout the colon."
          : finding === "polyp"
            ? paragraph(
                `- One ${sizeMm} mm sessile polyp in the`,
                `${pick(f, ["sigmoid colon", "ascending colon", "transverse colon"])},`,
                "removed completely with a cold snare and retrieved.",
              )
            : paragraph(
                `- Three diminutive (${int(f, 2, 4)}-${int(f, 5, 6)} mm) polyps in the`,
                `${pick(f, ["rectosigmoid", "descending colon"])}, removed with cold biopsy forceps and retrieved.`,
              ),
        pick(f, [
          "- Scattered sigmoid diverticulosis without bleeding.",
          "- Small nonbleeding internal hemorrhoids on retroflexion.",
          "- Otherwise normal mucosa.",
        ]),
        "Estimated blood loss minimal. No complications.",
        "",
        "IMPRESSION:",
        finding === "none"
          ? "1. Encounter for screening for malignant neoplasm of the colon; normal colonoscopy."
          : "1. Screening colonoscopy with colon polyp(s) removed; pathology pending.",
        "",
        paragraph(
          "RECOMMENDATIONS:",
          finding === "none"
            ? "Repeat screening colonoscopy in 10 years."
            : "Await pathology; surveillance interval 3-10 years based on histology.",
          "Resume diet and home medications.",
          "Discharged home with escort after recovery.",
        ),
        signed(c),
      ]);
    },
  },
  {
    key: "outpatient-knee-arthroscopy",
    type: "OUTPATIENT",
    roles: ["ORTHOPAEDICS"],
    ages: [18, 70],
    write(c, f) {
      const p = c.patient;
      const knee = side(f);
      const chondroplasty = chance(f, 0.4);
      const chondroplastyStep = chondroplasty
        ? " Unstable chondral flaps on the medial femoral condyle debrided with the shaver to a stable edge."
        : "";
      return note([
        ...header("OPERATIVE REPORT - HOSPITAL OUTPATIENT SURGERY", c),
        `PATIENT: ${p.description}.`,
        `PREOPERATIVE DIAGNOSIS: Tear of the medial meniscus, ${knee} knee.`,
        paragraph(
          "POSTOPERATIVE DIAGNOSIS: Complex tear of the posterior horn of the medial meniscus,",
          `${knee} knee${chondroplasty ? "; grade III chondromalacia of the medial femoral condyle" : ""}.`,
        ),
        paragraph(
          `PROCEDURE: ${capitalize(knee)} knee arthroscopy`,
          `with partial medial meniscectomy${chondroplasty ? " and chondroplasty of the medial femoral condyle" : ""}.`,
        ),
        paragraph(
          "ANESTHESIA: General with laryngeal mask airway;",
          `${int(f, 20, 30)} mL 0.25% bupivacaine injected into the portals.`,
        ),
        "",
        paragraph(
          `INDICATIONS: ${int(f, 2, 8)} months of medial knee pain with catching and locking after a twisting injury`,
          pick(f, ["playing pickleball.", "at work.", "on a hike."]),
          "MRI confirmed a medial meniscus tear.",
          "Failed physical therapy and NSAIDs.",
        ),
        "",
        paragraph(
          `DESCRIPTION: Time-out performed; ${knee} knee marked and confirmed.`,
          "Standard anterolateral and anteromedial portals.",
          "Diagnostic arthroscopy: suprapatellar pouch normal, patellofemoral compartment with mild softening,",
          "ACL and PCL intact, lateral compartment normal.",
          "Medial compartment: complex tear of the posterior horn,",
          "debrided with basket forceps and shaver to a stable rim,",
          `removing about ${int(f, 20, 40)}% of the posterior horn.${chondroplastyStep}`,
          "Portals closed with nylon sutures; sterile dressing and cryotherapy applied.",
        ),
        "",
        `Estimated blood loss minimal. Tourniquet not used. Tolerated well, to recovery in stable condition.`,
        paragraph(
          "DISPOSITION: Discharged home the same day, weight bearing as tolerated with crutches as needed.",
          "Physical therapy in 1 week.",
          "Clinic in 10-14 days.",
        ),
        signed(c),
      ]);
    },
  },
  {
    key: "outpatient-laparoscopic-cholecystectomy",
    type: "OUTPATIENT",
    roles: ["SURGERY"],
    ages: [25, 75],
    write(c, f) {
      const p = c.patient;
      const cholangiogram = chance(f, 0.3);
      const cholangiography = cholangiogram
        ? " Cholangiogram through the cystic duct showed free flow into the duodenum without filling defects."
        : "";
      return note([
        ...header("OPERATIVE REPORT - HOSPITAL OUTPATIENT SURGERY", c),
        `PATIENT: ${p.description}.`,
        "PREOPERATIVE DIAGNOSIS: Symptomatic cholelithiasis.",
        "POSTOPERATIVE DIAGNOSIS: Chronic calculous cholecystitis.",
        `PROCEDURE: Laparoscopic cholecystectomy${cholangiogram ? " with intraoperative cholangiogram" : ""}.`,
        "ANESTHESIA: General endotracheal.",
        "",
        paragraph(
          `INDICATIONS: ${int(f, 3, 12)} months of postprandial right upper quadrant pain after fatty meals.`,
          `Ultrasound: multiple gallstones, gallbladder wall ${dec(f, 3.0, 4.5)} mm,`,
          `common bile duct ${int(f, 4, 6)} mm.`,
          cholangiogram ? "Mildly elevated alkaline phosphatase preoperatively." : "Liver tests normal.",
        ),
        "",
        paragraph(
          "DESCRIPTION: Four-port technique after Veress needle insufflation.",
          "Gallbladder thick-walled with omental adhesions, taken down bluntly.",
          `Critical view of safety achieved: cystic duct and cystic artery clearly identified.${cholangiography}`,
          "Cystic duct and artery clipped and divided;",
          "gallbladder removed from the liver bed with electrocautery",
          "and extracted in a bag through the umbilical port.",
          "Hemostasis confirmed.",
          "Fascia closed at the umbilicus; skin closed with subcuticular absorbable suture.",
        ),
        "",
        `Estimated blood loss ${int(f, 10, 40)} mL. No complications. Specimen: gallbladder with stones to pathology.`,
        paragraph(
          "DISPOSITION: Observed in recovery, tolerated liquids, discharged home the same day.",
          "Low-fat diet for 1 week, no lifting over 15 lb for 2 weeks.",
          "Clinic in 2 weeks.",
        ),
        signed(c),
      ]);
    },
  },
  {
    key: "outpatient-carpal-tunnel-release",
    type: "OUTPATIENT",
    roles: ["ORTHOPAEDICS"],
    ages: [30, 80],
    write(c, f) {
      const p = c.patient;
      const hand = side(f);
      return note([
        ...header("OPERATIVE REPORT - HOSPITAL OUTPATIENT SURGERY", c),
        `PATIENT: ${p.description}.`,
        `DIAGNOSIS: Carpal tunnel syndrome, ${hand} upper limb.`,
        `PROCEDURE: Open carpal tunnel release (median nerve decompression at the carpal tunnel), ${hand} wrist.`,
        "ANESTHESIA: Local with monitored anesthesia care.",
        "",
        paragraph(
          `INDICATIONS: ${int(f, 6, 24)} months of numbness and tingling in the ${hand} thumb,`,
          `index and middle fingers, waking ${p.obj} at night, with weak grip.`,
          "Positive Phalen and Tinel signs.",
          `Nerve conduction study: ${pick(f, ["moderate", "moderate to severe"])} median neuropathy at the wrist.`,
          "Failed night splinting and a corticosteroid injection.",
        ),
        "",
        paragraph(
          "DESCRIPTION: Upper arm tourniquet inflated to 250 mmHg.",
          `A ${dec(f, 2.5, 3.5)} cm longitudinal incision was made in the palm`,
          "in line with the radial border of the ring finger.",
          "The palmar fascia was divided, and the transverse carpal ligament was released completely",
          "under direct vision, protecting the median nerve and its recurrent motor branch.",
          `The nerve appeared ${pick(f, ["hyperemic and flattened", "mildly compressed"])}.`,
          "Skin closed with 4-0 nylon horizontal mattress sutures; bulky dressing and volar splint applied.",
          `Tourniquet time ${int(f, 12, 20)} minutes.`,
        ),
        "",
        "No complications. Neurovascularly intact in recovery.",
        paragraph(
          "DISPOSITION: Discharged home the same day.",
          "Elevate, finger range of motion exercises.",
          "Suture removal at 10-14 days.",
        ),
        signed(c),
      ]);
    },
  },
  {
    key: "outpatient-left-heart-catheterization",
    type: "OUTPATIENT",
    roles: ["CARDIOLOGY"],
    ages: [45, 85],
    write(c, f) {
      const p = c.patient;
      const lesion = int(f, 30, 60);
      return note([
        ...header("CARDIAC CATHETERIZATION REPORT - HOSPITAL OUTPATIENT", c),
        `PATIENT: ${p.description}.`,
        paragraph(
          `INDICATION: Exertional chest pressure for ${int(f, 2, 6)} months;`,
          "nuclear stress test with a small reversible",
          `${pick(f, ["anterior", "inferior", "lateral"])} perfusion defect.`,
        ),
        "PROCEDURE: Left heart catheterization, selective coronary angiography and left ventriculography.",
        paragraph(
          "ACCESS: Right radial artery, 6 French, ultrasound guided.",
          "Moderate sedation with midazolam and fentanyl administered by a nurse under my supervision;",
          "intraservice time 34 minutes with independent trained observer.",
        ),
        "",
        "FINDINGS:",
        "- Left main: Normal.",
        paragraph(
          `- Left anterior descending: ${lesion}% stenosis in the mid segment;`,
          "FFR not performed given nonobstructive appearance.",
        ),
        paragraph(
          "- Left circumflex: Mild luminal irregularities.",
          `Right coronary artery: Dominant, ${int(f, 10, 30)}% proximal stenosis.`,
        ),
        `- Left ventriculogram: LVEF ${int(f, 55, 65)}%, no wall motion abnormality. LVEDP ${int(f, 10, 16)} mmHg.`,
        "",
        "IMPRESSION:",
        "1. Nonobstructive coronary artery disease of the native coronary arteries with stable angina.",
        "2. Preserved left ventricular function.",
        "",
        paragraph(
          "PLAN: Medical therapy: aspirin 81 mg daily, atorvastatin 80 mg daily, metoprolol succinate 25 mg daily,",
          "sublingual nitroglycerin as needed.",
          "Radial band removed after 2 hours with hemostasis.",
          "Discharged home the same day; cardiology clinic in 2 weeks.",
        ),
        signed(c),
      ]);
    },
  },
];

export const NOTE_TEMPLATES: readonly NoteTemplate[] = [...PROFESSIONAL, ...EMERGENCY, ...INPATIENT, ...OUTPATIENT];
