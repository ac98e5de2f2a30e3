import type { RequestContext } from "../../context.js";
import { badInput, DomainError } from "../../shared/errors.js";
import type { Actor } from "../auth/index.js";
import { type EventRecord, eventsBetween } from "./event.store.js";

/** One event for one subscriber, with the actor it was checked against just before delivery. */
export interface Delivery {
  event: EventRecord;
  actor: Actor;
}

/** Live events a subscriber has not yet taken, beyond which it is cut off (it resumes with `after`). */
const MAX_PENDING = 10_000;
const REPLAY_PAGE = 500;

/**
 * A subscription cursor: the event's id and time, opaque to clients. The time tells a cursor
 * older than the retention (whose events may be gone) from one that is merely quiet.
 */
export function eventCursor(event: Pick<EventRecord, "id" | "createdAt">): string {
  return Buffer.from(`event:${event.id}:${event.createdAt.getTime()}`, "utf8").toString("base64url");
}

/**
 * The event id an `after` cursor names; BAD_USER_INPUT when it is not one, CURSOR_EXPIRED when its
 * events may have been purged.
 */
export function eventIdOf(cursor: string, retentionMs: number): number {
  const [tag, id, at, ...rest] =
    cursor.length > 100 ? [] : Buffer.from(cursor, "base64url").toString("utf8").split(":");
  if (tag !== "event" || !/^\d{1,15}$/.test(id ?? "") || !/^\d{1,15}$/.test(at ?? "") || rest.length > 0) {
    throw badInput("after is not a cursor from this subscription's events", "after");
  }
  if (Number(at) < Date.now() - retentionMs) {
    throw new DomainError(
      "CURSOR_EXPIRED",
      "Events this old are no longer kept: read the current state again, then subscribe without `after`.",
      { field: "after" },
    );
  }
  return Number(id);
}

export interface StreamOptions {
  /**
   * Topics to replay from the table; live events of other topics are offered to `accept` too, which
   * should refuse them.
   */
  topics: readonly string[];
  /** Deliver only events after this id; null for live events only. */
  afterId: number | null;
  /** Whether this subscriber receives the event, as the actor is now. */
  accept(event: EventRecord, actor: Actor): boolean | Promise<boolean>;
}

/**
 * The events of the caller's organization that `accept` lets through: first those after `afterId`
 * replayed from the table, then live ones from the feed, with no gap and no duplicate. The
 * listener is registered before the replay and the feed's cursor read at that moment: events up to
 * it come from the table, those above it from the listener. Before each delivery the caller is
 * authenticated again: a revoked token ends the stream with UNAUTHENTICATED.
 */
export function eventStream(ctx: RequestContext, options: StreamOptions): AsyncIterableIterator<Delivery> {
  const inbox = new Inbox<EventRecord>();
  const deliveries = (async function* (): AsyncGenerator<Delivery> {
    const actor = await ctx.currentActor();
    await ctx.events.ready();
    const stopListening = ctx.events.listen(actor.scope, (event) => inbox.push(event));
    try {
      const liveFrom = ctx.events.cursor;
      let last = options.afterId ?? liveFrom;
      while (last < liveFrom) {
        const page = await eventsBetween(ctx.db, actor.scope, options.topics, last, liveFrom, REPLAY_PAGE);
        for (const event of page) {
          const delivery = await check(ctx, options, event);
          if (delivery) yield delivery;
        }
        last = page.length === REPLAY_PAGE ? page[page.length - 1]!.id : liveFrom;
      }
      for (let event = await inbox.take(); event !== CLOSED; event = await inbox.take()) {
        // A cursor from another instance can be ahead of this one's feed.
        if (event.id <= last) continue;
        last = event.id;
        const delivery = await check(ctx, options, event);
        if (delivery) yield delivery;
      }
    } finally {
      stopListening();
    }
  })();
  return closable(deliveries, () => inbox.close());
}

/**
 * An iterator over a generator whose `return` first calls `close`: a generator waiting inside
 * (for an event, say) cannot see `return` until it next yields, so `close` must wake it.
 */
export function closable<T>(source: AsyncGenerator<T>, close: () => void): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    next: () => source.next(),
    return: (value?: unknown) => {
      close();
      return source.return(value as undefined);
    },
    throw: (error?: unknown) => {
      close();
      return source.throw(error);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

async function check(ctx: RequestContext, options: StreamOptions, event: EventRecord): Promise<Delivery | null> {
  const actor = await ctx.currentActor();
  return (await options.accept(event, actor)) ? { event, actor } : null;
}

const CLOSED = Symbol("closed");

/** Events waiting for a slow subscriber, in order; it cuts the subscriber off rather than grow without bound. */
class Inbox<T> {
  #items: T[] = [];
  #head = 0;
  #overflowed = false;
  #closed = false;
  #wake: (() => void) | null = null;

  push(item: T): void {
    if (this.#closed) return;
    if (this.#items.length - this.#head >= MAX_PENDING) this.#overflowed = true;
    else this.#items.push(item);
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  async take(): Promise<T | typeof CLOSED> {
    while (this.#head === this.#items.length && !this.#closed) {
      if (this.#overflowed) throw lagged();
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = null;
    }
    if (this.#closed) return CLOSED;
    if (this.#overflowed) throw lagged();
    const item = this.#items[this.#head++]!;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}

const lagged = () =>
  new DomainError(
    "SUBSCRIPTION_LAGGED",
    `This subscription fell more than ${MAX_PENDING} events behind and was stopped: ` +
      "subscribe again with `after` set to the last cursor you received.",
  );
