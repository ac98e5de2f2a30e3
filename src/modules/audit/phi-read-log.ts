import type { MiddlewareFn } from "type-graphql";
import type { RequestContext } from "../../context.js";

/** Entities whose PHI a request has read, collected as fields resolve and flushed once per response. */
export class PhiReadLog {
  private readonly byType = new Map<string, Set<string>>();

  record(entityType: string, id: string): void {
    let ids = this.byType.get(entityType);
    if (!ids) this.byType.set(entityType, (ids = new Set()));
    ids.add(id);
  }

  drain(): { entityType: string; ids: string[] }[] {
    const reads = [...this.byType].map(([entityType, ids]) => ({ entityType, ids: [...ids] }));
    this.byType.clear();
    return reads;
  }
}

/** Field middleware for PHI fields: notes that this row's PHI was read (the row's `id` is its uuid). */
export function PhiRead(entityType: "Patient" | "Encounter"): MiddlewareFn<RequestContext> {
  return ({ root, context }, next) => {
    context.phiReads.record(entityType, (root as { id: string }).id);
    return next();
  };
}
