import { bigserial, index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, orgId } from "../columns.js";
import { organizations } from "./organizations.js";

/**
 * The outbox: a change others must see writes a row here in its own transaction, so no event
 * escapes a rolled-back change. Delivery (LISTEN, replay from an id) reads it.
 */
export const events = pgTable(
  "events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: orgId().references(() => organizations.id),
    /** What kind of thing changed, e.g. "work_item". */
    topic: text("topic").notNull(),
    payload: jsonb("payload").notNull().$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index("events_org_topic_id_idx").on(t.orgId, t.topic, t.id), index("events_created_at_idx").on(t.createdAt)],
);
