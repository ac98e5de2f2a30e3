import { describe, expect, it } from "vitest";
import { DateScalar, MoneyScalar } from "../../src/graphql/scalars.js";
import { subtractMoney } from "../../src/shared/money.js";

describe("Money scalar", () => {
  it("normalises amounts to two places", () => {
    expect(MoneyScalar.parseValue("125")).toBe("125.00");
    expect(MoneyScalar.parseValue("125.5")).toBe("125.50");
    expect(MoneyScalar.parseValue("0.07")).toBe("0.07");
  });

  it("refuses a negative amount, more than two places, a float and a number too large for numeric(12,2)", () => {
    expect(() => MoneyScalar.parseValue("-5.00")).toThrow(/may not be negative/);
    expect(() => MoneyScalar.parseValue("1.005")).toThrow(/at most two places/);
    expect(() => MoneyScalar.parseValue(12.5)).toThrow(/decimal string/);
    expect(() => MoneyScalar.parseValue("12345678901.00")).toThrow();
  });

  it("serialises negative balances (credits) and subtracts in cents", () => {
    expect(MoneyScalar.serialize("-10.00")).toBe("-10.00");
    expect(subtractMoney("0.30", "0.10")).toBe("0.20");
    expect(subtractMoney("100.00", "125.50")).toBe("-25.50");
  });
});

describe("Date scalar", () => {
  it("accepts calendar dates and refuses impossible or malformed ones", () => {
    expect(DateScalar.parseValue("2024-02-29")).toBe("2024-02-29");
    expect(() => DateScalar.parseValue("2023-02-29")).toThrow();
    expect(() => DateScalar.parseValue("2024-13-01")).toThrow();
    expect(() => DateScalar.parseValue("03/15/2024")).toThrow();
  });
});
