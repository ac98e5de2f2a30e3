import { sql } from "drizzle-orm";
import {
  check,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, money, orgId } from "../columns.js";

/** A tenant: a healthcare client of the revenue-cycle company. */
export const organizations = pgTable(
  "organizations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    slug: text("slug").notNull().unique(),
    /** Share of coded encounters (percent) sampled for coding review, beyond a coder's first ones. */
    codingQaPercent: smallint("coding_qa_percent").notNull().default(10),
    /** The largest write-off a biller may make alone; above it only a supervisor or an administrator may. */
    writeOffApprovalLimit: money("write_off_approval_limit").notNull().default("100.00"),
    createdAt: createdAt(),
  },
  (t) => [
    check("organizations_coding_qa_percent_range", sql`${t.codingQaPercent} between 0 and 100`),
    check("organizations_write_off_approval_limit_not_negative", sql`${t.writeOffApprovalLimit} >= 0`),
  ],
);

/** A billing entity of an organization, with its own NPI and tax id. */
export const facilities = pgTable(
  "facilities",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    name: text("name").notNull(),
    npi: text("npi").notNull(),
    taxId: text("tax_id").notNull(),
    addressLine1: text("address_line1").notNull(),
    city: text("city").notNull(),
    state: text("state").notNull(),
    postalCode: text("postal_code").notNull(),
    /** Health care provider taxonomy of the billing provider (837P PRV*BI); null until registered. */
    taxonomyCode: text("taxonomy_code"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), uniqueIndex("facilities_org_npi_key").on(t.orgId, t.npi)],
);

/** A clinician who renders services (NPI type 1). */
export const providers = pgTable(
  "providers",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    facilityId: uuid("facility_id").notNull(),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    credential: text("credential"),
    npi: text("npi").notNull(),
    taxonomyCode: text("taxonomy_code").notNull(),
    specialty: text("specialty").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.facilityId], foreignColumns: [facilities.orgId, facilities.id] }),
    uniqueIndex("providers_org_npi_key").on(t.orgId, t.npi),
    index("providers_org_facility_idx").on(t.orgId, t.facilityId),
  ],
);

export const payerKind = pgEnum("payer_kind", ["MEDICARE", "MEDICAID", "COMMERCIAL", "SELF_PAY"]);

/** An insurer (or self-pay) that claims are billed to. */
export const payers = pgTable(
  "payers",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    name: text("name").notNull(),
    /** The X12 payer identifier used in 837 NM1*PR. */
    payerId: text("payer_id").notNull(),
    kind: payerKind("kind").notNull(),
    timelyFilingDays: integer("timely_filing_days").notNull(),
    /** Days after submission without payment before a claim to this payer needs a follow-up call. */
    followUpDays: integer("follow_up_days").notNull().default(30),
    /** Days after a denial the payer accepts an appeal: an appeal's deadline unless the biller knows better. */
    appealDays: integer("appeal_days").notNull().default(120),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("payers_org_payer_id_key").on(t.orgId, t.payerId),
    check("payers_follow_up_days_positive", sql`${t.followUpDays} > 0`),
    check("payers_appeal_days_positive", sql`${t.appealDays} > 0`),
  ],
);
