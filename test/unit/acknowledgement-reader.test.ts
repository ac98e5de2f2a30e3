import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type Acknowledgement, readAcknowledgement } from "../../src/modules/claims/acknowledgement.reader.js";
import { write837p } from "../../src/modules/claims/claim.837p.js";
import {
  CLAIM_STATUS_CATEGORIES,
  CLAIM_STATUS_CODES,
  STATUS_ENTITIES,
} from "../../src/modules/claims/claim-status-codes.js";
import { MAX_X12_CHARACTERS, X12Error } from "../../src/modules/claims/x12.reader.js";
import { ENVELOPE, PAYERS, syntheticClaims } from "../helpers/claim-documents.js";
import { validateX12, x12Validator, x12ValidatorMissing } from "../helpers/x12-validate.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const fixtures = join(repo, "test/fixtures/x12");
const fixture = (name: string) => readFileSync(join(fixtures, name), "utf8");

async function read999(name: string) {
  const acknowledgement = await readAcknowledgement(fixture(name));
  if (acknowledgement.kind !== "999") throw new Error(`${name} read as a ${acknowledgement.kind}`);
  return acknowledgement;
}

async function read277(text: string) {
  const acknowledgement = await readAcknowledgement(text);
  if (acknowledgement.kind !== "277CA") throw new Error(`read as a ${acknowledgement.kind}`);
  return acknowledgement;
}

/** The X12Error reading `text` throws; fails the test when it reads. */
async function refusal(text: string): Promise<X12Error> {
  const error = await readAcknowledgement(text).then(
    (read: Acknowledgement) => new Error(`read as a ${read.kind}`),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof X12Error)) throw error;
  return error;
}

/** `text` with one exact segment replaced, asserting it was there. */
function replaced(text: string, segment: string, by: string): string {
  expect(text).toContain(`${segment}~`);
  return text.replace(`${segment}~`, `${by}~`);
}

