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
