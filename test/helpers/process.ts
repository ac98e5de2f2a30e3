import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * The first 100 rows of each shipped code-set file: a first start loads them in seconds, where the
 * full sets take a minute or more on a busy machine. What is shipped is tested by global setup.
 */
export const SMALL_CODE_SETS = fileURLToPath(new URL("../fixtures/codesets/", import.meta.url));

/**
 * How long a test waits for a spawned server: far above any real start (seconds with the small code
 * sets), so that only a server that never starts fails it, however busy the machine.
 */
export const SPAWNED_SERVER_MS = 600_000;

/**
 * Runs `chartroom <args>` as `npm run` would (the bundled build, scripts/chartroom.mjs), in a child
 * process with `environment` over this one's and the small code sets.
 */
export function spawnChartroom(
  args: string[],
  environment: Record<string, string>,
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["scripts/chartroom.mjs", ...args], {
    env: { ...process.env, LOG_LEVEL: "warn", CHARTROOM_CODESETS_DIR: SMALL_CODE_SETS, ...environment },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Runs a command to its end: its exit code and everything it printed. */
export function runChartroom(
  args: string[],
  environment: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const { child, output } = spawnChartroom(args, environment);
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output: output() })));
}

/**
 * Starts `chartroom serve` (with `flags`, e.g. `--demo`) and waits for its banner (the test's timeout
 * bounds the wait): the URL it serves and what it printed.
 */
export function startServe(
  environment: Record<string, string>,
  flags: string[] = [],
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const { child, output } = spawnChartroom(["serve", ...flags], { PORT: "0", ...environment });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", () => {
      const match = /Chartroom GraphQL at (\S+)/.exec(output());
      if (match && /Ready in/.test(output())) {
        resolve({ child, url: match[1]!, output });
      }
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}:\n${output()}`)));
  });
}

/** Sends SIGTERM and resolves with the exit code. */
export function stopServe(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  return exited;
}
