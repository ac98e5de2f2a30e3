import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, startApi, subscribe, type TestApi } from "../../helpers/api.js";
import { deactivateUser } from "../../helpers/behind-the-api.js";
import { givenEncounterReadyForCoding } from "../../helpers/encounters.js";
import { givenOrganization } from "../../helpers/organizations.js";

const CLAIM = `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) { workItem {
  id } userErrors { code } } }`;
const RELEASE = `mutation ($id: ID!) { releaseWorkItem(input: { workItemId: $id }) { workItem { id } userErrors {
  code } } }`;
const EVENT = `cursor type kind at fromStatus status version actor { email } item { id status queue {
  name } subject { ... on Encounter { id type } } }`;
const QUEUE_EVENTS = `subscription ($queueId: ID, $after: String) { workItemEvents(queueId: $queueId, after: $after) {
  ${EVENT} } }`;
const MY_ASSIGNMENTS = `subscription ($after: String) { myAssignments(after: $after) { ${EVENT} } }`;
const QUEUE_STATS = `subscription ($queueId: ID!) { queueStats(queueId: $queueId) {
  queueId ready assigned onHold overdue } }`;

type WorkEvent = {
  cursor: string;
  type: string;
  kind: string;
  fromStatus: string | null;
  status: string;
  version: number;
  actor: { email: string } | null;
  item: { id: string; status: string; queue: { name: string }; subject: { id: string; type: string } };
};
type Events = { workItemEvents: WorkEvent };

/** Lets deliveries that would be wrong have their chance to arrive before asserting that none did. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

/*
 * Each story gets an organization of its own, whose queues hold only the work it builds: coder1 is
 * CCS at the hospital only, coder2 CPC at the clinic only, coder3 CPC at both.
 */
