/*
 * The demo's organizations as data: their facilities, clinicians, payers, users and patient mix,
 * and the fixed calendar (anchor date, service window) every generated row is counted from.
 */
import type { Faker } from "@faker-js/faker";
import type { payerKind, role } from "../db/schema/index.js";
import type { ClinicianRole, EncounterKind } from "./documentation.js";

/** The demo's "today": ages are counted at it and every service falls in the window before it. */
export const ANCHOR_DATE = "2026-11-01";
export const SERVICE_WINDOW_DAYS = 120;
/** Rows are stamped as loaded at the anchor rather than at seeding time, so that repeated seeds match. */
export const LOADED_AT = new Date(`${ANCHOR_DATE}T06:00:00Z`);
export const FAKER_SEED = 20_261_101;
/** A newborn goes home from the birth stay before any encounter of the demo: the first is at three days. */
export const FIRST_ENCOUNTER_AGE_DAYS = 3;
/** The last day of the terminated coverages, before the service window opens. */
export const TERMINATED_ON = "2026-05-31";

type Range = readonly [number, number];
export type PayerKind = (typeof payerKind.enumValues)[number];
type Role = (typeof role.enumValues)[number];
export type EncounterStatus = "DRAFT" | "READY_FOR_CODING";

/** Ages at the anchor: in days for the youngest (so a newborn is days old), otherwise in whole years. */
export type AgeBand = { days: Range } | { years: Range };

const NEWBORN: AgeBand = { days: [5, 60] };
const INFANT: AgeBand = { days: [61, 700] };
export const CHILD: AgeBand = { years: [2, 17] };
const ADULT: AgeBand = { years: [18, 44] };
const MIDDLE_AGED: AgeBand = { years: [45, 64] };
const SENIOR: AgeBand = { years: [65, 84] };
const ELDERLY: AgeBand = { years: [85, 95] };

interface FacilityPlan {
  key: string;
  name: string;
  addressLine1: string;
  city: string;
  /** ZIP+4, nine digits: the 837P's billing provider address needs all nine. */
  postalCode: string;
  /** The billing provider's taxonomy (837P PRV*BI). */
  taxonomyCode: string;
  /** How many patients the facility registers, per age band. */
  patients: readonly (readonly [AgeBand, number])[];
}

interface ProviderPlan {
  facility: string;
  credential: "MD" | "DO" | "NP" | "PA";
  taxonomyCode: string;
  specialty: string;
  role: ClinicianRole;
}

export interface PayerPlan {
  name: string;
  payerId: string;
  kind: PayerKind;
  timelyFilingDays: number;
  memberId(faker: Faker, mrn: string): string;
}

export interface UserPlan {
  login: string;
  roles: readonly Role[];
  credentials?: readonly string[];
  /** Facility keys the user is granted; administrators see every facility without grants. */
  facilities: readonly string[];
}

export interface OrganizationPlan {
  name: string;
  slug: string;
  emailDomain: string;
  /** Leads MRNs (RB000001) and visit numbers (RB-V000001). */
  prefix: string;
  towns: readonly (readonly [city: string, postalCode: string])[];
  facilities: readonly FacilityPlan[];
  providers: readonly ProviderPlan[];
  payers: readonly PayerPlan[];
  users: readonly UserPlan[];
  encounters: number;
}

/**
 * Medicare Beneficiary Identifier layout: digit, letter,
 * letter-or-digit, digit, ... without the letters S, L, O, I, B, Z.
 */
function medicareBeneficiaryId(f: Faker): string {
  const letters = "ACDEFGHJKMNPQRTUVWXY";
  const pattern = "NAXNAXNAANN";
  return [...pattern]
    .map((slot, i) => {
      if (slot === "A") return f.helpers.arrayElement([...letters]);
      if (slot === "X") return f.helpers.arrayElement([...letters, ..."0123456789"]);
      return String(f.number.int({ min: i === 0 ? 1 : 0, max: 9 }));
    })
    .join("");
}

