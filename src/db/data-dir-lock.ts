import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import lockfile from "proper-lockfile";

/** Who holds a data dir: written beside the lock, so that a refused process can name it. */
interface Holder {
  pid: number;
  command: string;
  startedAt: string;
  host: string;
}

/** A lock nobody refreshed for this long belongs to a process that died (it refreshes every half of it). */
const STALE_MS = 10_000;

export class DataDirInUseError extends Error {}

const lockDirOf = (dir: string) => `${dir}.lock`;
const holderFile = (dir: string) => `${dir}.lock.json`;

function readHolder(dir: string): Holder | null {
  try {
    return JSON.parse(readFileSync(holderFile(dir), "utf8")) as Holder;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function inUse(dir: string, holder: Holder | null): DataDirInUseError {
  const who = holder
    ? `process ${holder.pid} (${holder.command}) on ${holder.host}, started ${holder.startedAt}`
    : "another process";
  return new DataDirInUseError(
    `The data directory ${dir} is in use by ${who}. Two processes on one PGlite directory would each ` +
      `keep writes the other never sees: stop that one first, or set CHARTROOM_DATA_DIR to another folder. ` +
      `If no such Chartroom runs (its pid now belongs to another program), remove ${dir}.lock.`,
  );
}

/**
 * Takes the data dir for this process until the returned function releases it. PGlite has no lock
 * of its own, and two processes on one folder both start. The lock is a directory made atomically
 * beside the data dir and refreshed while held (proper-lockfile); a process that died leaves one
 * nobody refreshes, which the next start takes over once it is STALE_MS old. A holder still running
 * on this host is refused at once and never taken over, even when its lock looks stale: a long
 * synchronous PGlite statement can hold back the refresh.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  mkdirSync(dirname(dir), { recursive: true });
  // Without the lock directory the holder file is a leftover of a crash, whatever runs under its pid now.
  const holder = existsSync(lockDirOf(dir)) ? readHolder(dir) : null;
  if (holder && holder.host === hostname() && holder.pid !== process.pid && isRunning(holder.pid))
    throw inUse(dir, holder);

  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: lockDirOf(dir),
      realpath: false,
      stale: STALE_MS,
      // Long enough for a crashed holder's lock to go stale; a live holder is refused after it.
      retries: { retries: Math.ceil((STALE_MS * 1.5) / 1_000), minTimeout: 1_000, maxTimeout: 1_000, factor: 1 },
      onCompromised: (error) => {
        console.error(
          `Lost the lock on the data directory ${dir} (${error.message}): ` +
            `stopping, so that two processes never write it.`,
        );
        process.exit(1);
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOCKED") throw inUse(dir, readHolder(dir));
    throw error;
  }
  const self: Holder = {
    pid: process.pid,
    command: process.argv.slice(1).join(" "),
    startedAt: new Date().toISOString(),
    host: hostname(),
  };
  writeFileSync(holderFile(dir), `${JSON.stringify(self)}\n`);
  return async () => {
    rmSync(holderFile(dir), { force: true });
    await release();
  };
}
