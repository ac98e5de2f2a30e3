import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startApi, type TestApi } from "../../helpers/api.js";
import { givenEncounter } from "../../helpers/encounters.js";
import { demoOrganization, givenUser } from "../../helpers/organizations.js";

/*
 * Many coders, each with several sessions, claiming at once from one PostgreSQL database. PGlite
 * has a single connection, which serialises everything: this story means something only on
 * PostgreSQL.
 */
const CODERS = 24;
const SESSIONS_PER_CODER = 3;
const SESSIONS = CODERS * SESSIONS_PER_CODER;
const EXTRA_ENCOUNTERS = 150;

const CLAIM = `mutation { claimNextWorkItem(input: {}) { workItem { id } userErrors { code } } }`;
const RELEASE = `mutation ($id: ID!) {
  releaseWorkItem(input: { workItemId: $id }) { workItem { id status } userErrors { code } } }`;
const DRAFTS = `{ encounters(filter: { status: [DRAFT] }, first: 100) { edges { node { id } } } }`;
const SUBMIT = `mutation ($id: ID!) { submitEncounterForCoding(input: { encounterId: $id }) { userErrors { code } } }`;

describe.skipIf(inject("database").driver !== "postgres")("claiming under concurrency (PostgreSQL)", () => {
  let api: TestApi;
  let sessions: string[];
  let itemCount: number;
  /** The load coders' organization, the demo's Riverbend; Lakeside's demo items are none of theirs. */
  let demoId: string;

  beforeAll(async () => {
    api = await startApi();
    const demo = await demoOrganization(api);
    demoId = demo.id;
    const biller = await demo.signIn("biller1");

    // More DRAFT encounters than the demo has, at both facilities.
    for (let i = 0; i < EXTRA_ENCOUNTERS; i++) {
      await givenEncounter(demo, {
        at: i % 2 === 0 ? "clinic" : "hospital",
        type: i % 3 === 0 ? "INPATIENT" : "OUTPATIENT",
        serviceDate: `2026-10-${String((i % 28) + 1).padStart(2, "0")}`,
        documentation: `Load-test visit ${i}.`,
      });
    }
    // Submit every DRAFT: each submission takes it off the DRAFT list.
    for (;;) {
      const drafts = (await api.gql(DRAFTS, {}, biller)).data?.["encounters"].edges as { node: { id: string } }[];
      if (drafts.length === 0) break;
      for (const { node } of drafts) {
        expect((await api.gql(SUBMIT, { id: node.id }, biller)).data?.["submitEncounterForCoding"].userErrors).toEqual(
          [],
        );
      }
    }
    const [ready] = await api.database.rows<{ n: number }>(
      sql`select count(*)::int as n from work_items where status = 'READY' and org_id = ${demoId}`,
    );
    itemCount = ready!.n;

    // Coders who may work every coding item: CCS, at both facilities.
    sessions = [];
    for (let i = 1; i <= CODERS; i++) {
      const email = await givenUser(demo, `load-coder-${i}`, {
        roles: ["CODER"],
        credentials: ["CCS"],
        sites: ["clinic", "hospital"],
      });
      sessions.push(...(await api.signIn(email, SESSIONS_PER_CODER)));
    }
  }, 120_000);
  afterAll(() => api.close());

  /** Every session claims until nothing is left; returns what each claimed. */
  const claimAll = () =>
    Promise.all(
      sessions.map(async (token) => {
        const mine: string[] = [];
        for (;;) {
          const response = await api.gql(CLAIM, {}, token);
          expect(response.errors).toBeUndefined();
          const item = response.data?.["claimNextWorkItem"].workItem;
          if (!item) return mine;
          mine.push(item.id);
        }
      }),
    );

  it(`${CODERS} coders in ${SESSIONS} sessions claim every item once, release all, then again once`, async () => {
    expect(itemCount).toBeGreaterThanOrEqual(300);

    const first = await claimAll();
    expect(first.flat().length).toBe(itemCount);
    expect(new Set(first.flat()).size).toBe(itemCount);
    expect(first.filter((claimed) => claimed.length > 0).length).toBeGreaterThan(CODERS);

    await Promise.all(
      sessions.map(async (token, i) => {
        for (const id of first[i]!) {
          const response = await api.gql(RELEASE, { id }, token);
          expect(response.data?.["releaseWorkItem"].workItem.status).toBe("READY");
        }
      }),
    );

    const second = await claimAll();
    expect(second.flat().length).toBe(itemCount);
    expect(new Set(second.flat()).size).toBe(itemCount);

    const history = await api.database.rows<{ claimed: number; released: number; items: number }>(sql`
      select claimed, released, count(*)::int as items from (
        select work_item_id,
          count(*) filter (where reason = 'claimed')::int as claimed,
          count(*) filter (where reason = 'released')::int as released
        from work_item_transitions where org_id = ${demoId} group by work_item_id) per_item
      group by claimed, released`);
    expect(history).toEqual([{ claimed: 2, released: 1, items: itemCount }]);
    const events = await api.database.rows<{ type: string; n: number }>(sql`
      select payload->>'type' as type, count(*)::int as n from events
      where topic = 'work_item' and payload->>'type' in ('claimed', 'released') group by 1 order by 1`);
    expect(events).toEqual([
      { type: "claimed", n: itemCount * 2 },
      { type: "released", n: itemCount },
    ]);
  }, 120_000);
});
