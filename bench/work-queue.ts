import { describeCpu } from "./cpu.js";
import { recordFigure } from "./figures.js";
import { benchGraphileWorker, GRAPHILE_WORKER_VERSION } from "./graphile-worker.js";
import { benchChartroom, benchTypename } from "./work-queue-chartroom.js";

/**
 * Jobs per concurrency level. Each cycle commits twice, and a server that waits for the disk on
 * every commit manages a few hundred to a thousand single-worker cycles a second: 2,000 keeps that
 * level to seconds, while still giving each of 32 workers some 60 cycles, so that starting up and
 * draining the last jobs are a small share of the time measured.
 */
const JOBS = Number(process.env["BENCH_QUEUE_JOBS"] ?? 2000);
/** A bare `{ __typename }` over HTTP, signed in, at p50 (issue 14). */
const TYPENAME_TARGET_MS = 0.5;

const perSecond = (n: number) => `${Math.round(n).toLocaleString("en-US")}/s`;

/**
 * Claim + complete cycles per second on a pre-filled queue: Chartroom through its work service and
 * through GraphQL over HTTP, beside graphile-worker on the same server with the same jobs,
 * concurrency and pool. Each level runs both back to back, so load on the machine hits both alike.
 * With each level, the CPU each cycle cost, this process's and the database backends' (read from /proc
 * when PostgreSQL runs on this machine): what says whether the cycle waits on the disk or on the processors,
 * and on whose. Then the cost of the GraphQL path itself: a bare `{ __typename }`. Records the figures under their
 * `--json` names. BENCH_QUEUE_JOBS sets the jobs per level (2,000 when absent).
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
        `Chartroom/graphile-worker ${ratio(service.jobsPerSecond)} (service; target ≥ 0.5 at 8 and 32), ` +
        `${ratio(http.jobsPerSecond)} (HTTP), ` +
        `HTTP/service ${(http.jobsPerSecond / service.jobsPerSecond).toFixed(2)} (target ≥ 0.5)`,
    );
    console.log(
      `claim+complete PostgreSQL ${concurrency} worker(s), CPU per cycle: ` +
        `Chartroom service ${describeCpu(service.cpu)}, ` +
        `Chartroom HTTP ${describeCpu(http.cpu)} (the client's share included), ` +
        `graphile-worker ${describeCpu(baseline.cpu)}`,
    );
    recordFigure(`queue_service_ratio_${concurrency}`, service.jobsPerSecond / baseline.jobsPerSecond);
    recordFigure(`queue_http_over_service_${concurrency}`, http.jobsPerSecond / service.jobsPerSecond);
  }
  const typename = await benchTypename(postgresUrl);
  console.log(
    `{ __typename } over HTTP, signed in, one client, PostgreSQL: p50 ${typename.p50.toFixed(2)} ms, ` +
      `p95 ${typename.p95.toFixed(2)} ms (target p50 ≤ ${TYPENAME_TARGET_MS} ms)`,
  );
  recordFigure("typename_p50_ms", typename.p50);
}
