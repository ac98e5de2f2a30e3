import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startApi, type TestApi } from "../../helpers/api.js";
import { signInNewCoders } from "../../helpers/coders.js";

/*
 * A day's backlog worked by a team at once: many coders, each in several sessions, claiming and
 * completing from one PostgreSQL database until nothing is left. PGlite has a single connection,
 * which serialises everything: this story means something only on PostgreSQL.
 */
const CODERS = 24;
const SESSIONS_PER_CODER = 3;
const BACKLOG = 1_000;
const DEMO_ORG = sql`(select org_id from users where email = 'supervisor@demo.chartroom.test')`;

const CLAIM = `mutation { claimNextWorkItem(input: {}) { workItem { id version } userErrors { code } } }`;
const COMPLETE = `mutation ($id: ID!, $version: Int!) {
  completeWorkItem(input: { workItemId: $id, expectedVersion: $version }) { workItem { id status } userErrors { code } }
}`;

describe.skipIf(inject("database").driver !== "postgres")("claiming and completing under concurrency (PostgreSQL)", () => {
  let api: TestApi;
  let sessions: string[];
  let itemCount: number;

  beforeAll(async () => {
    api = await startApi();
    // The backlog, straight into the tables: encounters ready for coding with their outpatient
    // coding items, spread over the organization's facilities (the API path is what other stories test).
    await api.database.rows(sql`
      with site as (
        select f.org_id, f.id as facility_id, row_number() over (order by f.id) - 1 as n,
          (select p.id from patients p where p.org_id = f.org_id and p.facility_id = f.id order by p.id limit 1) as patient_id,
          (select r.id from providers r where r.org_id = f.org_id and r.facility_id = f.id order by r.id limit 1) as provider_id
        from facilities f where f.org_id = ${DEMO_ORG}),
      encounter as (
        insert into encounters (org_id, facility_id, patient_id, rendering_provider_id, type, service_date, place_of_service, documentation, status)
        select site.org_id, site.facility_id, site.patient_id, site.provider_id, 'OUTPATIENT', date '2026-10-01' + (g % 28), '22',
          'Backlog visit ' || g, 'READY_FOR_CODING'
        from generate_series(1, ${BACKLOG}) g join site on site.n = g % (select count(*) from site)
        returning org_id, id, facility_id)
      insert into work_items (org_id, queue_id, queue_kind, facility_id, encounter_id, priority, due_at)
      select encounter.org_id, q.id, q.kind, encounter.facility_id, encounter.id, 50, now() + interval '2 days'
      from encounter join work_queues q on q.org_id = encounter.org_id and q.name = 'Outpatient coding'`);
    const [ready] = await api.database.rows<{ n: number }>(sql`select count(*)::int as n from work_items where status = 'READY' and org_id = ${DEMO_ORG}`);
    itemCount = ready!.n;

    sessions = await signInNewCoders(api, "team-coder", CODERS, SESSIONS_PER_CODER);
  }, 120_000);
  afterAll(() => api.close());

  it(`${CODERS} coders in ${CODERS * SESSIONS_PER_CODER} sessions claim and complete ${BACKLOG}+ items: each DONE exactly once, none lost`, async () => {
    expect(itemCount).toBeGreaterThanOrEqual(BACKLOG);

    const completed = await Promise.all(
      sessions.map(async (token) => {
        const mine: string[] = [];
        for (;;) {
          const claim = await api.gql(CLAIM, {}, token);
          expect(claim.errors).toBeUndefined();
          const item = claim.data?.["claimNextWorkItem"].workItem;
          if (!item) return mine;
          const done = await api.gql(COMPLETE, { id: item.id, version: item.version }, token);
          expect(done.errors).toBeUndefined();
          expect(done.data?.["completeWorkItem"].workItem.status).toBe("DONE");
          mine.push(item.id);
        }
      }),
    );
    expect(completed.flat().length).toBe(itemCount);
    expect(new Set(completed.flat()).size).toBe(itemCount);
    expect(completed.filter((items) => items.length > 0).length).toBeGreaterThan(CODERS);

    const [left] = await api.database.rows<{ open: number; done: number }>(sql`
      select count(*) filter (where status in ('READY', 'ASSIGNED', 'ON_HOLD'))::int as open, count(*) filter (where status = 'DONE')::int as done
      from work_items where org_id = ${DEMO_ORG}`);
    expect(left).toEqual({ open: 0, done: itemCount });
    const history = await api.database.rows<{ claimed: number; completed: number; items: number }>(sql`
      select claimed, completed, count(*)::int as items from (
        select work_item_id,
          count(*) filter (where reason = 'claimed')::int as claimed,
          count(*) filter (where to_status = 'DONE' and reason = 'completed')::int as completed
        from work_item_transitions where org_id = ${DEMO_ORG} group by work_item_id
        having count(*) filter (where to_status = 'DONE') > 0) per_item
      group by claimed, completed`);
    expect(history).toEqual([{ claimed: 1, completed: 1, items: itemCount }]);
    const [events] = await api.database.rows<{ n: number }>(sql`
      select count(*)::int as n from events where org_id = ${DEMO_ORG} and topic = 'work_item' and payload->>'type' = 'completed'`);
    expect(events!.n).toBe(itemCount);
  }, 180_000);
});