describe("a 999 tells which of our 837 transaction sets were accepted", () => {
  it("accepts every transaction set of batch 18, and a TA1 accepts the interchange itself", async () => {
    const ack = await read999("999-accepted.x12");
    expect(ack.interchange).toMatchObject({ senderId: "CLEARHOUSE01", controlNumber: "000004710", date: "2026-01-05" });
    expect(ack.interchangeAcknowledgements).toEqual([
      expect.objectContaining({
        controlNumber: "000000018",
        verdict: "ACCEPTED",
        note: { code: "000", meaning: "no error" },
      }),
    ]);
    const [group] = ack.groups;
    expect(group).toMatchObject({ functionalId: "HC", groupControlNumber: "18", verdict: "ACCEPTED" });
    expect(group!.transactionSets.map((set) => [set.controlNumber, set.verdict])).toEqual([
      ["0001", "ACCEPTED"],
      ["0002", "ACCEPTED"],
    ]);
  });

  it("partially accepts batch 17: the rejected set names the claim and the element at fault, in words", async () => {
    const [group] = (await read999("999-partially-accepted.x12")).groups;
    expect(group).toMatchObject({
      groupControlNumber: "17",
      verdict: "PARTIALLY_ACCEPTED",
      transactionSetsIncluded: 3,
      transactionSetsReceived: 3,
      transactionSetsAccepted: 2,
    });
    const [accepted, noted, rejected] = group!.transactionSets;
    expect([accepted!.verdict, noted!.verdict, rejected!.verdict]).toEqual([
      "ACCEPTED",
      "ACCEPTED_WITH_ERRORS",
      "REJECTED",
    ]);
    expect(noted!.segmentErrors[0]!.elementErrors[0]).toMatchObject({ element: "DTP03", badData: "20261301" });
    expect(rejected).toMatchObject({
      controlNumber: "0003",
      errors: [{ code: "5", meaning: "one or more segments in error" }],
      segmentErrors: [
        {
          segmentId: "NM1",
          position: 12,
          loop: "2010",
          code: { code: "8", meaning: "segment has data element errors" },
          patientControlNumber: "PCN000003",
          elementErrors: [
            {
              element: "NM108",
              dataElementReference: "66",
              code: { code: "7", meaning: "invalid code value" },
              badData: "ZZ",
            },
          ],
        },
      ],
    });
    expect(rejected!.message).toBe(
      "Transaction set 0003 rejected: one or more segments in error. The NM1 segment at position 12, loop 2010 of " +
        'claim PCN000003: segment has data element errors; NM108 (data element 66): invalid code value, found "ZZ".',
    );
  });

  it("rejects batch 19 with each segment in error, composite elements named by component", async () => {
    const [group] = (await read999("999-rejected.x12")).groups;
    expect(group).toMatchObject({ groupControlNumber: "19", verdict: "REJECTED", transactionSetsAccepted: 0 });
    const errors = group!.transactionSets[0]!.segmentErrors;
    expect(
      errors.map((error) => [error.segmentId, error.code?.meaning, error.elementErrors.map((e) => e.element)]),
    ).toEqual([
      ["CLM", "segment has data element errors", ["CLM05-1"]],
      ["SV1", "segment has data element errors", ["SV101-2"]],
      ["DTP", "required segment missing", []],
    ]);
    expect(errors.every((error) => error.patientControlNumber === "PCN000019")).toBe(true);
  });

  it("reads the same 999 with | between elements, > between components and a newline after each segment", async () => {
    const other = fixture("999-rejected-other-separators.x12");
    expect(other.slice(0, 4)).toBe("ISA|");
    expect(await readAcknowledgement(other)).toEqual(await read999("999-rejected.x12"));
    // The same with CRLF: the ISA then ends in a carriage return, and the pair ends each segment.
    expect(await readAcknowledgement(other.replaceAll("\n", "\r\n"))).toEqual(await read999("999-rejected.x12"));
  });

  it("reads CRLF line ends and a leading byte-order mark as an editor leaves them", async () => {
    const text = `\uFEFF\r\n${fixture("999-rejected.x12").replaceAll("~\n", "~\r\n")}`;
    expect(await readAcknowledgement(text)).toEqual(await read999("999-rejected.x12"));
  });

  it("names codes it has no words for with the list to look them up in, instead of failing", async () => {
    const text = replaced(fixture("999-rejected.x12"), "IK3*DTP*30*2400*3", "IK3*DTP*30*2400*Z9");
    const ack = await readAcknowledgement(text);
    if (ack.kind !== "999") throw new Error("not a 999");
    expect(ack.groups[0]!.transactionSets[0]!.segmentErrors[2]!.code).toEqual({
      code: "Z9",
      meaning: "code Z9 (see X12 data element 620)",
    });
  });
});

