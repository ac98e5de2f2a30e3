import { and, getTableName, gt, inArray, lt, lte, max, SQL, type SQLWrapper, sql } from "drizzle-orm";
import { type Database, StatementCache, selectRows } from "../../db/client.js";
import { LOCKS } from "../../db/locks.js";
import { events } from "../../db/schema/events.js";
import { inOrg, type OrganizationScope, type Scope } from "../../db/scope.js";

/** One outbox row: a change others must see, in the order the database numbered it. */
export type EventRecord = typeof events.$inferSelect;

export interface NewEvent {
  orgId: string;
  topic: string;
  payload: Record<string, unknown>;
}

/**
 * appendEvents: outbox rows inside the caller's transaction, numbered in the given order, in one
 * statement with the writes `alongside`, Drizzle queries not yet run (the history and audit rows
 * of the same change, say).
 */
export async function appendEvents(
  db: Database,
  rows: readonly NewEvent[],
  alongside: readonly SQLWrapper[] = [],
): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(rows.map((r) => ({ org_id: r.orgId, topic: r.topic, payload: r.payload })));
  await db.execute(
    eventsStatement(
      alongside.map((write, i) => [`w${i}`, write] as const),
      sql`select e.org_id, e.topic, e.payload, e.n
        from rows from (jsonb_to_recordset(${json}::jsonb) as (org_id uuid, topic text, payload jsonb))
             with ordinality as e(org_id, topic, payload, n)`,
    ),
  );
}

/**
 * One statement that writes outbox rows along with other writes, the only shape in which events are
 * written: the common table expressions `before` (named queries, which may read each other), then the
 * events that `source` selects (org_id, topic, payload, and n, which numbers them in its order), then
 * the query `result` (the statement answers its rows; none without it). One statement is atomic on its
 * own, so a write made entirely of it needs no transaction (see withEventsStatement).
 *
 * The materialized CTE makes the transaction take its transaction id before the sequence hands
 * out the events' ids. The feed relies on it: a transaction holding an id that readers do not see
 * yet is then among those a snapshot lists as running (see EventFeed). The lock on the events
 * table, which EventFeed's eventWriters looks for, is taken when the statement starts.
 */
export function eventsStatement(
  before: readonly (readonly [name: string, query: SQLWrapper])[],
  source: SQL,
  result?: SQL,
): SQL {
  // Drizzle puts an embedded query in parentheses itself; a bare `sql` fragment needs them.
  const ctes = before.map(([name, query]) =>
    query instanceof SQL ? sql`, ${sql.identifier(name)} as (${query})` : sql`, ${sql.identifier(name)} as ${query}`,
  );
  const columns = [events.orgId, events.topic, events.payload].map((column) => sql.identifier(column.name));
  const insert = sql`insert into ${events} (${sql.join(columns, sql`, `)})
    select e.org_id, e.topic, e.payload from tx, (${source}) e where tx.xid is not null order by e.n`;
  return result
    ? sql`with tx as materialized (select pg_current_xact_id() as xid)${sql.join(ctes)}, outbox as (${insert})
      ${result}`
    : sql`with tx as materialized (select pg_current_xact_id() as xid)${sql.join(ctes)}
      ${insert}`;
}

/** An outbox row read back as JSON (under the names of `EventRecord`): JSON has no timestamp type. */
type JsonEvent = Omit<EventRecord, "createdAt"> & { createdAt: string };

const fromJson = (row: JsonEvent): EventRecord => ({ ...row, createdAt: new Date(row.createdAt) });

/** What one read of the outbox saw, and the snapshot it saw it in. */
export interface EventBatch {
  events: EventRecord[];
  /** Oldest transaction id still running when the read began: every older one had ended. */
  xmin: bigint;
}

/**
 * The feed's read, prepared: it runs after every commit that wrote events, and unprepared its parse and
 * plan cost PostgreSQL more than running it.
 */
const eventsAfterStatement = new StatementCache<{ xmin: string; events: JsonEvent[] | string }>({
  xmin: sql`xmin`,
  events: sql`events`,
});

