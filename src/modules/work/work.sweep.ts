import type { Services } from "../../context.js";
import { sweepExpiredLeases } from "./work.leases.js";

export interface LeaseSweeper {
  /** Stops the timer and waits for a sweep in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Every `intervalMs`, returns expired leases to READY, so that a vanished worker's items go back to
 * their queues (with their events) even while nobody claims. One sweep at a time: the next is
 * timed from the end of the last. Logs counts only.
 */
export function startLeaseSweeper(
  services: Pick<Services, "db" | "log" | "events" | "metrics">,
  intervalMs: number,
): LeaseSweeper {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout;
  const schedule = () => {
    // Unref'd: a sweep alone does not keep the process alive.
    timer = setTimeout(sweep, intervalMs).unref();
  };
  const sweep = () => {
    running = sweepExpiredLeases(services)
      .then(
        (expired) => {
          services.metrics.leaseExpiries.inc(expired);
          if (expired > 0) services.log.info({ expired }, "lease sweep: expired leases returned to READY");
        },
        (error: unknown) => services.log.error({ err: error }, "lease sweep failed"),
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
