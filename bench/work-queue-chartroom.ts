import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../src/db/client.js";
import { complete } from "../src/modules/work/work.changes.js";
import { claimNext } from "../src/modules/work/work.leases.js";
import { createContext } from "../src/request.js";
import type { RunningServer } from "../src/server.js";
import { toGlobalId } from "../src/shared/ids.js";
import { insertClaimBacklog } from "../test/helpers/claim-backlog.js";
import { CpuMeter } from "./cpu.js";
import { benchDatabase, benchServer, percentile } from "./database.js";
import { databaseOf, type QueueThroughput, queuePoolSize } from "./graphile-worker.js";
import { jsonClient } from "./http-client.js";

/** The demo organization the bench's billers work in. */
const ORG = sql`(select org_id from users where email = 'biller1@demo.chartroom.test')`;
/**
 * The queue the items are pre-filled in: follow-up on unpaid claims, work that completeWorkItem finishes
 * (coding and claim edits are finished by their own mutations, which do their own writes too). It needs
 * no credential.
 */
const QUEUE = "Follow-up";

const CLAIM = `mutation { claimNextWorkItem(input: {}) { workItem { id } userErrors { code message } } }`;
const COMPLETE = `mutation ($id: ID!) {
  completeWorkItem(input: { workItemId: $id }) { workItem { status } userErrors { code message } }
}`;

/** One biller working the queue until a claim finds nothing; answers how many items they completed. */
type Worker = (token: string) => Promise<number>;

/**
 * Chartroom billers working off `jobs` pre-filled follow-ups, `concurrency` at a time, each
 * claiming the next item and completing it until no claim finds one: first calling the work
 * service in-process, then posting claimNextWorkItem and completeWorkItem to a server over HTTP.
 * Both run on one new database on the PostgreSQL server `serverUrl` names, seeded with the demo
 * and pooled as graphile-worker is (queuePoolSize), with a fresh batch of items each; the lease
 * sweep is off, so the claims alone take the items.
 *
 * A cycle here is more than graphile-worker's: each claim and each completion is a transaction
 * that also writes the item's history row and its outbox event, and after the commit wakes the
 * instance's event feed, which reads the new events and notifies other instances. That is the
 * product doing its job (audit trail, live subscriptions), so it stays in the figure.
 */
export async function benchChartroom(
  serverUrl: string,
  jobs: number,
  concurrency: number,
): Promise<{ service: QueueThroughput; http: QueueThroughput }> {
  const connections = queuePoolSize(concurrency);
  const { handle, url, drop } = await benchDatabase(serverUrl, { maxConnections: connections });
  const server = await benchServer(handle, { LEASE_SWEEP_SECONDS: "0" });
  try {
    const tokens = await signInBillers(handle, server, concurrency);

    // One context per worker, made before the clock: the service figure leaves out the per-request
    // authentication (a token check and a user read) that the HTTP figure includes.
    const database = databaseOf(url!);
    const service = await cycles(handle, database, "service", jobs, connections, tokens, async (token) => {
      const ctx = await createContext(server.services, randomUUID(), token, "127.0.0.1");
      let completed = 0;
      for (;;) {
        const claimed = await claimNext(ctx, null);
        if (claimed.userErrors.length > 0) throw new Error(`claimNext refused: ${JSON.stringify(claimed.userErrors)}`);
        if (!claimed.value) return completed;
        const done = await complete(ctx, { workItemId: toGlobalId("WorkItem", claimed.value.id) });
        if (!done.value) throw new Error(`complete refused: ${JSON.stringify(done.userErrors)}`);
        completed++;
      }
    });

    // The client keeps its connections alive: each worker reuses one after its first request.
    const client = jsonClient(server.url);
    const http = await cycles(handle, database, "http", jobs, connections, tokens, async (token) => {
      const post = async (query: string, variables: Record<string, unknown> = {}) => {
        const { status, body: result } = await client<{
          data?: Record<string, { workItem: { id: string } | null; userErrors: unknown[] }>;
          errors?: unknown[];
        }>({ query, variables }, { authorization: `Bearer ${token}` });
        const payload = Object.values(result.data ?? {})[0];
        if (result.errors || !payload || payload.userErrors.length > 0)
          throw new Error(`HTTP ${status}: ${JSON.stringify(result)}`);
        return payload.workItem;
      };
      let completed = 0;
      for (;;) {
        const claimed = await post(CLAIM);
        if (!claimed) return completed;
        await post(COMPLETE, { id: claimed.id });
        completed++;
      }
    });
    return { service, http };
  } finally {
    await server.stop();
    await drop();
  }
}

/**
 * `count` billers of the demo organization, each with access to every facility (so any follow-up
 * is theirs to claim), signed in with tokens from the server's token service. The demo's own open
 * items are cancelled, so the bench's items are the only work they find.
 */
