import { and, eq, sql } from "drizzle-orm";
import type { DatabaseHandle } from "../../src/db/client.js";
import {
  claimLines,
  claims,
  encounters,
  facilities,
  organizations,
  userFacilityAccess,
  users,
  workItems,
  workQueues,
} from "../../src/db/schema/index.js";
import { EVERY_USER, USER_CHANGES_CHANNEL } from "../../src/modules/auth/actor-cache.js";
import { toGlobalId } from "../../src/shared/ids.js";
import { rowIdOf } from "./api.js";
import { insertClaimBacklog } from "./claim-backlog.js";
import type { Organization, Site } from "./organizations.js";

/*
 * What a story needs that no API call can do, written straight into the tables: time passing (a
 * lease or a due time running out, which no story waits for), changes made from outside the API (a
 * database console deactivating a user), what no API manages yet (an organization's settings and
 * queues, billing), or no longer lets happen. Each helper says which.
 */

/** The work item's lease ran out a minute ago, as when its holder's laptop died: time no story waits for. */
export async function expireLease(database: DatabaseHandle, workItemId: string): Promise<void> {
  await database.db
    .update(workItems)
    .set({ leaseExpiresAt: sql`now() - interval '1 minute'` })
    .where(eq(workItems.id, rowIdOf(workItemId)));
}

/** The work item was due an hour ago: its queue's SLA is days, which no story waits for. */
export async function letRunOverdue(database: DatabaseHandle, workItemId: string): Promise<void> {
  await database.db
    .update(workItems)
    .set({ dueAt: sql`now() - interval '1 hour'` })
    .where(eq(workItems.id, rowIdOf(workItemId)));
}

/**
 * Runs a change to users straight in the tables and resolves once the database has announced each
 * user it changed: the server heard it first and has forgotten their cached sign-ins (ActorCache),
 * as it would for a change made from a database console.
 */
async function changeUsers(database: DatabaseHandle, change: () => Promise<string[]>): Promise<void> {
  const heard = new Set<string>();
  let wake = () => {};
  const unlisten = await database.listen(
    USER_CHANGES_CHANNEL,
    (userId) => {
      heard.add(userId);
      wake();
    },
    () => {},
  );
  try {
    const changed = await change();
    while (!changed.every((userId) => heard.has(userId))) await new Promise<void>((resolve) => (wake = resolve));
  } finally {
    await unlisten();
  }
}

/**
 * The user is deactivated behind the API, as from a database console. Answers what turns them back
 * on, for a story on shared users to put things back.
 */
export async function deactivateUser(database: DatabaseHandle, email: string): Promise<() => Promise<void>> {
  const setActive = (active: boolean) =>
    changeUsers(database, async () => {
      const changed = await database.db.update(users).set({ active }).where(eq(users.email, email)).returning();
      return changed.map((user) => user.id);
    });
  await setActive(false);
  return () => setActive(true);
}

/** The user loses their access to one of the organization's facilities, behind the API. */
export async function revokeFacility(org: Organization, login: string, site: Site): Promise<void> {
  await changeUsers(org.api.database, async () => {
    const revoked = await org.api.database.db
      .delete(userFacilityAccess)
      .where(
        and(
          eq(userFacilityAccess.orgId, org.id),
          eq(userFacilityAccess.userId, rowIdOf(org.userId(login))),
          eq(userFacilityAccess.facilityId, rowIdOf(org.sites[site].id)),
        ),
      )
      .returning();
    return revoked.map((grant) => grant.userId);
  });
}

/**
 * A facility opens, added straight into the table (no API manages facilities yet); resolves once the
 * database has announced it to every instance (an administrator's facilities are all of them).
 * Answers its id.
 */
export async function openFacility(org: Organization, name: string): Promise<string> {
  let id = "";
  await changeUsers(org.api.database, async () => {
    const [opened] = await org.api.database.db
      .insert(facilities)
      .values({
        orgId: org.id,
        name,
        npi: "1245319599",
        taxId: "31-4455667",
        addressLine1: "12 Harbor Street",
        city: "Riverbend",
        state: "OH",
        postalCode: "431309998",
      })
      .returning({ id: facilities.id });
    id = opened!.id;
    return [EVERY_USER];
  });
  return id;
}