describe("a 277CA tells, claim by claim, which claims the payer took in", () => {
  const accepted = () => fixture("277ca-accepted-and-rejected.x12");

  it("accepts claims with the payer's claim control number, rejects others with statuses in words", async () => {
    const { claims } = await read277(accepted());
    const byNumber = new Map(claims.map((claim) => [claim.patientControlNumber, claim]));
    expect(claims.map((claim) => [claim.patientControlNumber, claim.outcome, claim.payerClaimControlNumber])).toEqual([
      ["PCN000101", "ACCEPTED", "EVG2601060001"],
      ["PCN000102", "REJECTED", null],
      ["PCN000103", "REJECTED", null],
      ["PCN000104", "ACCEPTED", "EVG2601060002"],
      ["PCN000105", "REJECTED", null],
    ]);
    expect(byNumber.get("PCN000101")).toMatchObject({
      patient: { lastName: "RIVERA", firstName: "ANA", memberId: "EVG100200300" },
      clearinghouseTraceNumber: "CHX260105000101",
      serviceDateFrom: "2026-01-02",
    });
    expect(byNumber.get("PCN000104")).toMatchObject({ serviceDateFrom: "2026-01-04", serviceDateTo: "2026-01-05" });
    // STC01 and STC10 of one segment: two statuses sharing its date, action and amount.
    expect(byNumber.get("PCN000102")!.statuses).toEqual([
      expect.objectContaining({
        category: { code: "A7", meaning: "rejected for invalid information" },
        status: { code: "562", meaning: "the rendering provider's National Provider Identifier (NPI)" },
        entity: { code: "82", meaning: "the rendering provider" },
        message: "Rejected for invalid information: the rendering provider's National Provider Identifier (NPI).",
        effectiveDate: "2026-01-06",
        actionCode: "U",
        amount: "95.00",
      }),
      expect.objectContaining({ status: expect.objectContaining({ code: "21" }), amount: "95.00" }),
    ]);
  });

  it("rejects a claim whose service line the payer rejected, naming our line control number", async () => {
    const claim = (await read277(accepted())).claims.find((each) => each.patientControlNumber === "PCN000103")!;
    expect(claim.outcome).toBe("REJECTED");
    expect(claim.lines).toEqual([
      expect.objectContaining({
        lineControlNumber: "LCN000103001",
        procedure: { qualifier: "HC", code: "99213", modifiers: ["25"] },
        charge: "80.00",
        units: "1",
        serviceDateFrom: "2026-01-03",
        outcome: "REJECTED",
        statuses: [expect.objectContaining({ message: "Rejected for invalid information: the procedure code." })],
      }),
    ]);
  });

  it("gives the batch and billing provider levels their trace numbers, totals and statuses", async () => {
    const { receivers, providers, claims } = await read277(accepted());
    expect(receivers).toEqual([
      expect.objectContaining({
        traceNumber: "BATCH000017",
        identifier: "CHARTROOM",
        outcome: "RECEIVED",
        acceptedClaims: 2,
        rejectedClaims: 3,
        acceptedAmount: "230.00",
        rejectedAmount: "295.00",
        source: {
          kind: "PAYER",
          name: "EVERGREEN HEALTH PLAN",
          identifier: "EVGHP",
          traceNumber: "20260106EVG01",
          receivedOn: "2026-01-05",
          processedOn: "2026-01-06",
        },
      }),
    ]);
    expect(providers.map((provider) => [provider.identifier, provider.outcome])).toEqual([
      ["1234567893", "RECEIVED"],
      ["1234567800", "REJECTED"],
    ]);
    expect(providers[1]!.statuses[0]!.message).toBe(
      "Rejected for invalid information: the billing provider's National Provider Identifier (NPI).",
    );
    const rejectedWithProvider = claims.find((claim) => claim.patientControlNumber === "PCN000105")!;
    expect(rejectedWithProvider.provider).toBe(providers[1]);
    expect(rejectedWithProvider.receiver.traceNumber).toBe("BATCH000017");
  });

  it("leaves a claim a clearinghouse only received and forwarded as RECEIVED, not accepted", async () => {
    const { claims, receivers } = await read277(fixture("277ca-received.x12"));
    expect(receivers[0]!.source.kind).toBe("CLEARINGHOUSE");
    expect(claims).toEqual([
      expect.objectContaining({
        patientControlNumber: "PCN000106",
        outcome: "RECEIVED",
        payerClaimControlNumber: null,
      }),
    ]);
    expect(claims[0]!.statuses.map((status) => status.message)).toEqual([
      "Received, not yet accepted into adjudication: accepted for processing.",
      "Forwarded to another entity: the claim was forwarded to the payer.",
    ]);
  });

  it("explains status and category codes it has no words for with their code list", async () => {
    const text = replaced(accepted(), "STC*A7:454*20260106*U", "STC*Z9:9999*20260106*U");
    const line = (await read277(text)).claims[2]!.lines[0]!;
    expect(line.statuses[0]).toMatchObject({
      category: { code: "Z9", meaning: "category code Z9 (see X12 code list 507)" },
      status: { code: "9999", meaning: "status code 9999 (see X12 code list 508)" },
      outcome: "OTHER",
    });
    // The action code U still rejects the line.
    expect(line.outcome).toBe("REJECTED");
  });
});

