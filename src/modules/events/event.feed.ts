import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { DatabaseHandle } from "../../db/client.js";
import type { OrganizationScope, Scope } from "../../db/scope.js";
import {
  type EventRecord,
  eventsAfter,
  eventWriters,
  newestEventId,
  purgeEventsBefore,
  transactionIdBound,
  writersEnded,
} from "./event.store.js";

/** The channel instances wake each other on; the payload names the sender, readers go to the table. */
export const EVENTS_CHANNEL = "chartroom_events";

export type EventListener = (event: EventRecord) => void;

/** A hole being waited on: its first id, and who could hold it when it was first seen. */
interface Hole {
  id: number;
  /** A transaction id above the holder's: once a snapshot's xmin reaches it, the holder has ended. */
  bound: bigint;
  writers: string[];
  since: number;
  retries: number;
  warned: boolean;
}

export interface EventFeedOptions {
  /** Read at least this often even when no one wakes the feed (a missed notification costs at most this). */
  pollMs: number;
  /** How long events are kept; older ones are purged hourly. */
  retentionMs: number;
  log: Logger;
  /** Told of each event as it is handed to listeners (the delivery metrics). */
  onDispatch?: (event: EventRecord) => void;
}

/** Events read per query; a full batch is followed by another read at once. */
const BATCH = 500;
/** First retry delay while the feed waits for writers of events to end; it doubles up to MAX_RETRY_MS. */
const FIRST_RETRY_MS = 5;
const MAX_RETRY_MS = 200;
/** A wait for writers longer than this is logged (once): a transaction holding events open that long is unusual. */
const LONG_WAIT_MS = 10_000;
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
 * stops and notes who could hold the missing id: the transactions then writing events (each holds
 * a lock on the table from before the sequence gives it an id until it ends), and a transaction id
 * taken just then (the holder took its own before the id, see appendEvents, so below it). Once
 * those writers have ended, or a snapshot's xmin has reached that bound, a read that still does
 * not see the id steps over it: it was rolled back. Only writers of events delay delivery, and only
 * while there is a hole; an unrelated long transaction (a code-set import) does not.
 *
 * Writers do not NOTIFY in their transactions (it serialises commits). After a commit, the
 * writing instance wakes its own feed and sends one NOTIFY outside any write transaction,
 * at most one per NOTIFY_INTERVAL_MS, so other instances read at once; a poll every `pollMs`
 * covers a notification lost while a LISTEN connection reconnects.
 */
export class EventFeed {
  /** Every event with an id up to here has been handed out, or was rolled back. */
  #cursor = 0;
  #hole: Hole | null = null;
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
  /** The wake-up waiting out NOTIFY_INTERVAL_MS, and the one being sent. */
  #notifyTimer: NodeJS.Timeout | null = null;
  #notifying: Promise<void> = Promise.resolve();
  #purgeTimer: NodeJS.Timeout | null = null;
  #purging: Promise<void> = Promise.resolve();
  readonly #instanceId = randomUUID();

  constructor(
    private readonly database: DatabaseHandle,
    private readonly options: EventFeedOptions,
  ) {}

  /** How long events are kept: `after` cursors older than this are refused. */
  get retentionMs(): number {
    return this.options.retentionMs;
  }

  /**
   * Every id at or below this has been dispatched (or can never commit): where replays end and live
   * delivery begins.
   */
  get cursor(): number {
    return this.#cursor;
  }

  /** Starts reading in the background; `ready()` resolves once the starting point is settled. */
  start(): void {
    if (this.#ready) return;
    this.#running = true;
    this.#ready = this.#begin();
    this.#ready.catch(() => undefined);
    this.#loop = this.#ready.then(
      () => this.#run(),
      () => undefined,
    );
  }

  /**
   * The starting point: the newest id visible now, once every transaction then writing events has
   * ended (any of them could hold a lower id). From then on no event at or below the cursor can
   * appear, so replays up to it are complete. Retries while the database cannot be reached.
   */
  async #begin(): Promise<void> {
    while (this.#running) {
      try {
        const newest = await newestEventId(this.database.db);
        await this.#waitForWriters(await eventWriters(this.database.db), await transactionIdBound(this.database.db));
        if (!this.#running) break;
        this.#cursor = newest;
        this.#unlisten = await this.database.listen(
          EVENTS_CHANNEL,
          // This instance's own wake-up was for the others: its feed was woken at the commit.
          (sender) => {
            if (sender !== this.#instanceId) this.wake();
          },
          () => this.wake(),
        );
        this.#purgeTimer = setInterval(() => (this.#purging = this.#purge()), PURGE_EVERY_MS);
        this.#purgeTimer.unref();
        this.#purging = this.#purge();
        return;
      } catch (error) {
        if (!this.#running) break;
        this.options.log.warn({ err: error }, "starting the event feed failed; retrying");
        await this.#sleep(1_000);
      }
    }
    throw new Error("The event feed was stopped before it started.");
  }

  /** Waits until these writers of events have ended, or a snapshot's xmin has reached `bound`. */
  async #waitForWriters(writers: string[], bound: bigint): Promise<void> {
    const since = Date.now();
    let warned = false;
    for (let delay = FIRST_RETRY_MS; this.#running; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      const { ended, xmin } = await writersEnded(this.database.db, writers);
      if (ended || xmin >= bound) return;
      if (!warned && Date.now() - since > LONG_WAIT_MS) {
        warned = true;
        this.options.log.warn(
          { transactions: writers },
          "the event feed is waiting for long transactions that write events to end",
        );
      }
      await this.#sleep(delay);
    }
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
    await this.#flushNotify();
    await this.#unlisten?.();
  }

