import type { RequestContext } from "../../context.js";
import type { Scope } from "../../db/scope.js";
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
  return new EventStream(ctx, options);
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * eventStream's iterator. Each `next` takes what is waiting without awaiting, and checks it without
 * awaiting when the actor and `accept` answer at once (as they do from their caches): an event handed
 * to ten thousand subscribers costs each one promise, not a chain of them, and no garbage that
 * outlives the wait for the next event.
 */
class EventStream implements AsyncIterableIterator<Delivery> {
  readonly #inbox = new Inbox<EventRecord>();
  #started = false;
  #ended = false;
  #stopListening: (() => void) | null = null;
  #scope: Scope | null = null;
  /** The feed's cursor when listening began: events up to it are replayed from the table. */
  #liveFrom = 0;
  /** The last event replayed or taken live; events up to it are not delivered again. */
  #last = 0;
  #page: EventRecord[] = [];
  #inPage = 0;

  constructor(
    private readonly ctx: RequestContext,
    private readonly options: StreamOptions,
  ) {}

  async next(): Promise<IteratorResult<Delivery>> {
    try {
      if (!this.#started) await this.#start();
      for (;;) {
        const event = await this.#nextEvent();
        if (event === CLOSED) return DONE;
        const checked = check(this.ctx, this.options, event);
        const delivery = checked instanceof Promise ? await checked : checked;
        if (delivery) return { done: false, value: delivery };
      }
    } catch (error) {
      this.#end();
      throw error;
    }
  }

  return(): Promise<IteratorResult<Delivery>> {
    this.#end();
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<Delivery>> {
    this.#end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Delivery> {
    return this;
  }

  async #start(): Promise<void> {
    this.#started = true;
    const actor = await this.ctx.currentActor();
    await this.ctx.events.ready();
    if (this.#ended) return;
    this.#stopListening = this.ctx.events.listen(actor.scope, (event) => this.#inbox.push(event));
    this.#scope = actor.scope;
    this.#liveFrom = this.ctx.events.cursor;
    this.#last = this.options.afterId ?? this.#liveFrom;
  }

  /** The next replayed event, else the next live one; returned at once when one is waiting. */
  #nextEvent(): EventRecord | typeof CLOSED | Promise<EventRecord | typeof CLOSED> {
    if (this.#ended) return CLOSED;
    if (this.#inPage < this.#page.length) return this.#page[this.#inPage++]!;
    if (this.#last < this.#liveFrom) return this.#readPage().then(() => this.#nextEvent());
    for (let event = this.#inbox.poll(); event !== CLOSED; event = this.#inbox.poll()) {
      if (event === undefined) return this.#inbox.arrival().then(() => this.#nextEvent());
      // A cursor from another instance can be ahead of this one's feed.
      if (event.id <= this.#last) continue;
      this.#last = event.id;
      return event;
    }
    return CLOSED;
  }

  async #readPage(): Promise<void> {
    const page = await eventsBetween(
      this.ctx.db,
      this.#scope!,
      this.options.topics,
      this.#last,
      this.#liveFrom,
      REPLAY_PAGE,
    );
    this.#page = page;
    this.#inPage = 0;
    this.#last = page.length === REPLAY_PAGE ? page[page.length - 1]!.id : this.#liveFrom;
  }

  #end(): void {
    this.#ended = true;
    this.#inbox.close();
    this.#stopListening?.();
    this.#stopListening = null;
  }
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

/** The event delivered to the actor as now; null when `accept` refuses it; at once when both answer at once. */
function check(
  ctx: RequestContext,
  options: StreamOptions,
  event: EventRecord,
): Delivery | null | Promise<Delivery | null> {
  const actor = ctx.currentActor();
  if (actor instanceof Promise) return actor.then((now) => accepted(options, event, now));
  return accepted(options, event, actor);
}

function accepted(
  options: StreamOptions,
  event: EventRecord,
  actor: Actor,
): Delivery | null | Promise<Delivery | null> {
  const accept = options.accept(event, actor);
  if (accept instanceof Promise) return accept.then((yes) => (yes ? { event, actor } : null));
  return accept ? { event, actor } : null;
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
    this.#wakeUp();
  }

  close(): void {
    this.#closed = true;
    this.#wakeUp();
  }

  /** The next item, undefined when none is waiting, CLOSED once closed; throws once it overflowed. */
  poll(): T | undefined | typeof CLOSED {
    if (this.#closed) return CLOSED;
    if (this.#overflowed) throw lagged();
    if (this.#head === this.#items.length) return undefined;
    const item = this.#items[this.#head++]!;
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Resolves when an item is pushed or the inbox is closed. */
  arrival(): Promise<void> {
    return new Promise<void>((resolve) => (this.#wake = resolve));
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}

const lagged = () =>
  new DomainError(
    "SUBSCRIPTION_LAGGED",
    `This subscription fell more than ${MAX_PENDING} events behind and was stopped: ` +
      "subscribe again with `after` set to the last cursor you received.",
  );
