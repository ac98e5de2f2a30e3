import {
  aliasedTable,
  and,
  asc,
  desc,
  eq,
  exists,
  getTableColumns,
  gte,
  inArray,
  isNull,
  lte,
  ne,
  notInArray,
  or,
  type Placeholder,
  sql,
} from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { type Database, StatementCache } from "../../db/client.js";
import { claimLines, claims } from "../../db/schema/claims.js";
import { placesOfService } from "../../db/schema/codesets.js";
import { facilities, payers, providers } from "../../db/schema/organizations.js";
import { coverages, patients } from "../../db/schema/patients.js";
import {
  acrossFacilities,
  inFacilities,
  organizationOnly,
  type Scope,
  sameOrganization,
  underFacilities,
} from "../../db/scope.js";
import { type ClaimRow, type ClaimStatus, visibleClaims } from "./claim.store.js";

/*
 * What a claim names beyond its own columns (the coverage it bills, its facility, patient and providers) and the
 * organization's other claims the scrubber compares it with (its number taken, the same service sent already).
 */

/** A patient's coverage with its payer, as a claim bills it. */
export interface BilledCoverage {
  coverage: typeof coverages.$inferSelect;
  payer: typeof payers.$inferSelect;
}

/** The coverage of priority 2: the one a secondary claim bills. */
export const SECONDARY_PRIORITY = 2;

/**
 * The patient's coverages in force on the date (from effective_from through effective_to), the one to bill
 * first: of lowest priority, or of `priority` when given (a secondary claim's, 2).
 */
function coveragesInForce(
  scope: Scope,
  patientId: string | Placeholder,
  date: string | Placeholder,
  priority?: number,
) {
  return {
    where: and(
      underFacilities(coverages, coverages.patientId, patients, scope),
      eq(coverages.patientId, patientId),
      priority === undefined ? undefined : eq(coverages.priority, priority),
      lte(coverages.effectiveFrom, date),
      or(isNull(coverages.effectiveTo), gte(coverages.effectiveTo, date)),
    ),
    order: [asc(coverages.priority), desc(coverages.effectiveFrom), asc(coverages.id)],
  };
}

/*
 * primaryCoverageOn: the patient's coverage of lowest priority in force on the date (from
 * effective_from through effective_to), with its payer; undefined when none is. With `priority`, the
 * coverage of that priority (a secondary claim's, 2).
 */
export async function primaryCoverageOn(
  db: Database,
  scope: Scope,
  patientId: string,
  date: string,
  priority?: number,
): Promise<BilledCoverage | undefined> {
  const inForce = coveragesInForce(scope, patientId, date, priority);
  const [row] = await db
    .select({ coverage: coverages, payer: payers })
    .from(coverages)
    .innerJoin(payers, and(sameOrganization(payers, coverages), eq(payers.id, coverages.payerId)))
    .where(inForce.where)
    .orderBy(...inForce.order)
    .limit(1);
  return row;
}

const renderingProvider = aliasedTable(providers, "rendering_provider");
const referringProvider = aliasedTable(providers, "referring_provider");

/** The join of a row a claim names by `column`, in the claim's organization. */
const ofClaim = (table: { orgId: PgColumn; id: PgColumn }, column: PgColumn) =>
  and(sameOrganization(table, claims), eq(table.id, column));

/** Everything a claim names beyond its own columns, read in one statement for the scrubber and the 837P. */
export interface ClaimParties {
  facility: typeof facilities.$inferSelect;
  patient: typeof patients.$inferSelect;
  coverage: typeof coverages.$inferSelect | null;
  payer: typeof payers.$inferSelect | null;
  renderingProvider: typeof providers.$inferSelect | null;
  referringProvider: typeof providers.$inferSelect | null;
}

