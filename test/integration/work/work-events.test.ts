import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, startApi, subscribe, type TestApi } from "../../helpers/api.js";

const CREATE = `mutation ($input: CreateEncounterInput!) { createEncounter(input: $input) { encounter { id version } userErrors { code message } } }`;
const SUBMIT = `mutation ($id: ID!) { submitEncounterForCoding(input: { encounterId: $id }) { userErrors { code } } }`;
const FACILITY_PEOPLE = `query ($facilityId: ID!) {
  patients(filter: { facilityId: $facilityId }, first: 1) { edges { node { id } } }
  providers(facilityId: $facilityId, first: 1) { edges { node { id } } }
}`;
const CLAIM = `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) { workItem { id } userErrors { code } } }`;
const RELEASE = `mutation ($id: ID!) { releaseWorkItem(input: { workItemId: $id }) { workItem { id } userErrors { code } } }`;
const QUEUES = `{ workQueues { id name stats { ready assigned onHold overdue } } }`;

const EVENT = `cursor type at fromStatus status version actor { email } item { id status queue { name } subject { ... on Encounter { id type } } }`;
const QUEUE_EVENTS = `subscription ($queueId: ID, $after: String) { workItemEvents(queueId: $queueId, after: $after) { ${EVENT} } }`;
const MY_ASSIGNMENTS = `subscription ($after: String) { myAssignments(after: $after) { ${EVENT} } }`;
const QUEUE_STATS = `subscription ($queueId: ID!) { queueStats(queueId: $queueId) { queueId ready assigned onHold overdue } }`;

type WorkEvent = {
  cursor: string;
  type: string;
  fromStatus: string | null;
  status: string;
  version: number;
  actor: { email: string } | null;
  item: { id: string; status: string; queue: { name: string }; subject: { id: string; type: string } };
};
type Events = { workItemEvents: WorkEvent };