/** The user's credentials lapse, all of them, behind the API. */
export async function lapseCredentials(org: Organization, login: string): Promise<void> {
  await changeUsers(org.api.database, async () => {
    const changed = await org.api.database.db
      .update(users)
      .set({ credentials: [] })
      .where(and(eq(users.orgId, org.id), eq(users.email, org.email(login))))
      .returning();
    return changed.map((user) => user.id);
  });
}

/** The share of coded encounters the organization samples for review (no API sets it yet). */
export async function setCodingQaPercent(org: Organization, percent: number): Promise<void> {
  await org.api.database.db.update(organizations).set({ codingQaPercent: percent }).where(eq(organizations.id, org.id));
}

/** The encounter types a coding queue takes (no API configures queues yet). */
export async function setQueueEncounterTypes(
  org: Organization,
  queue: string,
  types: (typeof workQueues.$inferSelect)["encounterTypes"],
): Promise<void> {
  await org.api.database.db
    .update(workQueues)
    .set({ encounterTypes: types })
    .where(and(eq(workQueues.orgId, org.id), eq(workQueues.id, rowIdOf(org.queueId(queue)))));
}

/** The encounter was billed: no API bills an encounter yet. */
export async function markBilled(database: DatabaseHandle, encounterId: string): Promise<void> {
  await database.db
    .update(encounters)
    .set({ status: "BILLED" })
    .where(eq(encounters.id, rowIdOf(encounterId)));
}

/**
 * An encounter at a facility whose patient is registered at another: the API refuses to record one
 * (PATIENT_AT_OTHER_FACILITY), but older or imported data may hold it. Its global id.
 */
export async function givenEncounterWithPatientElsewhere(
  database: DatabaseHandle,
  at: { facilityId: string; patientId: string; providerId: string },
): Promise<string> {
  const [facility] = await database.db
    .select({ orgId: facilities.orgId })
    .from(facilities)
    .where(eq(facilities.id, rowIdOf(at.facilityId)));
  const [row] = await database.db
    .insert(encounters)
    .values({
      orgId: facility!.orgId,
      facilityId: rowIdOf(at.facilityId),
      patientId: rowIdOf(at.patientId),
      renderingProviderId: rowIdOf(at.providerId),
      type: "PROFESSIONAL",
      serviceDate: "2026-10-20",
      placeOfService: "11",
      documentation: "Seen for follow-up.",
    })
    .returning({ id: encounters.id });
  return toGlobalId("Encounter", row!.id);
}

/** What a claim says that a biller's correction, or the codes a coder sent back, would change. */
export interface ClaimChange {
  diagnoses?: string[];
  /** A status only another part of the loop sets yet (PAID: remittance posting is being built). */
  status?: "PAID";
  /** Changes to the line with this 1-based number. */
  line?: { lineNumber: number; code?: string; modifiers?: string[]; diagnosisPointers?: number[] };
}

/**
 * The claim as it would read after a change coding refuses before a claim exists (repeated
 * diagnoses, codes not in force, unknown or surplus modifiers, pointers past the last diagnosis): a
 * claim's codes and diagnoses are the coder's, which no biller API changes, so only a claim changed
 * after it was built (an import, a code-set update) holds them. Line modifiers and pointers could go
 * through correctClaim; the stories use one path for all. The story then scrubs it through the API.
 */
export async function changeClaimBehindTheApi(org: Organization, claimId: string, change: ClaimChange): Promise<void> {
  const id = rowIdOf(claimId);
  const { db } = org.api.database;
  if (change.diagnoses)
    await db
      .update(claims)
      .set({ diagnoses: change.diagnoses })
      .where(and(eq(claims.orgId, org.id), eq(claims.id, id)));
  if (change.status)
    await db
      .update(claims)
      .set({ status: change.status, version: sql`${claims.version} + 1` })
      .where(and(eq(claims.orgId, org.id), eq(claims.id, id)));
  if (change.line) {
    const { lineNumber, ...values } = change.line;
    await db
      .update(claimLines)
      .set(values)
      .where(and(eq(claimLines.orgId, org.id), eq(claimLines.claimId, id), eq(claimLines.lineNumber, lineNumber)));
  }
}

/**
 * A morning's backlog: `count` READY items of `priority` in the queue `queue`, each on a new submitted
 * claim, written in one statement as a bulk import writes them, with no ANALYZE after it.
 */
export async function givenClaimBacklog(org: Organization, queue: string, count: number, priority: number) {
  await insertClaimBacklog(org.api.database, { orgId: org.id, queue, count, priority, label: `backlog-${queue}` });
}