/* claimParties: the facility, patient, coverage, payer and providers of each claim, by claim id. */
export async function claimParties(
  db: Database,
  scope: Scope,
  claimRows: readonly ClaimRow[],
): Promise<Map<string, ClaimParties>> {
  if (claimRows.length === 0) return new Map();
  const rows = await db
    .select({
      claimId: claims.id,
      facility: facilities,
      patient: patients,
      coverage: coverages,
      payer: payers,
      renderingProvider,
      referringProvider,
    })
    .from(claims)
    .innerJoin(facilities, ofClaim(facilities, claims.facilityId))
    .innerJoin(patients, and(sameOrganization(patients, claims), eq(patients.id, claims.patientId)))
    .leftJoin(coverages, and(sameOrganization(coverages, claims), eq(coverages.id, claims.coverageId)))
    .leftJoin(payers, and(sameOrganization(payers, claims), eq(payers.id, claims.payerId)))
    .leftJoin(renderingProvider, ofClaim(renderingProvider, claims.renderingProviderId))
    .leftJoin(referringProvider, ofClaim(referringProvider, claims.referringProviderId))
    .where(
      and(
        visibleClaims(scope),
        inArray(
          claims.id,
          claimRows.map((claim) => claim.id),
        ),
      ),
    );
  return new Map(rows.map(({ claimId, ...parties }) => [claimId, parties]));
}

/** What the scrubber reads about one claim besides its lines and the organization's other claims. */
export interface ScrubbedParties {
  /** The claim's parties, with the coverage and payer it bills (`coverage`). */
  parties: ClaimParties;
  /**
   * The coverage billed: for a claim not yet sent (`inForce`), the patient's in force on the date of service
   * as registration says now, else the claim's own; null when there is none.
   */
  coverage: BilledCoverage | null;
  /** Another claim of the organization has this patient control number (CLM01). */
  patientControlNumberTaken: boolean;
  /** The claim's place of service is a CMS code. */
  placeOfServiceKnown: boolean;
}

/** The coverage and payer billed, aliased: the coverage in force is chosen by a subquery on coverages itself. */
const billedCoverage = aliasedTable(coverages, "billed_coverage");
const billedPayer = aliasedTable(payers, "billed_payer");

/** The select list of scrubbedParties. */
const scrubbedColumns = {
  facility: getTableColumns(facilities),
  patient: getTableColumns(patients),
  coverage: getTableColumns(billedCoverage),
  payer: getTableColumns(billedPayer),
  renderingProvider: getTableColumns(renderingProvider),
  referringProvider: getTableColumns(referringProvider),
  patientControlNumberTaken: sql<boolean>`patient_control_number_taken`,
  placeOfServiceKnown: sql<boolean>`place_of_service_known`,
};

/** scrubbedParties, compiled once per scope and kind of coverage read. */
const scrubbedStatements = new StatementCache<
  ClaimParties & { patientControlNumberTaken: boolean; placeOfServiceKnown: boolean }
>(scrubbedColumns);

/**
 * scrubbedParties: the parties of a claim the caller has read, the coverage it bills (with `inForce`, the
 * patient's coverage of that priority in force on its date of service; without, its own) and the facts the
 * claim-form edits check against other rows, in one statement. It is compiled once per scope and prepared:
 * the scrubber runs it on every change to a claim, and seven joins cost more to build and plan than to run.
 */
