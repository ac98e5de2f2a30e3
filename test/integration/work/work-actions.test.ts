import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, rowIdOf, startApi, type TestApi } from "../../helpers/api.js";
import { expireLease, lapseCredentials, letRunOverdue, revokeFacility } from "../../helpers/behind-the-api.js";
import {
  givenClaimedEncounter,
  givenCodedEncounter,
  givenEncounterReadyForCoding,
  givenHeldItem,
} from "../../helpers/encounters.js";
import { givenFollowUps } from "../../helpers/follow-ups.js";
import { demoOrganization, givenOrganization, givenUser, type Organization } from "../../helpers/organizations.js";

const ITEM = `id status priority version holdReason leaseExpiresAt
  assignee { email } assignedBy { email } queue { name } subject { ... on Encounter { facility { name } } }`;
const HISTORY = `history { from to reason actor { email } }`;
const READ = `query ($id: ID!) { node(id: $id) { ... on WorkItem { ${ITEM} ${HISTORY} } } }`;
const LIST = `query ($filter: WorkItemFilter, $first: Int, $after: String) {
  workItems(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${ITEM} } } }
}`;
const result = `workItem { ${ITEM} } userErrors { code field message }`;
const CLAIM = `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) { ${result} } }`;
const HEARTBEAT = `mutation ($input: WorkItemRefInput!) { heartbeatWorkItem(input: $input) { ${result} } }`;
const RELEASE = `mutation ($input: WorkItemRefInput!) { releaseWorkItem(input: $input) { ${result} } }`;
const COMPLETE = `mutation ($input: CompleteWorkItemInput!) { completeWorkItem(input: $input) { ${result} } }`;
const HOLD = `mutation ($input: HoldWorkItemInput!) { holdWorkItem(input: $input) { ${result} } }`;
const RESUME = `mutation ($input: WorkItemRefInput!) { resumeWorkItem(input: $input) { ${result} } }`;
const ASSIGN = `mutation ($input: AssignWorkItemInput!) { assignWorkItem(input: $input) { ${result} } }`;
const UNASSIGN = `mutation ($input: WorkItemRefInput!) { unassignWorkItem(input: $input) { ${result} } }`;
const BULK = `mutation ($input: BulkAssignWorkItemsInput!) {
  bulkAssignWorkItems(input: $input) { workItems { ${ITEM} } userErrors { code field message } } }`;
const PRIORITY = `mutation ($input: SetWorkItemPriorityInput!) { setWorkItemPriority(input: $input) { ${result} } }`;

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

/*
 * Each story about coding work gets an organization of its own, whose queues hold only the work it
 * builds: coder1 is CCS at the hospital only, coder2 CPC at the clinic only, coder3 CPC at both.
 * The follow-up stories use the demo's, where their follow-up work is written.
 */
