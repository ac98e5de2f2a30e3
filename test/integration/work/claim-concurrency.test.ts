import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startApi, type TestApi } from "../../helpers/api.js";
import { signInNewCoders } from "../../helpers/coders.js";

/*
 * Many coders, each with several sessions, claiming at once from one PostgreSQL database. PGlite
 * has a single connection, which serialises everything: this story means something only on
 * PostgreSQL.
 */
const CODERS = 24;
const SESSIONS_PER_CODER = 3;
const EXTRA_ENCOUNTERS = 150;
/** The load coders' organization; Lakeside's demo items are none of theirs. */
const DEMO_ORG = sql`(select org_id from users where email = 'biller1@demo.chartroom.test')`;

const CLAIM = `mutation { claimNextWorkItem(input: {}) { workItem { id } userErrors { code } } }`;
const RELEASE = `mutation ($id: ID!) { releaseWorkItem(input: { workItemId: $id }) { workItem { id status } userErrors { code } } }`;
const DRAFTS = `{ encounters(filter: { status: [DRAFT] }, first: 100) { edges { node { id } } } }`;
const SUBMIT = `mutation ($id: ID!) { submitEncounterForCoding(input: { encounterId: $id }) { userErrors { code } } }`;
const CREATE = `mutation ($input: CreateEncounterInput!) { createEncounter(input: $input) { encounter { id } userErrors { code } } }`;
const FACILITY_PEOPLE = `query ($facilityId: ID!) {
  patients(filter: { facilityId: $facilityId }, first: 1) { edges { node { id } } }
  providers(facilityId: $facilityId, first: 1) { edges { node { id } } }
}`;

describe.skipIf(inject("database").driver !== "postgres")("claiming under concurrency (PostgreSQL)", () => {
  let api: TestApi;
  let sessions: string[];
  let itemCount: number;

  beforeAll(async () => {
    api = await startApi();
    const biller = await api.signIn("biller1@demo.chartroom.test");

    // More DRAFT encounters than the demo has, at every facility.
    const facilities = (await api.gql(`{ facilities { id } }`, {}, biller)).data?.["facilities"] as { id: string }[];
    for (let i = 0; i < EXTRA_ENCOUNTERS; i++) {
      const facilityId = facilities[i % facilities.length]!.id;
      const people = (await api.gql(FACILITY_PEOPLE, { facilityId }, biller)).data!;
      const input = {
        facilityId,
        patientId: people["patients"].edges[0].node.id,
        renderingProviderId: people["providers"].edges[0].node.id,
        type: i % 3 === 0 ? "INPATIENT" : "OUTPATIENT",
        serviceDate: `2026-10-${String((i % 28) + 1).padStart(2, "0")}`,
        documentation: `Load-test visit ${i}.`,
      };
      expect((await api.gql(CREATE, { input }, biller)).data?.["createEncounter"].userErrors).toEqual([]);
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
      sql`select count(*)::int as n from work_items where status = 'READY' and org_id = ${DEMO_ORG}`,
    );
    itemCount = ready!.n;

    sessions = await signInNewCoders(api, "load-coder", CODERS, SESSIONS_PER_CODER);
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

  it(`${CODERS} coders in ${CODERS * SESSIONS_PER_CODER} sessions claim every item exactly once, release them all, and claim each exactly once again`, async () => {
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
        from work_item_transitions where org_id = ${DEMO_ORG} group by work_item_id) per_item
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
