import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, rowIdOf, startApi, type TestApi } from "../../helpers/api.js";
import { givenClaimEdits } from "../../helpers/claim-edits.js";
import { addDemoUser } from "../../helpers/coders.js";

const ITEM = `id status priority version holdReason leaseExpiresAt
  assignee { email } assignedBy { email } queue { name } subject { ... on Encounter { facility { name } } }`;
const HISTORY = `history { from to reason actor { email } }`;
const READ = `query ($id: ID!) { node(id: $id) { ... on WorkItem { ${ITEM} ${HISTORY} } } }`;
const LIST = `query ($filter: WorkItemFilter, $first: Int, $after: String) {
  workItems(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${ITEM} } } }
}`;
const QUEUES = `{ workQueues { id name } }`;
const result = `workItem { ${ITEM} } userErrors { code field message }`;
const CLAIM = `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) { ${result} } }`;
const HEARTBEAT = `mutation ($input: WorkItemRefInput!) { heartbeatWorkItem(input: $input) { ${result} } }`;
const RELEASE = `mutation ($input: WorkItemRefInput!) { releaseWorkItem(input: $input) { ${result} } }`;
const COMPLETE = `mutation ($input: CompleteWorkItemInput!) { completeWorkItem(input: $input) { ${result} } }`;
const HOLD = `mutation ($input: HoldWorkItemInput!) { holdWorkItem(input: $input) { ${result} } }`;
const RESUME = `mutation ($input: WorkItemRefInput!) { resumeWorkItem(input: $input) { ${result} } }`;
const ASSIGN = `mutation ($input: AssignWorkItemInput!) { assignWorkItem(input: $input) { ${result} } }`;
const UNASSIGN = `mutation ($input: WorkItemRefInput!) { unassignWorkItem(input: $input) { ${result} } }`;
const BULK = `mutation ($input: BulkAssignWorkItemsInput!) { bulkAssignWorkItems(input: $input) { workItems { ${ITEM} } userErrors { code field message } } }`;
const PRIORITY = `mutation ($input: SetWorkItemPriorityInput!) { setWorkItemPriority(input: $input) { ${result} } }`;

const HOSPITAL = "Riverbend Community Hospital";
const CLINIC = "Riverbend Family Medicine";

type Item = {
  id: string;
  status: string;
  priority: number;
  version: number;
  holdReason: string | null;
  leaseExpiresAt: string | null;
  assignee: { email: string } | null;
  assignedBy: { email: string } | null;
  queue: { name: string };
  subject: { facility: { name: string } };
  history?: { from: string | null; to: string; reason: string; actor: { email: string } | null }[];
};

