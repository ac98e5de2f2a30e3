import { sql } from "drizzle-orm";
import {
  boolean,
  foreignKey,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, orgId } from "../columns.js";
import { facilities, organizations } from "./organizations.js";

export const role = pgEnum("role", ["CODER", "BILLER", "AUDITOR", "SUPERVISOR", "ADMIN"]);

/** A person who signs in: coder, biller, auditor, supervisor or administrator of one organization. */
export const users = pgTable(
  "users",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    /** Stored lower-case; unique across organizations because sign-in is by e-mail alone. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    roles: role("roles").array().notNull(),
    /** Professional credentials such as CPC, CCS, CRC; some queues require one. */
    credentials: text("credentials").array().notNull().default(sql`'{}'::text[]`),
    /** scrypt hash; null for users who sign in only through the external identity provider. */
    passwordHash: text("password_hash"),
    active: boolean("active").notNull().default(true),
    /**
     * Tokens carry the version they were issued at; one issued before the password changed or the
     * user was deactivated names an older one and is refused.
     */
    sessionVersion: integer("session_version").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), uniqueIndex("users_email_key").on(t.email)],
);

/** The facilities a user may see (minimum necessary). Administrators see every facility of their organization. */
export const userFacilityAccess = pgTable(
  "user_facility_access",
  {
    orgId: orgId(),
    userId: uuid("user_id").notNull(),
    facilityId: uuid("facility_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId, t.facilityId] }),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.facilityId], foreignColumns: [facilities.orgId, facilities.id] }).onDelete(
      "cascade",
    ),
  ],
);

/**
 * Failed sign-ins in a row per e-mail, shared by every server instance. An attempt is counted here
 * before its password is checked and the row deleted when it succeeds, so parallel attempts see each other.
 */
export const loginFailures = pgTable("login_failures", {
  email: text("email").primaryKey(),
  failures: integer("failures").notNull(),
  lastFailedAt: timestamp("last_failed_at", { withTimezone: true, mode: "date" }).notNull(),
  /** Until when sign-in on this e-mail waits; null before the first wait. */
  lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }),
});

/** Failed sign-ins per client address (an IPv4 address or an IPv6 /64) in a fixed window, across e-mails. */
export const loginAddressFailures = pgTable("login_address_failures", {
  address: text("address").primaryKey(),
  failures: integer("failures").notNull(),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true, mode: "date" }).notNull(),
});
