import { en, en_US, Faker } from "@faker-js/faker";
import type { Envelope837p } from "../../src/modules/claims/claim.837p.js";
import type {
  BillingProvider,
  ClaimDocument,
  ClaimLineDocument,
  ClaimPayer,
  ClaimPerson,
  ClaimProvider,
  PatientRelationship,
} from "../../src/modules/claims/claim.document.js";
import { sumMoney } from "../../src/shared/money.js";
import { npiCheckDigit } from "../../src/shared/npi.js";

/** A valid NPI: nine digits from the seed and their Luhn check digit. */
export function syntheticNpi(seed: number): string {
  const firstNine = `1${String(seed).padStart(8, "0")}`;
  return `${firstNine}${npiCheckDigit(firstNine)}`;
}

/** A test interchange from Chartroom to a clearinghouse: ISA13 42, GS06 7, first ST02 0001. */
export const ENVELOPE: Envelope837p = {
  usage: "T",
  createdAt: new Date("2026-11-03T14:05:09Z"),
  sender: { qualifier: "ZZ", id: "CHARTROOM01" },
  receiver: { qualifier: "ZZ", id: "CLEARWATER", name: "Clearwater Exchange" },
  submitter: { name: "Riverbend Health Partners", contactName: "EDI desk", phone: "6145550100", email: null },
  interchangeControlNumber: 42,
  groupControlNumber: 7,
  firstTransactionSetControlNumber: 1,
};

export const PAYERS = {
  medicare: { name: "Medicare Part B (Ohio)", payerId: "15202", timelyFilingDays: 365, kind: "MEDICARE" },
  medicaid: { name: "Ohio Medicaid", payerId: "OHMCD", timelyFilingDays: 365, kind: "MEDICAID" },
  commercial: { name: "Buckeye Mutual Health", payerId: "BMH01", timelyFilingDays: 180, kind: "COMMERCIAL" },
} satisfies Record<string, ClaimPayer>;

export const CLINIC: BillingProvider = {
  name: "Riverbend Family Clinic",
  npi: syntheticNpi(1001),
  taxId: "314159265",
  taxonomyCode: "261QP2300X",
  address: { line1: "400 Riverside Dr", line2: "Suite 200", city: "Columbus", state: "OH", postalCode: "432151234" },
};

const HOSPITAL: BillingProvider = {
  name: "Riverbend Community Hospital",
  npi: syntheticNpi(1002),
  taxId: "314159266",
  taxonomyCode: null,
  address: { line1: "1 Hospital Way", line2: null, city: "Dayton", state: "OH", postalCode: "454021100" },
};

export const DR_OKAFOR: ClaimProvider = {
  firstName: "Ada",
  lastName: "Okafor",
  npi: syntheticNpi(2001),
  taxonomyCode: "207Q00000X",
};
const RENDERERS: ClaimProvider[] = [
  DR_OKAFOR,
  { firstName: "Luis", lastName: "Peña", npi: syntheticNpi(2002), taxonomyCode: "207R00000X" },
  { firstName: "Mei", lastName: "Chen", npi: syntheticNpi(2003), taxonomyCode: null },
];
const REFERRER: ClaimProvider = { firstName: "Sam", lastName: "Whitaker", npi: syntheticNpi(2010), taxonomyCode: null };

/** Billable ICD-10-CM codes, stored form. */
export const DIAGNOSES = [
  "E119",
  "I10",
  "E785",
  "J069",
  "M545",
  "K219",
  "N390",
  "R51",
  "Z0000",
  "F419",
  "G4733",
  "M1711",
  "E6601",
  "L03115",
];
/** CPT and HCPCS codes with a charge each. */
// biome-ignore format: a table
const PROCEDURES: [code: string, system: ClaimLineDocument["system"], charge: string][] = [
  ["99213", "CPT", "125.00"], ["99214", "CPT", "185.50"], ["36415", "CPT", "12.00"], ["93000", "CPT", "48.25"],
  ["81002", "CPT", "9.10"], ["20610", "CPT", "160.00"], ["97110", "CPT", "42.00"], ["J1100", "HCPCS", "8.75"],
];
const MODIFIERS = ["25", "59", "LT", "RT", "XS", "GT", "76", "KX"];
const RELATIONSHIPS: PatientRelationship[] = ["19", "01", "20", "G8"];

