import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Secrets every instance of one database must share, one row per purpose ("jwt": the token signing
 * secret generated outside production when AUTH_JWT_SECRET is unset). The first instance to start
 * inserts it; the others read the same row.
 */
export const sharedSecrets = pgTable("shared_secrets", {
  purpose: text("purpose").primaryKey(),
  secret: text("secret").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});
