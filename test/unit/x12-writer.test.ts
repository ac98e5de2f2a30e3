import { describe, expect, it } from "vitest";
import {
  segment,
  X12Document,
  X12Values,
  x12Segments,
  x12Text,
  x12UnsafeId,
} from "../../src/modules/claims/x12.writer.js";

describe("X12 segments", () => {
  it("joins elements with * and components with :, dropping empty trailing elements and components", () => {
    expect(segment("NM1", "85", "2", "RIVERBEND CLINIC", "", "", "", "", "XX", "1000010011")).toBe(
      "NM1*85*2*RIVERBEND CLINIC*****XX*1000010011",
    );
    expect(segment("SV1", ["HC", "99213", "25", "", ""], "125", "UN", "1", "", "", ["1", "2"], "", "")).toBe(
      "SV1*HC:99213:25*125*UN*1***1:2",
    );
    const lines = x12Segments([segment("LX", "1"), segment("REF", "6R", "L1")]);
    expect(lines).toEqual({ text: "LX*1~\nREF*6R*L1~\n", count: 2 });
    const document = new X12Document();
    document.add(segment("ST", "837", "0001"));
    document.addSegments(lines);
    expect([document.toString(), document.count]).toEqual(["ST*837*0001~\nLX*1~\nREF*6R*L1~\n", 3]);
  });

  it("throws rather than write a value that still holds a separator", () => {
    expect(() => segment("NM1", "IL", "1", "SMITH*JR")).toThrow(/NM13 holds a separator/);
    expect(() => segment("SV1", ["HC", "99213~"])).toThrow(/SV11 holds a separator/);
  });
});

describe("free text: cleaned, upper-cased, never refused", () => {
  it("drops accents, turns separators and foreign characters into one space, and upper-cases", () => {
    expect(x12Text("José O'Brien*Jr", 60)).toBe("JOSE O'BRIEN JR");
    expect(x12Text("12 Main St: Apt ^4 ~ rear", 55)).toBe("12 MAIN ST APT 4 REAR");
    expect(x12Text("Line one\nline\ttwo", 55)).toBe("LINE ONE LINE TWO");
    expect(x12Text("Straße № 5", 55)).toBe("STRASSE NO 5");
  });

  it("cuts to the element's length without leaving a trailing space, and leaves nothing of separators alone", () => {
    expect(x12Text("Riverbend Community Hospital of the Ohio Valley", 30)).toBe("RIVERBEND COMMUNITY HOSPITAL O");
    expect(x12Text("Ada Lovelace", 4)).toBe("ADA");
    expect(x12Text("*~:^", 60)).toBe("");
  });
});

describe("identifiers: written as given or refused", () => {
  it("flags separators, characters outside the X12 set and edge spaces, and passes ordinary ids", () => {
    for (const unsafe of ["AB*123", "AB:123", "AB^123", "AB~123", "ÄB123", " AB123", "AB123 ", "AB\n123", "AB\t1"]) {
      expect(x12UnsafeId(unsafe), unsafe).toBe(true);
    }
    for (const safe of ["1EG4TE5MK73", "W123-456/7", "edi@riverbend.example", "BMH837C0000000L1"]) {
      expect(x12UnsafeId(safe), safe).toBe(false);
    }
  });

  it("refuses an unsafe id with a problem naming the field and the character, without echoing the id", () => {
    const values = new X12Values();
    expect(values.id("MB*4471", "subscriber.memberId", { min: 2, max: 80 })).toBe("");
    expect(values.id("1", "payer.payerId", { min: 2, max: 80 })).toBe("");
    expect(values.id(null, "payerClaimControlNumber", { max: 50 })).toBe("");
    expect(values.id(null, "subscriber.groupNumber", { max: 50, optional: true })).toBe("");
    expect(values.problems).toEqual([
      { field: ["subscriber", "memberId"], message: 'contains "*", an X12 separator' },
      { field: ["payer", "payerId"], message: "is 1 character long; X12 takes 2 to 80 here" },
      { field: ["payerClaimControlNumber"], message: "is missing" },
    ]);
    expect(JSON.stringify(values.problems)).not.toContain("4471");
  });

  it("writes amounts as X12 decimals and dates as CCYYMMDD, refusing what is neither", () => {
    const values = new X12Values();
    expect(["125.00", "48.25", "9.10", "0.00", "1200"].map((a) => values.amount(a, "charge"))).toEqual([
      "125",
      "48.25",
      "9.1",
      "0",
      "1200",
    ]);
    expect(values.date("2026-02-28", "serviceDate")).toBe("20260228");
    expect(values.date("2028-02-29", "serviceDate")).toBe("20280229");
    expect(values.problems).toEqual([]);
    values.amount("12.5x", "charge");
    values.date("2026-02-29", "serviceDate");
    values.quantity(0, "units");
    expect(values.problems.map((p) => p.field[0])).toEqual(["charge", "serviceDate", "units"]);
  });
});
