import { setTimeout as delay } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { LOCKS } from "../../../src/db/locks.js";
import { rowIdOf, startApi, type TestApi } from "../../helpers/api.js";
import { expireLease } from "../../helpers/behind-the-api.js";

const CLAIM = `mutation { claimNextWorkItem(input: {}) { workItem { id version } } }`;
const STATUS = `query ($id: ID!) { node(id: $id) { ... on WorkItem { status assignee { email } version } } }`;

describe("the lease sweep", () => {
  let api: TestApi;
  let coder: string;
  let supervisor: string;

  beforeAll(async () => {
    api = await startApi({ LEASE_SWEEP_SECONDS: "1", LOG_LEVEL: "info" });
    coder = await api.signIn("coder3@demo.chartroom.test");
    supervisor = await api.signIn("supervisor@demo.chartroom.test");
  });
  afterAll(() => api.close());

  /** Claims an item as the coder, then lets its lease run out, as when the coder's laptop dies. */
  const abandoned = async () => {
    const item = (await api.gql(CLAIM, {}, coder)).data?.["claimNextWorkItem"].workItem as {
      id: string;
      version: number;
    };
    await expireLease(api.database, item.id);
    return item;
  };
  const status = async (id: string) => (await api.gql(STATUS, { id }, supervisor)).data?.["node"];
  const until = async (id: string, wanted: string) => {
    for (let i = 0; i < 50 && (await status(id)).status !== wanted; i++) await delay(100);
    return status(id);
  };

  it("returns an abandoned item to READY: a history row by the system and an event naming who lost it", async () => {
    const logged = api.logs().length;
    const item = await abandoned();
    expect(await until(item.id, "READY")).toEqual({ status: "READY", assignee: null, version: item.version + 1 });

    const history = await api.database.rows(sql`
      select from_status, to_status, actor_id, reason from work_item_transitions
      where work_item_id = ${rowIdOf(item.id)}::uuid order by id desc limit 1`);
    expect(history).toEqual([{ from_status: "ASSIGNED", to_status: "READY", actor_id: null, reason: "lease_expired" }]);
    const [coderRow] = await api.database.rows<{ id: string }>(
      sql`select id from users where email = 'coder3@demo.chartroom.test'`,
    );
    const events = await api.database.rows(
      sql`select topic, payload from events where payload->>'workItemId' = ${rowIdOf(item.id)} order by id desc
        limit 1`,
    );
    expect(events).toEqual([
      {
        topic: "work_item",
        payload: expect.objectContaining({
          type: "lease_expired",
          from: "ASSIGNED",
          status: "READY",
          assigneeId: null,
          previousAssigneeId: coderRow!.id,
        }),
      },
    ]);

    // The log says how many, and nothing about which items or whose.
    const line = api
      .logs()
      .slice(logged)
      .find((entry) => entry["msg"]?.startsWith("lease sweep"));
    expect(line).toMatchObject({ expired: 1 });
    expect(JSON.stringify(line)).not.toContain(rowIdOf(item.id));
  });

  it.skipIf(inject("database").driver !== "postgres")(
    "waits while another instance holds the sweep lock (PostgreSQL)",
    async () => {
      const item = await abandoned();
      await api.database.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${LOCKS.leaseSweep})`);
        await delay(2_500);
        expect(await status(item.id)).toMatchObject({ status: "ASSIGNED" });
      });
      expect(await until(item.id, "READY")).toMatchObject({ status: "READY", assignee: null });
    },
  );
});
