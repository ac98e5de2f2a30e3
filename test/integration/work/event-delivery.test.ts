import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Database, type DatabaseHandle, openDatabase } from "../../../src/db/client.js";
import { DEFAULT_DEMO_PASSWORD } from "../../../src/environment.js";
import { EVENTS_CHANNEL } from "../../../src/modules/events/event.feed.js";
import { appendEvents } from "../../../src/modules/events/event.store.js";
import { toGlobalId } from "../../../src/shared/ids.js";
import { startApi, subscribe, TEST_JWT_SECRET, type TestApi } from "../../helpers/api.js";
import { SPAWNED_SERVER_MS, startServe, stopServe } from "../../helpers/process.js";

/*
 * Delivery when several connections, or several server processes, write at once. PGlite has one
 * connection and one process: these stories mean something only on PostgreSQL.
 */
const CLAIM = `mutation { claimNextWorkItem(input: {}) { workItem { id } userErrors { code } } }`;
const RELEASE = `mutation ($id: ID!) { releaseWorkItem(input: { workItemId: $id }) { workItem { id } userErrors {
  code } } }`;
const EVENTS = `subscription { workItemEvents { type version item { id } } }`;
const MINE = `subscription { myAssignments { type version item { id } } }`;
type Delivered = { type: string; version: number; item: { id: string } };
const DEMO_ORG = sql`(select org_id from users where email = 'supervisor@demo.chartroom.test')`;

const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

