import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { X12Error } from "../../src/modules/claims/index.js";
import { write835 } from "../../src/modules/remittance/index.js";
import {
  keysOfReadFile,
  payerKeyOf,
  readRemittance,
  UnbalancedRemittance,
} from "../../src/modules/remittance/remittance.reader.js";

const fixtures = join(resolve(dirname(fileURLToPath(import.meta.url)), "../.."), "test/fixtures/x12/835");
const fixture = (name: string) => readFileSync(join(fixtures, name), "utf8");

/** The error reading `text` throws; fails the test when it reads. */
async function refusal(text: string): Promise<X12Error> {
  const error = await readRemittance(text).then(
    () => new Error("read"),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof X12Error)) throw error;
  return error;
}

describe("an 835 tells what a payer paid, claim by claim and line by line", () => {
  it("reads every sample file", async () => {
    const names = readdirSync(fixtures).filter((name) => name.endsWith(".835"));
    expect(names.length).toBe(5);
    const results = await Promise.all(
      names.map((name) =>
        readRemittance(fixture(name)).then(
          () => "read",
          (error: Error) => error.message,
        ),
      ),
    );
    expect(Object.fromEntries(names.map((name, i) => [name, results[i]]))).toMatchSnapshot();
  });

  it("reads the payment, payer, payee, claims with adjustments and remarks, and PLB", async () => {
    const [payment] = (await readRemittance(fixture("lfh-demo.835"))).payments;
    expect(payment).toMatchObject({
      amount: "150000.00",
      method: "ACH",
      paymentDate: "2002-09-13",
      traceNumber: "12345",
      payerId: "1512345678",
      payerName: "INSURANCE COMPANY OF TIMBUCKTU",
      payeeName: "REGIONAL HOPE HOSPITAL",
      payeeId: "6543210903",
    });
    expect(payment?.claims).toEqual([
      expect.objectContaining({
        patientControlNumber: "666123",
        status: "1",
        charge: "211366.97",
        paid: "138018.40",
        payerClaimControlNumber: "1999999444444",
        adjustments: [{ group: "CO", reason: "45", amount: "73348.57", quantity: null }],
      }),
      expect.objectContaining({ patientControlNumber: "777777", remarks: ["MA02"] }),
    ]);
    expect(payment?.providerAdjustments).toEqual([
      expect.objectContaining({ providerId: "6543210903", reason: "CV", reference: "CP", amount: "-1.27" }),
    ]);
  });

  it("reads service lines with modifiers, dates, quantities and patient responsibility", async () => {
    const [payment] = (await readRemittance(fixture("lfh-managed-care.835"))).payments;
    expect(payment?.claims[0]).toMatchObject({
      patientControlNumber: "5554555444",
      patientResponsibility: "300.00",
      adjustments: [{ group: "CO", reason: "A2", amount: "50.00" }],
      lines: [
        {
          qualifier: "HC",
          code: "99211",
          charge: "800.00",
          paid: "500.00",
          units: "1",
          serviceDate: "2002-03-01",
          adjustments: [{ group: "PR", reason: "1", amount: "300.00", quantity: null }],
        },
      ],
    });
  });

  it("reads REF*6R line control numbers and LQ*HE remarks", async () => {
    const text = fixture("lfh-managed-care.835").replace(
      "CAS*PR*1*300.00~",
      "CAS*PR*1*300.00*2~REF*6R*LINE-1~LQ*HE*N130~",
    );
    const [payment] = (await readRemittance(text.replace("SE*26*", "SE*28*"))).payments;
    expect(payment?.claims[0]?.lines[0]).toMatchObject({
      lineControlNumber: "LINE-1",
      remarks: ["N130"],
      adjustments: [{ quantity: "2" }],
    });
  });

  it("reads a line whose payer wrote the procedure's qualifier and code as two elements", async () => {
    const [payment] = (await readRemittance(fixture("lfh-tertiary-payment.835"))).payments;
    expect(payment?.claims[0]?.lines).toEqual([
      expect.objectContaining({ qualifier: "HC", code: "24599.00", charge: "1766.50", paid: "187.50", units: "1" }),
    ]);
  });
});

