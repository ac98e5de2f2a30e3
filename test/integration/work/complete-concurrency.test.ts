import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startApi, type TestApi } from "../../helpers/api.js";
import { givenFollowUps } from "../../helpers/follow-ups.js";
import { demoOrganization, givenUser } from "../../helpers/organizations.js";

/*
 * A day's backlog of follow-up work on unpaid claims worked by a team at once: many billers, each in several
 * sessions, claiming and completing from one PostgreSQL database until nothing is left. PGlite
 * has a single connection, which serialises everything: this story means something only on PostgreSQL.
 */
const BILLERS = 24;
const SESSIONS_PER_BILLER = 3;
const SESSIONS = BILLERS * SESSIONS_PER_BILLER;
const BACKLOG = 1_000;
const DEMO_ORG = sql`(select org_id from users where email = 'supervisor@demo.chartroom.test')`;

const CLAIM = `mutation { claimNextWorkItem(input: {}) { workItem { id version } userErrors { code } } }`;
const COMPLETE = `mutation ($id: ID!, $version: Int!) {
  completeWorkItem(input: { workItemId: $id, expectedVersion: $version }) { workItem { id status } userErrors { code } }
}`;

describe.skipIf(inject("database").driver !== "postgres")(
  "claiming and completing under concurrency (PostgreSQL)",
  () => {
    let api: TestApi;
    let sessions: string[];
    let itemCount: number;

    beforeAll(async () => {
      api = await startApi();
      itemCount = (await givenFollowUps(api, BACKLOG)).length;
      const demo = await demoOrganization(api);
      sessions = [];
      for (let i = 1; i <= BILLERS; i++) {
        const email = await givenUser(demo, `team-biller-${i}`, { roles: ["BILLER"], sites: ["clinic", "hospital"] });
        sessions.push(...(await api.signIn(email, SESSIONS_PER_BILLER)));
      }
    }, 120_000);
    afterAll(() => api.close());

    it(`${BILLERS} billers in ${SESSIONS} sessions claim and complete ${BACKLOG} follow-ups, each once`, async () => {
      expect(itemCount).toBe(BACKLOG);

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
      expect(completed.filter((items) => items.length > 0).length).toBeGreaterThan(BILLERS);

      const [left] = await api.database.rows<{ open: number; done: number }>(sql`
      select count(*) filter (where status in ('READY', 'ASSIGNED', 'ON_HOLD'))::int as open,
        count(*) filter (where status = 'DONE')::int as done
      from work_items where org_id = ${DEMO_ORG} and queue_kind = 'FOLLOW_UP'`);
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
      select count(*)::int as n from events where org_id = ${DEMO_ORG} and topic = 'work_item'
      and payload->>'type' = 'completed'`);
      expect(events!.n).toBe(itemCount);
    }, 180_000);
  },
);
