import type { Logger } from "pino";
import type { DatabaseHandle } from "../../db/client.js";
import { eventsAfter, newestEvent, oldestRunningTransaction, purgeEventsBefore, type EventRecord } from "./event.store.js";

/** The channel instances wake each other on; the payload is empty, readers go to the table. */
export const EVENTS_CHANNEL = "chartroom_events";

export type EventListener = (event: EventRecord) => void;

export interface EventFeedOptions {
  /** Read at least this often even when no one wakes the feed (a missed notification costs at most this). */
  pollMs: number;
  /** How long events are kept; older ones are purged hourly. */
  retentionMs: number;
  log: Logger;
}

/** Events read per query; a full batch is followed by another read at once. */
const BATCH = 500;
/** Retry delay while the feed waits for a transaction that holds an event id to end. */
const GAP_RETRY_MS = 5;
/** At most one wake-up NOTIFY per this many milliseconds per instance, however many writes commit. */
export const NOTIFY_INTERVAL_MS = 10;
const PURGE_EVERY_MS = 3_600_000;
const PURGE_BATCH = 5_000;

/**
 * Each server instance's one reader of the outbox. It reads events in id order and hands each,
 * exactly once and in order, to the listeners of its organization.
 *
 * No event is skipped. Ids come from a sequence when a transaction inserts its events, but
 * transactions commit in any order: id 11 can be visible while id 10 is still uncommitted, or
 * rolled back and never coming. So the feed delivers only an unbroken run of ids. At a hole it
 * stops and notes the snapshot's xmax (the first transaction id not yet handed out). Whoever
 * holds the missing id took its transaction id before the id (appendEvents sees to it), hence
 * below that xmax. Once a later read's xmin (oldest running transaction) has passed that xmax,
 * every such transaction has ended; if the id is still not visible in that read, it was rolled
 * back, and the feed steps over it. A long transaction delays events only while there is a hole.
 *
 * Writers do not NOTIFY in their transactions (it serialises commits). After a commit, the
 * writing instance wakes its own feed and sends one empty NOTIFY outside any write transaction,
 * at most one per NOTIFY_INTERVAL_MS, so other instances read at once; a poll every `pollMs`
 * covers a notification lost while a LISTEN connection reconnects.
 */
export class EventFeed {
  /** Every event with an id up to here has been handed out, or was rolled back. */
  #cursor = 0;
  /** The first id of a hole being waited on, and the xmax noted when it was first seen. */
  #hole: { id: number; xmax: bigint } | null = null;
  readonly #listeners = new Map<string, Set<EventListener>>();
  #ready: Promise<void> | null = null;
  #running = false;
  #wakeRequested = false;
  #sleeping: { timer: NodeJS.Timeout; resolve: () => void } | null = null;
  #loop: Promise<void> | null = null;
  #unlisten: (() => Promise<void>) | null = null;
  #notifyInFlight = false;
  #notifyQueued = false;
  #lastNotifyAt = 0;
  #purgeTimer: NodeJS.Timeout | null = null;
  #purging: Promise<void> = Promise.resolve();

  constructor(
    private readonly database: DatabaseHandle,
    private readonly options: EventFeedOptions,
  ) {}

  /** How long events are kept: `after` cursors older than this are refused. */
  get retentionMs(): number {
    return this.options.retentionMs;
  }

  /** Every id at or below this has been dispatched (or can never commit): where replays end and live delivery begins. */
  get cursor(): number {
    return this.#cursor;
  }

