import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, rowIdOf, startApi, type TestApi } from "../../helpers/api.js";

const DRAFTS = `query ($type: [EncounterType!]) {
  encounters(filter: { status: [DRAFT], type: $type }, orderBy: SERVICE_DATE_ASC, first: 100) { edges { node { id type version facility { id } } } }
}`;
const SUBMIT = `mutation ($input: EncounterRefInput!) {
  submitEncounterForCoding(input: $input) { encounter { id status version workItems { status queue { name } } } userErrors { code field message } }
}`;
const ITEM = `id status priority dueAt leaseExpiresAt version assignee { email } queue { id name kind } subject { ... on Encounter { id status } }`;
const CLAIM = `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) { workItem { ${ITEM} } userErrors { code } } }`;
const HEARTBEAT = `mutation ($id: ID!) { heartbeatWorkItem(input: { workItemId: $id }) { workItem { ${ITEM} } userErrors { code } } }`;
const RELEASE = `mutation ($id: ID!) { releaseWorkItem(input: { workItemId: $id }) { workItem { ${ITEM} } userErrors { code } } }`;
const QUEUES = `{ workQueues { id name kind slaHours stats { queueId ready assigned onHold overdue oldestReadyAt } } }`;
const QUEUE = `query ($id: ID!) { workQueue(id: $id) { name stats { ready assigned } items(first: 100) { totalCount edges { node { ${ITEM} } } } } }`;
const MY_WORK = `{ myWork { totalCount edges { node { id status } } } }`;

type Draft = { id: string; type: string; version: number; facility: { id: string } };

