import { foreignKey, index, integer, pgEnum, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, money, orgId, updatedAt } from "../columns.js";
import { encounters } from "./encounters.js";
import { organizations, payers } from "./organizations.js";

export const claimStatus = pgEnum("claim_status", [
  "DRAFT",
  "NEEDS_REVIEW",
  "READY",
  "SUBMITTED",
  "ACCEPTED",
  "REJECTED",
  "PAID",
  "PARTIALLY_PAID",
  "DENIED",
  "APPEALED",
  "VOID",
  "CLOSED",
]);

/** A bill for one coded encounter to one payer. The claims issue adds lines, scrubbing and submission. */
export const claims = pgTable(
  "claims",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    encounterId: uuid("encounter_id").notNull(),
    payerId: uuid("payer_id"),
    status: claimStatus("status").notNull().default("DRAFT"),
    totalCharge: money("total_charge").notNull().default("0.00"),
    paidAmount: money("paid_amount").notNull().default("0.00"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.encounterId], foreignColumns: [encounters.orgId, encounters.id] }),
    foreignKey({ columns: [t.orgId, t.payerId], foreignColumns: [payers.orgId, payers.id] }),
    index("claims_org_encounter_idx").on(t.orgId, t.encounterId),
  ],
);
