import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Batch837p, Claim837pRefused, write837p } from "../../src/modules/claims/claim.837p.js";
import { claim837pProblems } from "../../src/modules/claims/claim.837p.loops.js";
import type { ClaimDocument } from "../../src/modules/claims/claim.document.js";
import {
  CLINIC,
  DIAGNOSES,
  DR_OKAFOR,
  ENVELOPE,
  PAYERS,
  syntheticClaims,
  syntheticNpi,
} from "../helpers/claim-documents.js";
import { validateX12, x12ValidatorMissing } from "../helpers/x12-validate.js";

/** An office visit of a patient who holds the coverage herself, billed by the clinic, rendered by Dr Okafor. */
function officeVisit(changes: Partial<ClaimDocument> = {}): ClaimDocument {
  return {
    patientControlNumber: "RB26000123",
    frequencyCode: "1",
    payerClaimControlNumber: null,
    primaryAdjudication: null,
    placeOfService: "11",
    serviceDate: "2026-10-14",
    totalCharge: "137.00",
    billingProvider: CLINIC,
    renderingProvider: DR_OKAFOR,
    referringProvider: null,
    subscriber: {
      firstName: "Maria",
      lastName: "Lopez",
      birthDate: "1961-04-02",
      sex: "F",
      address: { line1: "18 Elm St", line2: null, city: "Columbus", state: "OH", postalCode: "432011234" },
      memberId: "BMH482913377",
      groupNumber: "GRP20417",
      relationshipToPatient: "18",
    },
    patient: null,
    payer: PAYERS.commercial,
    diagnoses: ["E119", "I10"],
    lines: [
      {
        lineNumber: 1,
        lineControlNumber: "RB26000123L1",
        system: "CPT",
        code: "99213",
        modifiers: ["25"],
        units: 1,
        charge: "125.00",
        serviceDate: "2026-10-14",
        diagnosisPointers: [1, 2],
      },
      {
        lineNumber: 2,
        lineControlNumber: "RB26000123L2",
        system: "CPT",
        code: "36415",
        modifiers: [],
        units: 1,
        charge: "12.00",
        serviceDate: "2026-10-14",
        diagnosisPointers: [1],
      },
    ],
    ...changes,
  };
}

const segmentsOf = (batch: Batch837p) => batch.x12.split("~\n").slice(0, -1);
const withId = (batch: Batch837p, id: string) => segmentsOf(batch).filter((s) => s.startsWith(`${id}*`));
const refusal = (claims: ClaimDocument[], envelope = ENVELOPE) => {
  try {
    write837p(claims, envelope);
  } catch (error) {
    if (error instanceof Claim837pRefused) return error;
    throw error;
  }
  throw new Error("the batch was written");
};

