import type { Logger } from "pino";

export interface PeriodicJob {
  /** Stops the timer and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `job` every `intervalMs`, each run timed from the end of the last, so runs never overlap in
 * one instance (each job takes its own advisory lock against the others). `job` answers how many
 * rows it changed; the log says so, counts only. Used for the lease sweep (leases that ran out go
 * back to READY even while nobody claims) and the follow-up sweep (unpaid claims enter FOLLOW_UP).
 */
export function startPeriodicJob(
  log: Logger,
  name: string,
  intervalMs: number,
  job: () => Promise<number>,
): PeriodicJob {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout;
  const schedule = () => {
    // Unref'd: a periodic job alone does not keep the process alive.
    timer = setTimeout(run, intervalMs).unref();
  };
  const run = () => {
    running = job()
      .then(
        (changed) => {
          if (changed > 0) log.info({ changed }, `${name}: done`);
        },
        (error: unknown) => log.error({ err: error }, `${name} failed`),
      )
      .finally(() => {
        if (!stopped) schedule();
      });
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
