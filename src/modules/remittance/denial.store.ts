import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { claims } from "../../db/schema/claims.js";
import { organizations, payers } from "../../db/schema/organizations.js";
import { claimAdjustments, claimAppeals } from "../../db/schema/remittance.js";
import { inOrg, ownedBy, ownOrganization, type Scope, underFacilities } from "../../db/scope.js";

export type ClaimAppealRow = typeof claimAppeals.$inferSelect;

/* insertAppeal */
export async function insertAppeal(
  db: Database,
  scope: Scope,
  values: Omit<typeof claimAppeals.$inferInsert, "orgId" | "id" | "createdAt">,
): Promise<ClaimAppealRow> {
  const [row] = await db.insert(claimAppeals).values(ownedBy(scope, values)).returning();
  return row!;
}

/* appealsOfClaims: each claim's appeals, oldest first. */
export function appealsOfClaims(db: Database, scope: Scope, claimIds: readonly string[]): Promise<ClaimAppealRow[]> {
  return db
    .select()
    .from(claimAppeals)
    .where(
      and(
        underFacilities(claimAppeals, claimAppeals.claimId, claims, scope),
        inArray(claimAppeals.claimId, [...claimIds]),
      ),
    )
    .orderBy(asc(claimAppeals.createdAt), asc(claimAppeals.id));
}

/* insertBillerAdjustment: a write-off or a move to the patient, which no claim payment brought. */
export async function insertBillerAdjustment(
  db: Database,
  scope: Scope,
  values: Pick<
    typeof claimAdjustments.$inferInsert,
    "claimId" | "kind" | "groupCode" | "reasonCode" | "amount" | "note" | "createdBy"
  >,
): Promise<void> {
  await db.insert(claimAdjustments).values(ownedBy(scope, values));
}

/* writeOffApprovalLimit: the organization's largest write-off a biller may make alone. */
export async function writeOffApprovalLimit(db: Database, scope: Scope): Promise<string> {
  const [row] = await db
    .select({ limit: organizations.writeOffApprovalLimit })
    .from(organizations)
    .where(ownOrganization(scope));
  return row!.limit;
}

/* appealDaysOf: the payer's appeal window in days; undefined for a payer not of the organization. */
export async function appealDaysOf(db: Database, scope: Scope, payerId: string): Promise<number | undefined> {
  const [row] = await db
    .select({ days: payers.appealDays })
    .from(payers)
    .where(and(inOrg(payers, scope), eq(payers.id, payerId)));
  return row?.days;
}
