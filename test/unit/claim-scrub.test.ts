import { describe, expect, it } from "vitest";
import type { ClaimDocument } from "../../src/modules/claims/claim.document.js";
import { claimEdits, type ScrubFacts } from "../../src/modules/claims/claim.scrub.js";
import type { CodeEdit } from "../../src/modules/edits/index.js";
import { CLINIC, DR_OKAFOR, PAYERS, syntheticNpi } from "../helpers/claim-documents.js";

/*
 * The claim-form rules of the scrubber, one story each: a claim a biller would send, changed in the
 * one way the rule is about (it fires), and a near miss (it does not). The code edits (NCCI, MUE,
 * pointers, modifiers) are the coding engine's and are proven in coding-edits.test.ts and, on real
 * claims, in test/integration/claims/scrubber.test.ts.
 */

const TODAY = "2026-11-03";

/** Ada Okafor saw Rosa Lindqvist at the clinic on 2026-10-15 for a diabetes follow-up; Buckeye Mutual covers her. */
const clean = (): ClaimDocument => ({
  patientControlNumber: "C000000042",
  frequencyCode: "1",
  payerClaimControlNumber: null,
  primaryAdjudication: null,
  placeOfService: "11",
  serviceDate: "2026-10-15",
  totalCharge: "122.00",
  billingProvider: structuredClone(CLINIC),
  renderingProvider: { ...DR_OKAFOR },
  referringProvider: null,
  subscriber: {
    firstName: "Rosa",
    lastName: "Lindqvist",
    birthDate: "1961-03-09",
    sex: "F",
    address: { line1: "12 Elm St", line2: null, city: "Columbus", state: "OH", postalCode: "432011234" },
    memberId: "BMH778812345",
    groupNumber: null,
    relationshipToPatient: "18",
  },
  patient: null,
  payer: { ...PAYERS.commercial },
  diagnoses: ["E119", "I10"],
  lines: [
    {
      lineNumber: 1,
      lineControlNumber: "C000000042-1",
      system: "CPT",
      code: "99213",
      modifiers: [],
      units: 1,
      charge: "110.00",
      serviceDate: "2026-10-15",
      diagnosisPointers: [1, 2],
    },
    {
      lineNumber: 2,
      lineControlNumber: "C000000042-2",
      system: "CPT",
      code: "36415",
      modifiers: [],
      units: 1,
      charge: "12.00",
      serviceDate: "2026-10-15",
      diagnosisPointers: [1],
    },
  ],
});

const facts = (changes: Partial<ScrubFacts> = {}): ScrubFacts => ({
  today: TODAY,
  patientControlNumberTaken: false,
  sentLines: [],
  knownPlacesOfService: new Set(["11", "22"]),
  ...changes,
});

/** The claim's edits after `change`, as [code, severity, field] triples. */
const scrub = (change: (claim: ClaimDocument) => void, with_: Partial<ScrubFacts> = {}) => {
  const claim = clean();
  change(claim);
  return claimEdits(claim, facts(with_));
};
const brief = (edits: CodeEdit[]) => edits.map((e) => [e.code, e.severity, e.field.join(".")]);
const scrubbed = (change: (claim: ClaimDocument) => void, with_: Partial<ScrubFacts> = {}) =>
  brief(scrub(change, with_));
const nothing = () => {};

/** An NPI whose last digit is not its Luhn check digit. */
const wrongCheckDigit = (npi: string) => `${npi.slice(0, 9)}${(Number(npi[9]) + 1) % 10}`;