/** Lets deliveries that would be wrong have their chance to arrive before asserting that none did. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe("live work item events over graphql-ws", () => {
  let api: TestApi;
  let supervisor: string;
  let biller: string;
  /** coder1: CCS, hospital only. coder2: CPC, clinic only. coder3: CPC, both facilities. */
  let coder1: string;
  let coder2: string;
  let coder3: string;
  let queues: { id: string; name: string }[];
  let facilities: { id: string; name: string }[];
  const queueNamed = (name: string) => queues.find((q) => q.name === name)!.id;
  const ws = (token: string) => api.ws({ authorization: `Bearer ${token}` });

  /** A new encounter at the facility, submitted for coding by the biller: its work item's id. */
  const submitNew = async (
    facility: "Riverbend Family Medicine" | "Riverbend Community Hospital",
    type: "OUTPATIENT" | "INPATIENT",
  ) => {
    const facilityId = facilities.find((f) => f.name === facility)!.id;
    const people = (await api.gql(FACILITY_PEOPLE, { facilityId }, biller)).data!;
    const input = {
      facilityId,
      patientId: people["patients"].edges[0].node.id,
      renderingProviderId: people["providers"].edges[0].node.id,
      type,
      serviceDate: "2026-11-02",
      documentation: "Follow-up visit for hypertension; stable on current dose.",
    };
    const created = (await api.gql(CREATE, { input }, biller)).data?.["createEncounter"];
    expect(created.userErrors).toEqual([]);
    const submitted = (await api.gql(SUBMIT, { id: created.encounter.id }, biller)).data?.["submitEncounterForCoding"];
    expect(submitted.userErrors).toEqual([]);
    // The biller may not see coding work: the supervisor reads where it went.
    const work = (
      await api.gql(
        `query ($id: ID!) { encounter(id: $id) { workItems { id } } }`,
        { id: created.encounter.id },
        supervisor,
      )
    ).data?.["encounter"].workItems;
    return { encounterId: created.encounter.id as string, itemId: work[0].id as string };
  };
  const claim = async (token: string, queueId?: string) => {
    const result = (await api.gql(CLAIM, { queueId }, token)).data?.["claimNextWorkItem"];
    expect(result.userErrors).toEqual([]);
    return result.workItem.id as string;
  };
  const release = async (token: string, id: string) =>
    expect((await api.gql(RELEASE, { id }, token)).data?.["releaseWorkItem"].userErrors).toEqual([]);

  beforeAll(async () => {
    api = await startApi();
    supervisor = await api.signIn("supervisor@demo.chartroom.test");
    biller = await api.signIn("biller1@demo.chartroom.test");
    coder1 = await api.signIn("coder1@demo.chartroom.test");
    coder2 = await api.signIn("coder2@demo.chartroom.test");
    coder3 = await api.signIn("coder3@demo.chartroom.test");
    queues = (await api.gql(QUEUES, {}, supervisor)).data?.["workQueues"];
    facilities = (await api.gql(`{ facilities { id name } }`, {}, supervisor)).data?.["facilities"];
  });
  afterAll(() => api.close());

  it("a coder watching outpatient coding sees new work arrive, then a colleague claim it", async () => {
    const watching = subscribe<Events>(ws(coder2), QUEUE_EVENTS, { queueId: queueNamed("Outpatient coding") });
    await settle();
    const { encounterId, itemId } = await submitNew("Riverbend Family Medicine", "OUTPATIENT");
    const [created] = await watching.waitFor(1);
    expect(created!.workItemEvents).toMatchObject({
      type: "created",
      fromStatus: null,
      status: "READY",
      version: 1,
      actor: { email: "biller1@demo.chartroom.test" },
      item: {
        id: itemId,
        status: "READY",
        queue: { name: "Outpatient coding" },
        subject: { id: encounterId, type: "OUTPATIENT" },
      },
    });

    const claimed = await claim(coder3, queueNamed("Outpatient coding"));
    const [, next] = await watching.waitFor(2);
    expect(next!.workItemEvents).toMatchObject({
      type: "claimed",
      fromStatus: "READY",
      status: "ASSIGNED",
      actor: { email: "coder3@demo.chartroom.test" },
      item: { id: claimed },
    });
    await release(coder3, claimed);
    watching.stop();
  });

  it("a coder who reconnects with `after` receives exactly the 50 events missed, in order, then live ones", async () => {
    const first = subscribe<Events>(ws(coder3), QUEUE_EVENTS, { queueId: queueNamed("Outpatient coding") });
    await settle();
    await release(coder3, await claim(coder3, queueNamed("Outpatient coding")));
    const [claimedEvent, releasedEvent] = await first.waitFor(2);
    expect([claimedEvent!.workItemEvents.type, releasedEvent!.workItemEvents.type]).toEqual(["claimed", "released"]);
    first.stop();

    // Offline: another coder claims and releases 25 times.
    const missed: { type: string; item: string }[] = [];
    for (let i = 0; i < 25; i++) {
      const id = await claim(coder2, queueNamed("Outpatient coding"));
      await release(coder2, id);
      missed.push({ type: "claimed", item: id }, { type: "released", item: id });
    }

    const resumed = subscribe<Events>(ws(coder3), QUEUE_EVENTS, {
      queueId: queueNamed("Outpatient coding"),
      after: releasedEvent!.workItemEvents.cursor,
    });
    const replayed = await resumed.waitFor(50);
    expect(replayed.map((r) => ({ type: r.workItemEvents.type, item: r.workItemEvents.item.id }))).toEqual(missed);
    const cursors = replayed.map((r) => r.workItemEvents.cursor);
    expect(new Set(cursors).size).toBe(50);

    const live = await claim(coder2, queueNamed("Outpatient coding"));
    const all = await resumed.waitFor(51);
    expect(all[50]!.workItemEvents).toMatchObject({ type: "claimed", item: { id: live } });
    await settle();
    expect(resumed.received).toHaveLength(51);
    await release(coder2, live);
    resumed.stop();
  });

  it("nobody receives what they may not see: another organization, or a CPC coder and the inpatient queue", async () => {
    const lakeside = await api.signIn("coder1@lakeside.chartroom.test");
    const otherOrg = subscribe<Events>(ws(lakeside), QUEUE_EVENTS);
    const otherOrgMine = subscribe(ws(lakeside), MY_ASSIGNMENTS);
    const cpcCoder = subscribe<Events>(ws(coder2), QUEUE_EVENTS);
    const ccsCoder = subscribe<Events>(ws(coder1), QUEUE_EVENTS);

    // Naming the inpatient queue outright is refused as if it did not exist.
    const refused = subscribe(ws(coder2), QUEUE_EVENTS, { queueId: queueNamed("Inpatient coding") });
    expect(codes({ errors: await refused.failure() })).toEqual(["NOT_FOUND"]);
    await settle();

    const stay = await submitNew("Riverbend Community Hospital", "INPATIENT");
    const visit = await submitNew("Riverbend Family Medicine", "OUTPATIENT");
    const [seen] = await cpcCoder.waitFor(1);
    expect(seen!.workItemEvents.item.id).toBe(visit.itemId);
    const [inpatient] = await ccsCoder.waitFor(1);
    expect(inpatient!.workItemEvents.item).toMatchObject({ id: stay.itemId, queue: { name: "Inpatient coding" } });
    await settle();
    expect(cpcCoder.received).toHaveLength(1);
    // coder1 works the hospital only: the clinic visit is not theirs to see.
    expect(ccsCoder.received).toHaveLength(1);
    expect(otherOrg.received).toEqual([]);
    expect(otherOrgMine.received).toEqual([]);
    for (const subscription of [otherOrg, otherOrgMine, cpcCoder, ccsCoder]) subscription.stop();
  });

  it("a coder's assignments follow them: what they claim, and what a release takes away", async () => {
    const mine = subscribe<{ myAssignments: WorkEvent }>(ws(coder3), MY_ASSIGNMENTS);
    const others = subscribe<{ myAssignments: WorkEvent }>(ws(coder2), MY_ASSIGNMENTS);
    await settle();
    const id = await claim(coder3, queueNamed("Outpatient coding"));
    const [claimed] = await mine.waitFor(1);
    expect(claimed!.myAssignments).toMatchObject({
      type: "claimed",
      status: "ASSIGNED",
      item: { id, status: "ASSIGNED" },
    });
    await release(coder3, id);
    const [, released] = await mine.waitFor(2);
    expect(released!.myAssignments).toMatchObject({
      type: "released",
      fromStatus: "ASSIGNED",
      status: "READY",
      item: { id },
    });
    await settle();
    expect(others.received).toEqual([]);
    mine.stop();
    others.stop();
  });

  it("a supervisor watching queue stats gets the counts at once, then new counts as work arrives", async () => {
    const queueId = queueNamed("Outpatient coding");
    const before = queues.find((q) => q.id === queueId) as unknown as { stats: { ready: number } };
    const watching = subscribe<{ queueStats: { queueId: string; ready: number; assigned: number } }>(
      ws(supervisor),
      QUEUE_STATS,
      { queueId },
    );
    const [initial] = await watching.waitFor(1);
    expect(initial!.queueStats.queueId).toBe(queueId);
    expect(initial!.queueStats.ready).toBeGreaterThanOrEqual(before.stats.ready);

    await submitNew("Riverbend Family Medicine", "OUTPATIENT");
    const [, afterSubmit] = await watching.waitFor(2);
    expect(afterSubmit!.queueStats.ready).toBe(initial!.queueStats.ready + 1);

    const id = await claim(coder3, queueId);
    const [, , afterClaim] = await watching.waitFor(3);
    expect(afterClaim!.queueStats).toMatchObject({
      ready: initial!.queueStats.ready,
      assigned: initial!.queueStats.assigned + 1,
    });
    await release(coder3, id);
    watching.stop();
  });

  it("twenty supervisors watching one queue cost the database no more per event than one does", async () => {
    const queueId = queueNamed("Outpatient coding");
    const query = `subscription ($queueId: ID) { workItemEvents(queueId: $queueId) { type item { id status priority queue { name } assignee { email } } } }`;
    /** Statements the server sends while a claim is made and every watcher has received its event. */
    const statementsPerClaim = async (watchers: number) => {
      const client = ws(supervisor);
      const watching = Array.from({ length: watchers }, () => subscribe<Events>(client, query, { queueId }));
      await settle();
      const { result: claimed, statements } = await api.countStatements(async () => {
        const id = await claim(coder3, queueId);
        await Promise.all(watching.map((w) => w.waitFor(1)));
        return id;
      });
      for (const w of watching) w.stop();
      await release(coder3, claimed);
      return statements;
    };
    const one = await statementsPerClaim(1);
    const twenty = await statementsPerClaim(20);
    // An idle read of the outbox may fall into either window.
    expect(twenty).toBeLessThanOrEqual(one + 1);
  });

  it("an item a supervisor assigns (no lease) counts as assigned, not as nothing, in queue stats read and live", async () => {
    const queueId = queueNamed("Outpatient coding");
    const STATS = `query ($id: ID!) { workQueue(id: $id) { stats { ready assigned } } }`;
    const statsNow = async () =>
      (await api.gql(STATS, { id: queueId }, supervisor)).data?.["workQueue"].stats as {
        ready: number;
        assigned: number;
      };
    const { itemId } = await submitNew("Riverbend Family Medicine", "OUTPATIENT");
    const before = await statsNow();
    const watching = subscribe<{ queueStats: { ready: number; assigned: number } }>(ws(supervisor), QUEUE_STATS, {
      queueId,
    });
    const [initial] = await watching.waitFor(1);
    expect(initial!.queueStats).toMatchObject(before);

    const [coder] = await api.database.rows<{ id: string }>(
      sql`select id from users where email = 'coder3@demo.chartroom.test'`,
    );
    const ASSIGN = `mutation ($input: AssignWorkItemInput!) { assignWorkItem(input: $input) { workItem { status leaseExpiresAt } userErrors { code } } }`;
    const assigned = (
      await api.gql(
        ASSIGN,
        { input: { workItemId: itemId, userId: Buffer.from(`User:${coder!.id}`).toString("base64url") } },
        supervisor,
      )
    ).data?.["assignWorkItem"];
    expect(assigned).toEqual({ workItem: { status: "ASSIGNED", leaseExpiresAt: null }, userErrors: [] });

    const expected = { ready: before.ready - 1, assigned: before.assigned + 1 };
    expect(await statsNow()).toEqual(expected);
    const [, live] = await watching.waitFor(2);
    expect(live!.queueStats).toMatchObject(expected);
    watching.stop();
    const UNASSIGN = `mutation ($id: ID!) { unassignWorkItem(input: { workItemId: $id }) { userErrors { code } } }`;
    expect((await api.gql(UNASSIGN, { id: itemId }, supervisor)).data?.["unassignWorkItem"].userErrors).toEqual([]);
  });

  it("a cursor that is not one, or one older than the events kept, is refused with a code", async () => {
    const garbage = subscribe(ws(coder3), QUEUE_EVENTS, { after: "not-a-cursor" });
    expect(codes({ errors: await garbage.failure() })).toEqual(["BAD_USER_INPUT"]);
    const eightDaysAgo = Date.now() - 8 * 86_400_000;
    const stale = subscribe(ws(coder3), QUEUE_EVENTS, {
      after: Buffer.from(`event:1:${eightDaysAgo}`).toString("base64url"),
    });
    expect(codes({ errors: await stale.failure() })).toEqual(["CURSOR_EXPIRED"]);
  });

  it("a coder deactivated while subscribed stops receiving: the next delivery ends the subscription as UNAUTHENTICATED", async () => {
    const temp = await api.signIn("coder2@demo.chartroom.test");
    const watching = subscribe<Events>(ws(temp), QUEUE_EVENTS, { queueId: queueNamed("Outpatient coding") });
    await settle();
    await api.database.rows(sql`update users set active = false where email = 'coder2@demo.chartroom.test'`);
    try {
      // Past the second for which a subscriber's permissions may be cached.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await submitNew("Riverbend Family Medicine", "OUTPATIENT");
      expect(codes({ errors: await watching.failure() })).toEqual(["UNAUTHENTICATED"]);
      expect(watching.received).toEqual([]);
    } finally {
      await api.database.rows(sql`update users set active = true where email = 'coder2@demo.chartroom.test'`);
    }
  });
});
