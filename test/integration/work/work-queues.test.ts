import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, rowIdOf, startApi, type TestApi } from "../../helpers/api.js";
import { expireLease, setQueueEncounterTypes } from "../../helpers/behind-the-api.js";
import { givenClaimedEncounter, givenEncounter, givenEncounterReadyForCoding } from "../../helpers/encounters.js";
import { demoOrganization, givenOrganization, type Organization } from "../../helpers/organizations.js";

const SUBMIT = `mutation ($input: EncounterRefInput!) {
  submitEncounterForCoding(input: $input) { encounter { id status version workItems { status queue {
    name } } } userErrors { code field message } }
}`;
const ITEM = `id status priority dueAt leaseExpiresAt version assignee { email } queue {
  id name kind } subject { ... on Encounter { id status } }`;
const CLAIM = `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) { workItem {
  ${ITEM} } userErrors { code } } }`;
const HEARTBEAT = `mutation ($id: ID!) { heartbeatWorkItem(input: { workItemId: $id }) { workItem {
  ${ITEM} } userErrors { code } } }`;
const RELEASE = `mutation ($id: ID!) { releaseWorkItem(input: { workItemId: $id }) { workItem { ${ITEM} } userErrors {
  code } } }`;
const QUEUES = `{ workQueues { id name kind slaHours stats { queueId ready assigned onHold overdue oldestReadyAt } } }`;
const QUEUE = `query ($id: ID!) { workQueue(id: $id) { name stats { ready assigned } items(first: 100) {
  totalCount edges { node { ${ITEM} } } } } }`;
const MY_WORK = `{ myWork { totalCount edges { node { id status } } } }`;

type Ref = { id: string; version: number };