/**
 * `count` varied claims to one payer: two billing providers, subscribers who are and are not the patient (each person
 * has three claims in a row), rendering providers who differ from the billing provider and some who do not, referring
 * providers, replacements and voids, 1 to 12 diagnoses, 1 to 6 lines with up to four modifiers and pointers.
 * Deterministic for a given seed; names come from faker, some with accents and apostrophes.
 */
export function syntheticClaims(count: number, payer: ClaimPayer, seed = 837): ClaimDocument[] {
  const faker = new Faker({ locale: [en_US, en] });
  faker.seed(seed);
  const claims: ClaimDocument[] = [];
  let person: { subscriber: ClaimDocument["subscriber"]; patient: ClaimPerson | null } | null = null;
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) person = syntheticPerson(faker, i);
    const pcn = `${payer.payerId.slice(0, 3)}${seed}C${String(i).padStart(7, "0")}`;
    const frequencyCode = i % 10 === 7 ? "7" : i % 10 === 8 ? "8" : "1";
    const serviceDate = `2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, "0")}`;
    const diagnoses = DIAGNOSES.slice(i % 2, (i % 2) + 1 + (i % 12));
    const lines = Array.from({ length: 1 + (i % 6) }, (_, n) =>
      syntheticLine(pcn, i, n, diagnoses.length, serviceDate),
    );
    const rendering = i % 5 === 4 ? null : RENDERERS[i % RENDERERS.length]!;
    claims.push({
      patientControlNumber: pcn,
      frequencyCode,
      payerClaimControlNumber: frequencyCode === "1" ? null : `26${String(100000000 + i)}`,
      primaryAdjudication: null,
      placeOfService: i % 4 === 3 ? "22" : "11",
      serviceDate,
      totalCharge: sumMoney(lines.map((line) => line.charge)),
      billingProvider: i % 2 === 0 ? CLINIC : HOSPITAL,
      renderingProvider: rendering,
      referringProvider: i % 3 === 2 ? REFERRER : null,
      ...person!,
      payer,
      diagnoses,
      lines,
    });
  }
  return claims;
}

function syntheticPerson(faker: Faker, i: number) {
  const sex = faker.helpers.arrayElement(["F", "M"] as const);
  const address = {
    line1: faker.location.streetAddress(),
    line2: i % 4 === 0 ? faker.location.secondaryAddress() : null,
    city: faker.location.city(),
    state: "OH",
    postalCode: faker.string.numeric(9),
  };
  const subscriberPerson: ClaimPerson = {
    firstName: faker.person.firstName(sex === "F" ? "female" : "male"),
    lastName: faker.person.lastName(),
    birthDate: faker.date.birthdate({ min: 30, max: 80, mode: "age" }).toISOString().slice(0, 10),
    sex,
    address,
  };
  const self = i % 2 === 0;
  const subscriber = {
    ...subscriberPerson,
    memberId: `MB${faker.string.alphanumeric({ length: 9, casing: "upper" })}`,
    groupNumber: i % 3 === 0 ? null : `GRP${faker.string.numeric(5)}`,
    relationshipToPatient: self ? ("18" as const) : RELATIONSHIPS[(i / 3) % RELATIONSHIPS.length]!,
  };
  const patient: ClaimPerson | null = self
    ? null
    : {
        firstName: faker.person.firstName(),
        lastName: subscriberPerson.lastName,
        birthDate: faker.date.birthdate({ min: 1, max: 17, mode: "age" }).toISOString().slice(0, 10),
        sex: faker.helpers.arrayElement(["F", "M", "U"] as const),
        address,
      };
  return { subscriber, patient };
}

function syntheticLine(pcn: string, i: number, n: number, diagnoses: number, serviceDate: string): ClaimLineDocument {
  const [code, system, charge] = PROCEDURES[(i + n) % PROCEDURES.length]!;
  const pointers = Array.from({ length: Math.min(diagnoses, 1 + ((i + n) % 4)) }, (_, k) => ((n + k) % diagnoses) + 1);
  return {
    lineNumber: n + 1,
    lineControlNumber: `${pcn}L${n + 1}`,
    system,
    code,
    modifiers: MODIFIERS.slice(n % 3, (n % 3) + ((i + n) % 5)),
    units: 1 + (n % 3),
    charge,
    serviceDate,
    diagnosisPointers: pointers,
  };
}
