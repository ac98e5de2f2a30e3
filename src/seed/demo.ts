import type { Faker } from "@faker-js/faker";
import { and, eq, inArray, sql } from "drizzle-orm";
import { type Database, selectRows } from "../db/client.js";
import { LOCKS } from "../db/locks.js";
import {
  coverages,
  encounters,
  facilities,
  organizations,
  patients,
  payers,
  providers,
  userFacilityAccess,
  users,
  workItems,
  workItemTransitions,
  workQueues,
} from "../db/schema/index.js";
import { hashPassword } from "../modules/auth/passwords.js";
import { defaultQueues } from "../modules/work/work.defaults.js";
import { route } from "../modules/work/work.routing.js";
import type { WorkQueueRow } from "../modules/work/work.store.js";
import { FAKER_SEED, LAKESIDE, LOADED_AT, RIVERBEND } from "./demo-plans.js";
import { addOrganization, type DemoRows, type EncounterRow, emailOf } from "./demo-rows.js";

/**
 * The demo data set: two organizations of synthetic facilities, clinicians, payers, patients,
 * coverages, encounters and users. Every value comes from a Faker with a fixed seed and from
 * dates counted from a fixed anchor, so two seeds hold the same rows; only the password hash
 * differs (its salt is random).
 */

export interface DemoSeedSummary {
  organizations: { name: string; slug: string; userEmails: string[] }[];
  patients: number;
  encounters: number;
}

/** Loads both demo organizations in one transaction: an interrupted seed leaves nothing half-made. */
export async function seedDemo(db: Database, options: { password: string }): Promise<DemoSeedSummary> {
  // One hash for every demo user: scrypt is deliberately slow.
  const passwordHash = await hashPassword(options.password);
  // Faker's locales are a hundred modules: loaded by the one start that seeds, not by every start.
  const { en, en_US, Faker } = await import("@faker-js/faker");
  const faker = new Faker({ locale: [en_US, en] });
  faker.seed(FAKER_SEED);

  const rows: DemoRows = {
    organizations: [],
    facilities: [],
    providers: [],
    payers: [],
    users: [],
    userFacilityAccess: [],
    patients: [],
    coverages: [],
    encounters: [],
    workQueues: [],
  };
  const summary: DemoSeedSummary = { organizations: [], patients: 0, encounters: 0 };
  for (const plan of [RIVERBEND, LAKESIDE]) {
    const emails = addOrganization(faker, plan, passwordHash, rows);
    summary.organizations.push({ name: plan.name, slug: plan.slug, userEmails: emails });
  }
  // Queue ids are drawn after everything else, so adding queues left every other row as it was.
  for (const org of rows.organizations) {
    rows.workQueues.push(
      ...defaultQueues(org.id!).map((queue) => ({ ...queue, id: faker.string.uuid(), createdAt: LOADED_AT })),
    );
  }
  summary.patients = rows.patients.length;
  summary.encounters = rows.encounters.length;

  // Parents before children, so every composite foreign key finds its row.
  await db.transaction(async (tx) => {
    await tx.insert(organizations).values(rows.organizations);
    await tx.insert(facilities).values(rows.facilities);
    await tx.insert(providers).values(rows.providers);
    await tx.insert(payers).values(rows.payers);
    await tx.insert(users).values(rows.users);
    await tx.insert(userFacilityAccess).values(rows.userFacilityAccess);
    await tx.insert(patients).values(rows.patients);
    await tx.insert(coverages).values(rows.coverages);
    await tx.insert(encounters).values(rows.encounters);
    const queues = await tx.insert(workQueues).values(rows.workQueues).returning();
    await enqueueReadyEncounters(tx, faker, queues, rows.encounters);
  });
  return summary;
}

/**
 * The demo's READY_FOR_CODING encounters wait in their coding queues, routed as submission routes
 * them, as of the load time: the demo is never ready for coding without work for a coder.
 */
async function enqueueReadyEncounters(
  tx: Database,
  f: Faker,
  queues: WorkQueueRow[],
  rows: EncounterRow[],
): Promise<void> {
  const items = rows
    .filter((encounter) => encounter.status === "READY_FOR_CODING")
    .map((encounter) => {
      const subject = {
        kind: "CODING" as const,
        facilityId: encounter.facilityId,
        encounterType: encounter.type,
        payerKind: null,
        serviceDate: encounter.serviceDate,
        expectedCharge: "0.00",
      };
      const routed = route(
        queues.filter((queue) => queue.orgId === encounter.orgId),
        subject,
        LOADED_AT,
      );
      if (!routed) throw new Error(`no coding queue for demo encounter ${encounter.externalId}`);
      return {
        orgId: encounter.orgId,
        id: f.string.uuid(),
        queueId: routed.queue.id,
        queueKind: routed.queue.kind,
        facilityId: encounter.facilityId,
        encounterId: encounter.id,
        priority: routed.priority,
        dueAt: routed.dueAt,
        createdAt: LOADED_AT,
        updatedAt: LOADED_AT,
      };
    });
  if (items.length === 0) return;
  await tx.insert(workItems).values(items);
  await tx.insert(workItemTransitions).values(
    items.map((item) => ({
      orgId: item.orgId,
      workItemId: item.id,
      fromStatus: null,
      toStatus: "READY" as const,
      reason: "created",
      at: LOADED_AT,
    })),
  );
}

/**
 * Loads the demo data into a database that holds no organization yet, and returns what it loaded;
 * null when there was data already. Instances starting together on one empty database queue on an
 * advisory lock held by the seeding transaction: the first seeds, the next find its rows.
 */
export async function seedDemoIfEmpty(db: Database, options: { password: string }): Promise<DemoSeedSummary | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCKS.demoSeed})`);
    const [row] = await selectRows<{ present: boolean }>(
      tx,
      sql`select exists (select 1 from ${organizations}) as present`,
    );
    return row?.present ? null : seedDemo(tx, options);
  });
}

/** The demo organizations' sign-in e-mails that exist, active, in this database (seeded now, earlier, or never). */
export async function demoSignIns(db: Database): Promise<DemoSeedSummary["organizations"]> {
  const planned = [RIVERBEND, LAKESIDE].map((plan) => ({
    name: plan.name,
    slug: plan.slug,
    userEmails: plan.users.map((user) => emailOf(plan, user)),
  }));
  const present = await db
    .select({ email: users.email })
    .from(users)
    .where(
      and(
        inArray(
          users.email,
          planned.flatMap((org) => org.userEmails),
        ),
        eq(users.active, true),
      ),
    );
  const active = new Set(present.map((row) => row.email));
  return planned
    .map((org) => ({ ...org, userEmails: org.userEmails.filter((email) => active.has(email)) }))
    .filter((org) => org.userEmails.length > 0);
}
