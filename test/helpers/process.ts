import { spawn, type ChildProcess } from "node:child_process";

/** Runs `chartroom <args>` as `npm run` would, in a child process with `environment` over this one's. */
export function spawnChartroom(args: string[], environment: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    env: { ...process.env, LOG_LEVEL: "warn", ...environment },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Runs a command to its end: its exit code and everything it printed. */
export function runChartroom(args: string[], environment: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { child, output } = spawnChartroom(args, environment);
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output: output() })));
}

/** Starts `chartroom serve` (with `flags`, e.g. `--demo`) and waits for its banner: the URL it serves and what it printed. */
export function startServe(environment: Record<string, string>, flags: string[] = []): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const { child, output } = spawnChartroom(["serve", ...flags], { PORT: "0", ...environment });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in time:\n${output()}`)), 100_000);
    child.stdout!.on("data", () => {
      const match = /Chartroom GraphQL at (\S+)/.exec(output());
      if (match && /Ready in/.test(output())) {
        clearTimeout(timer);
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