describe("files that cannot be read are refused with a stable code and where", () => {
  const ack277 = () => fixture("277ca-accepted-and-rejected.x12");

  it("refuses what is not X12: a spreadsheet paste, a stub, an ISA of the wrong width", async () => {
    expect((await refusal("Patient,Charge\nRIVERA,150.00\n")).code).toBe("X12_NOT_X12");
    expect((await refusal("ISA*00*")).code).toBe("X12_NOT_X12");
    const narrow = await refusal(ack277().replace("*ZZ*CLEARHOUSE01   *", "*ZZ*CLEARHOUSE01  *"));
    expect(narrow).toMatchObject({ code: "X12_NOT_X12", location: { segment: 1, element: "ISA06" } });
  });

  it("refuses an 835, an 837P or a claim status response, saying what the file is", async () => {
    const accepted = fixture("999-accepted.x12").replace("005010X231A1~", "005010X221A1~");
    const remittance = replaced(accepted, "ST*999*0001*005010X231A1", "ST*835*0001*005010X221A1");
    expect(await refusal(remittance)).toMatchObject({
      code: "X12_WRONG_TRANSACTION",
      message: expect.stringContaining("an 835 payment and remittance advice (005010X221A1) at segment 3"),
      location: { segment: 3, segmentId: "ST", element: "ST01" },
    });
    // An 837P Chartroom wrote itself, uploaded back by mistake: its envelopes read, its kind is refused.
    const batch = write837p(syntheticClaims(3, PAYERS.commercial), ENVELOPE).x12;
    expect((await refusal(batch)).message).toContain("an 837P professional claim batch (005010X222A1)");
    const status = replaced(ack277(), "ST*277*0001*005010X214", "ST*277*0001*005010X212");
    expect((await refusal(status)).message).toContain("a 277 claim status response (005010X212)");
  });

  it("refuses a file cut short, inside a segment or between them, saying which envelope is left open", async () => {
    const text = ack277();
    const insideSegment = await refusal(text.slice(0, text.indexOf("NM1*QC*1*CHEN") + 8));
    expect(insideSegment).toMatchObject({
      code: "X12_TRUNCATED",
      message: "The file is cut short: it ends inside segment 34, which has no segment terminator.",
    });
    const betweenSegments = await refusal(text.slice(0, text.indexOf("HL*5*3*PT")));
    expect(betweenSegments).toMatchObject({
      code: "X12_TRUNCATED",
      message: expect.stringContaining("transaction set 0001 (ST at segment 3) has no SE"),
    });
    const noIea = await refusal(text.slice(0, text.indexOf("IEA*")));
    expect(noIea).toMatchObject({ code: "X12_TRUNCATED", message: expect.stringContaining("has no IEA") });
    const noSe = await refusal(text.replace("SE*62*0001~", ""));
    expect(noSe).toMatchObject({ code: "X12_TRUNCATED", location: { segmentId: "GE" } });
  });

  it("refuses control numbers that disagree between header and trailer", async () => {
    const cases: [string, string, string][] = [
      ["IEA*1*000004712", "IEA*1*000004799", "IEA02"],
      ["GE*1*4712", "GE*1*4799", "GE02"],
      ["SE*62*0001", "SE*62*0002", "SE02"],
    ];
    for (const [segment, by, element] of cases) {
      const error = await refusal(replaced(ack277(), segment, by));
      expect(error).toMatchObject({ code: "X12_CONTROL_NUMBER_MISMATCH", location: { element } });
    }
    // Numeric control numbers are the same however zero-padded.
    expect((await read277(replaced(ack277(), "GE*1*4712", "GE*1*000004712"))).claims).toHaveLength(5);
  });

  it("refuses counts that differ from what the envelopes hold", async () => {
    const seCount = await refusal(replaced(ack277(), "SE*62*0001", "SE*61*0001"));
    expect(seCount).toMatchObject({ code: "X12_COUNT_MISMATCH", location: { segment: 64, element: "SE01" } });
    expect(seCount.message).toBe(
      "Segment 64 (SE), SE01 says 61, but transaction set 0001 has 62 segments from ST to SE: some were lost or added.",
    );
    expect((await refusal(replaced(ack277(), "GE*1*4712", "GE*2*4712"))).location?.element).toBe("GE01");
    expect((await refusal(replaced(ack277(), "IEA*1*000004712", "IEA*3*000004712"))).location?.element).toBe("IEA01");
  });

  it("refuses a 100 MB paste on its length alone, before parsing a character", async () => {
    const huge = ack277() + " ".repeat(100 * 2 ** 20);
    expect(huge.length).toBeGreaterThan(MAX_X12_CHARACTERS);
    expect((await refusal(huge)).code).toBe("X12_TOO_LARGE");
  });

  it("refuses content a reader needs that is missing or not of its kind, saying where", async () => {
    const noStatus = await refusal(replaced(ack277(), "STC*A2:20:PR*20260106*WQ*80", "STC*A2*20260106*WQ*80"));
    expect(noStatus).toMatchObject({ code: "X12_MALFORMED", location: { segmentId: "STC", element: "STC01-2" } });
    const unanswered = await refusal(replaced(ack277(), "STC*A2:20:PR*20260106*WQ*80", "REF*D9*CHX260105000104"));
    expect(unanswered).toMatchObject({ code: "X12_MALFORMED", location: { segment: 49, segmentId: "TRN" } });
    const amount = await refusal(replaced(ack277(), "STC*A2:20:PR*20260106*WQ*80", "STC*A2:20:PR*20260106*WQ*8O"));
    expect(amount).toMatchObject({ code: "X12_MALFORMED", location: { element: "STC04" } });
    const stray = await refusal(replaced(ack277(), "GE*1*4712", "GE*1*4712~NM1*QC*1*DOE"));
    expect(stray).toMatchObject({ code: "X12_MALFORMED", message: expect.stringContaining("outside any transaction") });
    const twice = await refusal(ack277() + ack277());
    expect(twice).toMatchObject({ code: "X12_MALFORMED", location: { segmentId: "ISA" } });
  });
});