describe("live work item events over graphql-ws", () => {
  let api: TestApi;
  const ws = (token: string) => api.ws({ authorization: `Bearer ${token}` });

  const claim = async (token: string, queueId?: string) => {
    const result = (await api.gql(CLAIM, { queueId }, token)).data?.["claimNextWorkItem"];
    expect(result.userErrors).toEqual([]);
    return result.workItem.id as string;
  };
  const release = async (token: string, id: string) =>
    expect((await api.gql(RELEASE, { id }, token)).data?.["releaseWorkItem"].userErrors).toEqual([]);

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it("a coder watching outpatient coding sees new work arrive, then a colleague claim it", async () => {
    const org = await givenOrganization(api);
    const [coder2, coder3] = [await org.signIn("coder2"), await org.signIn("coder3")];
    const outpatient = org.queueId("Outpatient coding");
    const watching = subscribe<Events>(ws(coder2), QUEUE_EVENTS, { queueId: outpatient });
    await settle();
    const { encounter, workItem } = await givenEncounterReadyForCoding(org);
    const [created] = await watching.waitFor(1);
    expect(created!.workItemEvents).toMatchObject({
      type: "created",
      fromStatus: null,
      status: "READY",
      version: 1,
      actor: { email: org.email("biller1") },
      item: {
        id: workItem.id,
        status: "READY",
        queue: { name: "Outpatient coding" },
        subject: { id: encounter.id, type: "OUTPATIENT" },
      },
    });

    const claimed = await claim(coder3, outpatient);
    const [, next] = await watching.waitFor(2);
    expect(next!.workItemEvents).toMatchObject({
      type: "claimed",
      fromStatus: "READY",
      status: "ASSIGNED",
      actor: { email: org.email("coder3") },
      item: { id: claimed },
    });
    watching.stop();
  });

  it("a coder who reconnects with `after` receives exactly the 50 events missed, in order, then live", async () => {
    const org = await givenOrganization(api);
    const [coder2, coder3] = [await org.signIn("coder2"), await org.signIn("coder3")];
    const outpatient = org.queueId("Outpatient coding");
    await givenEncounterReadyForCoding(org);
    const first = subscribe<Events>(ws(coder3), QUEUE_EVENTS, { queueId: outpatient });
    await settle();
    await release(coder3, await claim(coder3, outpatient));
    const [claimedEvent, releasedEvent] = await first.waitFor(2);
    expect([claimedEvent!.workItemEvents.type, releasedEvent!.workItemEvents.type]).toEqual(["claimed", "released"]);
    expect([claimedEvent!.workItemEvents.kind, releasedEvent!.workItemEvents.kind]).toEqual(["CLAIMED", "RELEASED"]);
    first.stop();

    // Offline: another coder claims and releases 25 times.
    const missed: { type: string; item: string }[] = [];
    for (let i = 0; i < 25; i++) {
      const id = await claim(coder2, outpatient);
      await release(coder2, id);
      missed.push({ type: "claimed", item: id }, { type: "released", item: id });
    }

    const resumed = subscribe<Events>(ws(coder3), QUEUE_EVENTS, {
      queueId: outpatient,
      after: releasedEvent!.workItemEvents.cursor,
    });
    const replayed = await resumed.waitFor(50);
    expect(replayed.map((r) => ({ type: r.workItemEvents.type, item: r.workItemEvents.item.id }))).toEqual(missed);
    const cursors = replayed.map((r) => r.workItemEvents.cursor);
    expect(new Set(cursors).size).toBe(50);

    const live = await claim(coder2, outpatient);
    const all = await resumed.waitFor(51);
    expect(all[50]!.workItemEvents).toMatchObject({ type: "claimed", item: { id: live } });
    await settle();
    expect(resumed.received).toHaveLength(51);
    resumed.stop();
  });

  it("nobody receives what they may not see: another organization, or a CPC coder the inpatient queue", async () => {
    const org = await givenOrganization(api);
    const elsewhere = await givenOrganization(api, "Lakeshore Medical Group");
    const [coder1, coder2, outsider] = [
      await org.signIn("coder1"),
      await org.signIn("coder2"),
      await elsewhere.signIn("coder3"),
    ];
    const otherOrg = subscribe<Events>(ws(outsider), QUEUE_EVENTS);
    const otherOrgMine = subscribe(ws(outsider), MY_ASSIGNMENTS);
    const cpcCoder = subscribe<Events>(ws(coder2), QUEUE_EVENTS);
    const ccsCoder = subscribe<Events>(ws(coder1), QUEUE_EVENTS);

    // Naming the inpatient queue outright is refused as if it did not exist.
    const refused = subscribe(ws(coder2), QUEUE_EVENTS, { queueId: org.queueId("Inpatient coding") });
    expect(codes({ errors: await refused.failure() })).toEqual(["NOT_FOUND"]);
    await settle();

    const stay = await givenEncounterReadyForCoding(org, { at: "hospital", type: "INPATIENT" });
    const visit = await givenEncounterReadyForCoding(org);
    const [seen] = await cpcCoder.waitFor(1);
    expect(seen!.workItemEvents.item.id).toBe(visit.workItem.id);
    const [inpatient] = await ccsCoder.waitFor(1);
    expect(inpatient!.workItemEvents.item).toMatchObject({ id: stay.workItem.id, queue: { name: "Inpatient coding" } });
    await settle();
    expect(cpcCoder.received).toHaveLength(1);
    // coder1 works the hospital only: the clinic visit is not theirs to see.
    expect(ccsCoder.received).toHaveLength(1);
    expect(otherOrg.received).toEqual([]);
    expect(otherOrgMine.received).toEqual([]);
    for (const subscription of [otherOrg, otherOrgMine, cpcCoder, ccsCoder]) subscription.stop();
  });

  it("a coder's assignments follow them: what they claim, and what a release takes away", async () => {
    const org = await givenOrganization(api);
    const [coder2, coder3] = [await org.signIn("coder2"), await org.signIn("coder3")];
    await givenEncounterReadyForCoding(org);
    const mine = subscribe<{ myAssignments: WorkEvent }>(ws(coder3), MY_ASSIGNMENTS);
    const others = subscribe<{ myAssignments: WorkEvent }>(ws(coder2), MY_ASSIGNMENTS);
    await settle();
    const id = await claim(coder3, org.queueId("Outpatient coding"));
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
    const org = await givenOrganization(api);
    const [supervisor, coder3] = [await org.signIn("supervisor"), await org.signIn("coder3")];
    const queueId = org.queueId("Outpatient coding");
    const watching = subscribe<{ queueStats: { queueId: string; ready: number; assigned: number } }>(
      ws(supervisor),
      QUEUE_STATS,
      { queueId },
    );
    const [initial] = await watching.waitFor(1);
    expect(initial!.queueStats).toEqual({ queueId, ready: 0, assigned: 0, onHold: 0, overdue: 0 });

    await givenEncounterReadyForCoding(org);
    const [, afterSubmit] = await watching.waitFor(2);
    expect(afterSubmit!.queueStats).toMatchObject({ ready: 1, assigned: 0 });

    await claim(coder3, queueId);
    const [, , afterClaim] = await watching.waitFor(3);
    expect(afterClaim!.queueStats).toMatchObject({ ready: 0, assigned: 1 });
    watching.stop();
  });

  it("twenty supervisors watching one queue cost the database no more per event than one does", async () => {
    const org = await givenOrganization(api);
    const [supervisor, coder3] = [await org.signIn("supervisor"), await org.signIn("coder3")];
    const queueId = org.queueId("Outpatient coding");
    await givenEncounterReadyForCoding(org);
    const query = `subscription ($queueId: ID) {
      workItemEvents(queueId: $queueId) { type item { id status priority queue { name } assignee { email } } } }`;
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

  it("an item a supervisor assigns (no lease) counts as assigned in queue stats, both read and live", async () => {
    const org = await givenOrganization(api);
    const supervisor = await org.signIn("supervisor");
    const queueId = org.queueId("Outpatient coding");
    const STATS = `query ($id: ID!) { workQueue(id: $id) { stats { ready assigned } } }`;
    const statsNow = async () =>
      (await api.gql(STATS, { id: queueId }, supervisor)).data?.["workQueue"].stats as {
        ready: number;
        assigned: number;
      };
    const { workItem } = await givenEncounterReadyForCoding(org);
    expect(await statsNow()).toEqual({ ready: 1, assigned: 0 });
    const watching = subscribe<{ queueStats: { ready: number; assigned: number } }>(ws(supervisor), QUEUE_STATS, {
      queueId,
    });
    const [initial] = await watching.waitFor(1);
    expect(initial!.queueStats).toMatchObject({ ready: 1, assigned: 0 });

    const ASSIGN = `mutation ($input: AssignWorkItemInput!) {
      assignWorkItem(input: $input) { workItem { status leaseExpiresAt } userErrors { code } } }`;
    const assigned = (
      await api.gql(ASSIGN, { input: { workItemId: workItem.id, userId: org.userId("coder3") } }, supervisor)
    ).data?.["assignWorkItem"];
    expect(assigned).toEqual({ workItem: { status: "ASSIGNED", leaseExpiresAt: null }, userErrors: [] });

    expect(await statsNow()).toEqual({ ready: 0, assigned: 1 });
    const [, live] = await watching.waitFor(2);
    expect(live!.queueStats).toMatchObject({ ready: 0, assigned: 1 });
    watching.stop();
  });

  it("a cursor that is not one, or one older than the events kept, is refused with a code", async () => {
    const coder3 = await (await givenOrganization(api)).signIn("coder3");
    const garbage = subscribe(ws(coder3), QUEUE_EVENTS, { after: "not-a-cursor" });
    expect(codes({ errors: await garbage.failure() })).toEqual(["BAD_USER_INPUT"]);
    const eightDaysAgo = Date.now() - 8 * 86_400_000;
    const stale = subscribe(ws(coder3), QUEUE_EVENTS, {
      after: Buffer.from(`event:1:${eightDaysAgo}`).toString("base64url"),
    });
    expect(codes({ errors: await stale.failure() })).toEqual(["CURSOR_EXPIRED"]);
  });

  it("a coder deactivated while subscribed stops receiving: the next delivery ends it as UNAUTHENTICATED", async () => {
    const org = await givenOrganization(api);
    const coder2 = await org.signIn("coder2");
    const watching = subscribe<Events>(ws(coder2), QUEUE_EVENTS, { queueId: org.queueId("Outpatient coding") });
    await settle();
    await deactivateUser(api.database, org.email("coder2"));
    await givenEncounterReadyForCoding(org);
    expect(codes({ errors: await watching.failure() })).toEqual(["UNAUTHENTICATED"]);
    expect(watching.received).toEqual([]);
  });
});