describe.skipIf(inject("database").driver !== "postgres")(
  "event delivery under concurrent writers (PostgreSQL)",
  () => {
    let api: TestApi;
    let supervisor: string;
    let coder: string;
    const ws = (token: string) => api.ws({ authorization: `Bearer ${token}` });
    const gql = async (query: string, variables: Record<string, unknown>, token: string) => {
      const response = await api.gql(query, variables, token);
      expect(response.errors).toBeUndefined();
      return response.data!;
    };

    beforeAll(async () => {
      // Sixteen sessions of one coder write at once below: more than one user may run by default.
      api = await startApi({ MAX_REQUESTS_PER_USER: "16" });
      supervisor = await api.signIn("supervisor@demo.chartroom.test");
      coder = await api.signIn("coder3@demo.chartroom.test");
    });
    afterAll(() => api.close());

    it("an event committed late under a lower id is delivered in order; a rolled-back one is skipped", async () => {
      const [item] = await api.database.rows<{ id: string; org_id: string; queue_id: string; facility_id: string }>(
        sql`select id, org_id, queue_id, facility_id from work_items where org_id = ${DEMO_ORG} and status = 'READY'
          limit 1`,
      );
      const change = (version: number) => ({
        orgId: item!.org_id,
        topic: "work_item",
        payload: {
          type: "priority_changed",
          workItemId: item!.id,
          queueId: item!.queue_id,
          facilityId: item!.facility_id,
          from: "READY",
          status: "READY",
          assigneeId: null,
          previousAssigneeId: null,
          actorId: null,
          version,
        },
      });
      const slow = await openDatabase({ url: api.database.url, maxConnections: 1 });
      const fast = await openDatabase({ url: api.database.url, maxConnections: 1 });
      const bystander = await openDatabase({ url: api.database.url, maxConnections: 1 });
      const watching = subscribe<{ workItemEvents: Delivered }>(ws(supervisor), EVENTS);
      await settle();
      try {
        // The slow writer takes the lower id and holds its transaction open; the fast one commits the next id.
        const slowWrite = holdOpen(slow, (tx) => appendEvents(tx, [change(901)]));
        await slowWrite.written;
        await fast.db.transaction((tx) => appendEvents(tx, [change(902)]));
        await fast.notify(EVENTS_CHANNEL, "a writer outside the server");
        await settle();
        expect(watching.received).toEqual([]);
        await slowWrite.finish("commit");
        await fast.notify(EVENTS_CHANNEL, "a writer outside the server");
        expect((await watching.waitFor(2)).map((d) => d.workItemEvents.version)).toEqual([901, 902]);

        // A writer that rolls back leaves a hole for good: the feed waits for it to end, then steps over it.
        const doomed = holdOpen(slow, (tx) => appendEvents(tx, [change(903)]));
        await doomed.written;
        await fast.db.transaction((tx) => appendEvents(tx, [change(904)]));
        await fast.notify(EVENTS_CHANNEL, "a writer outside the server");
        await settle();
        expect(watching.received).toHaveLength(2);
        await doomed.finish("rollback");
        await fast.notify(EVENTS_CHANNEL, "a writer outside the server");
        expect((await watching.waitFor(3)).map((d) => d.workItemEvents.version)).toEqual([901, 902, 904]);

        // A long transaction that writes no events (an import, say) does not hold holes open.
        const unrelated = holdOpen(bystander, async (tx) => void (await tx.execute(sql`select pg_current_xact_id()`)));
        await unrelated.written;
        const doomedAgain = holdOpen(slow, (tx) => appendEvents(tx, [change(905)]));
        await doomedAgain.written;
        await fast.db.transaction((tx) => appendEvents(tx, [change(906)]));
        await doomedAgain.finish("rollback");
        await fast.notify(EVENTS_CHANNEL, "a writer outside the server");
        expect((await watching.waitFor(4, 2_000)).map((d) => d.workItemEvents.version)).toEqual([901, 902, 904, 906]);
        await unrelated.finish("commit");

        // The holder of the lower id may have taken its transaction id after the writer of the next one.
        let xidTaken!: () => void;
        let proceed!: () => void;
        const taken = new Promise<void>((resolve) => (xidTaken = resolve));
        const go = new Promise<void>((resolve) => (proceed = resolve));
        const writer = fast.db.transaction(async (tx) => {
          await tx.execute(sql`select pg_current_xact_id()`);
          xidTaken();
          await go;
          await appendEvents(tx, [change(908)]);
        });
        await taken;
        const holder = holdOpen(slow, (tx) => appendEvents(tx, [change(907)]));
        await holder.written;
        proceed();
        await writer;
        await fast.notify(EVENTS_CHANNEL, "a writer outside the server");
        await settle();
        expect(watching.received).toHaveLength(4);
        await holder.finish("commit");
        await fast.notify(EVENTS_CHANNEL, "a writer outside the server");
        expect((await watching.waitFor(6)).map((d) => d.workItemEvents.version)).toEqual([
          901, 902, 904, 906, 907, 908,
        ]);
      } finally {
        watching.stop();
        await slow.close();
        await fast.close();
        await bystander.close();
      }
    });

    it("sixteen sessions claiming and releasing at once: each subscriber gets every event once, in order", async () => {
      const [{ last } = { last: 0 }] = await api.database.rows<{ last: number }>(
        sql`select coalesce(max(id), 0)::int as last from events`,
      );
      const everything = subscribe<{ workItemEvents: Delivered }>(ws(supervisor), EVENTS);
      const mine = subscribe<{ myAssignments: Delivered }>(ws(coder), MINE);
      await settle();

      const sessions = await api.signIn("coder3@demo.chartroom.test", 16);
      await Promise.all(
        sessions.map(async (token) => {
          for (let round = 0; round < 15; round++) {
            const claimed = (await gql(CLAIM, {}, token))["claimNextWorkItem"].workItem;
            if (!claimed) return;
            await gql(RELEASE, { id: claimed.id }, token);
          }
        }),
      );

      const written = (
        await api.database.rows<{ item: string; version: number }>(
          sql`select payload->>'workItemId' as item, (payload->>'version')::int as version from events
            where id > ${last} order by id`,
        )
      ).map((row) => ({ item: toGlobalId("WorkItem", row.item), version: row.version }));
      expect(written.length).toBeGreaterThanOrEqual(400);
      const key = (d: Delivered) => ({ item: d.item.id, version: d.version });
      expect((await everything.waitFor(written.length, 30_000)).map((r) => key(r.workItemEvents))).toEqual(written);
      expect((await mine.waitFor(written.length, 30_000)).map((r) => key(r.myAssignments))).toEqual(written);
      await settle();
      expect(everything.received).toHaveLength(written.length);
      expect(mine.received).toHaveLength(written.length);
      everything.stop();
      mine.stop();
    });

    describe("two server processes on one database", () => {
      let other: { child: ChildProcess; url: string };

      beforeAll(async () => {
        other = await startServe({
          DATABASE_URL: api.database.url!,
          NODE_ENV: "test",
          AUTH_JWT_SECRET: TEST_JWT_SECRET,
          CHARTROOM_DATA_DIR: mkdtempSync(join(tmpdir(), "chartroom-second-")),
        });
      }, SPAWNED_SERVER_MS);
      afterAll(() => stopServe(other.child));

      const post = async (url: string, query: string, variables: Record<string, unknown>, token?: string) => {
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query, variables }),
        });
        const body = (await response.json()) as { data: Record<string, any>; errors?: unknown };
        expect(body.errors).toBeUndefined();
        return body.data;
      };

      it("a supervisor subscribed to one instance sees, within a second, a claim made through the other", async () => {
        const token = (
          await post(other.url, `mutation ($input: LoginInput!) { login(input: $input) { token } }`, {
            input: { email: "coder3@demo.chartroom.test", password: DEFAULT_DEMO_PASSWORD },
          })
        )["login"].token;
        const watching = subscribe<{ workItemEvents: Delivered }>(ws(supervisor), EVENTS);
        await settle();
        const claimed = (await post(other.url, CLAIM, {}, token))["claimNextWorkItem"].workItem;
        const [event] = await watching.waitFor(1, 1_000);
        expect(event!.workItemEvents).toMatchObject({ type: "claimed", item: { id: claimed.id } });
        await post(other.url, RELEASE, { id: claimed.id }, token);
        await watching.waitFor(2, 1_000);
        watching.stop();
      });
    });
  },
);