describe("an 837P for one office visit", () => {
  it("writes envelopes, parties, billing provider, subscriber, payer, claim and lines in guide order", () => {
    const batch = write837p([officeVisit()], ENVELOPE);
    expect(batch.x12).toBe(
      [
        "ISA*00*          *00*          *ZZ*CHARTROOM01    *ZZ*CLEARWATER     *261103*1405*^*00501*000000042*0*T*:",
        "GS*HC*CHARTROOM01*CLEARWATER*20261103*1405*7*X*005010X222A1",
        "ST*837*0001*005010X222A1",
        "BHT*0019*00*0000000420001*20261103*1405*CH",
        "NM1*41*2*RIVERBEND HEALTH PARTNERS*****46*CHARTROOM01",
        "PER*IC*EDI DESK*TE*6145550100",
        "NM1*40*2*CLEARWATER EXCHANGE*****46*CLEARWATER",
        "HL*1**20*1",
        "PRV*BI*PXC*261QP2300X",
        `NM1*85*2*RIVERBEND FAMILY CLINIC*****XX*${CLINIC.npi}`,
        "N3*400 RIVERSIDE DR*SUITE 200",
        "N4*COLUMBUS*OH*432151234",
        "REF*EI*314159265",
        "HL*2*1*22*0",
        "SBR*P*18*GRP20417******CI",
        "NM1*IL*1*LOPEZ*MARIA****MI*BMH482913377",
        "N3*18 ELM ST",
        "N4*COLUMBUS*OH*432011234",
        "DMG*D8*19610402*F",
        "NM1*PR*2*BUCKEYE MUTUAL HEALTH*****PI*BMH01",
        "CLM*RB26000123*137***11:B:1*Y*A*Y*Y",
        "HI*ABK:E119*ABF:I10",
        `NM1*82*1*OKAFOR*ADA****XX*${DR_OKAFOR.npi}`,
        "PRV*PE*PXC*207Q00000X",
        "LX*1",
        "SV1*HC:99213:25*125*UN*1***1:2",
        "DTP*472*D8*20261014",
        "REF*6R*RB26000123L1",
        "LX*2",
        "SV1*HC:36415*12*UN*1***1",
        "DTP*472*D8*20261014",
        "REF*6R*RB26000123L2",
        "SE*31*0001",
        "GE*1*7",
        "IEA*1*000000042",
      ]
        .map((s) => `${s}~\n`)
        .join(""),
    );
    expect(batch).toMatchObject({
      interchangeControlNumber: "000000042",
      groupControlNumber: "7",
      transactionSets: [{ controlNumber: "0001", reference: "0000000420001", patientControlNumbers: ["RB26000123"] }],
    });
  });

  it("sends a dependent under a patient HL with PAT, and the subscriber without address or birth date", () => {
    const child = {
      firstName: "Leo",
      lastName: "Lopez",
      birthDate: "2017-08-30",
      sex: "M" as const,
      address: CLINIC.address,
    };
    const subscriber = { ...officeVisit().subscriber, relationshipToPatient: "19" as const };
    const segments = segmentsOf(write837p([officeVisit({ subscriber, patient: child })], ENVELOPE));
    const from = segments.indexOf("HL*2*1*22*1");
    expect(segments.slice(from, from + 11)).toEqual([
      "HL*2*1*22*1",
      "SBR*P**GRP20417******CI",
      "NM1*IL*1*LOPEZ*MARIA****MI*BMH482913377",
      "NM1*PR*2*BUCKEYE MUTUAL HEALTH*****PI*BMH01",
      "HL*3*2*23*0",
      "PAT*19",
      "NM1*QC*1*LOPEZ*LEO",
      "N3*400 RIVERSIDE DR*SUITE 200",
      "N4*COLUMBUS*OH*432151234",
      "DMG*D8*20170830*M",
      "CLM*RB26000123*137***11:B:1*Y*A*Y*Y",
    ]);
  });

  it("writes diagnoses without a decimal point, the first as ABK and up to eleven more as ABF, in one HI", () => {
    const diagnoses = ["E11.9", ...DIAGNOSES.slice(1, 12)];
    const batch = write837p([officeVisit({ diagnoses })], ENVELOPE);
    expect(withId(batch, "HI")).toEqual([
      "HI*ABK:E119*ABF:I10*ABF:E785*ABF:J069*ABF:M545*ABF:K219*ABF:N390*ABF:R51*ABF:Z0000*ABF:F419*ABF:G4733*ABF:M1711",
    ]);
    const thirteen = refusal([officeVisit({ diagnoses: DIAGNOSES.slice(0, 13) })]);
    expect(thirteen.problems).toEqual([
      { patientControlNumber: "RB26000123", field: ["diagnoses"], message: "has 13 codes; an 837P carries 12" },
    ]);
  });

  it("names the rendering provider (2310B) only when it is not the billing provider", () => {
    const sameAsBilling = { ...DR_OKAFOR, npi: CLINIC.npi };
    expect(
      withId(write837p([officeVisit({ renderingProvider: sameAsBilling })], ENVELOPE), "NM1").map((s) => s.slice(0, 6)),
    ).toEqual(["NM1*41", "NM1*40", "NM1*85", "NM1*IL", "NM1*PR"]);
    expect(withId(write837p([officeVisit({ renderingProvider: null })], ENVELOPE), "PRV")).toEqual([
      "PRV*BI*PXC*261QP2300X",
    ]);
    const referred = write837p(
      [officeVisit({ referringProvider: { ...DR_OKAFOR, npi: syntheticNpi(3003) } })],
      ENVELOPE,
    );
    expect(withId(referred, "NM1").slice(5)).toEqual([
      `NM1*DN*1*OKAFOR*ADA****XX*${syntheticNpi(3003)}`,
      `NM1*82*1*OKAFOR*ADA****XX*${DR_OKAFOR.npi}`,
    ]);
  });

  it("carries the payer's claim number in REF*F8 on a replacement (7) and a void (8), never on an original", () => {
    for (const frequencyCode of ["7", "8"] as const) {
      const batch = write837p([officeVisit({ frequencyCode, payerClaimControlNumber: "2611400012345" })], ENVELOPE);
      const segments = segmentsOf(batch);
      expect(segments).toContain(`CLM*RB26000123*137***11:B:${frequencyCode}*Y*A*Y*Y`);
      expect(segments[segments.indexOf("REF*F8*2611400012345") + 1]).toMatch(/^HI\*/);
    }
    const original = write837p([officeVisit({ payerClaimControlNumber: "2611400012345" })], ENVELOPE);
    expect(withId(original, "REF").map((s) => s.slice(0, 6))).toEqual(["REF*EI", "REF*6R", "REF*6R"]);
    expect(refusal([officeVisit({ frequencyCode: "7" })]).problems).toEqual([
      { patientControlNumber: "RB26000123", field: ["payerClaimControlNumber"], message: "is missing" },
    ]);
  });

  it("files Medicare as MB, Medicaid as MC, and a payer of unknown kind as commercial (CI)", () => {
    const indicator = (payer: ClaimDocument["payer"]) =>
      withId(write837p([officeVisit({ payer })], ENVELOPE), "SBR")[0]!.split("*")[9];
    expect(indicator(PAYERS.medicare)).toBe("MB");
    expect(indicator(PAYERS.medicaid)).toBe("MC");
    expect(indicator({ name: "Lakeshore Health Plan", payerId: "LHP01", timelyFilingDays: 90 })).toBe("CI");
  });
});