describe("working and directing work items", () => {
  let api: TestApi;
  let supervisor: string;
  let biller: string;
  /** coder1: CCS, hospital only. coder2: CPC, clinic only. coder3: CPC, both facilities. */
  let coder1: string;
  let coder2: string;
  let coder3: string;
  /** A CPC coder at both facilities whose access the stories change. */
  let floater: string;
  let queueId: (name: string) => string;
  const userId = async (email: string) =>
    (await api.database.rows<{ id: string }>(sql`select id from users where email = ${email}`))[0]!.id;
  const userGid = async (email: string) => Buffer.from(`User:${await userId(email)}`).toString("base64url");

  const read = async (id: string): Promise<Item> => (await api.gql(READ, { id }, supervisor)).data?.["node"];
  /** READY items of a queue at a facility, as the supervisor sees them. */
  const ready = async (queue: string, facility: string): Promise<Item[]> => {
    const list = await api.gql(
      LIST,
      { filter: { queueId: queueId(queue), status: ["READY"] }, first: 100 },
      supervisor,
    );
    expect(list.errors).toBeUndefined();
    return list.data?.["workItems"].edges
      .map((e: { node: Item }) => e.node)
      .filter((item: Item) => item.subject.facility.name === facility);
  };
  const mutate = async (mutation: string, input: Record<string, unknown>, token: string) => {
    const response = await api.gql(mutation, { input }, token);
    return {
      ...response,
      payload: Object.values(response.data ?? {})[0] as {
        workItem: Item;
        userErrors: { code: string; field: string[]; message: string }[];
      },
    };
  };
  /** The caller's next item, from the named queue or any of theirs. */
  const claim = async (token: string, queue?: string): Promise<Item> =>
    (await api.gql(CLAIM, { queueId: queue ? queueId(queue) : null }, token)).data?.["claimNextWorkItem"].workItem;
  const rowCounts = async () =>
    (
      await api.database.rows<{ transitions: number; events: number }>(sql`
        select (select count(*)::int from work_item_transitions) as transitions, (select count(*)::int from events) as events`)
    )[0]!;
  const lastEvent = async (id: string) =>
    (
      await api.database.rows<{ payload: Record<string, unknown> }>(sql`
        select payload from events where topic = 'work_item' and payload->>'workItemId' = ${rowIdOf(id)} order by id desc limit 1`)
    )[0]!.payload;

  beforeAll(async () => {
    api = await startApi();
    await addDemoUser(api, { login: "floater", name: "Flo Floater", roles: ["CODER"], credentials: ["CPC"] });
    const signIn = (login: string) => api.signIn(`${login}@demo.chartroom.test`);
    [supervisor, biller, coder1, coder2, coder3, floater] = [
      await signIn("supervisor"),
      await signIn("biller1"),
      await signIn("coder1"),
      await signIn("coder2"),
      await signIn("coder3"),
      await signIn("floater"),
    ];
    const queues: { id: string; name: string }[] = (await api.gql(QUEUES, {}, supervisor)).data?.["workQueues"];
    queueId = (name) => queues.find((q) => q.name === name)!.id;
  });
  afterAll(() => api.close());

  it("a biller completes a claimed claim edit with a note: DONE, held by nobody, the note in its history and the event naming whom it left", async () => {
    await givenClaimEdits(api, 1);
    const claimed = await claim(biller, "Claim edits");
    const done = await mutate(
      COMPLETE,
      {
        workItemId: claimed.id,
        note: "Payer ID corrected; claim resubmitted to the scrubber.",
        expectedVersion: claimed.version,
      },
      biller,
    );
    expect(done.payload.userErrors).toEqual([]);
    expect(done.payload.workItem).toMatchObject({
      status: "DONE",
      assignee: null,
      assignedBy: null,
      leaseExpiresAt: null,
      version: claimed.version + 1,
    });

    const history = (await read(claimed.id)).history!;
    expect(history.at(-1)).toEqual({
      from: "ASSIGNED",
      to: "DONE",
      reason: "Payer ID corrected; claim resubmitted to the scrubber.",
      actor: { email: "biller1@demo.chartroom.test" },
    });
    expect(await lastEvent(claimed.id)).toMatchObject({
      type: "completed",
      status: "DONE",
      assigneeId: null,
      previousAssigneeId: await userId("biller1@demo.chartroom.test"),
    });
    const audited = await api.database.rows<{ action: string }>(
      sql`select action from audit_log where entity_type = 'WorkItem' and ${rowIdOf(claimed.id)}::uuid = any(entity_ids) order by id`,
    );
    expect(audited.map((row) => row.action)).toEqual(["work_item.claimed", "work_item.completed"]);
  });

  it("completing a released item, someone else's, at a stale version or after the lease ran out is a CONFLICT and changes nothing", async () => {
    await givenClaimEdits(api, 2);
    const held = await claim(biller, "Claim edits");
    const released = await claim(biller, "Claim edits");
    await mutate(RELEASE, { workItemId: released.id }, biller);
    const before = await rowCounts();

    const releasedTry = await mutate(COMPLETE, { workItemId: released.id }, biller);
    expect(codes(releasedTry)).toEqual(["CONFLICT"]);
    expect(releasedTry.errors?.[0]?.message).toMatch(/READY, not claimed/);

    for (const mutation of [COMPLETE, HEARTBEAT]) {
      const others = await mutate(mutation, { workItemId: held.id }, supervisor);
      expect(others.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/someone else/),
        extensions: { code: "CONFLICT" },
      });
      const stale = await mutate(mutation, { workItemId: held.id, expectedVersion: held.version - 1 }, biller);
      expect(stale.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/version/),
        extensions: { code: "CONFLICT" },
      });
    }

    await api.database.rows(
      sql`update work_items set lease_expires_at = now() - interval '1 second' where id = ${rowIdOf(held.id)}::uuid`,
    );
    const expired = await mutate(COMPLETE, { workItemId: held.id }, biller);
    expect(expired.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/lease .* expired/),
      extensions: { code: "CONFLICT" },
    });

    expect(await rowCounts()).toEqual(before);
    expect(await read(released.id)).toMatchObject({ status: "READY", version: released.version + 1 });
    expect(await read(held.id)).toMatchObject({
      status: "ASSIGNED",
      assignee: { email: "biller1@demo.chartroom.test" },
      version: held.version,
    });
    await mutate(UNASSIGN, { workItemId: held.id }, supervisor);
  });

  it("completeWorkItem does not finish coding work: DOMAIN_ACTION_REQUIRED names completeCoding, and the item and its encounter stay as they were", async () => {
    const claimed = (await mutate(CLAIM, {}, coder3)).payload.workItem;
    const before = await rowCounts();
    const refused = await mutate(COMPLETE, { workItemId: claimed.id, note: "Done." }, coder3);
    expect(refused.errors).toBeUndefined();
    expect(refused.payload.workItem).toBeNull();
    expect(refused.payload.userErrors).toEqual([
      { code: "DOMAIN_ACTION_REQUIRED", field: ["workItemId"], message: expect.stringMatching(/completeCoding/) },
    ]);
    expect(await rowCounts()).toEqual(before);
    expect(await read(claimed.id)).toMatchObject({
      status: "ASSIGNED",
      assignee: { email: "coder3@demo.chartroom.test" },
      version: claimed.version,
    });
    await mutate(RELEASE, { workItemId: claimed.id }, coder3);
  });

  it("a coder holds an item with a reason and resumes it: it comes back to them without a lease; nobody else but a supervisor may resume it", async () => {
    const [item] = await ready("Outpatient coding", HOSPITAL);
    const given = (
      await mutate(ASSIGN, { workItemId: item!.id, userId: await userGid("coder3@demo.chartroom.test") }, supervisor)
    ).payload.workItem;
    const before = await rowCounts();

    const blank = await mutate(HOLD, { workItemId: item!.id, reason: "   " }, coder3);
    expect(blank.payload).toEqual({
      workItem: null,
      userErrors: [{ code: "HOLD_REASON_REQUIRED", field: ["reason"], message: expect.any(String) }],
    });
    expect(codes(await mutate(HOLD, { workItemId: item!.id, reason: "Not mine to hold." }, coder1))).toEqual([
      "CONFLICT",
    ]);
    expect(await rowCounts()).toEqual(before);

    const reason = "Query to the attending: laterality of the fracture?";
    const held = (await mutate(HOLD, { workItemId: item!.id, reason, expectedVersion: given.version }, coder3)).payload
      .workItem;
    expect(held).toMatchObject({ status: "ON_HOLD", holdReason: reason, assignee: null, leaseExpiresAt: null });
    expect(await lastEvent(item!.id)).toMatchObject({
      type: "held",
      status: "ON_HOLD",
      previousAssigneeId: await userId("coder3@demo.chartroom.test"),
    });

    const notTheirs = await mutate(RESUME, { workItemId: item!.id }, coder1);
    expect(codes(notTheirs)).toEqual(["FORBIDDEN"]);
    expect(await read(item!.id)).toMatchObject({ status: "ON_HOLD", version: held.version });

    const resumed = (await mutate(RESUME, { workItemId: item!.id, expectedVersion: held.version }, coder3)).payload
      .workItem;
    expect(resumed).toMatchObject({
      status: "ASSIGNED",
      holdReason: null,
      leaseExpiresAt: null,
      assignee: { email: "coder3@demo.chartroom.test" },
      assignedBy: { email: "coder3@demo.chartroom.test" },
    });
    expect((await read(item!.id)).history!.slice(-3)).toEqual([
      { from: "READY", to: "ASSIGNED", reason: "assigned", actor: { email: "supervisor@demo.chartroom.test" } },
      { from: "ASSIGNED", to: "ON_HOLD", reason, actor: { email: "coder3@demo.chartroom.test" } },
      { from: "ON_HOLD", to: "ASSIGNED", reason: "resumed", actor: { email: "coder3@demo.chartroom.test" } },
    ]);
    expect(codes(await mutate(RESUME, { workItemId: item!.id }, coder3))).toEqual(["CONFLICT"]);
  });

  it("work a supervisor holds while a coder has it goes back to that coder, not to the supervisor, when resumed", async () => {
    const [item] = await ready("Outpatient coding", HOSPITAL);
    await mutate(ASSIGN, { workItemId: item!.id, userId: await userGid("coder3@demo.chartroom.test") }, supervisor);
    await mutate(HOLD, { workItemId: item!.id, reason: "Payer asked for the operative report first." }, supervisor);
    const resumed = (await mutate(RESUME, { workItemId: item!.id }, supervisor)).payload.workItem;
    expect(resumed).toMatchObject({
      status: "ASSIGNED",
      assignee: { email: "coder3@demo.chartroom.test" },
      assignedBy: { email: "supervisor@demo.chartroom.test" },
    });
  });

  it("a resumed item goes to READY when its holder lost the facility, or when a supervisor parked it while READY", async () => {
    const [first, second] = await ready("Outpatient coding", HOSPITAL);
    await mutate(ASSIGN, { workItemId: first!.id, userId: await userGid("floater@demo.chartroom.test") }, supervisor);
    await mutate(HOLD, { workItemId: first!.id, reason: "Waiting for the operative note." }, floater);
    await api.database.rows(sql`
      delete from user_facility_access where user_id = ${await userId("floater@demo.chartroom.test")}::uuid
      and facility_id = (select id from facilities where name = ${HOSPITAL})`);
    const back = (await mutate(RESUME, { workItemId: first!.id }, supervisor)).payload.workItem;
    expect(back).toMatchObject({ status: "READY", assignee: null, holdReason: null });

    const parked = (
      await mutate(HOLD, { workItemId: second!.id, reason: "Duplicate visit? Checking with registration." }, supervisor)
    ).payload.workItem;
    expect(parked).toMatchObject({ status: "ON_HOLD", assignee: null });
    const assignHeld = await mutate(
      ASSIGN,
      { workItemId: second!.id, userId: await userGid("coder3@demo.chartroom.test") },
      supervisor,
    );
    expect(assignHeld.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/ON_HOLD.*resume it first/),
      extensions: { code: "CONFLICT" },
    });
    expect((await mutate(RESUME, { workItemId: second!.id }, supervisor)).payload.workItem).toMatchObject({
      status: "READY",
      assignee: null,
    });
  });

  it("a supervisor assigns, reassigns and unassigns: no lease, assignedBy set, and each event names whom the item left", async () => {
    const [item] = await ready("Outpatient coding", HOSPITAL);
    const assigned = await mutate(
      ASSIGN,
      { workItemId: item!.id, userId: await userGid("coder3@demo.chartroom.test"), expectedVersion: item!.version },
      supervisor,
    );
    expect(assigned.payload.userErrors).toEqual([]);
    expect(assigned.payload.workItem).toMatchObject({
      status: "ASSIGNED",
      leaseExpiresAt: null,
      assignee: { email: "coder3@demo.chartroom.test" },
      assignedBy: { email: "supervisor@demo.chartroom.test" },
      version: item!.version + 1,
    });
    const mine = (await api.gql(`{ myWork(first: 100) { edges { node { id } } } }`, {}, coder3)).data?.[
      "myWork"
    ].edges.map((e: any) => e.node.id);
    expect(mine).toContain(item!.id);
    // Nothing to heartbeat on a supervisor's assignment.
    expect((await mutate(HEARTBEAT, { workItemId: item!.id }, coder3)).errors?.[0]?.message).toMatch(/without a lease/);

    const reassigned = (
      await mutate(ASSIGN, { workItemId: item!.id, userId: await userGid("coder1@demo.chartroom.test") }, supervisor)
    ).payload.workItem;
    expect(reassigned).toMatchObject({ status: "ASSIGNED", assignee: { email: "coder1@demo.chartroom.test" } });
    expect(await lastEvent(item!.id)).toMatchObject({
      type: "reassigned",
      assigneeId: await userId("coder1@demo.chartroom.test"),
      previousAssigneeId: await userId("coder3@demo.chartroom.test"),
    });

    const unassigned = (
      await mutate(UNASSIGN, { workItemId: item!.id, expectedVersion: reassigned.version }, supervisor)
    ).payload.workItem;
    expect(unassigned).toMatchObject({ status: "READY", assignee: null, assignedBy: null });
    expect(await lastEvent(item!.id)).toMatchObject({
      type: "unassigned",
      assigneeId: null,
      previousAssigneeId: await userId("coder1@demo.chartroom.test"),
    });
    expect((await read(item!.id)).history!.slice(-3).map((t) => [t.reason, t.actor?.email])).toEqual([
      ["assigned", "supervisor@demo.chartroom.test"],
      ["reassigned", "supervisor@demo.chartroom.test"],
      ["unassigned", "supervisor@demo.chartroom.test"],
    ]);
    expect(codes(await mutate(UNASSIGN, { workItemId: item!.id }, supervisor))).toEqual(["CONFLICT"]);
  });

  it("assigning is refused with what is missing — CCS for inpatient, the facility, a coding role — or FORBIDDEN to a coder, and changes nothing", async () => {
    const [stay] = await ready("Inpatient coding", HOSPITAL);
    const [visit] = await ready("Outpatient coding", HOSPITAL);
    const before = await rowCounts();

    const noCcs = await mutate(
      ASSIGN,
      { workItemId: stay!.id, userId: await userGid("coder3@demo.chartroom.test") },
      supervisor,
    );
    expect(noCcs.payload).toEqual({
      workItem: null,
      userErrors: [
        {
          code: "ASSIGNEE_NOT_ELIGIBLE",
          field: ["workItemId"],
          message: expect.stringMatching(/"Inpatient coding" needs the CCS credential/),
        },
      ],
    });
    const noFacility = await mutate(
      ASSIGN,
      { workItemId: visit!.id, userId: await userGid("coder2@demo.chartroom.test") },
      supervisor,
    );
    expect(noFacility.payload.userErrors[0]?.message).toMatch(new RegExp(`no access to ${HOSPITAL}`));
    const billerToo = await mutate(
      ASSIGN,
      { workItemId: visit!.id, userId: await userGid("biller1@demo.chartroom.test") },
      supervisor,
    );
    expect(billerToo.payload.userErrors[0]?.message).toMatch(/roles \(BILLER\) do not work CODING queues/);

    const coder = await mutate(
      ASSIGN,
      { workItemId: visit!.id, userId: await userGid("coder3@demo.chartroom.test") },
      coder3,
    );
    expect(codes(coder)).toEqual(["FORBIDDEN"]);
    const stale = await mutate(
      ASSIGN,
      {
        workItemId: visit!.id,
        userId: await userGid("coder3@demo.chartroom.test"),
        expectedVersion: visit!.version + 1,
      },
      supervisor,
    );
    expect(codes(stale)).toEqual(["CONFLICT"]);

    expect(await rowCounts()).toEqual(before);
    expect(await read(stay!.id)).toMatchObject({ status: "READY", assignee: null, version: stay!.version });
    expect(await read(visit!.id)).toMatchObject({ status: "READY", assignee: null, version: visit!.version });
  });

  it("a supervisor bulk-assigns: all items or, when one is refused, none", async () => {
    const visits = (await ready("Outpatient coding", CLINIC)).slice(0, 4);
    const [stay] = await ready("Inpatient coding", HOSPITAL);
    expect(visits).toHaveLength(4);
    const coder3Id = await userGid("coder3@demo.chartroom.test");

    const refusedBulk = await api.gql(
      BULK,
      { input: { workItemIds: [...visits.map((v) => v.id), stay!.id], userId: coder3Id } },
      supervisor,
    );
    expect(refusedBulk.data?.["bulkAssignWorkItems"]).toEqual({
      workItems: null,
      userErrors: [
        { code: "ASSIGNEE_NOT_ELIGIBLE", field: ["workItemIds", "4"], message: expect.stringMatching(/CCS/) },
      ],
    });
    for (const visit of visits) expect(await read(visit.id)).toMatchObject({ status: "READY", version: visit.version });

    const bulk = await api.gql(BULK, { input: { workItemIds: visits.map((v) => v.id), userId: coder3Id } }, supervisor);
    expect(bulk.data?.["bulkAssignWorkItems"].userErrors).toEqual([]);
    expect(bulk.data?.["bulkAssignWorkItems"].workItems.map((i: Item) => [i.id, i.status, i.assignee?.email])).toEqual(
      visits.map((v) => [v.id, "ASSIGNED", "coder3@demo.chartroom.test"]),
    );

    const tooMany = Array.from({ length: 501 }, (_, i) =>
      Buffer.from(`WorkItem:00000000-0000-4000-8000-${String(i).padStart(12, "0")}`).toString("base64url"),
    );
    expect(codes(await api.gql(BULK, { input: { workItemIds: tooMany, userId: coder3Id } }, supervisor))).toEqual([
      "BAD_USER_INPUT",
    ]);
    expect(codes(await api.gql(BULK, { input: { workItemIds: [visits[0]!.id], userId: coder3Id } }, coder3))).toEqual([
      "FORBIDDEN",
    ]);
  });

  it("a supervisor raises an item's priority and it is claimed next; out of range or by a coder it is refused", async () => {
    const [visit] = (await ready("Outpatient coding", CLINIC)).slice(-1);
    const raised = await mutate(
      PRIORITY,
      { workItemId: visit!.id, priority: 5000, expectedVersion: visit!.version },
      supervisor,
    );
    expect(raised.payload.workItem).toMatchObject({ priority: 5000, version: visit!.version + 1 });
    expect((await read(visit!.id)).history!.at(-1)).toMatchObject({
      from: "READY",
      to: "READY",
      reason: `priority ${visit!.priority} → 5000`,
    });

    expect(
      (await mutate(PRIORITY, { workItemId: visit!.id, priority: 10_001 }, supervisor)).payload.userErrors[0]?.code,
    ).toBe("PRIORITY_OUT_OF_RANGE");
    expect(codes(await mutate(PRIORITY, { workItemId: visit!.id, priority: 1 }, coder2))).toEqual(["FORBIDDEN"]);

    expect((await mutate(CLAIM, {}, coder2)).payload.workItem).toMatchObject({ id: visit!.id, priority: 5000 });
  });

  it("workItems lists across queues by status, assignee and overdue, in pages; a coder sees only the queues they may work", async () => {
    const onHold = (await api.gql(LIST, { filter: { status: ["ON_HOLD", "DONE"] } }, supervisor)).data?.["workItems"];
    const [counts] = await api.database.rows<{ n: number }>(sql`
      select count(*)::int as n from work_items where status in ('ON_HOLD', 'DONE') and org_id = (select org_id from users where email = 'supervisor@demo.chartroom.test')`);
    expect(onHold.totalCount).toBe(counts!.n);
    expect(onHold.edges.every((e: { node: Item }) => ["ON_HOLD", "DONE"].includes(e.node.status))).toBe(true);

    const coder3Work = await api.gql(
      LIST,
      { filter: { assigneeId: await userGid("coder3@demo.chartroom.test"), status: ["ASSIGNED"] }, first: 2 },
      supervisor,
    );
    const page1 = coder3Work.data?.["workItems"];
    expect(page1.totalCount).toBeGreaterThanOrEqual(5);
    const page2 = (
      await api.gql(
        LIST,
        {
          filter: { assigneeId: await userGid("coder3@demo.chartroom.test"), status: ["ASSIGNED"] },
          first: 2,
          after: page1.pageInfo.endCursor,
        },
        supervisor,
      )
    ).data?.["workItems"];
    expect(page2.edges.map((e: any) => e.node.id)).not.toContain(page1.edges[0].node.id);
    expect(
      [...page1.edges, ...page2.edges].every(
        (e: { node: Item }) => e.node.assignee?.email === "coder3@demo.chartroom.test",
      ),
    ).toBe(true);

    const [late] = await ready("Inpatient coding", HOSPITAL);
    await api.database.rows(
      sql`update work_items set due_at = now() - interval '1 hour' where id = ${rowIdOf(late!.id)}::uuid`,
    );
    const overdue = (await api.gql(LIST, { filter: { overdue: true }, first: 100 }, supervisor)).data?.["workItems"];
    expect(overdue.edges.map((e: any) => e.node.id)).toContain(late!.id);
    const onTime = (await api.gql(LIST, { filter: { overdue: false }, first: 100 }, supervisor)).data?.["workItems"];
    expect(onTime.edges.map((e: any) => e.node.id)).not.toContain(late!.id);

    const coderView = (await api.gql(LIST, { first: 100 }, coder3)).data?.["workItems"];
    expect(coderView.totalCount).toBeGreaterThan(0);
    expect(new Set(coderView.edges.map((e: { node: Item }) => e.node.queue.name))).toEqual(
      new Set(["Outpatient coding"]),
    );
    expect(codes(await api.gql(LIST, { filter: { queueId: queueId("Inpatient coding") } }, coder3))).toEqual([
      "NOT_FOUND",
    ]);
    expect(codes(await api.gql(LIST, { filter: { queueId: queueId("Inpatient coding") } }, biller))).toEqual([
      "NOT_FOUND",
    ]);
  });

  it("a coder whose CCS lapsed while holding an inpatient item no longer sees or works it: myWork, node and their own mutations answer as if it were not there", async () => {
    await addDemoUser(api, { login: "lapsing", name: "Lee Lapsing", roles: ["CODER"], credentials: ["CCS"] });
    const lapsing = await api.signIn("lapsing@demo.chartroom.test");
    const MY_WORK = `{ myWork { totalCount edges { node { id } } } }`;
    const held = await claim(lapsing, "Inpatient coding");
    expect(held).toMatchObject({ status: "ASSIGNED", queue: { name: "Inpatient coding" } });
    expect((await api.gql(MY_WORK, {}, lapsing)).data?.["myWork"].edges).toEqual([{ node: { id: held.id } }]);

    await api.database.rows(sql`update users set credentials = '{}' where email = 'lapsing@demo.chartroom.test'`);
    expect((await api.gql(MY_WORK, {}, lapsing)).data?.["myWork"]).toEqual({ totalCount: 0, edges: [] });
    expect((await api.gql(READ, { id: held.id }, lapsing)).data?.["node"]).toBeNull();
    for (const mutation of [HEARTBEAT, RELEASE])
      expect(codes(await mutate(mutation, { workItemId: held.id }, lapsing))).toEqual(["NOT_FOUND"]);

    // The supervisor still sees it with its holder, and gives it to someone who may work it.
    expect(await read(held.id)).toMatchObject({
      status: "ASSIGNED",
      assignee: { email: "lapsing@demo.chartroom.test" },
    });
    expect((await mutate(UNASSIGN, { workItemId: held.id }, supervisor)).payload.workItem).toMatchObject({
      status: "READY",
    });
  });

  it("node(id) hides a queue and its items from a caller who may not view the queue, as workQueue(id) does", async () => {
    const [stay] = await ready("Inpatient coding", HOSPITAL);
    const NODE = `query ($id: ID!, $queue: ID!) { node(id: $id) { id } workQueue(id: $queue) { id } }`;
    const inpatient = queueId("Inpatient coding");
    for (const id of [inpatient, stay!.id]) {
      expect((await api.gql(NODE, { id, queue: inpatient }, coder3)).data).toEqual({ node: null, workQueue: null });
      expect((await api.gql(NODE, { id, queue: inpatient }, supervisor)).data).toEqual({
        node: { id },
        workQueue: { id: inpatient },
      });
    }
    // The item's own mutations answer NOT_FOUND too, rather than telling why.
    expect(codes(await mutate(HOLD, { workItemId: stay!.id, reason: "Peeking." }, coder3))).toEqual(["NOT_FOUND"]);
  });
});
