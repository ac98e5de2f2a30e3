import type { RequestContext } from "../../context.js";
import type { Database } from "../../db/client.js";
import { notFound } from "../../shared/errors.js";
import { Settling } from "../../shared/settling.js";
import type { Actor } from "../auth/index.js";
import type { EventRecord } from "../events/index.js";
import { closable, type Delivery, eventIdOf, eventStream } from "../events/index.js";
import { WORK_ITEM_TOPIC, type WorkItemEventPayload } from "./work.history.js";
import { mayView, mayViewItem } from "./work.policy.js";
import { findQueue } from "./work.service.js";
import { type QueueStatsRow, queueStats, queuesOfOrganization, type WorkQueueRow } from "./work.store.js";

/** How stale the queue definitions a delivery is checked against may be. */
const QUEUE_RECHECK_MS = 1_000;
/** queueStats pushes at most one update per queue per this many milliseconds. */
const STATS_INTERVAL_MS = 250;
/** Overdue counts change with the clock alone: stats are recomputed at least this often. */
const STATS_REFRESH_MS = 60_000;

const payloadOf = (event: EventRecord) => event.payload as unknown as WorkItemEventPayload;

/**
 * Queue definitions per organization, at most QUEUE_RECHECK_MS old, shared by every subscriber
 * of the instance: whether a queue asks for a credential is re-checked on each delivery without
 * a query per subscriber.
 */
const queueDirectories = new WeakMap<Database, Map<string, QueueDirectory>>();

interface QueueDirectory {
  at: number;
  /** Checked against without a promise once read. */
  queues: Settling<Map<string, WorkQueueRow>>;
}

function queuesNow(db: Database, actor: Actor): Map<string, WorkQueueRow> | Promise<Map<string, WorkQueueRow>> {
  let byOrg = queueDirectories.get(db);
  if (!byOrg) {
    byOrg = new Map();
    queueDirectories.set(db, byOrg);
  }
  const cached = byOrg.get(actor.orgId);
  if (cached && Date.now() - cached.at < QUEUE_RECHECK_MS) return cached.queues.now();
  const queues = queuesOfOrganization(db, actor.scope).then((rows) => new Map(rows.map((q) => [q.id, q])));
  byOrg.set(actor.orgId, { at: Date.now(), queues: new Settling(queues) });
  queues.catch(() => byOrg.delete(actor.orgId));
  return queues;
}

/**
 * Whether the actor, as now, may see this change: whether they may see its item (work.policy's
 * mayViewItem). Answered at once while the queue definitions are fresh.
 */
function maySee(db: Database, actor: Actor, event: EventRecord): boolean | Promise<boolean> {
  if (event.topic !== WORK_ITEM_TOPIC) return false;
  const change = payloadOf(event);
  const allowed = (queues: Map<string, WorkQueueRow>) => {
    const queue = queues.get(change.queueId);
    return queue !== undefined && mayViewItem(actor, queue, change);
  };
  const queues = queuesNow(db, actor);
  return queues instanceof Promise ? queues.then(allowed) : allowed(queues);
}

function afterId(ctx: RequestContext, after: string | null | undefined): number | null {
  return after ? eventIdOf(after, ctx.events.retentionMs) : null;
}

/** Changes to items of the queues the caller may see (or of one of them), replayed from `after` then live. */
export async function workItemEvents(
  ctx: RequestContext,
  queueGlobalId: string | null | undefined,
  after: string | null | undefined,
): Promise<AsyncIterable<Delivery>> {
  let queueId: string | null = null;
  if (queueGlobalId) {
    const queue = await findQueue(ctx, queueGlobalId);
    if (!queue) throw notFound("WorkQueue", "queueId");
    queueId = queue.id;
  }
  return eventStream(ctx, {
    topics: [WORK_ITEM_TOPIC],
    afterId: afterId(ctx, after),
    accept: (event, actor) =>
      (queueId === null || payloadOf(event).queueId === queueId) && maySee(ctx.db, actor, event),
  });
}

/**
 * Changes to items assigned to the caller: an item claimed by or assigned to them, and the
 * change that takes it away (released, expired, reassigned, finished); like every path, only
 * items the caller may see.
 */
