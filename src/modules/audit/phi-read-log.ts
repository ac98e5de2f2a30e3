import type { MiddlewareFn, ResolverData } from "type-graphql";
import type { RequestContext } from "../../context.js";

type PhiEntity = "Patient" | "Encounter" | "PhysicianQuery" | "SubmissionBatch";
/** `read`: a PHI field was returned. `search`: the row matched a search on its PHI (a name, an MRN). */
type PhiAccess = "read" | "search";

/** The rows of one entity type a response read PHI of, in one way. */
export interface PhiReadEntry {
  entityType: PhiEntity;
  access: PhiAccess;
  ids: readonly string[];
}

/** Entities whose PHI a request has read, collected as fields resolve and flushed once per response. */
export class PhiReadLog {
  private readonly byAction = new Map<string, { entityType: PhiEntity; access: PhiAccess; ids: Set<string> }>();

  record(entityType: PhiEntity, id: string, access: PhiAccess = "read"): void {
    const action = `${entityType.toLowerCase()}.${access}`;
    let entry = this.byAction.get(action);
    if (!entry) {
      entry = { entityType, access, ids: new Set() };
      this.byAction.set(action, entry);
    }
    entry.ids.add(id);
  }

  /** Another response's reads, as this one's: a subscriber handed an answer computed for another. */
  recordAll({ entityType, access, ids }: PhiReadEntry): void {
    for (const id of ids) this.record(entityType, id, access);
  }

  /** Whether nothing has been read since the last drain: a flush would write nothing. */
  get empty(): boolean {
    return this.byAction.size === 0;
  }

  /** The reads so far, kept for the flush. */
  entries(): PhiReadEntry[] {
    return [...this.byAction.values()].map(({ entityType, access, ids }) => ({ entityType, access, ids: [...ids] }));
  }

  /** The reads so far, one entry per audit action (`patient.read`, `patient.search`, …); the log is empty after. */
  drain(): { action: string; entityType: PhiEntity; ids: string[] }[] {
    const reads = [...this.byAction].map(([action, { entityType, ids }]) => ({ action, entityType, ids: [...ids] }));
    this.byAction.clear();
    return reads;
  }
}

/**
 * Field middleware for PHI fields: notes that this row's PHI was read. The entity is the row itself
 * (its `id` is its uuid), or the one `entityOf` names: an encounter's codes are a read of the encounter.
 */
export function PhiRead<Row = { id: string }>(
  entityType: PhiEntity,
  entityOf: (row: Row) => string = (row) => (row as { id: string }).id,
): MiddlewareFn<RequestContext> {
  const beforeField = ({ root, context }: ResolverData<RequestContext>) =>
    context.phiReads.record(entityType, entityOf(root as Row));
  // It does nothing after the field: saying so (`beforeField`) lets the field run it without type-graphql's
  // async middleware chain (src/graphql/field-resolvers.ts).
  const middleware: MiddlewareFn<RequestContext> = (data, next) => {
    beforeField(data);
    return next();
  };
  return Object.assign(middleware, { beforeField });
}