export async function scrubbedParties(
  db: Database,
  scope: Scope,
  claim: ClaimRow,
  inForce?: { priority?: number | undefined },
): Promise<ScrubbedParties | undefined> {
  const build = () => {
    const claimId = sql.placeholder("claimId");
    const current =
      inForce &&
      coveragesInForce(scope, sql.placeholder("patientId"), sql.placeholder("serviceDate"), inForce.priority);
    const coverageId = current
      ? sql`(${db
          .select({ id: coverages.id })
          .from(coverages)
          .where(current.where)
          .orderBy(...current.order)
          .limit(1)})`
      : claims.coverageId;
    const otherClaim = db
      .select({ id: claims.id })
      .from(claims)
      .where(
        and(
          acrossFacilities(claims, organizationOnly(scope.orgId)),
          eq(claims.patientControlNumber, sql.placeholder("patientControlNumber")),
          ne(claims.id, claimId),
        ),
      );
    const place = db.select({ code: placesOfService.code }).from(placesOfService);
    const { patientControlNumberTaken: _taken, placeOfServiceKnown: _known, ...parties } = scrubbedColumns;
    return db
      .select({
        ...parties,
        patientControlNumberTaken: sql`${exists(otherClaim)} as patient_control_number_taken`,
        placeOfServiceKnown: sql`${exists(place.where(eq(placesOfService.code, claims.placeOfService)))}
          as place_of_service_known`,
      })
      .from(claims)
      .innerJoin(facilities, ofClaim(facilities, claims.facilityId))
      .innerJoin(
        patients,
        and(sameOrganization(patients, claims), eq(patients.id, claims.patientId), inFacilities(patients, scope)),
      )
      .leftJoin(billedCoverage, and(sameOrganization(billedCoverage, claims), eq(billedCoverage.id, coverageId)))
      .leftJoin(
        billedPayer,
        and(
          sameOrganization(billedPayer, claims),
          eq(billedPayer.id, current ? billedCoverage.payerId : claims.payerId),
        ),
      )
      .leftJoin(renderingProvider, ofClaim(renderingProvider, claims.renderingProviderId))
      .leftJoin(referringProvider, ofClaim(referringProvider, claims.referringProviderId))
      .where(and(inFacilities(claims, scope), eq(claims.id, claimId)));
  };
  const key = JSON.stringify([inForce ? (inForce.priority ?? "first") : "own", scope.orgId, scope.facilityIds]);
  const [row] = await scrubbedStatements.run(db, key, build, {
    claimId: claim.id,
    patientId: claim.patientId,
    serviceDate: claim.serviceDate,
    patientControlNumber: claim.patientControlNumber,
  });
  if (!row) return undefined;
  const { coverage, payer, patientControlNumberTaken, placeOfServiceKnown, ...parties } = row;
  return {
    parties: { ...parties, coverage, payer },
    coverage: coverage && payer && { coverage, payer },
    patientControlNumberTaken,
    placeOfServiceKnown,
  };
}

/** Statuses of a claim the payer has (or had) in hand and has not been told to void. */
const SENT: ClaimStatus[] = ["SUBMITTED", "ACCEPTED", "PAID", "PARTIALLY_PAID", "DENIED", "APPEALED", "CLOSED"];

/** A line of another claim the possible-duplicate edit compares with. */
export interface SentLine {
  patientControlNumber: string;
  renderingProviderId: string | null;
  code: string;
}

const sentLineColumns = {
  patientControlNumber: claims.patientControlNumber,
  renderingProviderId: claims.renderingProviderId,
  code: claimLines.code,
};
/** sentLinesOfPatientOn, compiled once per organization and kind of claims it leaves out. */
const sentLinesStatements = new StatementCache<SentLine>(sentLineColumns);

/*
 * sentLinesOfPatientOn: lines of the patient's other claims for the date that went to a payer and are
 * not voided, with the claim's rendering provider: what the possible-duplicate edit compares with. The
 * claim a replacement or void corrects, and the primary claim a secondary bills after, are not duplicates of it.
 * Compiled once and prepared, as the scrubber's other reads: see scrubbedParties.
 */
export function sentLinesOfPatientOn(
  db: Database,
  claim: Pick<ClaimRow, "orgId" | "id" | "patientId" | "serviceDate" | "replacesClaimId" | "primaryClaimId">,
): Promise<SentLine[]> {
  const others = { id: claim.id, replaces: claim.replacesClaimId, primary: claim.primaryClaimId };
  const excluded = Object.entries(others).flatMap(([name, id]) => (id === null ? [] : [name]));
  const build = () =>
    db
      .select(sentLineColumns)
      .from(claims)
      .innerJoin(claimLines, and(sameOrganization(claimLines, claims), eq(claimLines.claimId, claims.id)))
      .where(
        and(
          acrossFacilities(claims, organizationOnly(claim.orgId)),
          eq(claims.patientId, sql.placeholder("patientId")),
          eq(claims.serviceDate, sql.placeholder("serviceDate")),
          notInArray(
            claims.id,
            excluded.map((name) => sql.placeholder(name)),
          ),
          inArray(claims.status, SENT),
          ne(claims.frequencyCode, "8"),
        ),
      );
  return sentLinesStatements.run(db, JSON.stringify([claim.orgId, excluded]), build, {
    ...others,
    patientId: claim.patientId,
    serviceDate: claim.serviceDate,
  });
}
