import type { Logger } from "pino";

export interface PeriodicJob {
  /** Stops the timer and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/** A job run every `intervalMs`; it answers how many rows it changed, which the log gives as `{ [counted]: n }`. */
export interface PeriodicJobPlan {
  name: string;
  intervalMs: number;
  /** The log field for the count, and the message when it is not zero. */
  counted: string;
  message: string;
  run(): Promise<number>;
}

/**
 * Runs a job every `intervalMs`, each run timed from the end of the last, so runs never overlap in
 * one instance (each job takes its own advisory lock against other instances). Logs counts only.
 * Used for the lease sweep (leases that ran out go back to READY even while nobody claims) and the
 * follow-up sweep (unpaid claims enter FOLLOW_UP).
 */
export function startPeriodicJob(log: Logger, plan: PeriodicJobPlan): PeriodicJob {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout;
  const schedule = () => {
    // Unref'd: a periodic job alone does not keep the process alive.
    timer = setTimeout(run, plan.intervalMs).unref();
  };
  const run = () => {
    running = plan
      .run()
      .then(
        (count) => {
          if (count > 0) log.info({ [plan.counted]: count }, plan.message);
        },
        (error: unknown) => log.error({ err: error }, `${plan.name} failed`),
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