export const MEDICARE: PayerPlan = {
  name: "Medicare Part B (Ohio)",
  payerId: "15202",
  kind: "MEDICARE",
  timelyFilingDays: 365,
  memberId: medicareBeneficiaryId,
};

export const RIVERBEND: OrganizationPlan = {
  name: "Riverbend Health Partners",
  slug: "demo",
  emailDomain: "demo.chartroom.test",
  prefix: "RB",
  towns: [
    ["Lancaster", "43130"],
    ["Circleville", "43113"],
    ["Chillicothe", "45601"],
    ["Logan", "43138"],
    ["Pickerington", "43147"],
    ["Canal Winchester", "43110"],
    ["Newark", "43055"],
  ],
  facilities: [
    {
      key: "clinic",
      name: "Riverbend Family Medicine",
      addressLine1: "2150 Riverbend Parkway, Suite 200",
      city: "Lancaster",
      postalCode: "431302150",
      taxonomyCode: "261QP2300X",
      patients: [
        [NEWBORN, 2],
        [INFANT, 2],
        [CHILD, 5],
        [ADULT, 8],
        [MIDDLE_AGED, 8],
        [SENIOR, 5],
        [ELDERLY, 2],
      ],
    },
    {
      key: "hospital",
      name: "Riverbend Community Hospital",
      addressLine1: "1800 Riverbend Parkway",
      city: "Lancaster",
      postalCode: "431301800",
      taxonomyCode: "282N00000X",
      patients: [
        [CHILD, 3],
        [ADULT, 6],
        [MIDDLE_AGED, 8],
        [SENIOR, 8],
        [ELDERLY, 3],
      ],
    },
  ],
  providers: [
    {
      facility: "clinic",
      credential: "MD",
      taxonomyCode: "207Q00000X",
      specialty: "Family Medicine",
      role: "PRIMARY_CARE",
    },
    {
      facility: "clinic",
      credential: "DO",
      taxonomyCode: "207Q00000X",
      specialty: "Family Medicine",
      role: "PRIMARY_CARE",
    },
    {
      facility: "clinic",
      credential: "MD",
      taxonomyCode: "207R00000X",
      specialty: "Internal Medicine",
      role: "PRIMARY_CARE",
    },
    {
      facility: "clinic",
      credential: "NP",
      taxonomyCode: "363LF0000X",
      specialty: "Nurse Practitioner, Family",
      role: "PRIMARY_CARE",
    },
    {
      facility: "clinic",
      credential: "PA",
      taxonomyCode: "363A00000X",
      specialty: "Physician Assistant",
      role: "PRIMARY_CARE",
    },
    {
      facility: "hospital",
      credential: "MD",
      taxonomyCode: "207P00000X",
      specialty: "Emergency Medicine",
      role: "EMERGENCY",
    },
    {
      facility: "hospital",
      credential: "DO",
      taxonomyCode: "207P00000X",
      specialty: "Emergency Medicine",
      role: "EMERGENCY",
    },
    {
      facility: "hospital",
      credential: "MD",
      taxonomyCode: "207R00000X",
      specialty: "Internal Medicine (Hospitalist)",
      role: "HOSPITALIST",
    },
    {
      facility: "hospital",
      credential: "MD",
      taxonomyCode: "208600000X",
      specialty: "General Surgery",
      role: "SURGERY",
    },
    {
      facility: "hospital",
      credential: "MD",
      taxonomyCode: "207X00000X",
      specialty: "Orthopaedic Surgery",
      role: "ORTHOPAEDICS",
    },
    {
      facility: "hospital",
      credential: "MD",
      taxonomyCode: "207RC0000X",
      specialty: "Cardiovascular Disease",
      role: "CARDIOLOGY",
    },
    { facility: "hospital", credential: "MD", taxonomyCode: "2084N0400X", specialty: "Neurology", role: "NEUROLOGY" },
  ],
  payers: [
    MEDICARE,
    {
      name: "Ohio Medicaid",
      payerId: "OHMCD",
      kind: "MEDICAID",
      timelyFilingDays: 365,
      memberId: (f) => f.string.numeric({ length: 12, allowLeadingZeros: false }),
    },
    {
      name: "Buckeye Mutual Health",
      payerId: "BMH01",
      kind: "COMMERCIAL",
      timelyFilingDays: 180,
      memberId: (f) => `BMH${f.string.numeric(9)}`,
    },
    {
      name: "Great Lakes Blue",
      payerId: "GLB77",
      kind: "COMMERCIAL",
      timelyFilingDays: 90,
      memberId: (f) => `GLX${f.string.alphanumeric({ length: 9, casing: "upper" })}`,
    },
    // Self-pay patients are billed on their account, whose number is the MRN.
    { name: "Self-Pay", payerId: "SELFPAY", kind: "SELF_PAY", timelyFilingDays: 365, memberId: (_f, mrn) => mrn },
  ],
  users: [
    { login: "admin", roles: ["ADMIN"], facilities: [] },
    { login: "supervisor", roles: ["SUPERVISOR"], facilities: ["clinic", "hospital"] },
    { login: "auditor", roles: ["AUDITOR"], credentials: ["CCS", "CPC"], facilities: ["clinic", "hospital"] },
    { login: "biller1", roles: ["BILLER"], facilities: ["clinic", "hospital"] },
    { login: "biller2", roles: ["BILLER"], facilities: ["clinic", "hospital"] },
    // The inpatient coder: CCS is the facility (hospital) coding credential.
    { login: "coder1", roles: ["CODER"], credentials: ["CCS"], facilities: ["hospital"] },
    { login: "coder2", roles: ["CODER"], credentials: ["CPC"], facilities: ["clinic"] },
    { login: "coder3", roles: ["CODER"], credentials: ["CPC"], facilities: ["clinic", "hospital"] },
  ],
  encounters: 250,
};