describe("names, addresses and ids with X12 separators", () => {
  it("cleans separators out of names and addresses, so the segments keep their shape", () => {
    const subscriber = {
      ...officeVisit().subscriber,
      firstName: "María~José",
      lastName: "O'Brien*Lopez",
      address: {
        line1: "18 Elm St: Apt ^4",
        line2: "Rear~Door",
        city: "Columbus*",
        state: "OH",
        postalCode: "432011234",
      },
    };
    const batch = write837p([officeVisit({ subscriber })], ENVELOPE);
    expect(withId(batch, "NM1")[3]).toBe("NM1*IL*1*O'BRIEN LOPEZ*MARIA JOSE****MI*BMH482913377");
    expect(withId(batch, "N3")[1]).toBe("N3*18 ELM ST APT 4*REAR DOOR");
    expect(withId(batch, "N4")[1]).toBe("N4*COLUMBUS*OH*432011234");
    expect(withId(batch, "SE")).toEqual(["SE*31*0001"]);
  });

  it("refuses the whole batch when an id holds a separator, naming each claim and field", () => {
    const clean = officeVisit({ patientControlNumber: "RB26000124" });
    const bad = officeVisit({
      subscriber: { ...officeVisit().subscriber, memberId: "BMH48*2913" },
      lines: [{ ...officeVisit().lines[0]!, lineControlNumber: "RB26000123~L1", modifiers: ["25", "5:"] }],
      totalCharge: "125.00",
    });
    const refused = refusal([clean, bad]);
    expect(refused.problems).toEqual([
      {
        patientControlNumber: "RB26000123",
        field: ["subscriber", "memberId"],
        message: 'contains "*", an X12 separator',
      },
      {
        patientControlNumber: "RB26000123",
        field: ["lines", "0", "modifiers", "1"],
        message: 'contains ":", an X12 separator',
      },
      {
        patientControlNumber: "RB26000123",
        field: ["lines", "0", "lineControlNumber"],
        message: 'contains "~", an X12 separator',
      },
    ]);
    expect(refused.message).toBe(
      '837P not written: claim RB26000123: subscriber.memberId contains "*", an X12 separator (and 2 more problems)',
    );
    expect(claim837pProblems(clean)).toEqual([]);
    expect(claim837pProblems(bad)).toHaveLength(3);
  });

  it("refuses a batch mixing payers, repeating a patient control number, or an id that would corrupt the ISA", () => {
    const refused = refusal([officeVisit(), officeVisit({ payer: PAYERS.medicare }), officeVisit()], {
      ...ENVELOPE,
      sender: { qualifier: "ZZ", id: "CHART*ROOM" },
      interchangeControlNumber: 1_000_000_000,
    });
    expect(refused.problems.map((p) => [p.patientControlNumber, p.field.join("."), p.message])).toEqual([
      [null, "envelope.sender.id", 'contains "*", an X12 separator'],
      [null, "envelope.interchangeControlNumber", "must be a whole number from 1 to 999999999"],
      ["RB26000123", "payer.payerId", "is not this batch's payer (BMH01)"],
      ["RB26000123", "patientControlNumber", "appears twice in this batch"],
      ["RB26000123", "patientControlNumber", "appears twice in this batch"],
    ]);
  });
});

