import { mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config.js";
import { type DatabaseHandle, openDatabase } from "../src/db/client.js";
import { createScratchDatabase } from "../src/db/databases.js";
import { DEFAULT_DEMO_PASSWORD } from "../src/environment.js";
import { createLogger } from "../src/logger.js";
import { importShippedCodeSets } from "../src/modules/codesets/codeset.importer.js";
import { seedDemo } from "../src/seed/demo.js";
import { type RunningServer, startServer } from "../src/server.js";
import { jsonClient } from "./http-client.js";

/**
 * A fresh benchmark database, migrated and seeded with the demo organizations (and the shipped
 * code sets when asked): in-memory PGlite, or a new database on the given PostgreSQL server,
 * never the database the URL names; `url` is that new database's (undefined on PGlite).
 * `maxConnections` sizes the PostgreSQL pool (10 when absent).
 */
export async function benchDatabase(
  serverUrl: string | undefined,
  options: { codeSets?: boolean; maxConnections?: number } = {},
): Promise<{ handle: DatabaseHandle; url: string | undefined; drop: () => Promise<void> }> {
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, `chartroom_bench_${process.pid}`) : null;
  const handle = await openDatabase({ url: scratch?.url, maxConnections: options.maxConnections });
  await handle.migrate();
  await seedDemo(handle.db, { password: DEFAULT_DEMO_PASSWORD });
  if (options.codeSets) await importShippedCodeSets(handle.db, () => {});
  return {
    handle,
    url: scratch?.url,
    drop: async () => {
      await handle.close();
      await scratch?.drop();
    },
  };
}

/** The p-th percentile of ascending numbers. */
export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export interface BenchApi {
  server: RunningServer;
  /** The benchmark database, for set-up no API call makes. */
  database: DatabaseHandle;
  /** The signed-in user's bearer token. */
  token: string;
  /** POSTs one GraphQL operation as the signed-in demo user; throws on errors. */
  query(query: string, variables?: Record<string, unknown>): Promise<unknown>;
  stop(): Promise<void>;
}

/** A silent Chartroom server on a free port over `database`; `env` adds or overrides settings. */
export function benchServer(database: DatabaseHandle, env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({
    PORT: "0",
    LOG_LEVEL: "silent",
    AUTH_JWT_SECRET: "bench-secret-that-is-at-least-32-characters",
    CHARTROOM_DATA_DIR: mkdtempSync(join(tmpdir(), "chartroom-bench-")),
    // Benches run 8 clients as one signed-in user; the default limit (6 at once) would refuse two of them.
    MAX_REQUESTS_PER_USER: "8",
    ...env,
  });
  return startServer({ config, database, log: createLogger("silent") });
}

/** A Chartroom server over a fresh benchmark database, with a demo user signed in. */
export async function benchApi(
  url: string | undefined,
  user: string,
  options: { codeSets?: boolean } = {},
): Promise<BenchApi> {
  const { handle, drop } = await benchDatabase(url, options);
  const server = await benchServer(handle);
  const client = jsonClient(server.url);
  const post = async (body: unknown, token?: string) => {
    const { body: result } = await client<{ data: unknown; errors?: unknown[] }>(
      body,
      token ? { authorization: `Bearer ${token}` } : {},
    );
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data;
  };
  const signedIn = (await post({
    query: `mutation { login(input: { email: "${user}", password: "${DEFAULT_DEMO_PASSWORD}" }) { token } }`,
  })) as { login: { token: string } };
  const token = signedIn.login.token;
  return {
    server,
    database: handle,
    token,
    query: (query, variables) => post({ query, variables }, token),
    stop: async () => {
      await server.stop();
      await drop();
    },
  };
}

/** What `measure` saw: latencies in milliseconds and throughput. */
export interface Measured {
  p50: number;
  p95: number;
  p99: number;
  requestsPerSecond: number;
}

/**
 * Runs `requests` calls of `one(i)` from `concurrency` clients and prints p50, p95 and
 * throughput with the process's memory, under `label`, and `target` after them when given.
 */
export async function measure(
  label: string,
  concurrency: number,
  requests: number,
  one: (i: number) => Promise<unknown>,
  target?: string,
): Promise<Measured> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < requests; i = next++) {
        const t = performance.now();
        await one(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const measured = {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    requestsPerSecond: requests / seconds,
  };
  console.log(
    `${label} ${concurrency} client(s): ` +
      `p50 ${measured.p50.toFixed(1)} ms, p95 ${measured.p95.toFixed(1)} ms, ` +
      `${Math.round(measured.requestsPerSecond)} req/s, RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB, ` +
      `load ${loadavg()[0]!.toFixed(2)}${target ? `; target ${target}` : ""}`,
  );
  return measured;
}