async function signInBillers(handle: DatabaseHandle, server: RunningServer, count: number): Promise<string[]> {
  await handle.rows(sql`update work_items set status = 'CANCELLED', assignee_id = null, lease_expires_at = null
    where org_id = ${ORG} and status in ('READY', 'ASSIGNED', 'ON_HOLD')`);
  const billers = await handle.rows<{ id: string; org_id: string }>(sql`
    with biller as (
      insert into users (org_id, email, name, roles, credentials, password_hash)
      select u.org_id, 'bench-biller-' || n || '@demo.chartroom.test', 'Bench biller ' || n, '{BILLER}', '{}',
        u.password_hash
      from users u, generate_series(1, ${count}) n where u.email = 'biller1@demo.chartroom.test'
      returning org_id, id),
    access as (
      insert into user_facility_access (org_id, user_id, facility_id)
      select biller.org_id, biller.id, f.id from biller join facilities f on f.org_id = biller.org_id)
    select id, org_id from biller`);
  return Promise.all(
    billers.map((biller) => server.services.tokens.issue({ id: biller.id, orgId: biller.org_id, sessionVersion: 0 })),
  );
}

/**
 * Pre-fills the queue with `jobs` READY items, each on a new claim of a new encounter named `bench-<label>-<n>` (SQL,
 * before the clock), opens every pooled connection, then times the workers from their start to
 * the last completion, and checks that every item is DONE with one "completed" history row and
 * one "completed" event.
 */
async function cycles(
  handle: DatabaseHandle,
  database: string,
  label: string,
  jobs: number,
  connections: number,
  tokens: string[],
  worker: Worker,
): Promise<QueueThroughput> {
  await insertClaimBacklog(handle, { orgId: ORG, queue: QUEUE, count: jobs, priority: 0, label: `bench-${label}` });
  // postgres.js connects on demand: as many statements at once as the pool holds open all of it,
  // as graphile-worker's pool is before its clock starts.
  await Promise.all(Array.from({ length: connections }, () => handle.rows(sql`select pg_sleep(0.05)`)));

  const meter = new CpuMeter(database);
  const started = performance.now();
  const completed = await Promise.all(tokens.map(worker));
  const ms = performance.now() - started;
  const cpu = meter.per(jobs);

  const [check] = await handle.rows<{ done: number; open: number; histories: number; events: number }>(sql`
    with batch as (
      select w.org_id, w.id, w.status from work_items w
      join claims c on c.org_id = w.org_id and c.id = w.claim_id
      join encounters e on e.org_id = c.org_id and e.id = c.encounter_id
      where e.org_id = ${ORG} and e.external_id like ${`bench-${label}-%`})
    select
      (select count(*)::int from batch where status = 'DONE') as done,
      (select count(*)::int from batch where status <> 'DONE') as open,
      (select count(*)::int from batch where (select count(*) from work_item_transitions t
         where t.org_id = batch.org_id and t.work_item_id = batch.id and t.reason = 'completed') = 1) as histories,
      (select count(*)::int from events where topic = 'work_item' and payload->>'type' = 'completed'
         and payload->>'workItemId' in (select id::text from batch)) as events`);
  const total = completed.reduce((sum, n) => sum + n, 0);
  if (
    total !== jobs ||
    check!.done !== jobs ||
    check!.open !== 0 ||
    check!.histories !== jobs ||
    check!.events !== jobs
  ) {
    throw new Error(
      `Chartroom ${label}: workers completed ${total} of ${jobs} items; the database has ${JSON.stringify(check)}`,
    );
  }
  return { jobsPerSecond: jobs / (ms / 1000), ms, connections, cpu };
}

/** Requests timed for `{ __typename }`, after as many to warm up. */
const TYPENAME_REQUESTS = 2_000;

/**
 * Milliseconds of a bare `{ __typename }` posted by one signed-in biller over a kept-alive connection,
 * one at a time: what the GraphQL path costs (body, token, user, parse, validation, plugins) with no
 * work behind it.
 */
export async function benchTypename(serverUrl: string): Promise<{ p50: number; p95: number }> {
  const { handle, drop } = await benchDatabase(serverUrl);
  const server = await benchServer(handle);
  try {
    const [token] = await signInBillers(handle, server, 1);
    const client = jsonClient(server.url);
    const post = async () => {
      const { body: result } = await client<{ data?: { __typename?: string } }>(
        { query: "{ __typename }" },
        { authorization: `Bearer ${token}` },
      );
      if (result.data?.__typename !== "Query") throw new Error(`{ __typename } answered ${JSON.stringify(result)}`);
    };
    for (let i = 0; i < TYPENAME_REQUESTS; i++) await post();
    const times: number[] = [];
    for (let i = 0; i < TYPENAME_REQUESTS; i++) {
      const started = performance.now();
      await post();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p95: percentile(times, 95) };
  } finally {
    await server.stop();
    await drop();
  }
}
