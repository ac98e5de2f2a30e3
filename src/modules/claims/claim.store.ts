import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { claims } from "../../db/schema/claims.js";
import { encounters } from "../../db/schema/encounters.js";
import { type Scope, sameOrganization } from "../../db/scope.js";
import { visibleEncounters } from "../encounters/index.js";

export type ClaimRow = typeof claims.$inferSelect;

/** A claim is visible when its encounter is: the join keeps it to the encounter's organization. */
function visibleClaims(db: Database) {
  return db
    .select({ claim: claims })
    .from(claims)
    .innerJoin(encounters, and(sameOrganization(encounters, claims), eq(encounters.id, claims.encounterId)));
}

/* claimsByIds */
export async function claimsByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<ClaimRow[]> {
  const rows = await visibleClaims(db).where(and(visibleEncounters(scope), inArray(claims.id, [...ids])));
  return rows.map((r) => r.claim);
}

/* claimsByEncounterIds: oldest first. */
export async function claimsByEncounterIds(
  db: Database,
  scope: Scope,
  encounterIds: readonly string[],
): Promise<ClaimRow[]> {
  const rows = await visibleClaims(db)
    .where(and(visibleEncounters(scope), inArray(claims.encounterId, [...encounterIds])))
    .orderBy(asc(claims.createdAt), asc(claims.id));
  return rows.map((r) => r.claim);
}
