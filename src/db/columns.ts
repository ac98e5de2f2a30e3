import { numeric, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Row id; with `org_id` it forms the primary key of every tenant
 * table, so keys lead with the tenant (shardable by org).
 */
export const id = () => uuid("id").notNull().defaultRandom();
/** The tenant of a row; leads every tenant table's primary key, so rows of one organization sit together. */
export const orgId = () => uuid("org_id").notNull();
/** When the row was written, by the database's clock rather than the instance's. */
export const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
/** When the row last changed: each update sets it. */
export const updatedAt = () => timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
/** Money is exact: numeric(12,2), read and written as a decimal string, never a float. */
export const money = (name: string) => numeric(name, { precision: 12, scale: 2 });