describe("claim scrubber: the claim-form rules", () => {
  it("passes the claim a biller would send", () => {
    expect(claimEdits(clean(), facts())).toEqual([]);
  });

  it("wants a billing NPI with a valid check digit: one typed with a wrong last digit is caught", () => {
    expect(scrubbed((c) => (c.billingProvider.npi = ""))).toEqual([
      ["BILLING_NPI_MISSING", "ERROR", "billingProvider.npi"],
    ]);
    const typo = scrub((c) => (c.billingProvider.npi = wrongCheckDigit(CLINIC.npi)));
    expect(brief(typo)).toEqual([["BILLING_NPI_INVALID", "ERROR", "billingProvider.npi"]]);
    expect(typo[0]!.message).toMatch(/Luhn with prefix 80840.*correct it from NPPES/);
    expect(scrubbed((c) => (c.billingProvider.npi = "123456789"))).toEqual([
      ["BILLING_NPI_INVALID", "ERROR", "billingProvider.npi"],
    ]);
    // 1234567893 is the CMS example of a valid NPI.
    expect(scrubbed((c) => (c.billingProvider.npi = "1234567893"))).toEqual([]);
  });

  it("checks the rendering and referring providers' NPIs and taxonomy codes when the claim names them", () => {
    expect(scrubbed((c) => (c.renderingProvider!.npi = ""))).toEqual([
      ["RENDERING_NPI_MISSING", "ERROR", "renderingProvider.npi"],
    ]);
    expect(scrubbed((c) => (c.renderingProvider!.npi = wrongCheckDigit(DR_OKAFOR.npi)))).toEqual([
      ["RENDERING_NPI_INVALID", "ERROR", "renderingProvider.npi"],
    ]);
    expect(scrubbed((c) => (c.renderingProvider!.taxonomyCode = "207Q0000"))).toEqual([
      ["RENDERING_TAXONOMY_INVALID", "ERROR", "renderingProvider.taxonomyCode"],
    ]);
    expect(scrubbed((c) => (c.renderingProvider = null))).toEqual([]);

    const referrer = { firstName: "Sam", lastName: "Whitaker", npi: syntheticNpi(2010), taxonomyCode: null };
    expect(scrubbed((c) => (c.referringProvider = referrer))).toEqual([]);
    expect(scrubbed((c) => (c.referringProvider = { ...referrer, npi: "" }))).toEqual([
      ["REFERRING_NPI_MISSING", "ERROR", "referringProvider.npi"],
    ]);
    expect(scrubbed((c) => (c.referringProvider = { ...referrer, npi: wrongCheckDigit(referrer.npi) }))).toEqual([
      ["REFERRING_NPI_INVALID", "ERROR", "referringProvider.npi"],
    ]);
    expect(scrubbed((c) => (c.referringProvider = { ...referrer, taxonomyCode: "PEDIATRICS" }))).toEqual([
      ["REFERRING_TAXONOMY_INVALID", "ERROR", "referringProvider.taxonomyCode"],
    ]);
  });

  it("wants the facility's nine-digit EIN as its tax id, not an SSN written with dashes", () => {
    expect(scrubbed((c) => (c.billingProvider.taxId = "314-15-9265"))).toEqual([
      ["TAX_ID_INVALID", "ERROR", "billingProvider.taxId"],
    ]);
    expect(scrubbed((c) => (c.billingProvider.taxId = "31415926"))).toEqual([
      ["TAX_ID_INVALID", "ERROR", "billingProvider.taxId"],
    ]);
    expect(scrubbed((c) => (c.billingProvider.taxId = "271828182"))).toEqual([]);
  });

  it("wants the billing provider's taxonomy code, ten characters ending in X", () => {
    expect(scrubbed((c) => (c.billingProvider.taxonomyCode = null))).toEqual([
      ["TAXONOMY_MISSING", "ERROR", "billingProvider.taxonomyCode"],
    ]);
    expect(scrubbed((c) => (c.billingProvider.taxonomyCode = "261QP2300"))).toEqual([
      ["TAXONOMY_INVALID", "ERROR", "billingProvider.taxonomyCode"],
    ]);
    expect(scrubbed((c) => (c.billingProvider.taxonomyCode = "207Q00000X"))).toEqual([]);
  });

  it("refuses a PO box as the billing address, written any of the ways people write one, but not a street", () => {
    for (const box of ["PO Box 12", "P.O. Box 12", "p o box 12", "Post Office Box 12", "Lockbox 4471"])
      expect(
        scrubbed((c) => (c.billingProvider.address.line1 = box)),
        box,
      ).toEqual([["BILLING_ADDRESS_PO_BOX", "ERROR", "billingProvider.address.line1"]]);
    expect(scrubbed((c) => (c.billingProvider.address.line2 = "PO Box 12"))).toEqual([
      ["BILLING_ADDRESS_PO_BOX", "ERROR", "billingProvider.address.line2"],
    ]);
    for (const street of ["12 Post Office Rd", "400 Boxwood Ln", "1 Poe Blvd"])
      expect(
        scrubbed((c) => (c.billingProvider.address.line1 = street)),
        street,
      ).toEqual([]);
  });

  it("wants the billing ZIP+4: 43130 is refused, 431301234 passes", () => {
    const five = scrub((c) => (c.billingProvider.address.postalCode = "43130"));
    expect(brief(five)).toEqual([["BILLING_ZIP_NOT_9_DIGITS", "ERROR", "billingProvider.address.postalCode"]]);
    expect(five[0]!.message).toContain("record the facility's full ZIP+4");
    expect(scrubbed((c) => (c.billingProvider.address.postalCode = "43130-1234"))).toEqual([
      ["BILLING_ZIP_NOT_9_DIGITS", "ERROR", "billingProvider.address.postalCode"],
    ]);
    expect(scrubbed((c) => (c.billingProvider.address.postalCode = "431301234"))).toEqual([]);
  });

  it("stops a claim with no payer (no coverage in force on the date) before looking at the subscriber", () => {
    const none = scrub((c) => (c.payer = null));
    expect(brief(none)).toEqual([["PAYER_MISSING", "ERROR", "payer"]]);
    expect(none[0]!.message).toContain("add or correct their coverage");
    expect(scrubbed((c) => (c.payer = { ...PAYERS.medicare }))).toEqual([]);
  });

  it("wants the subscriber's member id and name from the card", () => {
    expect(scrubbed((c) => (c.subscriber.memberId = null))).toEqual([
      ["SUBSCRIBER_MEMBER_ID_MISSING", "ERROR", "subscriber.memberId"],
    ]);
    expect(scrubbed((c) => (c.subscriber.memberId = ""))).toEqual([
      ["SUBSCRIBER_MEMBER_ID_MISSING", "ERROR", "subscriber.memberId"],
    ]);
    expect(scrubbed((c) => (c.subscriber.lastName = ""))).toEqual([
      ["SUBSCRIBER_NAME_MISSING", "ERROR", "subscriber.lastName"],
    ]);
    expect(scrubbed((c) => (c.subscriber.memberId = "W1"))).toEqual([]);
  });

  it("wants birth dates on or before the date of service, for the subscriber and for a dependant patient", () => {
    expect(scrubbed((c) => (c.subscriber.birthDate = null))).toEqual([
      ["BIRTH_DATE_MISSING", "ERROR", "subscriber.birthDate"],
    ]);
    const transposed = scrub((c) => (c.subscriber.birthDate = "2026-10-16"));
    expect(brief(transposed)).toEqual([["BIRTH_DATE_AFTER_SERVICE", "ERROR", "subscriber.birthDate"]]);
    expect(transposed[0]!.message).toContain("correct one of them");
    // A newborn seen on the day of birth.
    expect(scrubbed((c) => (c.subscriber.birthDate = "2026-10-15"))).toEqual([]);

    const child = {
      firstName: "Nils",
      lastName: "Lindqvist",
      birthDate: "2015-06-01",
      sex: "M" as const,
      address: null,
    };
    const dependant = (birthDate: string | null) => (c: ClaimDocument) => {
      c.subscriber.relationshipToPatient = "19";
      c.patient = { ...child, birthDate };
    };
    expect(scrubbed(dependant("2015-06-01"))).toEqual([]);
    expect(scrubbed(dependant(null))).toEqual([["BIRTH_DATE_MISSING", "ERROR", "patient.birthDate"]]);
    expect(scrubbed(dependant("2027-01-01"))).toEqual([["BIRTH_DATE_AFTER_SERVICE", "ERROR", "patient.birthDate"]]);
  });

  it("wants a patient control number: present, at most 17 characters, and no other claim's", () => {
    expect(scrubbed((c) => (c.patientControlNumber = " "))).toEqual([
      ["PATIENT_CONTROL_NUMBER_MISSING", "ERROR", "patientControlNumber"],
    ]);
    expect(scrubbed((c) => (c.patientControlNumber = "C1234567890123456"))).toEqual([]);
    expect(scrubbed((c) => (c.patientControlNumber = "C12345678901234567"))).toEqual([
      ["PATIENT_CONTROL_NUMBER_TOO_LONG", "ERROR", "patientControlNumber"],
    ]);
    expect(scrubbed(nothing, { patientControlNumberTaken: true })).toEqual([
      ["PATIENT_CONTROL_NUMBER_DUPLICATE", "ERROR", "patientControlNumber"],
    ]);
  });

  it("wants the total to be the sum of the lines, to the cent", () => {
    const off = scrub((c) => (c.totalCharge = "121.99"));
    expect(brief(off)).toEqual([["TOTAL_NOT_SUM_OF_LINES", "ERROR", "totalCharge"]]);
    expect(off[0]!.message).toBe(
      "The claim's total charge 121.99 is not the sum of its lines (122.00): correct the line charges and scrub " +
        "the claim again.",
    );
    expect(scrubbed((c) => (c.totalCharge = "122"))).toEqual([]);
  });

  it("wants a CMS place of service code", () => {
    expect(scrubbed((c) => (c.placeOfService = "98"))).toEqual([
      ["PLACE_OF_SERVICE_INVALID", "ERROR", "placeOfService"],
    ]);
    expect(scrubbed((c) => (c.placeOfService = "22"))).toEqual([]);
  });

  it("wants frequency 1, 7 or 8, and the payer's claim number on a replacement or void", () => {
    expect(scrubbed((c) => (c.frequencyCode = "2" as ClaimDocument["frequencyCode"]))).toEqual([
      ["FREQUENCY_CODE_INVALID", "ERROR", "frequencyCode"],
    ]);
    for (const frequency of ["7", "8"] as const) {
      expect(scrubbed((c) => (c.frequencyCode = frequency))).toEqual([
        ["PAYER_CLAIM_NUMBER_REQUIRED", "ERROR", "payerClaimControlNumber"],
      ]);
      const correcting = (c: ClaimDocument) => {
        c.frequencyCode = frequency;
        c.payerClaimControlNumber = "26100000042";
      };
      expect(scrubbed(correcting)).toEqual([]);
    }
  });

  it("wants at least one service line with one or more units", () => {
    const empty = (c: ClaimDocument) => {
      c.lines = [];
      c.totalCharge = "0.00";
    };
    expect(scrubbed(empty)).toEqual([["NO_SERVICE_LINES", "ERROR", "lines"]]);
    expect(scrubbed((c) => (c.lines[1]!.units = 0))).toEqual([["UNITS_NOT_POSITIVE", "ERROR", "lines.1.units"]]);
    expect(scrubbed((c) => (c.lines[1]!.units = -1))).toEqual([["UNITS_NOT_POSITIVE", "ERROR", "lines.1.units"]]);
    expect(scrubbed((c) => (c.lines[1]!.units = 2))).toEqual([]);
  });

  it("refuses a date of service after today, once for the claim and once for a line on a later date", () => {
    const tomorrow = (c: ClaimDocument) => {
      c.serviceDate = "2026-11-04";
      for (const line of c.lines) line.serviceDate = "2026-11-04";
    };
    expect(scrubbed(tomorrow)).toEqual([["SERVICE_DATE_IN_FUTURE", "ERROR", "serviceDate"]]);
    expect(scrubbed((c) => (c.lines[1]!.serviceDate = "2026-11-04"))).toEqual([
      ["SERVICE_DATE_IN_FUTURE", "ERROR", "lines.1.serviceDate"],
    ]);
    const today = (c: ClaimDocument) => {
      c.serviceDate = TODAY;
      for (const line of c.lines) line.serviceDate = TODAY;
    };
    expect(scrubbed(today)).toEqual([]);
  });

  it("warns a week before the payer's timely-filing deadline and stops the claim once it has passed", () => {
    // Buckeye Mutual accepts claims for 180 days from the date of service.
    const servedDaysBeforeDeadline = (left: number) => (c: ClaimDocument) => {
      const served = new Date(Date.parse(`${TODAY}T00:00:00Z`) - (180 - left) * 86_400_000).toISOString().slice(0, 10);
      c.serviceDate = served;
      for (const line of c.lines) line.serviceDate = served;
    };
    expect(scrubbed(servedDaysBeforeDeadline(8))).toEqual([]);
    const near = scrub(servedDaysBeforeDeadline(7));
    expect(brief(near)).toEqual([["TIMELY_FILING_NEAR", "WARNING", "serviceDate"]]);
    expect(near[0]!.message).toBe(
      "Buckeye Mutual Health's timely-filing deadline is 2026-11-10, 7 day(s) from now: submit the claim before then.",
    );
    expect(scrubbed(servedDaysBeforeDeadline(0))).toEqual([["TIMELY_FILING_NEAR", "WARNING", "serviceDate"]]);
    const late = scrub(servedDaysBeforeDeadline(-1));
    expect(brief(late)).toEqual([["TIMELY_FILING_PASSED", "ERROR", "serviceDate"]]);
    expect(late[0]!.message).toContain("the deadline was 2026-11-02");
    // Medicare allows a year: the same late claim is in time there.
    expect(
      scrubbed((c) => {
        servedDaysBeforeDeadline(-1)(c);
        c.payer = { ...PAYERS.medicare };
      }),
    ).toEqual([]);
  });

  it("warns of a possible duplicate: the same code for the patient, date and rendering provider already sent", () => {
    const sent = { patientControlNumber: "C000000017", sameRenderingProvider: true, code: "36415" };
    const duplicate = scrub(nothing, { sentLines: [sent] });
    expect(brief(duplicate)).toEqual([["POSSIBLE_DUPLICATE_CLAIM", "WARNING", "lines.1.code"]]);
    expect(duplicate[0]!.message).toContain("went out already on claim C000000017");
    expect(scrubbed(nothing, { sentLines: [{ ...sent, sameRenderingProvider: false }] })).toEqual([]);
    expect(scrubbed(nothing, { sentLines: [{ ...sent, code: "36416" }] })).toEqual([]);
    // A replacement repeats the lines of the claim it corrects on purpose.
    const replacement = (c: ClaimDocument) => {
      c.frequencyCode = "7";
      c.payerClaimControlNumber = "26100000017";
    };
    expect(scrubbed(replacement, { sentLines: [sent] })).toEqual([]);
  });

  it("lists every finding at once, ERRORs before WARNINGs", () => {
    const many = scrub(
      (c) => {
        c.billingProvider.address.postalCode = "43130";
        c.subscriber.memberId = null;
        c.lines[0]!.units = 0;
      },
      { sentLines: [{ patientControlNumber: "C000000017", sameRenderingProvider: true, code: "99213" }] },
    );
    expect(brief(many)).toEqual([
      ["BILLING_ZIP_NOT_9_DIGITS", "ERROR", "billingProvider.address.postalCode"],
      ["SUBSCRIBER_MEMBER_ID_MISSING", "ERROR", "subscriber.memberId"],
      ["UNITS_NOT_POSITIVE", "ERROR", "lines.0.units"],
      ["POSSIBLE_DUPLICATE_CLAIM", "WARNING", "lines.0.code"],
    ]);
  });
});
