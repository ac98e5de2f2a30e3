import { describe, expect, it } from "vitest";
import { isValidNpi, npiCheckDigit } from "../../src/shared/npi.js";

describe("NPI check digit (Luhn over 80840 + nine digits)", () => {
  it("accepts the CMS worked example 1234567893", () => {
    expect(npiCheckDigit("123456789")).toBe(3);
    expect(isValidNpi("1234567893")).toBe(true);
  });

  it("refuses a wrong check digit, a transposition, and anything but ten digits", () => {
    expect(isValidNpi("1234567890")).toBe(false);
    expect(isValidNpi("1234567983")).toBe(false);
    expect(isValidNpi("123456789")).toBe(false);
    expect(isValidNpi("12345678930")).toBe(false);
    expect(isValidNpi("12345A7893")).toBe(false);
  });
});
