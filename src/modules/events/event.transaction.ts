import type { Services } from "../../context.js";
import type { Database } from "../../db/client.js";

/**
 * A write that records events (see recordChanges): one transaction. Every write that records
 * events goes through here, so that listeners can be woken once it has committed.
 */
export function withEvents<T>(ctx: Pick<Services, "db">, work: (tx: Database) => Promise<T>): Promise<T> {
  return ctx.db.transaction(work);
}
