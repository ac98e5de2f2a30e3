import { EventEmitter, once } from "node:events";
import { Logger, makeWorkerUtils, runOnce, type WorkerEvents } from "graphile-worker";
import workerPackage from "graphile-worker/package.json" with { type: "json" };
import pg from "pg";
import { createScratchDatabase } from "../src/db/databases.js";
import { CpuMeter, type CpuSplit } from "./cpu.js";

/** The graphile-worker release the baseline ran on, for the printed line. */
export const GRAPHILE_WORKER_VERSION: string = workerPackage.version;

export interface QueueThroughput {
  jobsPerSecond: number;
  /** From the moment the workers start until the last job's completion is written. */
  ms: number;
  /** Size of the connection pool the workers shared, to give the system compared the same. */
  connections: number;
  /** CPU per job, over the same span as the clock. */
  cpu: CpuSplit;
}

/** The database a PostgreSQL URL names. */
export const databaseOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

const silent = new Logger(() => () => {});

/**
 * The pool graphile-worker's documentation recommends for `concurrency` workers, the larger of 10
 * and concurrency + 2; Chartroom's side of the comparison gets the same.
 */
export const queuePoolSize = (concurrency: number): number => Math.max(10, concurrency + 2);

/**
 * graphile-worker working off `jobs` no-op jobs, all queued before the clock starts, with
 * `concurrency` workers: the baseline for Chartroom's claim + complete cycles. Runs in a new
 * database on the PostgreSQL server `serverUrl` names (graphile-worker installs its schema,
 * `graphile_worker`, there), which is dropped afterwards.
 *
 * Each worker fetches one job, runs it and completes it, one statement each, until the queue is
 * empty (`runOnce`, with its local queue and completion batching off, as they are by default): the
 * shape of a Chartroom worker's claim-next then complete. One difference is graphile-worker's own:
 * a worker fetches its next job without waiting for the last completion to be written, so the
 * clock stops only once no completion is still in flight. The pool is the size graphile-worker's
 * documentation recommends (queuePoolSize), every connection opened before the clock starts; the
 * figure counts neither connecting nor the schema check `runOnce` makes first.
 */
export async function benchGraphileWorker(
  serverUrl: string,
  jobs: number,
  concurrency: number,
): Promise<QueueThroughput> {
  const scratch = await createScratchDatabase(serverUrl, `chartroom_bench_graphile_worker_${process.pid}`);
  const connections = queuePoolSize(concurrency);
  const pool = new pg.Pool({ connectionString: scratch.url, max: connections });
  // A statement's error reaches its caller; these listeners only keep a broken idle connection from
  // crashing the process (and graphile-worker from warning that they are missing).
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  try {
    // makeWorkerUtils installs the schema; addJobs queues every job in one add_jobs call.
    const utils = await makeWorkerUtils({ pgPool: pool, logger: silent });
    await utils.addJobs(Array.from({ length: jobs }, () => ({ identifier: "noop", payload: {} })));
    await utils.release();
    const clients = await Promise.all(Array.from({ length: connections }, () => pool.connect()));
    for (const client of clients) client.release();

    const events: WorkerEvents = new EventEmitter();
    let started = 0;
    let meter: CpuMeter | undefined;
    let completed = 0;
    // 'pool:create' fires after the schema check, just before the workers are spawned.
    events.on("pool:create", () => {
      meter = new CpuMeter(databaseOf(scratch.url));
      started = performance.now();
    });
    // A failed job stays queued for a retry, which the check below catches.
    events.on("job:complete", ({ error }) => {
      if (!error) completed++;
    });
    await runOnce({
      pgPool: pool,
      concurrency,
      noHandleSignals: true,
      logger: silent,
      events,
      taskList: { noop: () => {} },
    });
    // runOnce returns when every worker has found the queue empty, not waiting for the completions
    // it fired off; each holds a connection until its statement is done.
    while (pool.idleCount < pool.totalCount || pool.waitingCount > 0) await once(pool, "release");
    const ms = performance.now() - started;
    const cpu = meter!.per(jobs);

    const { rows } = await pool.query<{ left: number }>("select count(*)::int as left from graphile_worker.jobs");
    if (completed !== jobs || rows[0]!.left !== 0)
      throw new Error(`graphile-worker completed ${completed} of ${jobs} jobs, ${rows[0]!.left} left`);
    return { jobsPerSecond: jobs / (ms / 1000), ms, connections, cpu };
  } finally {
    await pool.end();
    await scratch.drop();
  }
}
