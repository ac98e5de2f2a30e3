import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createScratchDatabase } from "../src/db/databases.js";
import { recordFigure } from "./figures.js";

/**
 * Milliseconds from spawning `chartroom serve` until it prints "Ready", then stops it with SIGTERM;
 * with the server's own count and where it says the time went (migrations, code sets, demo seed, …).
 */
async function timeStart(environment: Record<string, string>): Promise<{ ms: number; reported: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, ["scripts/chartroom.mjs", "serve", "--demo"], {
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
  const ready = /Ready in (\d+) ms(?: \(([^)]*)\))?/.exec(output);
  return { ms, reported: ready ? `${ready[1]} ms${ready[2] ? `: ${ready[2]}` : ""}` : "?" };
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
    const key = serverUrl ? "postgres" : "pglite";
    recordFigure(`first_start_s_${key}`, first.ms / 1000);
    recordFigure(`later_start_s_${key}`, later.ms / 1000);
    const load = () => `load ${loadavg()[0]!.toFixed(2)}`;
    console.log(
      `startup  ${driver.padEnd(10)} empty database: ${Math.round(first.ms)} ms to ready, target ≤ 20000 ` +
        `(server's own count ${first.reported}; ${load()})`,
    );
    console.log(
      `startup  ${driver.padEnd(10)} seeded database: ${Math.round(later.ms)} ms to ready, target ≤ 2000 ` +
        `(server's own count ${later.reported}; ${load()})`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await scratch?.drop();
  }
}