describe("batches of many claims", () => {
  it("counts segments in SE, sets in GE, and numbers sets from the first control number", () => {
    const claims = syntheticClaims(40, PAYERS.medicaid);
    const batch = write837p(claims, { ...ENVELOPE, firstTransactionSetControlNumber: 918 });
    const segments = segmentsOf(batch);
    expect(segments.filter((s) => s.startsWith("SE*"))).toEqual([`SE*${segments.length - 4}*0918`]);
    expect(segments.filter((s) => s.startsWith("CLM*"))).toHaveLength(40);
    expect(segments.filter((s) => s.startsWith("LX*"))).toHaveLength(claims.reduce((n, c) => n + c.lines.length, 0));
    expect(batch.transactionSets[0]!.patientControlNumbers).toEqual(claims.map((c) => c.patientControlNumber));
  });

  it("puts three claims of one subscriber under one subscriber HL, and opens another after 100", () => {
    const claims = Array.from({ length: 103 }, (_, i) =>
      officeVisit({ patientControlNumber: `RB26${String(i).padStart(6, "0")}` }),
    );
    const segments = segmentsOf(write837p(claims, ENVELOPE));
    expect(segments.filter((s) => s.startsWith("HL*"))).toEqual(["HL*1**20*1", "HL*2*1*22*0", "HL*3*1*22*0"]);
    expect(segments.indexOf("HL*3*1*22*0")).toBe(segments.indexOf("CLM*RB26000100*137***11:B:1*Y*A*Y*Y") - 7);
  });

  it("splits more than 5,000 claims into transaction sets of at most 5,000, each counted and listed", () => {
    const claims = syntheticClaims(5003, PAYERS.commercial);
    const batch = write837p(claims, ENVELOPE);
    const segments = segmentsOf(batch);
    const starts = segments.flatMap((s, i) => (s.startsWith("ST*") ? [i] : []));
    const ends = segments.flatMap((s, i) => (s.startsWith("SE*") ? [i] : []));
    expect(starts.map((i) => segments[i])).toEqual(["ST*837*0001*005010X222A1", "ST*837*0002*005010X222A1"]);
    expect(ends.map((end) => segments[end])).toEqual([
      `SE*${ends[0]! - starts[0]! + 1}*0001`,
      `SE*${ends[1]! - starts[1]! + 1}*0002`,
    ]);
    expect(segments.slice(-2)).toEqual(["GE*2*7", "IEA*1*000000042"]);
    expect(batch.transactionSets.map((set) => [set.controlNumber, set.patientControlNumbers.length])).toEqual([
      ["0001", 5000],
      ["0002", 3],
    ]);
    expect(batch.transactionSets[1]!.patientControlNumbers).toEqual(
      claims.slice(5000).map((c) => c.patientControlNumber),
    );
    const claimsInSecondSet = segments.slice(starts[1], ends[1]).filter((s) => s.startsWith("CLM*"));
    expect(claimsInSecondSet.map((s) => s.split("*")[1]).sort()).toEqual(
      batch.transactionSets[1]!.patientControlNumbers.sort(),
    );
  });
});

describe("the interchanges pass the X12 validator", () => {
  const title =
    "batches for three payers, with dependents, corrections, voids, 12 diagnoses, 4 modifiers and separators";
  // pyx12 reads a few hundred claims in seconds, and far longer on a busy machine: hence the generous timeout.
  it.skipIf(x12ValidatorMissing !== null)(
    x12ValidatorMissing ? `${title} (skipped: ${x12ValidatorMissing})` : title,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "chartroom-837p-"));
      try {
        const batches = [
          ["medicare", syntheticClaims(120, PAYERS.medicare, 1)],
          ["medicaid", syntheticClaims(90, PAYERS.medicaid, 2)],
          ["commercial", syntheticClaims(150, PAYERS.commercial, 3).map(withSeparatorsEverywhere)],
        ] as const;
        const files = batches.map(([name, claims], k) => {
          const envelope = { ...ENVELOPE, interchangeControlNumber: 100 + k, groupControlNumber: 200 + k };
          const file = join(dir, `${name}.837`);
          writeFileSync(file, write837p(claims, envelope).x12);
          return file;
        });
        const run = await validateX12(files);
        const verdicts = run.output.split("\n").filter((line) => line.startsWith(dir));
        expect(verdicts).toEqual(files.map((file) => expect.stringMatching(new RegExp(`^${file}: PASS `))));
        expect(run.status, run.output).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    300_000,
  );
});

/** Every fifth claim's people and addresses full of separators, accents and line breaks. */
function withSeparatorsEverywhere(claim: ClaimDocument, i: number): ClaimDocument {
  if (i % 5 !== 0) return claim;
  const address = {
    line1: "12 Main St: Apt ^4~B",
    line2: "c/o Núñez*\nRear",
    city: "Saint~Marys",
    state: "OH",
    postalCode: "458851234",
  };
  const name = { firstName: "Zoë^Ann", lastName: "O'Brien*Smith:Jr~" };
  return {
    ...claim,
    subscriber: { ...claim.subscriber, ...name, address },
    patient: claim.patient && { ...claim.patient, ...name, address },
    referringProvider: { ...DR_OKAFOR, lastName: "Ng~*:^", npi: syntheticNpi(4004) },
    billingProvider: { ...claim.billingProvider, name: "Riverbend * Family ~ Clinic: East ^ Campus" },
  };
}
