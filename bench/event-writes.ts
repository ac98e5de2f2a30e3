import { execFileSync, spawn } from "node:child_process";
import { accessSync, constants, readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { delimiter, join } from "node:path";
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../src/db/client.js";
import { organizationOnly } from "../src/db/scope.js";
import { createLogger } from "../src/logger.js";
import { EVENTS_CHANNEL, EventFeed, NOTIFY_INTERVAL_MS } from "../src/modules/events/event.feed.js";
import { WORK_ITEM_TOPIC } from "../src/modules/work/work.history.js";
import { benchDatabase } from "./database.js";

/*
 * Write throughput with and without events, driven by pgbench. A Node client tops out near 1,000
 * transactions per second on this kind of machine, below the rate at which PostgreSQL's
 * serialisation of notifying commits starts to cost, so the writes come from pgbench (C), running
 * Chartroom's own statements against a scratch database, while this process plays the rest of a
 * Chartroom instance: the event feed LISTENing and reading the outbox, and the wake-up NOTIFY.
 */

/** Concurrent pgbench clients compared. */
const CLIENTS = [8, 32];
/**
 * Each variant runs this long per round; the variants take turns, so a disturbance from other work
 * on the machine hits them alike. Each figure is the mean of the rounds, printed with their range.
 */
const RUN_SECONDS = 2;
const ROUNDS = 2;
/**
 * READY work items the writers pick from at random. The demo seed has 80: 32 clients would then
 * often wait for another's row lock on the same item, and the figure would measure that instead.
 * Among 2,000, at most about one transaction in 60 finds its item held by one of the 31 others.
 */
const ITEMS = 2_000;
/** The channel of the naive variants: not the feed's, whose reader would otherwise be woken by it too. */
const NAIVE_CHANNEL = "chartroom_bench_naive";
/** How long the feed may take after the last run to have handed out every event written. */
const CATCH_UP_MS = 10_000;

/**
 * One write of a work item as setItemPriority and recordChanges make it (without the audit row):
 * the UPDATE that bumps the version, returning what the history row and the event need, then the
 * history row. The item is picked by number from a table of the scratch database, because pgbench
 * can only draw numbers. The event is built here in SQL, as Chartroom builds it in JavaScript from
 * the returned row: `payload` as the naive variant sends it, `rows` as appendEvents passes it.
 */
const EVENT_PAYLOAD = `json_build_object('type', 'priority_changed', 'workItemId', id, 'queueId', queue_id,
  'facilityId', facility_id, 'from', status, 'status', status, 'assigneeId', assignee_id,
  'previousAssigneeId', assignee_id, 'actorId', null, 'version', version)`;
const WORK_ITEM_CHANGE = `\\set n random(1, ${ITEMS})
\\set priority random(0, 100)
begin;
/* setItemPriority */ update work_items set priority = :priority, version = version + 1, updated_at = now()
where (org_id, id) = (select org_id, id from bench_work_items where n = :n)
returning org_id, id, status, ${EVENT_PAYLOAD}::text as payload,
  json_build_array(json_build_object('org_id', org_id, 'topic', '${WORK_ITEM_TOPIC}',
    'payload', ${EVENT_PAYLOAD}))::text as rows \\gset
/* recordChanges */ insert into work_item_transitions (org_id, work_item_id, from_status, to_status, actor_id, reason)
values (:org_id, :id, :status, :status, null, 'priority_changed');
`;

/** appendEvents' statement, word for word, with pgbench's variable for its one parameter. */
const APPEND_EVENTS = `/* appendEvents */ with tx as materialized (select pg_current_xact_id() as xid)
insert into events (org_id, topic, payload)
select e.org_id, e.topic, e.payload
from tx, rows from (jsonb_to_recordset(:rows::jsonb) as (org_id uuid, topic text, payload jsonb))
  with ordinality as e(org_id, topic, payload, n)
where tx.xid is not null
order by e.n;
`;

/** The bare INSERT of issue 4 with a pg_notify (see COMPARISONS). */
const NOTIFYING_INSERT = `\\set n random(1, 1000000)
insert into bench_inserts (n) select :n from pg_notify('${NAIVE_CHANNEL}', :n::text);
`;

interface Variant {
  /** The letter it goes by in the printed ratios. */
  key: string;
  name: string;
  script: string;
  /**
   * What each transaction tells others: nothing; an outbox row, while the feed's wake-up NOTIFY is
   * sent every NOTIFY_INTERVAL_MS, as by an instance that commits writes all the time; or a pg_notify.
   */
  event: "none" | "outbox" | "notify";
}

/**
 * The work item change three ways, then the bare INSERT of issue 4 two ways. Each variant's first
 * is its baseline. The INSERTs are one autocommitted statement each, so that the only difference
 * between the two is the NOTIFY (pg_notify in FROM runs once, before the row is inserted).
 */
const COMPARISONS: Variant[][] = [
  [
    { key: "a", name: "work item change, no event", script: `${WORK_ITEM_CHANGE}commit;\n`, event: "none" },
    {
      key: "b",
      name: "+ outbox event (Chartroom) and wake-ups",
      script: `${WORK_ITEM_CHANGE}${APPEND_EVENTS}commit;\n`,
      event: "outbox",
    },
    {
      key: "c",
      name: "+ pg_notify in the transaction",
      script: `${WORK_ITEM_CHANGE}select pg_notify('${NAIVE_CHANNEL}', :payload);\ncommit;\n`,
      event: "notify",
    },
  ],
  [
    {
      key: "d",
      name: "INSERT",
      script: `\\set n random(1, 1000000)\ninsert into bench_inserts (n) values (:n);\n`,
      event: "none",
    },
    {
      key: "e",
      name: "INSERT + pg_notify",
      script: NOTIFYING_INSERT,
      event: "notify",
    },
  ],
];

/**
 * Transactions per second of Chartroom's work item write: without an event; with its outbox row
 * while a listening feed reads the outbox and wake-ups are sent at the most one instance sends
 * (one per NOTIFY_INTERVAL_MS); with a pg_notify in every transaction instead, heard by a
 * listener. Then issue 4's own case: a bare INSERT, with and without pg_notify. Every outbox
 * event must reach the feed once and every notification the listener, or the run fails.
 */
export async function benchEventWrites(serverUrl: string): Promise<void> {
  const pgbench = findPgbench();
  if (!pgbench) {
    console.log(
      "writes   PostgreSQL: the write throughput comparison needs pgbench " +
        "(PATH, pg_config --bindir or /usr/lib/postgresql/*/bin); skipped",
    );
    return;
  }
  const { handle, url, drop } = await benchDatabase(serverUrl);
  const feed = new EventFeed(handle, { pollMs: 1_000, retentionMs: 86_400_000, log: createLogger("silent") });
  let heard = 0;
  let delivered = 0;
  const deliveredIds = new Set<number>();
  // postgres.js LISTENs on one connection per client, so the feed and this listener share one session.
  const unlisten = await handle.listen(
    NAIVE_CHANNEL,
    () => heard++,
    () => {},
  );
  try {
    await prepareWrites(handle);
    await feed.start();
    const organizations = await handle.rows<{ id: string }>(sql`select id from organizations`);
    const stopListening = organizations.map((org) =>
      feed.listen(organizationOnly(org.id), (event) => {
        delivered++;
        deliveredIds.add(event.id);
      }),
    );
    const [settings] = await handle.rows<{ fsync: string; synchronous_commit: string }>(
      sql`select current_setting('fsync') as fsync, current_setting('synchronous_commit') as synchronous_commit`,
    );
    const eventCount = async () => (await handle.rows<{ n: number }>(sql`select count(*)::int as n from events`))[0]!.n;
    const eventsBefore = await eventCount();

    const rates = new Map<Variant, Map<number, number[]>>();
    let written = 0;
    let notifying = 0;
    let wakeUps = 0;
    let wakingSeconds = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const clients of CLIENTS) {
        for (const variant of COMPARISONS.flat()) {
          const waker = variant.event === "outbox" ? startWaking(handle) : null;
          const run = await runPgbench(pgbench, url!, clients, variant.script);
          if (waker) {
            const { sent, seconds } = await waker.stop();
            wakeUps += sent;
            wakingSeconds += seconds;
          }
          if (variant.event === "outbox") written += run.transactions;
          if (variant.event === "notify") notifying += run.transactions;
          const byClients = rates.get(variant) ?? new Map<number, number[]>();
          rates.set(variant, byClients.set(clients, [...(byClients.get(clients) ?? []), run.tps]));
        }
      }
    }

    const deadline = Date.now() + CATCH_UP_MS;
    while ((delivered < written || heard < notifying) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const inserted = (await eventCount()) - eventsBefore;
    if (inserted !== written) throw new Error(`${inserted} events in the outbox for ${written} outbox transactions`);
    if (delivered !== written || deliveredIds.size !== written) {
      const ids = await handle.rows<{ id: number }>(sql`select id::int from events order by id desc limit ${inserted}`);
      const missed = ids.map((row) => row.id).filter((id) => !deliveredIds.has(id));
      throw new Error(
        `the feed handed out ${delivered} events, ${deliveredIds.size} distinct, of ${written} written; ` +
          `never event ${missed.slice(0, 10).join(", ")}`,
      );
    }
    if (heard !== notifying) throw new Error(`${heard} notifications heard for ${notifying} notifying transactions`);
    for (const stop of stopListening) stop();

    console.log(
      `writes   PostgreSQL pgbench (${ROUNDS} rounds of ${RUN_SECONDS} s per variant, in turns; ` +
        `prepared statements; ${ITEMS} READY items; ` +
        `fsync ${settings!.fsync}, synchronous_commit ${settings!.synchronous_commit}): ` +
        "transactions/s, mean (min–max); " +
        `${Math.round(wakeUps / wakingSeconds)} wake-ups/s sent during the outbox runs, ` +
        `${written} events each handed out once, ${notifying} notifications each heard`,
    );
    for (const variants of COMPARISONS) {
      for (const clients of CLIENTS) {
        const figures = variants.map((variant) => {
          const runs = rates.get(variant)!.get(clients)!;
          return {
            variant,
            mean: runs.reduce((sum, tps) => sum + tps, 0) / runs.length,
            min: Math.min(...runs),
            max: Math.max(...runs),
          };
        });
        const baseline = figures[0]!.mean;
        console.log(
          `writes   PostgreSQL ${String(clients).padStart(2)} clients: ` +
            figures
              .map((f) => {
                const ratio =
                  f === figures[0]
                    ? ""
                    : `, (${f.variant.key})/(${figures[0]!.variant.key}) ${(f.mean / baseline).toFixed(2)}`;
                const range = `(${Math.round(f.min)}–${Math.round(f.max)})`;
                return `(${f.variant.key}) ${f.variant.name} ${Math.round(f.mean)} ${range}${ratio}`;
              })
              .join("; "),
        );
      }
    }
  } finally {
    await feed.stop();
    await unlisten();
    await drop();
  }
}

