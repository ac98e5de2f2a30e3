import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_DEMO_PASSWORD, loadConfig } from "../src/config.js";
import { openDatabase, type DatabaseHandle } from "../src/db/client.js";
import { createScratchDatabase } from "../src/db/databases.js";
import { createLogger } from "../src/logger.js";
import { seedDemo } from "../src/seed/demo.js";
import { startServer } from "../src/server.js";

const QUERY = `query ($after: String) {
  encounters(first: 50, after: $after, filter: { type: [PROFESSIONAL, EMERGENCY] }) {
    totalCount
    pageInfo { endCursor }
    edges { node { id status serviceDate facility { name } renderingProvider { name } patient { lastName birthDate } claims { id } } }
  }
}`;
const REQUESTS = 400;

/** A fresh, seeded database: in-memory PGlite, or a new database on the given PostgreSQL server (never the one it names). */
async function seededDatabase(serverUrl: string | undefined): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> }> {
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, `chartroom_bench_${process.pid}`) : null;
  const handle = await openDatabase({ url: scratch?.url });
  await handle.migrate();
  await seedDemo(handle.db, { password: DEFAULT_DEMO_PASSWORD });
  return {
    handle,
    drop: async () => {
      await handle.close();
      await scratch?.drop();
    },
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Latency of a supervisor's 50-encounter page with nested patient, provider, facility and claims, over HTTP. */
export async function benchEncounterList(databaseUrl: string | undefined): Promise<void> {
  const { handle, drop } = await seededDatabase(databaseUrl);
  const config = loadConfig({
    PORT: "0",
    LOG_LEVEL: "silent",
    AUTH_JWT_SECRET: "bench-secret-that-is-at-least-32-characters",
    CHARTROOM_DATA_DIR: mkdtempSync(join(tmpdir(), "chartroom-bench-")),
  });
  const server = await startServer({ config, database: handle, log: createLogger("silent") });
  try {
    const post = async (body: unknown, token?: string) => {
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return (await response.json()) as { data: any; errors?: unknown[] };
    };
    const login = await post({
      query: `mutation ($input: LoginInput!) { login(input: $input) { token } }`,
      variables: { input: { email: "supervisor@demo.chartroom.test", password: DEFAULT_DEMO_PASSWORD } },
    });
    const token: string = login.data.login.token;

    for (const concurrency of [1, 8]) {
      const latencies: number[] = [];
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next++ < REQUESTS) {
            const t = performance.now();
            const result = await post({ query: QUERY }, token);
            if (result.errors) throw new Error(JSON.stringify(result.errors));
            latencies.push(performance.now() - t);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      console.log(
        `encounters(first: 50) nested  ${(databaseUrl ? "PostgreSQL" : "PGlite").padEnd(10)} ${concurrency} client(s): ` +
          `p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, ` +
          `${Math.round(REQUESTS / seconds)} req/s, RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
      );
    }
  } finally {
    await server.stop();
    await drop();
  }
}