describe.skipIf(x12ValidatorMissing !== null)(
  `the fixtures pass the shared X12 validator${x12ValidatorMissing ? ` (skipped: ${x12ValidatorMissing})` : ""}`,
  () => {
    it("validates every 999 and 277CA fixture against 005010X231A1 and 005010X214", async () => {
      const files = readdirSync(fixtures).filter((name) => name.endsWith(".x12"));
      const run = await validateX12(files, fixtures);
      for (const file of files) expect(run.output).toContain(`${file}: PASS`);
    });

    it("uses only status, category and entity codes the validator's lists accept", () => {
      const maps = join(dirname(x12Validator!), "vendor/pyx12/map");
      const codesXml = readFileSync(join(maps, "codes.xml"), "utf8");
      const list = (id: string) => new Set(codesIn(codesXml, id));
      const entities = new Set(readFileSync(join(maps, "277.5010.X214.xml"), "utf8").match(/(?<=<code>)[^<]+/g));
      expect(Object.keys(CLAIM_STATUS_CODES).filter((code) => !list("claim_status").has(code))).toEqual([]);
      expect(Object.keys(CLAIM_STATUS_CATEGORIES).filter((code) => !list("claim_status_cat").has(code))).toEqual([]);
      expect(Object.keys(STATUS_ENTITIES).filter((code) => !entities.has(code))).toEqual([]);
    });
  },
);

/** The codes of one codeset of pyx12's codes.xml. */
function codesIn(xml: string, id: string): string[] {
  const start = xml.indexOf(`<id>${id}</id>`);
  const end = xml.indexOf("</codeset>", start);
  return start < 0 ? [] : (xml.slice(start, end).match(/(?<=<code>)[^<]+/g) ?? []);
}
