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
