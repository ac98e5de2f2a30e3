import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.js";
import { type DemoSeedSummary, seedDemo } from "../../src/seed/demo.js";
import { isValidNpi } from "../../src/shared/npi.js";

const ANCHOR_DATE = "2026-11-01";

async function seededDatabase(): Promise<{ handle: DatabaseHandle; summary: DemoSeedSummary }> {
  const handle = await openDatabase({});
  await handle.migrate();
  const summary = await seedDemo(handle.db, { password: "seed-test" });
  return { handle, summary };
}

/** What must come out the same from every seed: names and notes, in a stable order. */
async function fingerprint(handle: DatabaseHandle) {
  const names = await handle.rows<{ mrn: string; name: string }>(sql`
    select p.mrn, p.first_name || ' ' || p.last_name as name
    from patients p join organizations o on o.id = p.org_id
    order by o.slug, p.mrn`);
  const notes = await handle.rows<{ external_id: string; documentation: string }>(sql`
    select e.external_id, e.documentation
    from encounters e join organizations o on o.id = e.org_id
    order by o.slug, e.external_id`);
  return { names, notes };
}

describe("demo seed", () => {
  let handle: DatabaseHandle;
  let summary: DemoSeedSummary;

  beforeAll(async () => {
    ({ handle, summary } = await seededDatabase());
  });

  afterAll(async () => {
    await handle?.close();
  });

  it("loads two organizations with the promised patients, encounters and users", async () => {
    const counts = await handle.rows<{
      slug: string;
      name: string;
      facilities: number;
      patients: number;
      encounters: number;
    }>(sql`
      select o.slug, o.name,
        (select count(*)::int from facilities f where f.org_id = o.id) as facilities,
        (select count(*)::int from patients p where p.org_id = o.id) as patients,
        (select count(*)::int from encounters e where e.org_id = o.id) as encounters
      from organizations o order by o.slug`);
    expect(counts).toEqual([
      { slug: "demo", name: "Riverbend Health Partners", facilities: 2, patients: 60, encounters: 250 },
      { slug: "lakeside", name: "Lakeside Medical Group", facilities: 1, patients: 6, encounters: 10 },
    ]);

    expect(summary.patients).toBe(66);
    expect(summary.encounters).toBe(260);
    expect(summary.organizations.map((org) => org.slug)).toEqual(["demo", "lakeside"]);
    const emails = await handle.rows<{ email: string }>(sql`select email from users order by email`);
    expect(emails.map((row) => row.email)).toEqual(summary.organizations.flatMap((org) => org.userEmails).sort());
    expect(summary.organizations[0]?.userEmails).toEqual(
      ["admin", "supervisor", "auditor", "biller1", "biller2", "coder1", "coder2", "coder3"].map(
        (login) => `${login}@demo.chartroom.test`,
      ),
    );
    expect(summary.organizations[1]?.userEmails).toEqual([
      "admin@lakeside.chartroom.test",
      "coder1@lakeside.chartroom.test",
    ]);
  });

  it("grants coders and staff the facilities the demo describes", async () => {
    const grants = await handle.rows<{ email: string; facilities: string[] | null }>(sql`
      select u.email, array_agg(f.name order by f.name) filter (where f.id is not null) as facilities
      from users u
      left join user_facility_access a on a.org_id = u.org_id and a.user_id = u.id
      left join facilities f on f.org_id = a.org_id and f.id = a.facility_id
      group by u.email`);
    const byEmail = Object.fromEntries(grants.map((row) => [row.email, row.facilities ?? []]));
    const both = ["Riverbend Community Hospital", "Riverbend Family Medicine"];
    expect(byEmail).toEqual({
      "admin@demo.chartroom.test": [],
      "supervisor@demo.chartroom.test": both,
      "auditor@demo.chartroom.test": both,
      "biller1@demo.chartroom.test": both,
      "biller2@demo.chartroom.test": both,
      "coder1@demo.chartroom.test": ["Riverbend Community Hospital"],
      "coder2@demo.chartroom.test": ["Riverbend Family Medicine"],
      "coder3@demo.chartroom.test": both,
      "admin@lakeside.chartroom.test": [],
      "coder1@lakeside.chartroom.test": ["Lakeside Family Practice"],
    });
  });

  it("gives every facility and provider a valid NPI", async () => {
    const npis = await handle.rows<{ npi: string }>(
      sql`select npi from facilities union all select npi from providers`,
    );
    expect(npis).toHaveLength(3 + 14);
    expect(npis.filter((row) => !isValidNpi(row.npi))).toEqual([]);
  });

  it("dates every service on or after the patient's birth and before the anchor date", async () => {
    const wrong = await handle.rows(sql`
      select e.external_id, e.service_date, e.discharge_date, p.birth_date
      from encounters e join patients p on p.org_id = e.org_id and p.id = e.patient_id
      where e.service_date > ${ANCHOR_DATE}::date or e.service_date < p.birth_date
        or e.discharge_date > ${ANCHOR_DATE}::date`);
    expect(wrong).toEqual([]);
  });

  it("gives inpatient stays, and only them, a discharge date within a week", async () => {
    const wrong = await handle.rows(sql`
      select external_id, type, service_date, discharge_date from encounters
      where (type = 'INPATIENT') <> (discharge_date is not null)
        or discharge_date - service_date not between 1 and 7`);
    expect(wrong).toEqual([]);
    const [inpatient] = await handle.rows<{ count: number }>(
      sql`select count(*)::int as count from encounters where type = 'INPATIENT'`,
    );
    expect(inpatient?.count).toBeGreaterThan(0);
  });

  it("renders each encounter by a provider of the same organization and facility", async () => {
    const wrong = await handle.rows(sql`
      select e.external_id from encounters e
      left join providers pr on pr.org_id = e.org_id and pr.id = e.rendering_provider_id
      where pr.id is null or pr.facility_id <> e.facility_id`);
    expect(wrong).toEqual([]);
  });

  it("writes a substantial note for every encounter", async () => {
    const [shortest] = await handle.rows<{ length: number }>(
      sql`select min(length(documentation))::int as length from encounters`,
    );
    expect(shortest?.length).toBeGreaterThan(400);
  });

  it("produces the same patients and notes in a second, fresh database", async () => {
    const second = await seededDatabase();
    try {
      const [first, again] = [await fingerprint(handle), await fingerprint(second.handle)];
      expect(again.names).toHaveLength(66);
      expect(again.names).toEqual(first.names);
      expect(again.notes).toEqual(first.notes);
      expect(second.summary).toEqual(summary);
    } finally {
      await second.handle.close();
    }
  });

  it("gives each organization the default work queues, inpatient coding needing CCS", async () => {
    const queues = await handle.rows<{
      slug: string;
      kind: string;
      name: string;
      required_credential: string | null;
    }>(sql`
      select o.slug, q.kind, q.name, q.required_credential
      from work_queues q join organizations o on o.id = q.org_id
      where o.slug = 'demo' order by q.routing_order, q.name`);
    expect(queues.map((q) => [q.kind, q.name, q.required_credential])).toEqual([
      ["CODING", "Inpatient coding", "CCS"],
      ["CODING", "Outpatient coding", null],
      ["BILLING", "Billing", null],
      ["CLAIM_EDIT", "Claim edits", null],
      ["CODING_REVIEW", "Coding review", null],
      ["DENIAL", "Denials", null],
      ["FOLLOW_UP", "Follow-up", null],
      ["UNMATCHED_PAYMENT", "Unmatched payments", null],
    ]);
    const [perOrg] = await handle.rows<{ n: number }>(sql`select count(distinct org_id)::int as n from work_queues`);
    expect(perOrg?.n).toBe(2);
  });
});
