import { describe, expect, it } from "vitest";
import { denialCategory, denialCategoryOf } from "../../src/modules/remittance/remittance.denials.js";

describe("a denial's category comes from the CARC that refused the most", () => {
  it("names the category of each kind of reason, and none for a reduction", () => {
    expect(denialCategoryOf("27")).toBe("ELIGIBILITY");
    expect(denialCategoryOf("197")).toBe("AUTHORIZATION");
    expect(denialCategoryOf("236")).toBe("CODING");
    expect(denialCategoryOf("50")).toBe("MEDICAL_NECESSITY");
    expect(denialCategoryOf("29")).toBe("TIMELY_FILING");
    expect(denialCategoryOf("18")).toBe("DUPLICATE");
    expect(denialCategoryOf("22")).toBe("COORDINATION_OF_BENEFITS");
    expect(denialCategoryOf("B7")).toBe("OTHER");
    expect(denialCategoryOf("45")).toBeNull();
    expect(denialCategoryOf("2")).toBeNull();
  });

  it("weighs the adjustments by amount, leaving patient responsibility and reductions aside", () => {
    const fee = { groupCode: "CO", reasonCode: "45", amount: "500.00" };
    const deductible = { groupCode: "PR", reasonCode: "204", amount: "300.00" };
    const coding = { groupCode: "CO", reasonCode: "4", amount: "20.00" };
    const necessity = { groupCode: "CO", reasonCode: "50", amount: "80.00" };
    expect(denialCategory([fee, deductible, coding, necessity])).toBe("MEDICAL_NECESSITY");
    expect(denialCategory([fee, deductible])).toBeNull();
    expect(denialCategory([{ ...necessity, amount: "-80.00" }])).toBeNull();
  });
});