describe("a file posted before is known by its payments' keys without reading it again", () => {
  it("finds the same payer and trace number of each payment as reading the file does", async () => {
    const names = readdirSync(fixtures).filter((name) => name.endsWith(".835"));
    const bench = write835(
      ["NM1*PR*2*BENCH PAYER*****PI*BENCH01", "CLM*A1*150***11:B:1*Y*A*Y*Y", "SV1*HC:99213*150*UN*1***1"].join("~\n"),
      { A1: { pay: true } },
      { traceNumber: "T-1" },
    );
    const texts = [...names.map(fixture), bench, `\uFEFF  ${bench.replace(/~\n?/g, "~\r\n")}`];
    for (const text of texts) {
      const read = (await readRemittance(text)).payments.map((payment) => ({
        payer: payerKeyOf(payment),
        traceNumber: payment.traceNumber,
      }));
      expect(read.length).toBeGreaterThan(0);
      expect(keysOfReadFile(text)).toEqual(read);
    }
  });
});

describe("an 835 that does not balance is refused, never forced to balance", () => {
  it("names the line, its claim and the amounts", async () => {
    const text = fixture("lfh-managed-care.835").replace("SVC*HC:99211*800.00*500.00", "SVC*HC:99211*800.00*501.00");
    const error = await refusal(text);
    expect(error).toBeInstanceOf(UnbalancedRemittance);
    expect(error.message).toBe(
      "Segment 16 (SVC): claim 5554555444, line 99211: charge 800.00 − adjustments 300.00 = 500.00, " +
        "but 501.00 is paid.",
    );
  });

  it("names the claim when its adjustments do not add up", async () => {
    const text = fixture("lfh-managed-care.835").replace("CAS*CO*A2*50.00", "CAS*CO*A2*40.00");
    const error = await refusal(text);
    expect(error.message).toBe(
      "Segment 13 (CLP): claim 5554555444: charge 800.00 − adjustments 340.00 = 460.00, but 450.00 is paid.",
    );
    expect(error).toMatchObject({ expected: "460.00", actual: "450.00" });
  });

  it("names the payment when BPR02 is not the claims paid less the PLB", async () => {
    const error = await refusal(fixture("lfh-demo.835").replace("BPR*C*150000.00", "BPR*C*150000.01"));
    expect(error.message).toBe(
      "Segment 3 (ST): payment 12345: claims paid 149998.73 − provider adjustments -1.27 = 150000.00, " +
        "but BPR02 is 150000.01.",
    );
  });
});

describe("dates", () => {
  it("reads a payment date that does not exist as none, and refuses a service date that does not exist", async () => {
    const text = fixture("lfh-managed-care.835");
    const [payment] = (await readRemittance(text)).payments;
    expect(payment?.paymentDate).toBeNull();
    const error = await refusal(text.replace("DTM*150*20020301", "DTM*150*20020231"));
    expect(error.message).toMatch(/"20020231" is not a date \(CCYYMMDD\)\./);
  });
});

describe("what is not an 835 is refused", () => {
  it("refuses another transaction, a truncated file and an amount that is not a number", async () => {
    const text = fixture("lfh-managed-care.835");
    expect((await refusal(text.replace("ST*835*", "ST*277*"))).code).toBe("X12_WRONG_TRANSACTION");
    expect((await refusal(text.slice(0, text.indexOf("SE*")))).code).toBe("X12_TRUNCATED");
    const notAmount = await refusal(text.replace("CLP*5554555444*1*800.00", "CLP*5554555444*1*8OO.00"));
    expect(notAmount.message).toBe('Segment 13 (CLP), CLP03: "8OO.00" is not an amount.');
    expect((await refusal("hello")).code).toBe("X12_NOT_X12");
  });
});