/* Each story but the first gets an organization of its own, whose queues hold only the work it builds. */
describe("work queues", () => {
  let api: TestApi;

  const submit = async (org: Organization, encounter: Ref) => {
    const response = await api.gql(
      SUBMIT,
      { input: { encounterId: encounter.id, expectedVersion: encounter.version } },
      await org.signIn("biller1"),
    );
    expect(response.errors).toBeUndefined();
    return response.data?.["submitEncounterForCoding"];
  };
  const queue = async (org: Organization, name: string) =>
    (await api.gql(QUEUE, { id: org.queueId(name) }, await org.signIn("supervisor"))).data?.["workQueue"];
  const rowCounts = async () => {
    const [row] = await api.database.rows<{ items: number; transitions: number; events: number }>(sql`
      select (select count(*)::int from work_items) as items,
             (select count(*)::int from work_item_transitions) as transitions,
             (select count(*)::int from events) as events`);
    return row!;
  };
  const transitionsOf = (id: string) =>
    api.database.rows<{ from_status: string | null; to_status: string; actor_id: string | null; reason: string }>(sql`
      select from_status, to_status, actor_id, reason from work_item_transitions
      where work_item_id = ${rowIdOf(id)}::uuid order by id`);

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it("a supervisor sees the organization's eight default queues; a CPC coder sees only outpatient coding", async () => {
    const demo = await demoOrganization(api);
    const queues = (await api.gql(QUEUES, {}, await demo.signIn("supervisor"))).data?.["workQueues"];
    expect(queues.map((q: { name: string }) => q.name)).toEqual([
      "Inpatient coding",
      "Outpatient coding",
      "Billing",
      "Claim edits",
      "Coding review",
      "Denials",
      "Follow-up",
      "Unmatched payments",
    ]);
    // The demo's READY_FOR_CODING encounters wait in their coding queues.
    expect(queues[1].stats.ready).toBeGreaterThan(0);
    const coder3 = await demo.signIn("coder3");
    const coderQueues = (await api.gql(QUEUES, {}, coder3)).data?.["workQueues"];
    expect(coderQueues.map((q: { name: string }) => q.name)).toEqual(["Outpatient coding"]);
    const hidden = await api.gql(QUEUE, { id: demo.queueId("Inpatient coding") }, coder3);
    expect(hidden.data?.["workQueue"]).toBeNull();
  });

  it("a biller submits encounters to coding: each lands in its queue with history, event, oldest first", async () => {
    const org = await givenOrganization(api);
    const older = await givenEncounter(org, { serviceDate: "2026-09-01" });
    const newer = await givenEncounter(org, { serviceDate: "2026-10-20" });
    const stay = await givenEncounter(org, { at: "hospital", type: "INPATIENT" });
    const before = await rowCounts();
    for (const [encounter, queueName] of [
      [newer, "Outpatient coding"],
      [older, "Outpatient coding"],
      [stay, "Inpatient coding"],
    ] as const) {
      const result = await submit(org, encounter);
      expect(result.userErrors).toEqual([]);
      expect(result.encounter).toMatchObject({
        id: encounter.id,
        status: "READY_FOR_CODING",
        version: encounter.version + 1,
      });
      // Coding work is not the biller's to see, on this path as on every other; the supervisor sees where it went.
      expect(result.encounter.workItems).toEqual([]);
      const work = (
        await api.gql(
          `query ($id: ID!) { encounter(id: $id) { workItems { status queue { name } } } }`,
          { id: encounter.id },
          await org.signIn("supervisor"),
        )
      ).data?.["encounter"].workItems;
      expect(work).toEqual([{ status: "READY", queue: { name: queueName } }]);
    }
    expect(await rowCounts()).toEqual({
      items: before.items + 3,
      transitions: before.transitions + 3,
      events: before.events + 3,
    });

    const outpatient = await queue(org, "Outpatient coding");
    const items = outpatient.items.edges.map((e: { node: any }) => e.node);
    const itemOf = (id: string) => items.find((i: any) => i.subject.id === id);
    for (const id of [older.id, newer.id]) {
      expect(itemOf(id)).toMatchObject({
        status: "READY",
        queue: { kind: "CODING" },
        subject: { status: "READY_FOR_CODING" },
      });
      expect(itemOf(id).dueAt).not.toBeNull();
    }
    expect(itemOf(older.id).priority).toBeGreaterThanOrEqual(itemOf(newer.id).priority);
    expect(outpatient.stats).toEqual({ ready: 2, assigned: 0 });

    const inpatient = await queue(org, "Inpatient coding");
    expect(inpatient.items.edges.map((e: any) => e.node.subject.id)).toEqual([stay.id]);
    expect(inpatient.stats).toEqual({ ready: 1, assigned: 0 });
  });

  it("submitting twice, at a stale version or as a coder is refused with a GraphQL error, a no-op", async () => {
    const org = await givenOrganization(api);
    const [biller, coder3] = [await org.signIn("biller1"), await org.signIn("coder3")];
    const encounter = await givenEncounter(org, { type: "PROFESSIONAL" });
    const before = await rowCounts();
    const stale = await api.gql(
      SUBMIT,
      { input: { encounterId: encounter.id, expectedVersion: encounter.version + 5 } },
      biller,
    );
    expect(codes(stale)).toEqual(["CONFLICT"]);
    const coder = await api.gql(SUBMIT, { input: { encounterId: encounter.id } }, coder3);
    expect(codes(coder)).toEqual(["FORBIDDEN"]);
    expect(await rowCounts()).toEqual(before);

    expect((await submit(org, encounter)).userErrors).toEqual([]);
    // No longer a DRAFT: the encounter's state, not the input, is wrong.
    const again = await api.gql(SUBMIT, { input: { encounterId: encounter.id } }, biller);
    expect(again.errors).toEqual([
      expect.objectContaining({
        message: "Only a DRAFT encounter can be submitted for coding; this one is READY_FOR_CODING.",
        extensions: { code: "CONFLICT" },
      }),
    ]);
    expect((await rowCounts()).items).toBe(before.items + 1);
  });

  it("an encounter no coding queue takes is a CONFLICT, not something the biller can fix in the input", async () => {
    const org = await givenOrganization(api);
    const visit = await givenEncounter(org, { type: "EMERGENCY" });
    await setQueueEncounterTypes(org, "Outpatient coding", ["PROFESSIONAL", "OUTPATIENT"]);
    const before = await rowCounts();
    const refused = await api.gql(SUBMIT, { input: { encounterId: visit.id } }, await org.signIn("biller1"));
    expect(refused.errors).toEqual([
      expect.objectContaining({
        message: "No coding queue of the organization takes EMERGENCY encounters of this facility.",
        extensions: { code: "CONFLICT" },
      }),
    ]);
    expect(await rowCounts()).toEqual(before);
  });

  it("a coder claims the best item, heartbeats to keep it, and releases it back to READY", async () => {
    const org = await givenOrganization(api);
    const coder3 = await org.signIn("coder3");
    const { workItem: later } = await givenEncounterReadyForCoding(org, { serviceDate: "2026-10-20" });
    const { workItem: best } = await givenEncounterReadyForCoding(org, { serviceDate: "2026-09-01" });
    const claimed = (await api.gql(CLAIM, {}, coder3)).data?.["claimNextWorkItem"].workItem;
    expect(claimed).toMatchObject({
      id: best.id,
      status: "ASSIGNED",
      assignee: { email: org.email("coder3") },
      queue: { name: "Outpatient coding" },
    });
    expect(claimed.id).not.toBe(later.id);
    const lease = Date.parse(claimed.leaseExpiresAt);
    expect(lease).toBeGreaterThan(Date.now() + 10 * 60_000);

    const mine = (await api.gql(MY_WORK, {}, coder3)).data?.["myWork"];
    expect(mine.edges.map((e: any) => e.node.id)).toEqual([claimed.id]);

    const beat = (await api.gql(HEARTBEAT, { id: claimed.id }, coder3)).data?.["heartbeatWorkItem"].workItem;
    expect(beat.version).toBe(claimed.version + 1);
    expect(Date.parse(beat.leaseExpiresAt)).toBeGreaterThanOrEqual(lease);

    const released = (await api.gql(RELEASE, { id: claimed.id }, coder3)).data?.["releaseWorkItem"].workItem;
    expect(released).toMatchObject({
      status: "READY",
      assignee: null,
      leaseExpiresAt: null,
      version: claimed.version + 2,
    });

    expect((await transitionsOf(claimed.id)).map(({ actor_id: _, ...transition }) => transition)).toEqual([
      { from_status: null, to_status: "READY", reason: "created" },
      { from_status: "READY", to_status: "ASSIGNED", reason: "claimed" },
      { from_status: "ASSIGNED", to_status: "ASSIGNED", reason: "lease_extended" },
      { from_status: "ASSIGNED", to_status: "READY", reason: "released" },
    ]);
    // A claim takes an item nobody held; the holder's own changes name them as who held it before.
    const held = await api.database.rows<{ previous: string | null }>(sql`
      select previous_assignee_id::text as previous from work_item_transitions
      where work_item_id = ${rowIdOf(claimed.id)}::uuid order by id`);
    const coder = rowIdOf(org.userId("coder3"));
    expect(held.map((transition) => transition.previous)).toEqual([null, null, coder, coder]);
  });

  it("a coder without CCS never gets an inpatient item, and may not claim from the inpatient queue", async () => {
    const org = await givenOrganization(api);
    const [coder1, coder3] = [await org.signIn("coder1"), await org.signIn("coder3")];
    const { workItem: stay } = await givenEncounterReadyForCoding(org, { at: "hospital", type: "INPATIENT" });
    const visits = [
      (await givenEncounterReadyForCoding(org, { at: "hospital" })).workItem.id,
      (await givenEncounterReadyForCoding(org)).workItem.id,
    ];
    const inpatient = org.queueId("Inpatient coding");
    const refused = await api.gql(CLAIM, { queueId: inpatient }, coder3);
    expect(codes(refused)).toEqual(["FORBIDDEN"]);
    expect(refused.errors?.[0]?.message).toMatch(/needs CCS/);

    const taken: string[] = [];
    for (;;) {
      const item = (await api.gql(CLAIM, {}, coder3)).data?.["claimNextWorkItem"].workItem;
      if (!item) break;
      taken.push(item.id);
    }
    expect(taken.sort()).toEqual(visits.sort());

    const ccs = (await api.gql(CLAIM, { queueId: inpatient }, coder1)).data?.["claimNextWorkItem"].workItem;
    expect(ccs).toMatchObject({ id: stay.id, queue: { name: "Inpatient coding" }, status: "ASSIGNED" });
  });

  it("a biller may not claim coding work: FORBIDDEN from the coding queue, nothing from the others", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    await givenEncounterReadyForCoding(org);
    const forbidden = await api.gql(CLAIM, { queueId: org.queueId("Outpatient coding") }, biller);
    expect(codes(forbidden)).toEqual(["FORBIDDEN"]);
    const any = await api.gql(CLAIM, {}, biller);
    expect(any.data?.["claimNextWorkItem"]).toEqual({ workItem: null, userErrors: [] });
  });

  it("heartbeating or releasing another's item is a CONFLICT, or NOT_FOUND in a queue one may not see", async () => {
    const org = await givenOrganization(api);
    const [coder1, coder3] = [await org.signIn("coder1"), await org.signIn("coder3")];
    // coder3 holds outpatient work at the hospital, which coder1 may see; coder1 holds inpatient work, which
    // coder3 may not.
    const { workItem: outpatient } = await givenClaimedEncounter(org, "coder3", { at: "hospital" });
    const { workItem: inpatient } = await givenClaimedEncounter(org, "coder1", { at: "hospital", type: "INPATIENT" });
    const before = await rowCounts();
    const versions = async () =>
      api.database.rows<{ version: number }>(
        sql`select version from work_items where id in (${rowIdOf(outpatient.id)}::uuid, ${rowIdOf(inpatient.id)}::uuid)
        order by id`,
      );
    const versionsBefore = await versions();
    for (const mutation of [HEARTBEAT, RELEASE]) {
      const visible = await api.gql(mutation, { id: outpatient.id }, coder1);
      expect(codes(visible)).toEqual(["CONFLICT"]);
      expect(visible.errors?.[0]?.message).toMatch(/someone else/);
      // The CPC coder may not see inpatient (CCS) work: its id answers as node(id) does.
      expect(codes(await api.gql(mutation, { id: inpatient.id }, coder3))).toEqual(["NOT_FOUND"]);
    }
    expect(await rowCounts()).toEqual(before);
    expect(await versions()).toEqual(versionsBefore);
  });

  it("an expired lease returns the item to READY at the next claim, with a transition row and an event", async () => {
    const org = await givenOrganization(api);
    const [coder1, coder3] = [await org.signIn("coder1"), await org.signIn("coder3")];
    const { workItem: mine } = await givenClaimedEncounter(org, "coder1", { at: "hospital", type: "INPATIENT" });
    const id = rowIdOf(mine.id);
    expect((await queue(org, "Inpatient coding")).stats).toEqual({ ready: 0, assigned: 1 });
    await expireLease(api.database, mine.id);
    expect(codes(await api.gql(HEARTBEAT, { id: mine.id }, coder1))).toEqual(["CONFLICT"]);

    // coder3 (no CCS) claims: the claim returns the expired lease to READY, but cannot take the item.
    const other = (await api.gql(CLAIM, {}, coder3)).data?.["claimNextWorkItem"];
    expect(other).toEqual({ workItem: null, userErrors: [] });

    expect((await queue(org, "Inpatient coding")).stats).toEqual({ ready: 1, assigned: 0 });
    const [row] = await api.database.rows(
      sql`select status, assignee_id, lease_expires_at from work_items where id = ${id}::uuid`,
    );
    expect(row).toEqual({ status: "READY", assignee_id: null, lease_expires_at: null });

    expect((await transitionsOf(mine.id)).at(-1)).toEqual({
      from_status: "ASSIGNED",
      to_status: "READY",
      actor_id: null,
      reason: "lease_expired",
    });
    const [event] = await api.database.rows<{
      topic: string;
      payload: { type: string; status: string; workItemId: string };
    }>(sql`
      select topic, payload from events where payload->>'workItemId' = ${id} order by id desc limit 1`);
    expect(event).toMatchObject({
      topic: "work_item",
      payload: { type: "lease_expired", status: "READY", workItemId: id },
    });
  });
});