export const LAKESIDE: OrganizationPlan = {
  name: "Lakeside Medical Group",
  slug: "lakeside",
  emailDomain: "lakeside.chartroom.test",
  prefix: "LK",
  towns: [
    ["Sandusky", "44870"],
    ["Huron", "44839"],
    ["Port Clinton", "43452"],
    ["Norwalk", "44857"],
    ["Vermilion", "44089"],
  ],
  facilities: [
    {
      key: "clinic",
      name: "Lakeside Family Practice",
      addressLine1: "310 Lakeshore Drive",
      city: "Sandusky",
      postalCode: "448703310",
      taxonomyCode: "261QP2300X",
      patients: [
        [CHILD, 1],
        [ADULT, 1],
        [MIDDLE_AGED, 2],
        [SENIOR, 2],
      ],
    },
  ],
  providers: [
    {
      facility: "clinic",
      credential: "MD",
      taxonomyCode: "207Q00000X",
      specialty: "Family Medicine",
      role: "PRIMARY_CARE",
    },
    {
      facility: "clinic",
      credential: "DO",
      taxonomyCode: "207R00000X",
      specialty: "Internal Medicine",
      role: "PRIMARY_CARE",
    },
  ],
  payers: [
    MEDICARE,
    {
      name: "Erie Shores Health Plan",
      payerId: "ESHP1",
      kind: "COMMERCIAL",
      timelyFilingDays: 120,
      memberId: (f) => `ESH${f.string.numeric(9)}`,
    },
  ],
  users: [
    { login: "admin", roles: ["ADMIN"], facilities: [] },
    { login: "coder1", roles: ["CODER"], credentials: ["CPC"], facilities: ["clinic"] },
  ],
  encounters: 10,
};

export const TYPE_WEIGHTS: Record<EncounterKind, number> = {
  PROFESSIONAL: 60,
  EMERGENCY: 16,
  OUTPATIENT: 12,
  INPATIENT: 12,
};
