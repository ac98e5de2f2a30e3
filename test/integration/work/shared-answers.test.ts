import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DEMO_PASSWORD } from "../../../src/environment.js";
import { codes, rowIdOf, startApi, subscribe, type TestApi } from "../../helpers/api.js";
import { deactivateUser } from "../../helpers/behind-the-api.js";
import { givenEncounterReadyForCoding } from "../../helpers/encounters.js";
import { givenOrganization, givenUser } from "../../helpers/organizations.js";

const METRICS_TOKEN = "metrics-token-for-shared-answers";
const WITH_PATIENT = `subscription ($queueId: ID) { workItemEvents(queueId: $queueId) {
  type item { queue { name } subject { ... on Encounter { id patient { id lastName } } } } } }`;
const EVENT_ONLY = `subscription ($queueId: ID) { workItemEvents(queueId: $queueId) { type } }`;

type Answer = { workItemEvents: Record<string, any> };

/*
 * A thousand supervisors watching one queue would each have the server execute the same selection on
 * the same event. Subscribers who sent the same document and see the same things share one answer;
 * each still gets only what they may see, and each one's own audit row records the PHI it holds.
 */
describe("one answer per event for subscribers who see the same", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({ METRICS_TOKEN });
  });
  afterAll(() => api.close());

  const answersCounted = async () => {
    const text = await (
      await fetch(new URL("/metrics", api.url), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    const count = (answer: string) =>
      Number(/ (\d+)$/.exec(text.split("\n").find((l) => l.includes(`answer="${answer}"`)) ?? " 0")![1]);
    return { computed: count("computed"), shared: count("shared") };
  };
  const subscriptionsLive = async () => {
    const text = await (
      await fetch(new URL("/metrics", api.url), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    return Number(/^chartroom_subscriptions (\d+)$/m.exec(text)?.[1] ?? 0);
  };

  it("two supervisors share an answer; a coder and a smaller screen get their own; each reader audited", async () => {
    const org = await givenOrganization(api, "Shared Answers Health");
    await givenUser(org, "supervisor2", { roles: ["SUPERVISOR"], sites: ["clinic", "hospital"] });
    const queueId = org.queueId("Outpatient coding");
    const watchers = {
      supervisor: { query: WITH_PATIENT, token: await org.signIn("supervisor") },
      supervisor2: { query: WITH_PATIENT, token: await org.signIn("supervisor2") },
      coder3: { query: WITH_PATIENT, token: await org.signIn("coder3") },
      supervisorCount: { query: EVENT_ONLY, token: await org.signIn("supervisor") },
    };
    const live = Object.fromEntries(
      Object.entries(watchers).map(([name, { query, token }]) => [
        name,
        subscribe<Answer>(api.ws({ authorization: `Bearer ${token}` }), query, { queueId }),
      ]),
    );
    await expect.poll(subscriptionsLive).toBe(4);
    const before = await answersCounted();
    const lastAudit = (
      await api.database.rows<{ id: string }>(sql`select coalesce(max(id), 0)::text as id
      from audit_log`)
    )[0]!.id;

    const { encounter } = await givenEncounterReadyForCoding(org);

    const [first] = await live["supervisor"]!.waitFor(1);
    const [second] = await live["supervisor2"]!.waitFor(1);
    const [coders] = await live["coder3"]!.waitFor(1);
    const [count] = await live["supervisorCount"]!.waitFor(1);
    for (const subscription of Object.values(live)) subscription.stop();
    const patient = first!.workItemEvents["item"].subject.patient;
    expect(first).toEqual({
      workItemEvents: {
        type: "created",
        item: { queue: { name: "Outpatient coding" }, subject: { id: encounter.id, patient } },
      },
    });
    expect(patient.lastName).toBeTruthy();
    expect(second).toEqual(first);
    expect(coders).toEqual(first);
    expect(count).toEqual({ workItemEvents: { type: "created" } });

    // The supervisors' answer once, shared once; coder3's own (another audience); the count's own (another document).
    const after = await answersCounted();
    expect({ computed: after.computed - before.computed, shared: after.shared - before.shared }).toEqual({
      computed: 3,
      shared: 1,
    });

    const reads = await api.database.rows<{ actor_user_id: string; entity_ids: string[] }>(
      sql`select actor_user_id, entity_ids::text[] as entity_ids from audit_log
        where id > ${lastAudit} and action = 'patient.read'`,
    );
    const readers = ["supervisor", "supervisor2", "coder3"].map((login) => rowIdOf(org.userId(login)));
    expect(reads.map((r) => r.actor_user_id).sort()).toEqual(readers.sort());
    expect(reads.every((r) => r.entity_ids.includes(rowIdOf(patient.id)))).toBe(true);
  });

  it("subscriptions on one socket share the answers; each gets every event once, in order, as its own", async () => {
    const org = await givenOrganization(api, "Shared Answers Socket");
    const queueId = org.queueId("Outpatient coding");
    const socket = api.ws({ authorization: `Bearer ${await org.signIn("supervisor")}` });
    const [first, second, third] = [1, 2, 3].map(() => subscribe<Answer>(socket, WITH_PATIENT, { queueId }));
    await expect.poll(subscriptionsLive).toBeGreaterThanOrEqual(3);
    const before = await answersCounted();

    const { encounter } = await givenEncounterReadyForCoding(org);
    await third!.waitFor(1);
    // The third is completed by its client: it gets nothing more, and the others go on.
    third!.stop();
    const { encounter: next } = await givenEncounterReadyForCoding(org);
    const seen = await first!.waitFor(2);
    expect(seen.map((answer) => answer.workItemEvents["item"].subject.id)).toEqual([encounter.id, next.id]);
    expect(await second!.waitFor(2)).toEqual(seen);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(first!.received).toHaveLength(2);
    expect(second!.received).toHaveLength(2);
    expect(third!.received).toEqual(seen.slice(0, 1));
    first!.stop();
    second!.stop();

    const after = await answersCounted();
    expect({ computed: after.computed - before.computed, shared: after.shared - before.shared }).toEqual({
      computed: 2,
      shared: 3,
    });
  });

  it("subscribers are checked again before an event: deactivation and a password change end theirs", async () => {
    const org = await givenOrganization(api, "Shared Answers Checks");
    await givenUser(org, "supervisor2", { roles: ["SUPERVISOR"], sites: ["clinic", "hospital"] });
    const queueId = org.queueId("Outpatient coding");
    const tokens = {
      supervisor: await org.signIn("supervisor"),
      supervisor2: await org.signIn("supervisor2"),
      coder3: await org.signIn("coder3"),
    };
    const live = Object.fromEntries(
      Object.entries(tokens).map(([name, token]) => [
        name,
        subscribe<Answer>(api.ws({ authorization: `Bearer ${token}` }), EVENT_ONLY, { queueId }),
      ]),
    );
    await expect.poll(subscriptionsLive).toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 300));

    await deactivateUser(api.database, org.email("coder3"));
    const changed = await api.gql(
      `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { userErrors { code } } }`,
      { input: { currentPassword: DEFAULT_DEMO_PASSWORD, newPassword: "a-much-longer-passphrase" } },
      tokens.supervisor2,
    );
    expect(changed.data?.["changePassword"].userErrors).toEqual([]);
    await givenEncounterReadyForCoding(org);

    expect(await live["supervisor"]!.waitFor(1)).toEqual([{ workItemEvents: { type: "created" } }]);
    expect(codes({ errors: await live["supervisor2"]!.failure() })).toEqual(["UNAUTHENTICATED"]);
    expect(codes({ errors: await live["coder3"]!.failure() })).toEqual(["UNAUTHENTICATED"]);
    for (const subscription of Object.values(live)) subscription.stop();
  });

  it("a coder of the clinic alone never gets an answer computed for staff of both facilities", async () => {
    const org = await givenOrganization(api, "Shared Answers Clinic");
    const supervisor = await org.signIn("supervisor");
    const inpatient = org.queueId("Inpatient coding");
    const bySupervisor = subscribe<Answer>(api.ws({ authorization: `Bearer ${supervisor}` }), WITH_PATIENT, {
      queueId: inpatient,
    });
    // coder2 works at the clinic only: the hospital's inpatient stays are not theirs to see.
    const byClinicCoder = subscribe<Answer>(
      api.ws({ authorization: `Bearer ${await org.signIn("coder2")}` }),
      WITH_PATIENT,
      { queueId: null },
    );
    await expect.poll(subscriptionsLive).toBeGreaterThanOrEqual(2);

    await givenEncounterReadyForCoding(org, { type: "INPATIENT", at: "hospital" });
    const [seen] = await bySupervisor.waitFor(1);
    expect(seen!.workItemEvents["item"].queue.name).toBe("Inpatient coding");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(byClinicCoder.received).toEqual([]);
    bySupervisor.stop();
    byClinicCoder.stop();
  });
});