  /**
   * Starts reading. Resolves once the starting point is settled: the newest id visible now, after
   * every transaction that was running has ended (any of them could hold a lower id). From then on
   * no event at or below the cursor can appear, so replays up to it are complete.
   */
  start(): Promise<void> {
    this.#ready ??= (async () => {
      this.#running = true;
      const newest = await newestEvent(this.database.db);
      while (this.#running && (await oldestRunningTransaction(this.database.db)) < newest.xmax) await this.#sleep(GAP_RETRY_MS);
      this.#cursor = newest.id;
      this.#unlisten = await this.database.listen(
        EVENTS_CHANNEL,
        () => this.wake(),
        () => this.wake(),
      );
      this.#loop = this.#run();
      this.#purgeTimer = setInterval(() => (this.#purging = this.#purge()), PURGE_EVERY_MS);
      this.#purgeTimer.unref();
      this.#purging = this.#purge();
    })();
    return this.#ready;
  }

  /** Resolves when the feed has started; subscriptions wait for it before they replay. */
  ready(): Promise<void> {
    return this.#ready ?? Promise.reject(new Error("The event feed has not been started."));
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#purgeTimer) clearInterval(this.#purgeTimer);
    this.wake();
    await this.#loop;
    await this.#purging;
    await this.#unlisten?.();
  }

  /**
   * Hears events of one organization from the next one the feed reads. Read `cursor` right after
   * subscribing: every event above it reaches the listener, none at or below it.
   */
  listen(orgId: string, listener: EventListener): () => void {
    let set = this.#listeners.get(orgId);
    if (!set) this.#listeners.set(orgId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#listeners.get(orgId) === set) this.#listeners.delete(orgId);
    };
  }

  /** Reads now rather than at the next poll. */
  wake(): void {
    this.#wakeRequested = true;
    const sleeping = this.#sleeping;
    if (sleeping) {
      this.#sleeping = null;
      clearTimeout(sleeping.timer);
      sleeping.resolve();
    }
  }

  /** A transaction that wrote events has committed: read them here, and wake the other instances. */
  written(): void {
    this.wake();
    this.#notifyOthers();
  }

  #notifyOthers(): void {
    if (this.#notifyInFlight) {
      this.#notifyQueued = true;
      return;
    }
    this.#notifyInFlight = true;
    const wait = Math.max(0, this.#lastNotifyAt + NOTIFY_INTERVAL_MS - Date.now());
    setTimeout(() => {
      this.#lastNotifyAt = Date.now();
      this.database
        .notify(EVENTS_CHANNEL)
        .catch((error: unknown) => this.options.log.warn({ err: error }, "event wake-up notification failed; other instances will poll"))
        .finally(() => {
          this.#notifyInFlight = false;
          if (this.#notifyQueued) {
            this.#notifyQueued = false;
            this.#notifyOthers();
          }
        });
    }, wait).unref();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      this.#wakeRequested = false;
      let delay = this.options.pollMs;
      try {
        const progress = await this.#readOnce();
        if (progress === "more") continue;
        if (progress === "hole") delay = GAP_RETRY_MS;
      } catch (error) {
        this.options.log.warn({ err: error }, "reading events failed; retrying");
      }
      if (!this.#wakeRequested && this.#running) await this.#sleep(delay);
    }
  }

  /** One read: dispatches the unbroken run of ids after the cursor. */
  async #readOnce(): Promise<"more" | "hole" | "done"> {
    const batch = await eventsAfter(this.database.db, this.#cursor, BATCH);
    let expected = this.#cursor + 1;
    let stoppedAtHole = false;
    for (const event of batch.events) {
      if (event.id > expected) {
        const hole = this.#hole;
        if (!(hole && hole.id === expected && batch.xmin >= hole.xmax)) {
          // First sight of this hole, or its holders may still be running: wait for them.
          if (!hole || hole.id !== expected) this.#hole = { id: expected, xmax: batch.xmax };
          stoppedAtHole = true;
          break;
        }
        // Every transaction that could hold the missing ids has ended without them: rolled back.
      }
      this.#hole = null;
      this.#cursor = event.id;
      expected = event.id + 1;
      this.#dispatch(event);
    }
    if (stoppedAtHole) return "hole";
    return batch.events.length === BATCH ? "more" : "done";
  }

  #dispatch(event: EventRecord): void {
    for (const listener of this.#listeners.get(event.orgId) ?? []) {
      try {
        listener(event);
      } catch (error) {
        this.options.log.error({ err: error, eventId: event.id }, "event listener failed");
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#sleeping = null;
        resolve();
      }, ms);
      this.#sleeping = { timer, resolve };
    });
  }

  /** Deletes events past the retention, on one instance at a time. */
  async #purge(): Promise<void> {
    const before = new Date(Date.now() - this.options.retentionMs);
    try {
      let total = 0;
      for (;;) {
        const deleted = await purgeEventsBefore(this.database.db, before, PURGE_BATCH);
        if (deleted === null) return;
        total += deleted;
        if (deleted < PURGE_BATCH || !this.#running) break;
      }
      if (total > 0) this.options.log.info({ deleted: total }, "purged events past their retention");
    } catch (error) {
      this.options.log.warn({ err: error }, "purging old events failed; will retry");
    }
  }
}
