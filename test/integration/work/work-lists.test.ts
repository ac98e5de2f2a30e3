import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "../../helpers/api.js";
import { givenCodedEncounter } from "../../helpers/encounters.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";

/** A supervisor's worklist: each item with its encounter, the patient and the coded diagnoses. */
const WORKLIST = `query ($first: Int) {
  workItems(first: $first) {
    edges { node {
      id status
      subject { ... on Encounter { serviceDate patient { lastName } diagnoses { sequence code { code } } } }
    } }
  }
}`;
const WORKLIST_COUNTED = WORKLIST.replace("workItems(first: $first) {", "workItems(first: $first) { totalCount");

interface Worklist {
  workItems: {
    totalCount?: number;
    edges: { node: { subject: { serviceDate?: string; diagnoses?: { code: { code: string } }[] } } }[];
  };
}

describe("a supervisor reads the worklist with each encounter's patient and codes", () => {
  let api: TestApi;
  let org: Organization;
  let supervisor: string;
  const serviceDates = ["2026-10-02", "2026-10-06", "2026-10-13", "2026-10-20", "2026-10-27"];

  beforeAll(async () => {
    api = await startApi({ EVENT_POLL_INTERVAL: "1h" });
    org = await givenOrganization(api);
    supervisor = await org.signIn("supervisor");
    for (const serviceDate of serviceDates) await givenCodedEncounter(org, "coder3", { serviceDate });
  });
  afterAll(() => api.close());

  it("costs the same SQL statements for a page of one visit as for visits on five dates of service", async () => {
    const one = await api.fewestStatements(() => api.gql(WORKLIST, { first: 1 }, supervisor));
    const all = await api.fewestStatements(() => api.gql(WORKLIST, { first: 50 }, supervisor));
    const visits = (all.result.data as Worklist).workItems.edges
      .map((edge) => edge.node.subject)
      .filter((subject) => subject.serviceDate);
    expect(new Set(visits.map((visit) => visit.serviceDate))).toEqual(new Set(serviceDates));
    for (const visit of visits) expect(visit.diagnoses!.map((d) => d.code.code)).toEqual(["E11.9", "I10"]);
    expect(one.statements).toBeGreaterThan(0);
    expect(all.statements).toBe(one.statements);
    // Work items; encounters with their patients; diagnoses (no procedure lines); codes; the PHI audit row.
    expect(all.statements).toBeLessThanOrEqual(5);
  });

  it("counts every item only when the screen asks for totalCount", async () => {
    const plain = await api.fewestStatements(() => api.gql(WORKLIST, { first: 2 }, supervisor));
    const counted = await api.fewestStatements(() => api.gql(WORKLIST_COUNTED, { first: 2 }, supervisor));
    const page = (counted.result.data as Worklist).workItems;
    expect(page.edges).toHaveLength(2);
    expect(page.totalCount).toBeGreaterThanOrEqual(serviceDates.length);
    expect(counted.statements).toBe(plain.statements + 1);
  });
});