/**
 * Adds READY items until there are ITEMS, each a copy of a seeded READY item on a copy of its
 * encounter (an encounter has at most one open item per queue kind), numbers them for pgbench to
 * pick, and makes the table of the bare INSERTs.
 */
async function prepareWrites(handle: DatabaseHandle): Promise<void> {
  await handle.db.transaction(async (tx) => {
    await tx.execute(sql`
      with seeded as (
        select w.*, row_number() over (order by w.org_id, w.id) as k, count(*) over () as seeded_count
        from work_items w where w.status = 'READY' and w.encounter_id is not null
      ), copies as (
        select s.*, gen_random_uuid() as copy_id
        from seeded s, generate_series(s.k + s.seeded_count, ${ITEMS}, s.seeded_count)
      ), copied as (
        insert into encounters (org_id, id, facility_id, patient_id, rendering_provider_id, type, service_date,
          discharge_date, place_of_service, documentation, status)
        select c.org_id, c.copy_id, e.facility_id, e.patient_id, e.rendering_provider_id, e.type, e.service_date,
          e.discharge_date, e.place_of_service, e.documentation, e.status
        from copies c join encounters e on e.org_id = c.org_id and e.id = c.encounter_id
      )
      insert into work_items (org_id, queue_id, queue_kind, facility_id, encounter_id, priority, due_at)
      select org_id, queue_id, queue_kind, facility_id, copy_id, priority, due_at from copies`);
    await tx.execute(
      sql`create table bench_work_items as
        select (row_number() over (order by org_id, id))::int as n, org_id, id from work_items where status = 'READY'`,
    );
    await tx.execute(sql`alter table bench_work_items add primary key (n)`);
    await tx.execute(sql`create table bench_inserts (id bigserial primary key, n integer not null)`);
  });
  const [prepared] = await handle.rows<{ n: number }>(sql`select count(*)::int as n from bench_work_items`);
  if (prepared!.n !== ITEMS) throw new Error(`${prepared!.n} READY work items prepared for pgbench, not ${ITEMS}`);
  await handle.rows(sql`analyze`);
}