export async function myAssignmentEvents(
  ctx: RequestContext,
  after: string | null | undefined,
): Promise<AsyncIterable<Delivery>> {
  return eventStream(ctx, {
    topics: [WORK_ITEM_TOPIC],
    afterId: afterId(ctx, after),
    accept: async (event, actor) => {
      if (event.topic !== WORK_ITEM_TOPIC) return false;
      const change = payloadOf(event);
      const mine = change.assigneeId === actor.userId || change.previousAssigneeId === actor.userId;
      return mine && (await maySee(ctx.db, actor, event));
    },
  });
}

/** One queueStats update, with the actor it was computed for. */
export interface StatsUpdate {
  stats: QueueStatsRow;
  actor: Actor;
}

/**
 * Live counts of one queue: the current counts at once, then new counts after changes to its
 * items, at most one update per STATS_INTERVAL_MS (changes in between are folded into the next),
 * and only when a count differs from the last update sent.
 */
export async function queueStatsUpdates(
  ctx: RequestContext,
  queueGlobalId: string,
): Promise<AsyncIterableIterator<StatsUpdate>> {
  const queue = await findQueue(ctx, queueGlobalId);
  if (!queue) throw notFound("WorkQueue", "queueId");
  const actor = await ctx.currentActor();
  await ctx.events.ready();
  const signal = new ChangeSignal(ctx.events.cursor);
  const updates = (async function* (): AsyncGenerator<StatsUpdate> {
    const stopListening = ctx.events.listen(actor.scope, (event) => {
      if (event.topic === WORK_ITEM_TOPIC && payloadOf(event).queueId === queue.id) signal.raise(event.id);
    });
    const refresh = setInterval(() => signal.raise(ctx.events.cursor), STATS_REFRESH_MS);
    refresh.unref();
    try {
      let sent: string | null = null;
      let sentAt = 0;
      for (let seen = await signal.next(); seen !== null; seen = await signal.next()) {
        const wait = sentAt + STATS_INTERVAL_MS - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const upTo = Math.max(seen, signal.take() ?? seen);
        const now = await ctx.currentActor();
        const current = (await queuesNow(ctx.db, now)).get(queue.id);
        if (!current || !mayView(now, current)) throw notFound("WorkQueue", "queueId");
        const stats = await sharedStats(ctx.db, now, queue.id, upTo);
        sentAt = Date.now();
        const key = JSON.stringify(stats);
        if (key === sent) continue;
        sent = key;
        yield { stats, actor: now };
      }
    } finally {
      stopListening();
      clearInterval(refresh);
    }
  })();
  return closable(updates, () => signal.close());
}

/**
 * Counts shared by every subscriber of one queue with the same facilities: a thousand
 * supervisors watching one queue cost one query per update, not a thousand. A computation is
 * reused only if it began after the event that asks for it had been read.
 */
const statsInFlight = new WeakMap<
  Database,
  Map<string, { cursor: number; at: number; stats: Promise<QueueStatsRow> }>
>();

function sharedStats(db: Database, actor: Actor, queueId: string, throughEventId: number): Promise<QueueStatsRow> {
  let byKey = statsInFlight.get(db);
  if (!byKey) {
    byKey = new Map();
    statsInFlight.set(db, byKey);
  }
  const key = `${actor.orgId}:${queueId}:${[...actor.scope.facilityIds].sort().join(",")}`;
  const cached = byKey.get(key);
  if (cached && cached.cursor >= throughEventId && Date.now() - cached.at < STATS_INTERVAL_MS) return cached.stats;
  const stats = queueStats(db, actor.scope, [queueId]).then(([row]) => row!);
  byKey.set(key, { cursor: throughEventId, at: Date.now(), stats });
  stats.catch(() => byKey.delete(key));
  return stats;
}

/** "Something changed, up to event N": raised by the feed, taken by one consumer; raises in between fold into one. */
class ChangeSignal {
  #pending: number | null;
  #closed = false;
  #wake: (() => void) | null = null;

  /** Starts raised, so the first update goes out at once. */
  constructor(initial: number) {
    this.#pending = initial;
  }

  raise(eventId: number): void {
    this.#pending = Math.max(this.#pending ?? eventId, eventId);
    this.#wake?.();
  }

  /** Takes what is pending now, if anything, without waiting. */
  take(): number | null {
    const pending = this.#pending;
    this.#pending = null;
    return pending;
  }

  /** Waits for a raise; null once closed. */
  async next(): Promise<number | null> {
    while (this.#pending === null && !this.#closed) {
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = null;
    }
    return this.#closed ? null : this.take();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }
}
