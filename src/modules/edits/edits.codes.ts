import type { CodeSystem, PatientFacts } from "../codesets/index.js";
import type { EncounterType } from "../encounters/index.js";

/**
 * Present on admission: Y yes, N no, U documentation insufficient,
 * W clinically undetermined, 1 exempt from reporting.
 */
export type PresentOnAdmission = "Y" | "N" | "U" | "W" | "1";
export type Severity = "ERROR" | "WARNING";

/** What the edits of an encounter's codes depend on besides the codes. */
export interface CodingFacts {
  encounterType: EncounterType;
  /** The admission date for an inpatient stay. */
  serviceDate: string;
  /** Inpatient only. */
  dischargeDate: string | null;
  patient: PatientFacts;
}

/** A diagnosis in stored form (upper case, no dot); its position in the list is its sequence. */
export interface DiagnosisEntry {
  code: string;
  presentOnAdmission: PresentOnAdmission | null;
  /**
   * Codes (stored form) of other diagnoses that an Excludes1 note bars beside this one and that the coder
   * states are unrelated conditions: the pair is then a WARNING. Absent: none.
   */
  unrelatedTo?: readonly string[];
}

/** A procedure line in stored form. */
export interface ProcedureEntry {
  system: CodeSystem;
  code: string;
  modifiers: string[];
  units: number;
  /** Decimal string, two places. */
  charge: string;
  /** Null: the encounter's date of service. */
  serviceDate: string | null;
  /** 1-based positions in the diagnosis list. */
  diagnosisPointers: number[];
}

/** An encounter's codes: ordered diagnoses and procedure lines. */
export interface EncounterCodes {
  diagnoses: DiagnosisEntry[];
  procedures: ProcedureEntry[];
}

/**
 * One finding of the coding edits: a stable code, its severity,
 * a sentence to act on and the input field it is about.
 */
export interface CodeEdit {
  code: string;
  severity: Severity;
  message: string;
  field: string[];
  /** Codes (display form) the coder may have meant. */
  suggestions?: string[];
}

/** The dates an encounter's codes are read for. */
export type EncounterDates = Pick<CodingFacts, "encounterType" | "serviceDate" | "dischargeDate">;

/** The dates the edits read from an encounter row, so the edits need not know the row's shape. */
export const datesOf = (encounter: {
  type: EncounterType;
  serviceDate: string;
  dischargeDate: string | null;
}): EncounterDates => ({
  encounterType: encounter.type,
  serviceDate: encounter.serviceDate,
  dischargeDate: encounter.dischargeDate,
});

/** An inpatient stay is coded with the code sets in force at discharge; anything else on its date of service. */
export const diagnosisCodeDate = (dates: EncounterDates) =>
  dates.encounterType === "INPATIENT" ? (dates.dischargeDate ?? dates.serviceDate) : dates.serviceDate;

/** The line's own date of service, else the encounter's. */
export const lineDate = (dates: EncounterDates, line: Pick<ProcedureEntry, "serviceDate">) =>
  line.serviceDate ?? dates.serviceDate;

/**
 * The date a line's code is read for: an ICD-10-PCS procedure with
 * the stay's diagnoses, a CPT or HCPCS line on its own date.
 */
export const lineCodeDate = (dates: EncounterDates, line: Pick<ProcedureEntry, "system" | "serviceDate">) =>
  line.system === "ICD10PCS" ? diagnosisCodeDate(dates) : lineDate(dates, line);
