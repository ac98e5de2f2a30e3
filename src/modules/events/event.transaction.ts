import type { Services } from "../../context.js";
import type { Database } from "../../db/client.js";

/**
 * A write that records events (see appendEvents): one transaction, and once it has committed,
 * the instance's feed reads the new events and wakes the other instances.
 */
export async function withEvents<T>(
  ctx: Pick<Services, "db" | "events">,
  work: (tx: Database) => Promise<T>,
): Promise<T> {
  const result = await ctx.db.transaction(work);
  ctx.events.written();
  return result;
}

/**
 * As withEvents, for a write made by one statement (see eventsStatement), atomic on its own: without
 * BEGIN and COMMIT it costs one round trip rather than three. `work` may read before that statement,
 * or after it to explain why it changed nothing, but makes no other write.
 */
export async function withEventsStatement<T>(
  ctx: Pick<Services, "db" | "events">,
  work: (db: Database) => Promise<T>,
): Promise<T> {
  const result = await work(ctx.db);
  ctx.events.written();
  return result;
}
