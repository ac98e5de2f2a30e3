import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import { ownedBy } from "../../db/scope.js";
import { type AuditEntry, insertAuditEntries } from "./audit.store.js";

/** Records a change inside the transaction that makes it, so the audit row and the change commit together. */
export async function auditChange(
  tx: Database,
  ctx: RequestContext,
  action: string,
  entityType: string,
  entityIds: string[],
): Promise<void> {
  await insertAuditEntries(tx, [auditEntry(ctx, action, entityType, entityIds)]);
}

/** The audit row of a change the caller makes, for a store that writes it along with the change. */
export function auditEntry(ctx: RequestContext, action: string, entityType: string, entityIds: string[]): AuditEntry {
  const actor = actorOf(ctx);
  return ownedBy(actor.scope, { actorUserId: actor.userId, action, entityType, entityIds, requestId: ctx.requestId });
}

/** Writes the PHI reads a request collected, one row per action, in one statement. */
export async function flushPhiReads(ctx: RequestContext): Promise<void> {
  const reads = ctx.phiReads.drain();
  if (reads.length === 0 || !ctx.actor) return;
  const actor = ctx.actor;
  await insertAuditEntries(
    ctx.db,
    reads.map(({ action, entityType, ids }) =>
      ownedBy(actor.scope, { actorUserId: actor.userId, action, entityType, entityIds: ids, requestId: ctx.requestId }),
    ),
  );
}