/** The next events by id, with the xmin of the snapshot they were read in (one statement, one snapshot). */
export async function eventsAfter(db: Database, afterId: number, limit: number): Promise<EventBatch> {
  const build = () =>
    sql`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin,
               coalesce((select json_agg(e order by e.id)
                         from (select ${events.id} as "id", ${events.orgId} as "orgId", ${events.topic} as "topic",
                                      ${events.payload} as "payload", ${events.createdAt} as "createdAt"
                                 from ${events} where ${events.id} > ${sql.placeholder("afterId")}
                                 order by ${events.id} limit ${sql.placeholder("limit")}) e),
                        '[]'::json) as events`;
  const [row] = await eventsAfterStatement.run(db, "eventsAfter", build, { afterId, limit });
  const read = typeof row!.events === "string" ? (JSON.parse(row!.events) as JsonEvent[]) : row!.events;
  return { events: read.map(fromJson), xmin: BigInt(row!.xmin) };
}

/** The highest event id visible now. */
export async function newestEventId(db: Database): Promise<number> {
  const [row] = await db.select({ id: max(events.id) }).from(events);
  return row?.id ?? 0;
}

/**
 * A transaction id above every one handed out before this call (it takes one
 * of its own). Not pg_snapshot_xmax: that is one past the newest *finished* transaction, and a
 * transaction that took its id later may still be running.
 */
export async function transactionIdBound(db: Database): Promise<bigint> {
  const [row] = await selectRows<{ xid: string }>(db, sql`select pg_current_xact_id()::text as xid`);
  return BigInt(row!.xid);
}

/**
 * The transactions holding a lock on the events table now, which every transaction
 * inserting events takes before the sequence hands it an id and keeps until it ends. One that
 * holds an id readers cannot see yet is among them.
 */
export async function eventWriters(db: Database): Promise<string[]> {
  const [row] = await selectRows<{ xids: string[] | string }>(
    db,
    sql`select coalesce(array_agg(distinct a.backend_xid::text), '{}') as xids
        from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'relation' and l.relation = ${getTableName(events)}::regclass and a.backend_xid is not null`,
  );
  const xids = row!.xids;
  return typeof xids === "string" ? xids.replace(/[{}]/g, "").split(",").filter(Boolean) : xids;
}

/**
 * Whether none of these transactions is still running, and the xmin of a snapshot
 * taken now.
 */
export async function writersEnded(db: Database, xids: readonly string[]): Promise<{ ended: boolean; xmin: bigint }> {
  const [row] = await selectRows<{ running: number; xmin: string }>(
    db,
    sql`select (select count(*)::int from pg_stat_activity
                 where backend_xid::text = any(${`{${xids.join(",")}}`}::text[])) as running,
               pg_snapshot_xmin(pg_current_snapshot())::text as xmin`,
  );
  return { ended: row!.running === 0, xmin: BigInt(row!.xmin) };
}

/** The caller's organization's events of some topics with afterId < id <= throughId, oldest first. */
export function eventsBetween(
  db: Database,
  scope: Scope | OrganizationScope,
  topics: readonly string[],
  afterId: number,
  throughId: number,
  limit: number,
): Promise<EventRecord[]> {
  return db
    .select()
    .from(events)
    .where(
      and(inOrg(events, scope), inArray(events.topic, [...topics]), gt(events.id, afterId), lte(events.id, throughId)),
    )
    .orderBy(events.id)
    .limit(limit);
}

/**
 * Deletes events older than `before`, a batch at a time, on one instance at a
 * time (the advisory lock is held for the transaction); null when another instance is purging.
 */
export async function purgeEventsBefore(db: Database, before: Date, batch: number): Promise<number | null> {
  return db.transaction(async (tx) => {
    const [lock] = await selectRows<{ locked: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(${LOCKS.eventPurge}) as locked`,
    );
    if (!lock!.locked) return null;
    // Through the column, so `before` reaches either driver as a timestamp (postgres.js takes no
    // Date as a bare parameter).
    const oldest = tx
      .select({ id: events.id })
      .from(events)
      .where(lt(events.createdAt, before))
      .orderBy(events.id)
      .limit(batch);
    const deleted = await tx.delete(events).where(inArray(events.id, oldest)).returning({ id: events.id });
    return deleted.length;
  });
}
