import { readdirSync, readFileSync } from "node:fs";

/** Milliseconds of CPU per unit of work: this Node process's, and the database's where it could be read. */
export interface CpuSplit {
  nodeMs: number;
  /** The PostgreSQL backends serving the bench's database; null when the server is not on this machine. */
  databaseMs: number | null;
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime: 100 on Linux (USER_HZ). */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds, in milliseconds, of the PostgreSQL backends connected to `database` on this machine
 * (their process titles name it), or null without /proc or without any. Backends only: the WAL writer,
 * checkpointer and autovacuum serve every database and are left out, for both sides alike.
 */
function backendCpuMs(database: string): number | null {
  let ticks = 0;
  let found = false;
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const pid of pids) {
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!title.startsWith("postgres: ") || !title.split(" ").includes(database)) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
      found = true;
    } catch {
      // The process ended between the listing and the read: its time is gone with it, for both sides alike.
    }
  }
  return found ? (ticks * 1000) / TICKS_PER_SECOND : null;
}

/**
 * Where a benchmark's CPU went: started once the database's connections are open, read once the work
 * is done and before they close (a backend's time leaves /proc with it).
 */
export class CpuMeter {
  readonly #database: string;
  readonly #node: NodeJS.CpuUsage;
  readonly #backends: number | null;

  constructor(database: string) {
    this.#database = database;
    this.#node = process.cpuUsage();
    this.#backends = backendCpuMs(database);
  }

  /** The CPU since the meter started, per one of `units`. */
  per(units: number): CpuSplit {
    const node = process.cpuUsage(this.#node);
    const backends = backendCpuMs(this.#database);
    return {
      nodeMs: (node.user + node.system) / 1000 / units,
      databaseMs: backends === null || this.#backends === null ? null : (backends - this.#backends) / units,
    };
  }
}

/** "Node 0.52 ms + PostgreSQL 1.40 ms", or Node alone when the database's share could not be read. */
export const describeCpu = (cpu: CpuSplit) =>
  `Node ${cpu.nodeMs.toFixed(2)} ms${cpu.databaseMs === null ? "" : ` + PostgreSQL ${cpu.databaseMs.toFixed(2)} ms`}`;
