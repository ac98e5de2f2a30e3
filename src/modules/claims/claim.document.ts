import type { payerKind } from "../../db/schema/organizations.js";

/*
 * Glossary.
 *   claim document   everything one professional claim says, as the scrubber reads it and the 837P carries it
 *   billing provider the facility that bills (837P loop 2010AA): organization NPI, tax id, address, taxonomy
 *   subscriber       the person who holds the coverage (2010BA); the patient when the relationship is self (18)
 *   patient control number  CLM01: our id for the claim, echoed back by the 277CA (TRN02/REF*1K) and 835 (CLP01)
 *   line control number     REF*6R of a service line: the 835's SVC loop matches on it
 *   frequency code   CLM05-3: 1 original, 7 replacement of a prior claim, 8 void of a prior claim
 *   payer claim control number  the payer's id for a claim (277CA REF*1K, 835 CLP07); a replacement or void
 *                    carries it in REF*F8
 *   secondary claim  the bill to the patient's second coverage for what the primary payer's 835 left; it carries
 *                    the primary's adjudication as the "other payer" (loops 2320, 2330A/B, 2430) and SBR01 S
 */

/** A postal address as the 837P N3/N4 segments carry it. ZIP: 5 or 9 digits, no hyphen. */
export interface ClaimAddress {
  line1: string;
  line2: string | null;
  city: string;
  /** Two-letter state or province code. */
  state: string;
  postalCode: string;
}

/** The facility billing the claim (837P 2010AA). */
export interface BillingProvider {
  /** Organization name (NM103). */
  name: string;
  npi: string;
  /** Employer identification number, nine digits (REF*EI). */
  taxId: string;
  /** Health care provider taxonomy code, ten characters (PRV*BI). */
  taxonomyCode: string | null;
  /** A street address: the 837P forbids a PO box here. */
  address: ClaimAddress;
}

/** A person who renders or refers (837P 2310A/2310B), NPI type 1. */
export interface ClaimProvider {
  firstName: string;
  lastName: string;
  npi: string;
  taxonomyCode: string | null;
}

export type Sex = "F" | "M" | "U";

/** A patient or subscriber as the claim names them. */
export interface ClaimPerson {
  firstName: string;
  lastName: string;
  /** CCYY-MM-DD; null when unknown (an ERROR for the scrubber). */
  birthDate: string | null;
  sex: Sex;
  address: ClaimAddress | null;
}

/**
 * X12 individual relationship code of the patient to the subscriber (837P PAT01 / SBR02):
 * 18 self, 01 spouse, 19 child, 20 employee, 21 unknown, 39 organ donor, 40 cadaver donor,
 * 53 life partner, G8 other relationship.
 */
export type PatientRelationship = "18" | "01" | "19" | "20" | "21" | "39" | "40" | "53" | "G8";

/** Who holds the coverage billed. */
export interface ClaimSubscriber extends ClaimPerson {
  /** The member id on the insurance card (NM109 of 2010BA); null when missing (an ERROR). */
  memberId: string | null;
  groupNumber: string | null;
  relationshipToPatient: PatientRelationship;
}

/** Medicare, Medicaid, commercial or self-pay, as the payer table says. */
export type PayerKind = (typeof payerKind.enumValues)[number];

/** The payer billed (837P 2010BB). */
export interface ClaimPayer {
  name: string;
  /** The payer's electronic id at the clearinghouse (NM109 of 2010BB). */
  payerId: string;
  /** Days from the date of service within which the payer accepts a claim. */
  timelyFilingDays: number;
  /** Sets the 837P claim filing indicator (SBR09: MB, MC or CI); absent, the claim goes as commercial (CI). */
  kind?: PayerKind;
}

export type FrequencyCode = "1" | "7" | "8";

/** One service line (837P loop 2400). */
export interface ClaimLineDocument {
  /** 1-based, the LX01 of the line. */
  lineNumber: number;
  /** REF*6R: unique within the organization, at most 30 characters. */
  lineControlNumber: string;
  system: "CPT" | "HCPCS";
  code: string;
  modifiers: string[];
  units: number;
  /** Decimal string, two places. */
  charge: string;
  /** CCYY-MM-DD. */
  serviceDate: string;
  /** 1-based positions in the claim's diagnosis list. */
  diagnosisPointers: number[];
}

/** One CAS adjustment an other payer made (837P 2320 or 2430 CAS): group, CARC, amount, quantity if given. */
export interface OtherPayerAdjustment {
  group: string;
  reason: string;
  /** Two decimals. */
  amount: string;
  quantity: string | null;
}

/**
 * What the primary payer did with a claim, as its 835 was posted: what a secondary claim carries about the other
 * payer. Its payer and subscriber are those the primary claim billed, kept as they were then.
 */
export interface PrimaryAdjudication {
  /** 2330B: the primary payer, and its claim control number (CLP07) when it gave one. */
  payer: { name: string; payerId: string; kind: PayerKind; claimControlNumber: string | null };
  /** 2320 SBR and 2330A: the primary coverage's subscriber, and the patient's relationship to them. */
  subscriber: {
    firstName: string;
    lastName: string;
    memberId: string;
    groupNumber: string | null;
    relationshipToPatient: PatientRelationship;
  };
  /** AMT*D: what the primary paid on the claim, two decimals. */
  paid: string;
  /** DTP*573: the primary's adjudication (remittance) date, CCYY-MM-DD. */
  adjudicatedOn: string;
  /** 2320 CAS: claim-level adjustments. */
  adjustments: OtherPayerAdjustment[];
  /** 2430 per line (by our line number): what the primary paid and adjusted on it. */
  lines: { lineNumber: number; paid: string; adjustments: OtherPayerAdjustment[] }[];
}

/** Everything one professional claim says: what the scrubber checks and the 837P writer writes. */
export interface ClaimDocument {
  patientControlNumber: string;
  frequencyCode: FrequencyCode;
  /** Required for frequency 7 and 8 (REF*F8). */
  payerClaimControlNumber: string | null;
  /** Two-digit CMS place of service code (CLM05-1). */
  placeOfService: string;
  /** The encounter's date of service, CCYY-MM-DD. */
  serviceDate: string;
  /** Decimal string, two places: CLM02, which must equal the sum of the lines. */
  totalCharge: string;
  billingProvider: BillingProvider;
  renderingProvider: ClaimProvider | null;
  referringProvider: ClaimProvider | null;
  subscriber: ClaimSubscriber;
  /** The patient when not the subscriber (relationship other than 18); null when self. */
  patient: ClaimPerson | null;
  /** Null when the encounter's coverage names no payer (an ERROR). */
  payer: ClaimPayer | null;
  /** ICD-10-CM codes in the coder's order, stored form (upper case, no dot): the first is principal. */
  diagnoses: string[];
  lines: ClaimLineDocument[];
  /** On a secondary claim (SBR01 S), what the primary payer adjudicated; null on a primary claim (SBR01 P). */
  primaryAdjudication: PrimaryAdjudication | null;
}
