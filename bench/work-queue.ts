import { benchGraphileWorker, GRAPHILE_WORKER_VERSION } from "./graphile-worker.js";

/**
 * Jobs per concurrency level. Each cycle commits twice, and a server that waits for the disk on
 * every commit manages a few hundred to a thousand single-worker cycles a second: 2,000 keeps that
 * level to seconds, while still giving each of 32 workers some 60 cycles, so that starting up and
 * draining the last jobs are a small share of the time measured.
 */
const JOBS = 2000;

/** Claim + complete cycles per second on a pre-filled queue, beside graphile-worker on the same server. */
export async function benchWorkQueue(postgresUrl: string): Promise<void> {
  for (const concurrency of [1, 8, 32]) {
    const { jobsPerSecond, ms, connections } = await benchGraphileWorker(postgresUrl, JOBS, concurrency);
    console.log(
      `graphile-worker ${GRAPHILE_WORKER_VERSION} no-op jobs PostgreSQL ${concurrency} worker(s), ${connections} connections: ` +
        `${Math.round(jobsPerSecond)} jobs/s (${JOBS} jobs in ${Math.round(ms)} ms)`,
    );
  }
}