  /**
   * Hears events of the scope's organization from the next one the feed reads. Read `cursor` right
   * after subscribing: every event above it reaches the listener, none at or below it. Events carry
   * no facility: listeners filter by what each event's payload names.
   */
  listen(scope: Scope | OrganizationScope, listener: EventListener): () => void {
    const { orgId } = scope;
    let set = this.#listeners.get(orgId);
    if (!set) {
      set = new Set();
      this.#listeners.set(orgId, set);
    }
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
    this.#notifyTimer = setTimeout(() => this.#sendNotify(), wait).unref();
  }

  #sendNotify(): void {
    this.#notifyTimer = null;
    this.#lastNotifyAt = Date.now();
    this.#notifying = this.database
      .notify(EVENTS_CHANNEL, this.#instanceId)
      .catch((error: unknown) =>
        this.options.log.warn({ err: error }, "event wake-up notification failed; other instances will poll"),
      )
      .finally(() => {
        this.#notifyInFlight = false;
        if (this.#notifyQueued) {
          this.#notifyQueued = false;
          this.#notifyOthers();
        }
      });
  }

  /**
   * Sends the wake-ups still waiting out their interval now: the other instances hear this one's last
   * commits at once, and none is sent after the database is closed.
   */
  async #flushNotify(): Promise<void> {
    while (this.#notifyInFlight) {
      if (this.#notifyTimer) {
        clearTimeout(this.#notifyTimer);
        this.#sendNotify();
      }
      await this.#notifying;
    }
  }

  async #run(): Promise<void> {
    while (this.#running) {
      this.#wakeRequested = false;
      let delay = this.options.pollMs;
      try {
        const progress = await this.#readOnce();
        if (progress === "more") continue;
        if (progress === "hole") delay = Math.min(FIRST_RETRY_MS * 2 ** this.#hole!.retries++, MAX_RETRY_MS);
      } catch (error) {
        this.options.log.warn({ err: error }, "reading events failed; retrying");
      }
      if (!this.#wakeRequested && this.#running) await this.#sleep(delay);
    }
  }

  /** One read: dispatches the unbroken run of ids after the cursor. */
  async #readOnce(): Promise<"more" | "hole" | "done"> {
    // Checked before the read, so that the read's snapshot comes after the writers ended.
    const hole = this.#hole;
    const holeSettled = hole !== null && (await this.#writersOfHoleEnded(hole));
    const batch = await eventsAfter(this.database.db, this.#cursor, BATCH);
    let expected = this.#cursor + 1;
    for (const event of batch.events) {
      if (event.id > expected) {
        const known = hole !== null && hole.id === expected;
        if (!(known && (holeSettled || batch.xmin >= hole.bound))) {
          // First sight of this hole, or whoever could hold it may still be running: wait.
          if (!known) {
            const writers = await eventWriters(this.database.db);
            this.#hole = {
              id: expected,
              bound: await transactionIdBound(this.database.db),
              writers,
              since: Date.now(),
              retries: 0,
              warned: false,
            };
          }
          return "hole";
        }
        // Whoever could hold the missing ids has ended, and they are still not visible: rolled back.
      }
      this.#hole = null;
      this.#cursor = event.id;
      expected = event.id + 1;
      this.#dispatch(event);
    }
    return batch.events.length === BATCH ? "more" : "done";
  }

  async #writersOfHoleEnded(hole: Hole): Promise<boolean> {
    const { ended } = await writersEnded(this.database.db, hole.writers);
    if (!ended && !hole.warned && Date.now() - hole.since > LONG_WAIT_MS) {
      hole.warned = true;
      this.options.log.warn(
        { eventId: hole.id, transactions: hole.writers },
        "events wait for a long transaction that writes events to end",
      );
    }
    return ended;
  }

  #dispatch(event: EventRecord): void {
    this.options.onDispatch?.(event);
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
