import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codesInForceOn } from "../../../src/modules/codesets/codeset.store.js";
import { startApi, type TestApi } from "../../helpers/api.js";

const CODE = `query ($system: CodeSystem!, $code: String!, $dateOfService: Date) {
  code(system: $system, code: $code, dateOfService: $dateOfService) {
    code billable longDescription effectiveFrom effectiveTo children { code billable }
  }
}`;

type Found = {
  code: string;
  billable: boolean;
  longDescription: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  children: { code: string; billable: boolean }[];
};

/**
 * A coder coding 2025 and 2026 encounters with the releases Chartroom ships: each date gets its
 * fiscal year's codes.
 */
describe("a coder on the code set in force on each date of service", () => {
  let api: TestApi;
  let coder: string;

  const code = async (system: string, typed: string, dateOfService: string): Promise<Found | null> => {
    const response = await api.gql(CODE, { system, code: typed, dateOfService }, coder);
    expect(response.errors).toBeUndefined();
    return response.data!["code"];
  };

  beforeAll(async () => {
    api = await startApi();
    coder = await api.signIn("coder1@demo.chartroom.test");
  });
  afterAll(() => api.close());

  it("finds the FY2027 codes from 1 October 2026 and not before", async () => {
    expect(await code("ICD10CM", "C78.31", "2026-10-15")).toMatchObject({
      billable: true,
      longDescription: "Secondary malignant neoplasm of larynx",
      effectiveFrom: "2026-10-01",
    });
    expect(await code("ICD10CM", "C78.31", "2026-09-15")).toBeNull();
  });

  it("reads I42.0 as billable in FY2026 and as the header of its new subcodes in FY2027", async () => {
    expect(await code("ICD10CM", "I42.0", "2026-09-15")).toMatchObject({ billable: true, children: [] });
    const header = await code("ICD10CM", "I42.0", "2026-10-15");
    expect(header).toMatchObject({ billable: false, longDescription: "Dilated cardiomyopathy" });
    expect(header!.children).toEqual([
      { code: "I42.00", billable: true },
      { code: "I42.01", billable: true },
      { code: "I42.09", billable: true },
    ]);
  });

  it("keeps E11.A, new in FY2026, in both fiscal years", async () => {
    for (const date of ["2026-09-15", "2026-10-15"]) {
      expect(await code("ICD10CM", "E11.A", date)).toMatchObject({
        billable: true,
        longDescription: "Type 2 diabetes mellitus without complications in remission",
      });
    }
    expect(await code("ICD10CM", "E11.A", "2025-09-15")).toBeNull();
  });

  it("resolves a HCPCS code added in 2025 from its added date", async () => {
    expect(await code("HCPCS", "A2030", "2026-10-15")).toMatchObject({
      longDescription: "Miro3d fibers, per milligram",
      effectiveFrom: "2025-04-01",
    });
    expect(await code("HCPCS", "A2030", "2025-03-15")).toBeNull();
  });

  it("gives each date its own version when one look-up asks a code on several dates", async () => {
    // A page of encounters asks its codes in one statement: I42.0 changed between the two dates, C78.31 is new.
    const rows = await codesInForceOn(api.database.db, [
      { system: "ICD10CM", code: "I420", dateOfService: "2026-10-15" },
      { system: "ICD10CM", code: "C7831", dateOfService: "2026-09-15" },
      { system: "ICD10CM", code: "I420", dateOfService: "2026-09-15" },
      { system: "ICD10CM", code: "C7831", dateOfService: "2026-10-15" },
      { system: "ICD10CM", code: "I420", dateOfService: "2026-10-02" },
    ]);
    const seen = rows.map((row) => [row.code, row.dateOfService, row.billable, row.effectiveFrom]);
    expect(seen.sort()).toEqual([
      ["C7831", "2026-10-15", true, "2026-10-01"],
      ["I420", "2026-09-15", true, expect.any(String)],
      ["I420", "2026-10-02", false, "2026-10-01"],
      ["I420", "2026-10-15", false, "2026-10-01"],
    ]);
  });

  it("lists the releases shipped, newest first", async () => {
    const response = await api.gql(`{ codeSetReleases { dataset label effectiveFrom } }`, {}, coder);
    const labels = (dataset: string) =>
      response
        .data!["codeSetReleases"].filter((r: { dataset: string }) => r.dataset === dataset)
        .map((r: { label: string }) => r.label);
    expect(labels("ICD10CM")).toEqual(["FY2027 (FY2026 with the order addenda)", "FY2026", "FY2025", "FY2024"]);
    expect(labels("ICD10PCS")).toEqual(["FY2026", "FY2025", "FY2024"]);
    expect(labels("HCPCS")).toEqual(["2025 OCT", "2024 July"]);
  });
});