describe("work queues", () => {
  let api: TestApi;
  let supervisor: string;
  let biller: string;
  /** coder1: CCS, hospital only. coder2: CPC, clinic only. coder3: CPC, both facilities. */
  let coder1: string;
  let coder3: string;
  let queues: { id: string; name: string; kind: string }[];
  const queueNamed = (name: string) => queues.find((q) => q.name === name)!;

  const drafts = async (type: string): Promise<Draft[]> =>
    (await api.gql(DRAFTS, { type: [type] }, supervisor)).data?.["encounters"].edges.map(
      (e: { node: Draft }) => e.node,
    );
  const submit = async (encounter: Draft, token = biller) => {
    const response = await api.gql(
      SUBMIT,
      { input: { encounterId: encounter.id, expectedVersion: encounter.version } },
      token,
    );
    expect(response.errors).toBeUndefined();
    return response.data?.["submitEncounterForCoding"];
  };
  const rowCounts = async () => {
    const [row] = await api.database.rows<{ items: number; transitions: number; events: number }>(sql`
      select (select count(*)::int from work_items) as items,
             (select count(*)::int from work_item_transitions) as transitions,
             (select count(*)::int from events) as events`);
    return row!;
  };

  beforeAll(async () => {
    api = await startApi();
    supervisor = await api.signIn("supervisor@demo.chartroom.test");
    biller = await api.signIn("biller1@demo.chartroom.test");
    coder1 = await api.signIn("coder1@demo.chartroom.test");
    coder3 = await api.signIn("coder3@demo.chartroom.test");
    queues = (await api.gql(QUEUES, {}, supervisor)).data?.["workQueues"];
  });
  afterAll(() => api.close());

  it("a supervisor sees the organization's seven default queues; a CPC coder sees only outpatient coding", async () => {
    expect(queues.map((q) => q.name)).toEqual([
      "Inpatient coding",
      "Outpatient coding",
      "Billing",
      "Claim edits",
      "Coding review",
      "Denials",
      "Follow-up",
    ]);
    const coderQueues = (await api.gql(QUEUES, {}, coder3)).data?.["workQueues"];
    expect(coderQueues.map((q: { name: string }) => q.name)).toEqual(["Outpatient coding"]);
    const hidden = await api.gql(QUEUE, { id: queueNamed("Inpatient coding").id }, coder3);
    expect(hidden.data?.["workQueue"]).toBeNull();
  });

  it("a biller submits encounters for coding: each lands in its coding queue with a history row and an event, ordered oldest service first", async () => {
    const before = await rowCounts();
    const outpatientBefore = (await api.gql(QUEUE, { id: queueNamed("Outpatient coding").id }, supervisor)).data?.[
      "workQueue"
    ];
    const inpatientBefore = (await api.gql(QUEUE, { id: queueNamed("Inpatient coding").id }, supervisor)).data?.[
      "workQueue"
    ];
    expect(outpatientBefore.stats.ready).toBeGreaterThan(0); // the demo's READY_FOR_CODING encounters
    const [older, newer] = await drafts("OUTPATIENT");
    const [stay] = await drafts("INPATIENT");
    for (const encounter of [newer!, older!, stay!]) {
      const result = await submit(encounter);
      expect(result.userErrors).toEqual([]);
      expect(result.encounter).toMatchObject({
        id: encounter.id,
        status: "READY_FOR_CODING",
        version: encounter.version + 1,
      });
      // Coding work is not the biller's to see, on this path as on every other; the supervisor sees where it went.
      expect(result.encounter.workItems).toEqual([]);
      const queue = encounter.type === "INPATIENT" ? "Inpatient coding" : "Outpatient coding";
      const work = (
        await api.gql(
          `query ($id: ID!) { encounter(id: $id) { workItems { status queue { name } } } }`,
          { id: encounter.id },
          supervisor,
        )
      ).data?.["encounter"].workItems;
      expect(work).toEqual([{ status: "READY", queue: { name: queue } }]);
    }
    expect(await rowCounts()).toEqual({
      items: before.items + 3,
      transitions: before.transitions + 3,
      events: before.events + 3,
    });

    const outpatient = (await api.gql(QUEUE, { id: queueNamed("Outpatient coding").id }, supervisor)).data?.[
      "workQueue"
    ];
    const items = outpatient.items.edges.map((e: { node: any }) => e.node);
    const itemOf = (id: string) => items.find((i: any) => i.subject.id === id);
    for (const id of [older!.id, newer!.id]) {
      expect(itemOf(id)).toMatchObject({
        status: "READY",
        queue: { kind: "CODING" },
        subject: { status: "READY_FOR_CODING" },
      });
      expect(itemOf(id).dueAt).not.toBeNull();
    }
    expect(itemOf(older!.id).priority).toBeGreaterThanOrEqual(itemOf(newer!.id).priority);
    expect(outpatient.stats.ready).toBe(outpatientBefore.stats.ready + 2);

    const inpatient = (await api.gql(QUEUE, { id: queueNamed("Inpatient coding").id }, supervisor)).data?.["workQueue"];
    expect(inpatient.items.edges.map((e: any) => e.node.subject.id)).toContain(stay!.id);
    expect(inpatient.stats.ready).toBe(inpatientBefore.stats.ready + 1);
  });

  it("submitting twice, at a stale version, or as a coder is refused with a GraphQL error and changes nothing", async () => {
    const [encounter] = await drafts("PROFESSIONAL");
    const before = await rowCounts();
    const stale = await api.gql(
      SUBMIT,
      { input: { encounterId: encounter!.id, expectedVersion: encounter!.version + 5 } },
      biller,
    );
    expect(codes(stale)).toEqual(["CONFLICT"]);
    const coder = await api.gql(SUBMIT, { input: { encounterId: encounter!.id } }, coder3);
    expect(codes(coder)).toEqual(["FORBIDDEN"]);
    expect(await rowCounts()).toEqual(before);

    expect((await submit(encounter!)).userErrors).toEqual([]);
    // No longer a DRAFT: the encounter's state, not the input, is wrong.
    const again = await api.gql(SUBMIT, { input: { encounterId: encounter!.id } }, biller);
    expect(again.errors).toEqual([
      expect.objectContaining({
        message: "Only a DRAFT encounter can be submitted for coding; this one is READY_FOR_CODING.",
        extensions: { code: "CONFLICT" },
      }),
    ]);
    expect((await rowCounts()).items).toBe(before.items + 1);
  });

  it("an encounter no coding queue takes is a CONFLICT, not something the biller can fix in the input", async () => {
    const [visit] = await drafts("EMERGENCY");
    const outpatient = rowIdOf(queueNamed("Outpatient coding").id);
    await api.database.rows(
      sql`update work_queues set encounter_types = '{PROFESSIONAL,OUTPATIENT}' where id = ${outpatient}`,
    );
    try {
      const before = await rowCounts();
      const refused = await api.gql(SUBMIT, { input: { encounterId: visit!.id } }, biller);
      expect(refused.errors).toEqual([
        expect.objectContaining({
          message: "No coding queue of the organization takes EMERGENCY encounters of this facility.",
          extensions: { code: "CONFLICT" },
        }),
      ]);
      expect(await rowCounts()).toEqual(before);
    } finally {
      await api.database.rows(
        sql`update work_queues set encounter_types = '{PROFESSIONAL,OUTPATIENT,EMERGENCY}' where id = ${outpatient}`,
      );
    }
  });

  it("a coder claims the best item, heartbeats to keep it, and releases it back to READY", async () => {
    const claimed = (await api.gql(CLAIM, {}, coder3)).data?.["claimNextWorkItem"].workItem;
    expect(claimed).toMatchObject({
      status: "ASSIGNED",
      assignee: { email: "coder3@demo.chartroom.test" },
      queue: { name: "Outpatient coding" },
    });
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

    const history = await api.database.rows<{ from_status: string | null; to_status: string; reason: string }>(sql`
      select t.from_status, t.to_status, t.reason from work_item_transitions t
      where t.work_item_id = ${rowIdOf(claimed.id)}::uuid order by t.id`);
    expect(history).toEqual([
      { from_status: null, to_status: "READY", reason: "created" },
      { from_status: "READY", to_status: "ASSIGNED", reason: "claimed" },
      { from_status: "ASSIGNED", to_status: "ASSIGNED", reason: "lease_extended" },
      { from_status: "ASSIGNED", to_status: "READY", reason: "released" },
    ]);
  });

  it("a coder without CCS never gets an inpatient item, and may not claim from the inpatient queue", async () => {
    const inpatient = queueNamed("Inpatient coding");
    const refused = await api.gql(CLAIM, { queueId: inpatient.id }, coder3);
    expect(codes(refused)).toEqual(["FORBIDDEN"]);
    expect(refused.errors?.[0]?.message).toMatch(/needs CCS/);

    const taken: string[] = [];
    for (;;) {
      const item = (await api.gql(CLAIM, {}, coder3)).data?.["claimNextWorkItem"].workItem;
      if (!item) break;
      taken.push(item.queue.name);
    }
    expect(taken.length).toBeGreaterThan(0);
    expect(taken.every((name) => name === "Outpatient coding")).toBe(true);

    const ccs = (await api.gql(CLAIM, { queueId: inpatient.id }, coder1)).data?.["claimNextWorkItem"].workItem;
    expect(ccs).toMatchObject({ queue: { name: "Inpatient coding" }, status: "ASSIGNED" });
  });

  it("a biller may not claim coding work: FORBIDDEN from the coding queue, nothing from the others", async () => {
    const forbidden = await api.gql(CLAIM, { queueId: queueNamed("Outpatient coding").id }, biller);
    expect(codes(forbidden)).toEqual(["FORBIDDEN"]);
    const any = await api.gql(CLAIM, {}, biller);
    expect(any.data?.["claimNextWorkItem"]).toEqual({ workItem: null, userErrors: [] });
  });

  it("heartbeating or releasing someone else's item is a CONFLICT, or NOT_FOUND in a queue the caller may not see, and changes nothing", async () => {
    // coder3 holds outpatient work at the hospital, which coder1 may see; coder1 holds inpatient work, which coder3 may not.
    const [held] = await api.database.rows<{ id: string }>(sql`
      select w.id from work_items w join users u on u.id = w.assignee_id join facilities f on f.id = w.facility_id join work_queues q on q.id = w.queue_id
      where u.email = 'coder3@demo.chartroom.test' and f.name = 'Riverbend Community Hospital' and q.name = 'Outpatient coding' limit 1`);
    const outpatient = { id: Buffer.from(`WorkItem:${held!.id}`).toString("base64url") };
    const inpatient = (await api.gql(CLAIM, { queueId: queueNamed("Inpatient coding").id }, coder1)).data?.[
      "claimNextWorkItem"
    ].workItem as { id: string };
    const before = await rowCounts();
    const versions = async () =>
      api.database.rows<{ version: number }>(
        sql`select version from work_items where id in (${rowIdOf(outpatient.id)}::uuid, ${rowIdOf(inpatient.id)}::uuid) order by id`,
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
    const mine = (await api.gql(MY_WORK, {}, coder1)).data?.["myWork"].edges[0].node;
    const id = rowIdOf(mine.id);
    const inpatient = queueNamed("Inpatient coding").id;
    const statsBefore = (await api.gql(QUEUE, { id: inpatient }, supervisor)).data?.["workQueue"].stats;
    // The worker vanished: its lease ran out a minute ago.
    await api.database.rows(
      sql`update work_items set lease_expires_at = now() - interval '1 minute' where id = ${id}::uuid`,
    );
    expect(codes(await api.gql(HEARTBEAT, { id: mine.id }, coder1))).toEqual(["CONFLICT"]);

    // coder3 (no CCS) claims: the claim returns the expired lease to READY, but cannot take the item.
    const other = (await api.gql(CLAIM, {}, coder3)).data?.["claimNextWorkItem"];
    expect(other).toEqual({ workItem: null, userErrors: [] });

    const stats = (await api.gql(QUEUE, { id: inpatient }, supervisor)).data?.["workQueue"].stats;
    expect(stats).toEqual({ ready: statsBefore.ready + 1, assigned: statsBefore.assigned - 1 });
    const [row] = await api.database.rows(
      sql`select status, assignee_id, lease_expires_at from work_items where id = ${id}::uuid`,
    );
    expect(row).toEqual({ status: "READY", assignee_id: null, lease_expires_at: null });

    const history = await api.database.rows<{
      from_status: string;
      to_status: string;
      actor_id: string | null;
      reason: string;
    }>(sql`
      select from_status, to_status, actor_id, reason from work_item_transitions where work_item_id = ${id}::uuid order by id desc limit 1`);
    expect(history).toEqual([{ from_status: "ASSIGNED", to_status: "READY", actor_id: null, reason: "lease_expired" }]);
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