describe.skipIf(inject("database").driver !== "postgres")("a server killed mid-claim (PostgreSQL)", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it(
    "loses nothing committed: each claim that committed has its history row and its event, " +
      "delivered by the surviving instance",
    async () => {
      const victim = await startServe({
        DATABASE_URL: api.database.url!,
        NODE_ENV: "test",
        AUTH_JWT_SECRET: TEST_JWT_SECRET,
        CHARTROOM_DATA_DIR: mkdtempSync(join(tmpdir(), "chartroom-victim-")),
      });
      const [{ last } = { last: 0 }] = await api.database.rows<{ last: number }>(
        sql`select coalesce(max(id), 0)::int as last from events`,
      );
      const supervisor = await api.signIn("supervisor@demo.chartroom.test");
      const watching = subscribe<{ workItemEvents: Delivered }>(
        api.ws({ authorization: `Bearer ${supervisor}` }),
        EVENTS,
      );
      const sessions = await api.signIn("coder3@demo.chartroom.test", 8);
      await settle();

      // Eight coders claim through the victim as fast as they can until it is killed under them.
      const claiming = sessions.map(async (token) => {
        for (;;) {
          const response = await fetch(victim.url, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: CLAIM }),
          }).catch(() => null);
          if (!response) return;
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const exited = new Promise((resolve) => victim.child.once("exit", resolve));
      victim.child.kill("SIGKILL");
      await exited;
      await Promise.all(claiming);

      const [counts] = await api.database.rows<{ assigned: number; transitions: number; events: number }>(sql`
      select (select count(*)::int from work_items i join users u on u.id = i.assignee_id
      where u.email = 'coder3@demo.chartroom.test' and i.status = 'ASSIGNED') as assigned,
             (select count(*)::int from work_item_transitions t join users u on u.id = t.actor_id
               where u.email = 'coder3@demo.chartroom.test' and t.reason = 'claimed') as transitions,
             (select count(*)::int from events where id > ${last} and payload->>'type' = 'claimed') as events`);
      expect(counts!.assigned).toBeGreaterThan(0);
      expect(counts).toEqual({ assigned: counts!.assigned, transitions: counts!.assigned, events: counts!.assigned });
      const delivered = await watching.waitFor(counts!.assigned, 5_000);
      expect(delivered.every((d) => d.workItemEvents.type === "claimed")).toBe(true);
      await settle();
      expect(watching.received).toHaveLength(counts!.assigned);
      watching.stop();
    },
    SPAWNED_SERVER_MS,
  );
});

/** Runs `write` in a transaction on `db` and keeps it open until `finish` commits or rolls it back. */
function holdOpen(database: DatabaseHandle, write: (tx: Database) => Promise<void>) {
  let written!: () => void;
  let finish!: (outcome: "commit" | "rollback") => void;
  const writtenPromise = new Promise<void>((resolve) => (written = resolve));
  const outcome = new Promise<"commit" | "rollback">((resolve) => (finish = resolve));
  const done = database.db
    .transaction(async (tx) => {
      await write(tx);
      written();
      if ((await outcome) === "rollback") throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return {
    written: writtenPromise,
    finish: async (how: "commit" | "rollback") => {
      finish(how);
      await done;
    },
  };
}

class RolledBack extends Error {}