describe("working and directing work items", () => {
  let api: TestApi;

  const read = async (org: Organization, id: string): Promise<Item> =>
    (await api.gql(READ, { id }, await org.signIn("supervisor"))).data?.["node"];
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
  /** The caller's next item, from the queue given or any of theirs. */
  const claim = async (token: string, queueId?: string): Promise<Item> =>
    (await api.gql(CLAIM, { queueId: queueId ?? null }, token)).data?.["claimNextWorkItem"].workItem;
  const rowCounts = async () =>
    (
      await api.database.rows<{ transitions: number; events: number }>(sql`
        select (select count(*)::int from work_item_transitions) as transitions,
               (select count(*)::int from events) as events`)
    )[0]!;
  const lastEvent = async (id: string) =>
    (
      await api.database.rows<{ payload: Record<string, unknown> }>(sql`
        select payload from events where topic = 'work_item' and payload->>'workItemId' = ${rowIdOf(id)}
        order by id desc limit 1`)
    )[0]!.payload;
  const lastAuditId = async () =>
    (await api.database.rows<{ id: string }>(sql`select coalesce(max(id), 0)::text as id from audit_log`))[0]!.id;
  /** The audit actions on a work item since `mark`. */
  const auditedSince = async (mark: string, id: string) =>
    (
      await api.database.rows<{ action: string }>(sql`
        select action from audit_log
        where id > ${mark}::bigint and entity_type = 'WorkItem' and ${rowIdOf(id)}::uuid = any(entity_ids) order by id`)
    ).map((row) => row.action);

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it("a biller completes follow-up with a note: DONE, unheld, the note in history, an event naming them", async () => {
    const demo = await demoOrganization(api);
    const biller = await demo.signIn("biller1");
    await givenFollowUps(api, 1);
    const mark = await lastAuditId();
    const claimed = await claim(biller, demo.queueId("Follow-up"));
    const done = await mutate(
      COMPLETE,
      {
        workItemId: claimed.id,
        note: "Called the payer: claim in process, check again in 14 days.",
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

    const history = (await read(demo, claimed.id)).history!;
    expect(history.at(-1)).toEqual({
      from: "ASSIGNED",
      to: "DONE",
      reason: "Called the payer: claim in process, check again in 14 days.",
      actor: { email: demo.email("biller1") },
    });
    expect(await lastEvent(claimed.id)).toMatchObject({
      type: "completed",
      status: "DONE",
      assigneeId: null,
      previousAssigneeId: rowIdOf(demo.userId("biller1")),
    });
    expect(await auditedSince(mark, claimed.id)).toEqual(["work_item.claimed", "work_item.completed"]);
  });

  it("completing a released item, another's, a stale version or past its lease is a CONFLICT, a no-op", async () => {
    const demo = await demoOrganization(api);
    const [biller, supervisor] = [await demo.signIn("biller1"), await demo.signIn("supervisor")];
    await givenFollowUps(api, 2);
    const held = await claim(biller, demo.queueId("Follow-up"));
    const released = await claim(biller, demo.queueId("Follow-up"));
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

    await expireLease(api.database, held.id);
    const expired = await mutate(COMPLETE, { workItemId: held.id }, biller);
    expect(expired.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/lease .* expired/),
      extensions: { code: "CONFLICT" },
    });

    expect(await rowCounts()).toEqual(before);
    expect(await read(demo, released.id)).toMatchObject({ status: "READY", version: released.version + 1 });
    expect(await read(demo, held.id)).toMatchObject({
      status: "ASSIGNED",
      assignee: { email: demo.email("biller1") },
      version: held.version,
    });
  });

  it("completeWorkItem does not finish coding: DOMAIN_ACTION_REQUIRED names completeCoding, a no-op", async () => {
    const org = await givenOrganization(api);
    const coder3 = await org.signIn("coder3");
    const { workItem: claimed } = await givenClaimedEncounter(org, "coder3");
    const before = await rowCounts();
    const refused = await mutate(COMPLETE, { workItemId: claimed.id, note: "Done." }, coder3);
    expect(refused.errors).toBeUndefined();
    expect(refused.payload.workItem).toBeNull();
    expect(refused.payload.userErrors).toEqual([
      { code: "DOMAIN_ACTION_REQUIRED", field: ["workItemId"], message: expect.stringMatching(/completeCoding/) },
    ]);
    expect(await rowCounts()).toEqual(before);
    expect(await read(org, claimed.id)).toMatchObject({
      status: "ASSIGNED",
      assignee: { email: org.email("coder3") },
      version: claimed.version,
    });
  });

  it("a coder holds an item with a reason, then resumes it leaseless; besides them only a supervisor may", async () => {
    const org = await givenOrganization(api);
    const [supervisor, coder1, coder3] = [
      await org.signIn("supervisor"),
      await org.signIn("coder1"),
      await org.signIn("coder3"),
    ];
    const { workItem: item } = await givenEncounterReadyForCoding(org, { at: "hospital" });
    const given = (await mutate(ASSIGN, { workItemId: item.id, userId: org.userId("coder3") }, supervisor)).payload
      .workItem;
    const before = await rowCounts();

    const blank = await mutate(HOLD, { workItemId: item.id, reason: "   " }, coder3);
    expect(blank.payload).toEqual({
      workItem: null,
      userErrors: [{ code: "HOLD_REASON_REQUIRED", field: ["reason"], message: expect.any(String) }],
    });
    expect(codes(await mutate(HOLD, { workItemId: item.id, reason: "Not mine to hold." }, coder1))).toEqual([
      "CONFLICT",
    ]);
    expect(await rowCounts()).toEqual(before);

    const reason = "Query to the attending: laterality of the fracture?";
    const held = (await mutate(HOLD, { workItemId: item.id, reason, expectedVersion: given.version }, coder3)).payload
      .workItem;
    expect(held).toMatchObject({ status: "ON_HOLD", holdReason: reason, assignee: null, leaseExpiresAt: null });
    expect(await lastEvent(item.id)).toMatchObject({
      type: "held",
      status: "ON_HOLD",
      previousAssigneeId: rowIdOf(org.userId("coder3")),
    });

    const notTheirs = await mutate(RESUME, { workItemId: item.id }, coder1);
    expect(codes(notTheirs)).toEqual(["FORBIDDEN"]);
    expect(await read(org, item.id)).toMatchObject({ status: "ON_HOLD", version: held.version });

    const resumed = (await mutate(RESUME, { workItemId: item.id, expectedVersion: held.version }, coder3)).payload
      .workItem;
    expect(resumed).toMatchObject({
      status: "ASSIGNED",
      holdReason: null,
      leaseExpiresAt: null,
      assignee: { email: org.email("coder3") },
      assignedBy: { email: org.email("coder3") },
    });
    expect((await read(org, item.id)).history!.slice(-3)).toEqual([
      { from: "READY", to: "ASSIGNED", reason: "assigned", actor: { email: org.email("supervisor") } },
      { from: "ASSIGNED", to: "ON_HOLD", reason, actor: { email: org.email("coder3") } },
      { from: "ON_HOLD", to: "ASSIGNED", reason: "resumed", actor: { email: org.email("coder3") } },
    ]);
    expect(codes(await mutate(RESUME, { workItemId: item.id }, coder3))).toEqual(["CONFLICT"]);
  });

  it("work a supervisor holds while a coder has it goes back to the coder, not the supervisor, on resume", async () => {
    const org = await givenOrganization(api);
    const supervisor = await org.signIn("supervisor");
    const { workItem: item } = await givenEncounterReadyForCoding(org, { at: "hospital" });
    await mutate(ASSIGN, { workItemId: item.id, userId: org.userId("coder3") }, supervisor);
    await mutate(HOLD, { workItemId: item.id, reason: "Payer asked for the operative report first." }, supervisor);
    const resumed = (await mutate(RESUME, { workItemId: item.id }, supervisor)).payload.workItem;
    expect(resumed).toMatchObject({
      status: "ASSIGNED",
      assignee: { email: org.email("coder3") },
      assignedBy: { email: org.email("supervisor") },
    });
  });

  it("a resumed item goes to READY if its holder lost the facility, or a supervisor held it while READY", async () => {
    const org = await givenOrganization(api);
    const supervisor = await org.signIn("supervisor");
    // A CPC coder at both facilities, whose access the story changes.
    await givenUser(org, "floater", { roles: ["CODER"], credentials: ["CPC"], sites: ["clinic", "hospital"] });
    const floater = await org.signIn("floater");
    const { workItem: first } = await givenEncounterReadyForCoding(org, { at: "hospital" });
    const { workItem: second } = await givenEncounterReadyForCoding(org, { at: "hospital" });
    await mutate(ASSIGN, { workItemId: first.id, userId: org.userId("floater") }, supervisor);
    await mutate(HOLD, { workItemId: first.id, reason: "Waiting for the operative note." }, floater);
    await revokeFacility(org, "floater", "hospital");
    const back = (await mutate(RESUME, { workItemId: first.id }, supervisor)).payload.workItem;
    expect(back).toMatchObject({ status: "READY", assignee: null, holdReason: null });

    const parked = (
      await mutate(HOLD, { workItemId: second.id, reason: "Duplicate visit? Checking with registration." }, supervisor)
    ).payload.workItem;
    expect(parked).toMatchObject({ status: "ON_HOLD", assignee: null });
    const assignHeld = await mutate(ASSIGN, { workItemId: second.id, userId: org.userId("coder3") }, supervisor);
    expect(assignHeld.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/ON_HOLD.*resume it first/),
      extensions: { code: "CONFLICT" },
    });
    expect((await mutate(RESUME, { workItemId: second.id }, supervisor)).payload.workItem).toMatchObject({
      status: "READY",
      assignee: null,
    });
  });

  it("a supervisor assigns, reassigns and unassigns: no lease, assignedBy set, events name whom it left", async () => {
    const org = await givenOrganization(api);
    const [supervisor, coder3] = [await org.signIn("supervisor"), await org.signIn("coder3")];
    const { workItem: item } = await givenEncounterReadyForCoding(org, { at: "hospital" });
    const assigned = await mutate(
      ASSIGN,
      { workItemId: item.id, userId: org.userId("coder3"), expectedVersion: item.version },
      supervisor,
    );
    expect(assigned.payload.userErrors).toEqual([]);
    expect(assigned.payload.workItem).toMatchObject({
      status: "ASSIGNED",
      leaseExpiresAt: null,
      assignee: { email: org.email("coder3") },
      assignedBy: { email: org.email("supervisor") },
      version: item.version + 1,
    });
    const mine = (await api.gql(`{ myWork(first: 100) { edges { node { id } } } }`, {}, coder3)).data?.[
      "myWork"
    ].edges.map((e: { node: { id: string } }) => e.node.id);
    expect(mine).toEqual([item.id]);
    // Nothing to heartbeat on a supervisor's assignment.
    expect((await mutate(HEARTBEAT, { workItemId: item.id }, coder3)).errors?.[0]?.message).toMatch(/without a lease/);

    const reassigned = (await mutate(ASSIGN, { workItemId: item.id, userId: org.userId("coder1") }, supervisor)).payload
      .workItem;
    expect(reassigned).toMatchObject({ status: "ASSIGNED", assignee: { email: org.email("coder1") } });
    expect(await lastEvent(item.id)).toMatchObject({
      type: "reassigned",
      assigneeId: rowIdOf(org.userId("coder1")),
      previousAssigneeId: rowIdOf(org.userId("coder3")),
    });

    const unassigned = (
      await mutate(UNASSIGN, { workItemId: item.id, expectedVersion: reassigned.version }, supervisor)
    ).payload.workItem;
    expect(unassigned).toMatchObject({ status: "READY", assignee: null, assignedBy: null });
    expect(await lastEvent(item.id)).toMatchObject({
      type: "unassigned",
      assigneeId: null,
      previousAssigneeId: rowIdOf(org.userId("coder1")),
    });
    expect((await read(org, item.id)).history!.map((t) => [t.reason, t.actor?.email])).toEqual([
      ["created", org.email("biller1")],
      ["assigned", org.email("supervisor")],
      ["reassigned", org.email("supervisor")],
      ["unassigned", org.email("supervisor")],
    ]);
    expect(codes(await mutate(UNASSIGN, { workItemId: item.id }, supervisor))).toEqual(["CONFLICT"]);
  });

  it("assigning is refused with what is missing (CCS, the facility, a coding role); FORBIDDEN to a coder", async () => {
    const org = await givenOrganization(api);
    const [supervisor, coder3] = [await org.signIn("supervisor"), await org.signIn("coder3")];
    const { workItem: stay } = await givenEncounterReadyForCoding(org, { at: "hospital", type: "INPATIENT" });
    const { workItem: visit } = await givenEncounterReadyForCoding(org, { at: "hospital" });
    const before = await rowCounts();

    const noCcs = await mutate(ASSIGN, { workItemId: stay.id, userId: org.userId("coder3") }, supervisor);
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
    const noFacility = await mutate(ASSIGN, { workItemId: visit.id, userId: org.userId("coder2") }, supervisor);
    expect(noFacility.payload.userErrors[0]?.message).toMatch(new RegExp(`no access to ${org.sites.hospital.name}`));
    const billerToo = await mutate(ASSIGN, { workItemId: visit.id, userId: org.userId("biller1") }, supervisor);
    expect(billerToo.payload.userErrors[0]?.message).toMatch(/roles \(BILLER\) do not work CODING queues/);

    const coder = await mutate(ASSIGN, { workItemId: visit.id, userId: org.userId("coder3") }, coder3);
    expect(codes(coder)).toEqual(["FORBIDDEN"]);
    const stale = await mutate(
      ASSIGN,
      { workItemId: visit.id, userId: org.userId("coder3"), expectedVersion: visit.version + 1 },
      supervisor,
    );
    expect(codes(stale)).toEqual(["CONFLICT"]);

    expect(await rowCounts()).toEqual(before);
    expect(await read(org, stay.id)).toMatchObject({ status: "READY", assignee: null, version: stay.version });
    expect(await read(org, visit.id)).toMatchObject({ status: "READY", assignee: null, version: visit.version });
  });

  it("a supervisor bulk-assigns: all items or, when one is refused, none", async () => {
    const org = await givenOrganization(api);
    const [supervisor, coder3] = [await org.signIn("supervisor"), await org.signIn("coder3")];
    const visits = [];
    for (let i = 0; i < 4; i++) visits.push((await givenEncounterReadyForCoding(org)).workItem);
    const { workItem: stay } = await givenEncounterReadyForCoding(org, { at: "hospital", type: "INPATIENT" });

    const refusedBulk = await api.gql(
      BULK,
      { input: { workItemIds: [...visits.map((v) => v.id), stay.id], userId: org.userId("coder3") } },
      supervisor,
    );
    expect(refusedBulk.data?.["bulkAssignWorkItems"]).toEqual({
      workItems: null,
      userErrors: [
        { code: "ASSIGNEE_NOT_ELIGIBLE", field: ["workItemIds", "4"], message: expect.stringMatching(/CCS/) },
      ],
    });
    for (const visit of visits)
      expect(await read(org, visit.id)).toMatchObject({ status: "READY", version: visit.version });

    const bulk = await api.gql(
      BULK,
      { input: { workItemIds: visits.map((v) => v.id), userId: org.userId("coder3") } },
      supervisor,
    );
    expect(bulk.data?.["bulkAssignWorkItems"].userErrors).toEqual([]);
    expect(bulk.data?.["bulkAssignWorkItems"].workItems.map((i: Item) => [i.id, i.status, i.assignee?.email])).toEqual(
      visits.map((v) => [v.id, "ASSIGNED", org.email("coder3")]),
    );

    const tooMany = Array.from({ length: 501 }, (_, i) =>
      Buffer.from(`WorkItem:00000000-0000-4000-8000-${String(i).padStart(12, "0")}`).toString("base64url"),
    );
    const overLimit = { workItemIds: tooMany, userId: org.userId("coder3") };
    expect(codes(await api.gql(BULK, { input: overLimit }, supervisor))).toEqual(["BAD_USER_INPUT"]);
    const byCoder = { workItemIds: [visits[0]!.id], userId: org.userId("coder3") };
    expect(codes(await api.gql(BULK, { input: byCoder }, coder3))).toEqual(["FORBIDDEN"]);
  });

  it("a supervisor raises an item's priority and it is claimed next; out of range or by a coder, refused", async () => {
    const org = await givenOrganization(api);
    const [supervisor, coder2] = [await org.signIn("supervisor"), await org.signIn("coder2")];
    await givenEncounterReadyForCoding(org);
    // Submitted later, so due later: without a higher priority it would be claimed second.
    const { workItem: visit } = await givenEncounterReadyForCoding(org);
    const before = await read(org, visit.id);
    const raised = await mutate(
      PRIORITY,
      { workItemId: visit.id, priority: 5000, expectedVersion: visit.version },
      supervisor,
    );
    expect(raised.payload.workItem).toMatchObject({ priority: 5000, version: visit.version + 1 });
    expect((await read(org, visit.id)).history!.at(-1)).toMatchObject({
      from: "READY",
      to: "READY",
      reason: `priority ${before.priority} → 5000`,
    });

    expect(
      (await mutate(PRIORITY, { workItemId: visit.id, priority: 10_001 }, supervisor)).payload.userErrors[0]?.code,
    ).toBe("PRIORITY_OUT_OF_RANGE");
    expect(codes(await mutate(PRIORITY, { workItemId: visit.id, priority: 1 }, coder2))).toEqual(["FORBIDDEN"]);

    expect((await mutate(CLAIM, {}, coder2)).payload.workItem).toMatchObject({ id: visit.id, priority: 5000 });
  });

  it("workItems lists across queues by status, assignee and overdue, paged; coders see only their queues", async () => {
    const org = await givenOrganization(api);
    const [supervisor, biller, coder3] = [
      await org.signIn("supervisor"),
      await org.signIn("biller1"),
      await org.signIn("coder3"),
    ];
    const { workItem: held } = await givenHeldItem(org, "coder3");
    const { workItem: coded } = await givenCodedEncounter(org, "coder2");
    const assigned = [];
    for (let i = 0; i < 3; i++) assigned.push((await givenEncounterReadyForCoding(org)).workItem.id);
    const bulk = { workItemIds: assigned, userId: org.userId("coder3") };
    expect((await api.gql(BULK, { input: bulk }, supervisor)).data?.["bulkAssignWorkItems"].userErrors).toEqual([]);
    const { workItem: late } = await givenEncounterReadyForCoding(org, { at: "hospital", type: "INPATIENT" });
    const ids = (page: { edges: { node: Item }[] }) => page.edges.map((e) => e.node.id);

    const parked = (await api.gql(LIST, { filter: { status: ["ON_HOLD", "DONE"] } }, supervisor)).data?.["workItems"];
    expect(parked.totalCount).toBe(2);
    expect(new Set(ids(parked))).toEqual(new Set([held.id, coded.id]));

    const filter = { assigneeId: org.userId("coder3"), status: ["ASSIGNED"] };
    const page1 = (await api.gql(LIST, { filter, first: 2 }, supervisor)).data?.["workItems"];
    expect(page1.totalCount).toBe(3);
    const after = page1.pageInfo.endCursor;
    const page2 = (await api.gql(LIST, { filter, first: 2, after }, supervisor)).data?.["workItems"];
    expect(new Set([...ids(page1), ...ids(page2)])).toEqual(new Set(assigned));
    expect(page2.pageInfo.hasNextPage).toBe(false);

    await letRunOverdue(api.database, late.id);
    const overdue = (await api.gql(LIST, { filter: { overdue: true }, first: 100 }, supervisor)).data?.["workItems"];
    expect(ids(overdue)).toEqual([late.id]);
    const onTime = (await api.gql(LIST, { filter: { overdue: false }, first: 100 }, supervisor)).data?.["workItems"];
    expect(ids(onTime)).not.toContain(late.id);
    expect(onTime.totalCount).toBeGreaterThan(0);

    const coderView = (await api.gql(LIST, { first: 100 }, coder3)).data?.["workItems"];
    expect(coderView.totalCount).toBeGreaterThan(0);
    expect(new Set(coderView.edges.map((e: { node: Item }) => e.node.queue.name))).toEqual(
      new Set(["Outpatient coding"]),
    );
    const inpatient = { filter: { queueId: org.queueId("Inpatient coding") } };
    expect(codes(await api.gql(LIST, inpatient, coder3))).toEqual(["NOT_FOUND"]);
    expect(codes(await api.gql(LIST, inpatient, biller))).toEqual(["NOT_FOUND"]);
  });

  it("a coder whose CCS lapsed while holding an inpatient item no longer sees or works it: it is gone", async () => {
    const org = await givenOrganization(api);
    const supervisor = await org.signIn("supervisor");
    await givenUser(org, "lapsing", { roles: ["CODER"], credentials: ["CCS"], sites: ["clinic", "hospital"] });
    const lapsing = await org.signIn("lapsing");
    const MY_WORK = `{ myWork { totalCount edges { node { id } } } }`;
    const { workItem: held } = await givenClaimedEncounter(org, "lapsing", { at: "hospital", type: "INPATIENT" });
    expect(await read(org, held.id)).toMatchObject({ status: "ASSIGNED", queue: { name: "Inpatient coding" } });
    expect((await api.gql(MY_WORK, {}, lapsing)).data?.["myWork"].edges).toEqual([{ node: { id: held.id } }]);

    await lapseCredentials(org, "lapsing");
    expect((await api.gql(MY_WORK, {}, lapsing)).data?.["myWork"]).toEqual({ totalCount: 0, edges: [] });
    expect((await api.gql(READ, { id: held.id }, lapsing)).data?.["node"]).toBeNull();
    for (const mutation of [HEARTBEAT, RELEASE])
      expect(codes(await mutate(mutation, { workItemId: held.id }, lapsing))).toEqual(["NOT_FOUND"]);

    // The supervisor still sees it with its holder, and gives it to someone who may work it.
    expect(await read(org, held.id)).toMatchObject({
      status: "ASSIGNED",
      assignee: { email: org.email("lapsing") },
    });
    expect((await mutate(UNASSIGN, { workItemId: held.id }, supervisor)).payload.workItem).toMatchObject({
      status: "READY",
    });
  });

  it("node(id) hides a queue and its items from a caller who may not view it, as workQueue(id) does", async () => {
    const org = await givenOrganization(api);
    const [supervisor, coder3] = [await org.signIn("supervisor"), await org.signIn("coder3")];
    const { workItem: stay } = await givenEncounterReadyForCoding(org, { at: "hospital", type: "INPATIENT" });
    const NODE = `query ($id: ID!, $queue: ID!) { node(id: $id) { id } workQueue(id: $queue) { id } }`;
    const inpatient = org.queueId("Inpatient coding");
    for (const id of [inpatient, stay.id]) {
      expect((await api.gql(NODE, { id, queue: inpatient }, coder3)).data).toEqual({ node: null, workQueue: null });
      expect((await api.gql(NODE, { id, queue: inpatient }, supervisor)).data).toEqual({
        node: { id },
        workQueue: { id: inpatient },
      });
    }
    // The item's own mutations answer NOT_FOUND too, rather than telling why.
    expect(codes(await mutate(HOLD, { workItemId: stay.id, reason: "Peeking." }, coder3))).toEqual(["NOT_FOUND"]);
  });
});
