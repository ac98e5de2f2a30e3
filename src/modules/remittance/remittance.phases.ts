/*
 * How long each phase of posting a payment takes, for the posting bench (bench/remittance-posting.ts), which
 * prints them: posting runs inside a request, so the bench hears them here rather than through the HTTP answer.
 * Nothing listens in production, and a lap costs one performance.now().
 */

/** Milliseconds per phase of one payment's posting, in the order the phases first ran. */
export type PostingPhases = Record<string, number>;

const listeners = new Set<(phases: PostingPhases) => void>();

/** Hears the phases of every payment posted from now on; answers how to stop hearing them. */
export function onPostingPhases(listener: (phases: PostingPhases) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Times consecutive phases: each lap closes the phase that ran since the last one. */
export class PhaseClock {
  private readonly phases: PostingPhases = {};
  private last = performance.now();

  lap(phase: string): void {
    const now = performance.now();
    this.phases[phase] = (this.phases[phase] ?? 0) + (now - this.last);
    this.last = now;
  }

  /** Tells the listeners, if any, what the phases took. */
  report(): void {
    for (const listener of listeners) listener({ ...this.phases });
  }
}
