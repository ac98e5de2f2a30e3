import { bigserial, index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, orgId } from "../columns.js";

/**
 * The outbox: a change others must see writes a row here in its own transaction, so no event
 * escapes a rolled-back change. Delivery (LISTEN, replay from an id) reads it.
 *
 * Every write of a work item, claim or encounter adds a row, so the table is kept light, as the audit
 * log is. Its organization is no foreign key: events are written only by eventsStatement, from rows of
 * the organization's own tables, and a key would lock the organization's row for every event (under
 * concurrent writers a MultiXact each: 4 of the 42 write-ahead log records of a claim and its
 * completion). The purge's index on `created_at` is a BRIN: rows arrive in time order, and a BRIN
 * costs an insert almost nothing.
 */
export const events = pgTable(
  "events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: orgId(),
    /** What kind of thing changed, e.g. "work_item". */
    topic: text("topic").notNull(),
    payload: jsonb("payload").notNull().$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("events_org_topic_id_idx").on(t.orgId, t.topic, t.id),
    index("events_created_at_brin").using("brin", t.createdAt),
  ],
);
