import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createScratchDatabase } from "../src/db/databases.js";

/** Milliseconds from spawning `chartroom serve` until it prints "Ready", then stops it with SIGTERM. */
async function timeStart(environment: Record<string, string>): Promise<{ ms: number; reported: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "serve", "--demo"], {
    env: { ...process.env, PORT: "0", LOG_LEVEL: "warn", ...environment },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  const ms = await new Promise<number>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready in")) resolve(performance.now() - started);
    });
    child.once("exit", (code) => reject(new Error(`serve exited ${code} before it was ready:\n${output}`)));
  });
  child.removeAllListeners("exit");
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  return { ms, reported: /Ready in (\d+) ms/.exec(output)?.[1] ?? "?" };
}

/**
 * First start (migrate + seed) and a later start, as `npm start` runs them: on a new PGlite data
 * dir, or on a new database of the given PostgreSQL server, never on the database it names.
 */
export async function benchStartup(serverUrl: string | undefined): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "chartroom-bench-"));
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, `chartroom_bench_start_${process.pid}`) : null;
  const environment = { CHARTROOM_DATA_DIR: dataDir, DATABASE_URL: scratch?.url ?? "" };
  const driver = serverUrl ? "PostgreSQL" : "PGlite";
  try {
    const first = await timeStart(environment);
    const later = await timeStart(environment);
    console.log(
      `startup  ${driver.padEnd(10)} empty database: ${Math.round(first.ms)} ms to ready ` +
        `(server's own count ${first.reported} ms)`,
    );
    console.log(
      `startup  ${driver.padEnd(10)} seeded database: ${Math.round(later.ms)} ms to ready ` +
        `(server's own count ${later.reported} ms)`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await scratch?.drop();
  }
}
