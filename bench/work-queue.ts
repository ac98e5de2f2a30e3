import { benchGraphileWorker, GRAPHILE_WORKER_VERSION } from "./graphile-worker.js";
import { benchChartroom } from "./work-queue-chartroom.js";

/**
 * Jobs per concurrency level. Each cycle commits twice, and a server that waits for the disk on
 * every commit manages a few hundred to a thousand single-worker cycles a second: 2,000 keeps that
 * level to seconds, while still giving each of 32 workers some 60 cycles, so that starting up and
 * draining the last jobs are a small share of the time measured.
 */
const JOBS = 2000;

const perSecond = (n: number) => `${Math.round(n).toLocaleString("en-US")}/s`;

/**
 * Claim + complete cycles per second on a pre-filled queue: Chartroom through its work service and
 * through GraphQL over HTTP, beside graphile-worker on the same server with the same jobs,
 * concurrency and pool. Each level runs both back to back, so load on the machine hits both alike.
 */
export async function benchWorkQueue(postgresUrl: string): Promise<void> {
  for (const concurrency of [1, 8, 32]) {
    const baseline = await benchGraphileWorker(postgresUrl, JOBS, concurrency);
    const { service, http } = await benchChartroom(postgresUrl, JOBS, concurrency);
    const ratio = (chartroom: number) => (chartroom / baseline.jobsPerSecond).toFixed(2);
    console.log(
      `claim+complete PostgreSQL ${concurrency} worker(s), ${baseline.connections} connections, ${JOBS} items: ` +
        `Chartroom service ${perSecond(service.jobsPerSecond)}, Chartroom HTTP ${perSecond(http.jobsPerSecond)}, ` +
        `graphile-worker ${GRAPHILE_WORKER_VERSION} ${perSecond(baseline.jobsPerSecond)} — ` +
        `Chartroom/graphile-worker ${ratio(service.jobsPerSecond)} (service), ${ratio(http.jobsPerSecond)} (HTTP)`,
    );
  }
}