/**
 * Sends the feed's empty wake-up NOTIFY, on its channel and through the same call, every
 * NOTIFY_INTERVAL_MS (the feed's own ceiling per instance) until stopped; stop() tells how many
 * were sent and over how many seconds.
 */
function startWaking(handle: DatabaseHandle): { stop(): Promise<{ sent: number; seconds: number }> } {
  let running = true;
  let sent = 0;
  const started = performance.now();
  const loop = (async () => {
    while (running) {
      const next = performance.now() + NOTIFY_INTERVAL_MS;
      await handle.notify(EVENTS_CHANNEL, "another instance");
      sent++;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { sent, seconds: (performance.now() - started) / 1000 };
    },
  };
}

/**
 * One pgbench run of `script` (read from stdin) by `clients` clients for RUN_SECONDS; the connection
 * goes in libpq's environment variables.
 */
async function runPgbench(
  pgbench: string,
  url: string,
  clients: number,
  script: string,
): Promise<{ tps: number; transactions: number }> {
  const { hostname, port, username, password, pathname } = new URL(url);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: hostname.replace(/^\[(.*)\]$/, "$1"),
    PGDATABASE: decodeURIComponent(pathname.slice(1)),
  };
  // What the URL leaves out, libpq defaults as it would for the URL itself (a password from ~/.pgpass, say).
  for (const name of ["PGPORT", "PGUSER", "PGPASSWORD"]) delete env[name];
  if (port) env["PGPORT"] = port;
  if (username) env["PGUSER"] = decodeURIComponent(username);
  if (password) env["PGPASSWORD"] = decodeURIComponent(password);
  const args = [
    "--no-vacuum",
    "--protocol=prepared",
    `--client=${clients}`,
    `--jobs=${Math.min(clients, availableParallelism())}`,
    `--time=${RUN_SECONDS}`,
    "--file=-",
  ];
  const child = spawn(pgbench, args, { env, stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  child.stdin.end(script);
  const code = await new Promise<number | null>((resolve, reject) => child.once("error", reject).once("exit", resolve));
  const tps = /^tps = ([\d.]+) \(without initial connection time\)$/m.exec(output);
  const transactions = /^number of transactions actually processed: (\d+)$/m.exec(output);
  if (code !== 0 || !tps || !transactions) throw new Error(`pgbench exited ${code}:\n${output}\nscript:\n${script}`);
  return { tps: Number(tps[1]), transactions: Number(transactions[1]) };
}

/**
 * pgbench on PATH, else in `pg_config --bindir`, else the newest under /usr/lib/postgresql; undefined
 * when none is found.
 */
function findPgbench(): string | undefined {
  const onPath = (process.env["PATH"] ?? "").split(delimiter).filter(Boolean);
  let bindir: string[] = [];
  try {
    bindir = [
      execFileSync("pg_config", ["--bindir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim(),
    ];
  } catch {
    // No pg_config: the other places remain.
  }
  let installed: string[] = [];
  try {
    installed = readdirSync("/usr/lib/postgresql")
      .sort((a, b) => Number(b) - Number(a))
      .map((version) => `/usr/lib/postgresql/${version}/bin`);
  } catch {
    // No Debian-style PostgreSQL installation.
  }
  return [...onPath, ...bindir, ...installed]
    .map((dir) => join(dir, "pgbench"))
    .find((path) => {
      try {
        accessSync(path, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}
