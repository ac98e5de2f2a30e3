import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { selectRows } from "../../db/client.js";
import { LOCKS } from "../../db/locks.js";
import { claimFollowUps, claims, submissionBatches } from "../../db/schema/claims.js";
import { encounters } from "../../db/schema/encounters.js";
import { payers } from "../../db/schema/organizations.js";
import { workItems } from "../../db/schema/work.js";
import {
  acrossFacilities,
  EVERY_ORGANIZATION,
  ownedBy,
  type Scope,
  sameOrganization,
  underFacilities,
} from "../../db/scope.js";

export type ClaimFollowUpRow = typeof claimFollowUps.$inferSelect;

/** The follow-ups of claims at the caller's facilities, newest first. */
export function followUpsOfClaims(
  db: Database,
  scope: Scope,
  claimIds: readonly string[],
): Promise<ClaimFollowUpRow[]> {
  return db
    .select()
    .from(claimFollowUps)
    .where(
      and(
        underFacilities(claimFollowUps, claimFollowUps.claimId, claims, scope),
        inArray(claimFollowUps.claimId, [...claimIds]),
      ),
    )
    .orderBy(desc(claimFollowUps.at), desc(claimFollowUps.id));
}

/** A follow-up in the caller's organization; the service has checked the claim is theirs to see. */
export async function insertFollowUp(
  db: Database,
  scope: Scope,
  values: Omit<typeof claimFollowUps.$inferInsert, "orgId">,
): Promise<ClaimFollowUpRow> {
  const [row] = await db.insert(claimFollowUps).values(ownedBy(scope, values)).returning();
  return row!;
}

/** A claim that has waited for its payer long enough, with what routes and orders its follow-up. */
export interface DueClaim {
  orgId: string;
  claimId: string;
  facilityId: string;
  encounterType: (typeof encounters.$inferSelect)["type"];
  payerKind: (typeof payers.$inferSelect)["kind"];
  serviceDate: string;
  totalCharge: string;
  balance: string;
  /** The last day the payer takes the claim: date of service plus its timely-filing days. */
  filingDeadline: string;
}

/** true when this transaction may sweep follow-ups; the lock holds until it ends, so one instance sweeps at a time. */
export async function tryFollowUpSweepLock(db: Database): Promise<boolean> {
  const [row] = await selectRows<{ locked: boolean }>(
    db,
    sql`select pg_try_advisory_xact_lock(${LOCKS.followUpSweep}) as locked`,
  );
  return row?.locked === true;
}

/**
 * Of every organization, claims with the payer (SUBMITTED or ACCEPTED) and no
 * open FOLLOW_UP work, whose next follow-up day has come: the day the biller chose at their last
 * follow-up (recordClaimFollowUp); else the payer's follow-up days after the last follow-up work
 * was finished, or after the claim was last submitted.
 */
export function claimsDueForFollowUp(db: Database, today: string, limit: number): Promise<DueClaim[]> {
  const finished = sql`${workItems.queueKind} = 'FOLLOW_UP' and ${workItems.status} in ('DONE', 'CANCELLED')
    and ${sameOrganization(workItems, claims)} and ${workItems.claimId} = ${claims.id}`;
  const lastFinishedId = sql`(select ${workItems.id} from ${workItems} where ${finished}
    order by ${workItems.updatedAt} desc limit 1)`;
  const lastFinishedAt = sql`(select max(${workItems.updatedAt}) from ${workItems} where ${finished})`;
  const chosenDay = sql`(select ${claimFollowUps.nextFollowUpOn} from ${claimFollowUps}
    where ${sameOrganization(claimFollowUps, claims)} and ${claimFollowUps.claimId} = ${claims.id}
      and ${claimFollowUps.workItemId} = ${lastFinishedId}
    order by ${claimFollowUps.at} desc limit 1)`;
  const dueOn = sql`coalesce(${chosenDay},
    (greatest(${submissionBatches.createdAt}, ${lastFinishedAt}) at time zone 'UTC')::date + ${payers.followUpDays})`;
  const openWork = sql`exists (select 1 from ${workItems} where ${sameOrganization(workItems, claims)}
    and ${workItems.claimId} = ${claims.id} and ${workItems.queueKind} = 'FOLLOW_UP'
    and ${workItems.status} in ('READY', 'ASSIGNED', 'ON_HOLD'))`;
  return db
    .select({
      orgId: claims.orgId,
      claimId: claims.id,
      facilityId: claims.facilityId,
      encounterType: encounters.type,
      payerKind: payers.kind,
      serviceDate: claims.serviceDate,
      totalCharge: claims.totalCharge,
      balance: sql<string>`(${claims.totalCharge} - ${claims.paidAmount})::text`,
      filingDeadline: sql<string>`(${claims.serviceDate} + ${payers.timelyFilingDays})::text`,
    })
    .from(claims)
    .innerJoin(payers, and(sameOrganization(payers, claims), eq(payers.id, claims.payerId)))
    .innerJoin(
      submissionBatches,
      and(sameOrganization(submissionBatches, claims), eq(submissionBatches.id, claims.batchId)),
    )
    .innerJoin(encounters, and(sameOrganization(encounters, claims), eq(encounters.id, claims.encounterId)))
    .where(
      and(
        acrossFacilities(claims, EVERY_ORGANIZATION),
        inArray(claims.status, ["SUBMITTED", "ACCEPTED"]),
        sql`not ${openWork}`,
        sql`${dueOn} <= ${today}::date`,
      ),
    )
    .orderBy(claims.orgId, claims.serviceDate, claims.id)
    .limit(limit);
}
