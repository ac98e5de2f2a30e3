import { aliasedTable, and, asc, desc, eq, gte, inArray, isNull, lte, ne, notInArray, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { claimLines, claims } from "../../db/schema/claims.js";
import { facilities, payers, providers } from "../../db/schema/organizations.js";
import { coverages, patients } from "../../db/schema/patients.js";
import { acrossFacilities, organizationOnly, type Scope, sameOrganization, underFacilities } from "../../db/scope.js";
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
  const [row] = await db
    .select({ coverage: coverages, payer: payers })
    .from(coverages)
    .innerJoin(payers, and(sameOrganization(payers, coverages), eq(payers.id, coverages.payerId)))
    .where(
      and(
        underFacilities(coverages, coverages.patientId, patients, scope),
        eq(coverages.patientId, patientId),
        priority === undefined ? undefined : eq(coverages.priority, priority),
        lte(coverages.effectiveFrom, date),
        or(isNull(coverages.effectiveTo), gte(coverages.effectiveTo, date)),
      ),
    )
    .orderBy(asc(coverages.priority), desc(coverages.effectiveFrom), asc(coverages.id))
    .limit(1);
  return row;
}

const renderingProvider = aliasedTable(providers, "rendering_provider");
const referringProvider = aliasedTable(providers, "referring_provider");

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
    .innerJoin(facilities, and(sameOrganization(facilities, claims), eq(facilities.id, claims.facilityId)))
    .innerJoin(patients, and(sameOrganization(patients, claims), eq(patients.id, claims.patientId)))
    .leftJoin(coverages, and(sameOrganization(coverages, claims), eq(coverages.id, claims.coverageId)))
    .leftJoin(payers, and(sameOrganization(payers, claims), eq(payers.id, claims.payerId)))
    .leftJoin(
      renderingProvider,
      and(sameOrganization(renderingProvider, claims), eq(renderingProvider.id, claims.renderingProviderId)),
    )
    .leftJoin(
      referringProvider,
      and(sameOrganization(referringProvider, claims), eq(referringProvider.id, claims.referringProviderId)),
    )
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

/* patientControlNumberTaken: whether another claim of the organization has this CLM01. */
export async function patientControlNumberTaken(
  db: Database,
  claim: Pick<ClaimRow, "orgId" | "id" | "patientControlNumber">,
): Promise<boolean> {
  const [row] = await db
    .select({ id: claims.id })
    .from(claims)
    .where(
      and(
        acrossFacilities(claims, organizationOnly(claim.orgId)),
        eq(claims.patientControlNumber, claim.patientControlNumber),
        ne(claims.id, claim.id),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Statuses of a claim the payer has (or had) in hand and has not been told to void. */
const SENT: ClaimStatus[] = ["SUBMITTED", "ACCEPTED", "PAID", "PARTIALLY_PAID", "DENIED", "APPEALED", "CLOSED"];

/*
 * sentLinesOfPatientOn: lines of the patient's other claims for the date that went to a payer and are
 * not voided, with the claim's rendering provider: what the possible-duplicate edit compares with. The
 * claim a replacement or void corrects, and the primary claim a secondary bills after, are not duplicates of it.
 */
export function sentLinesOfPatientOn(
  db: Database,
  claim: Pick<ClaimRow, "orgId" | "id" | "patientId" | "serviceDate" | "replacesClaimId" | "primaryClaimId">,
): Promise<{ patientControlNumber: string; renderingProviderId: string | null; code: string }[]> {
  return db
    .select({
      patientControlNumber: claims.patientControlNumber,
      renderingProviderId: claims.renderingProviderId,
      code: claimLines.code,
    })
    .from(claims)
    .innerJoin(claimLines, and(sameOrganization(claimLines, claims), eq(claimLines.claimId, claims.id)))
    .where(
      and(
        acrossFacilities(claims, organizationOnly(claim.orgId)),
        eq(claims.patientId, claim.patientId),
        eq(claims.serviceDate, claim.serviceDate),
        notInArray(
          claims.id,
          [claim.id, claim.replacesClaimId, claim.primaryClaimId].filter((id): id is string => id !== null),
        ),
        inArray(claims.status, SENT),
        ne(claims.frequencyCode, "8"),
      ),
    );
}
