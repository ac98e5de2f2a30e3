import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../../src/db/client.js";
import {
  facilities,
  organizations,
  patients,
  payers,
  providers,
  type role,
  userFacilityAccess,
  users,
  workQueues,
} from "../../src/db/schema/index.js";
import { DEFAULT_DEMO_PASSWORD } from "../../src/environment.js";
import { hashPassword } from "../../src/modules/auth/passwords.js";
import { defaultQueues } from "../../src/modules/work/work.defaults.js";
import { toGlobalId } from "../../src/shared/ids.js";
import { npiCheckDigit } from "../../src/shared/npi.js";
import { rowIdOf, type TestApi } from "./api.js";

/** An organization's two facilities, as the demo's Riverbend has them. */
export type Site = "clinic" | "hospital";
type Role = (typeof role.enumValues)[number];

/** Who may sign in, and where they work. */
export interface StaffPlan {
  roles: Role[];
  credentials?: string[];
  /** The facilities granted; administrators see every facility without grants. */
  sites: Site[];
}

/**
 * The staff every organization starts with, the demo's: coder1 codes inpatient stays (CCS) at the
 * hospital only, coder2 outpatient work (CPC) at the clinic only, coder3 outpatient work at both.
 */
const STAFF = {
  admin: { roles: ["ADMIN"], sites: [] },
  supervisor: { roles: ["SUPERVISOR"], sites: ["clinic", "hospital"] },
  auditor: { roles: ["AUDITOR"], credentials: ["CCS", "CPC"], sites: ["clinic", "hospital"] },
  biller1: { roles: ["BILLER"], sites: ["clinic", "hospital"] },
  biller2: { roles: ["BILLER"], sites: ["clinic", "hospital"] },
  coder1: { roles: ["CODER"], credentials: ["CCS"], sites: ["hospital"] },
  coder2: { roles: ["CODER"], credentials: ["CPC"], sites: ["clinic"] },
  coder3: { roles: ["CODER"], credentials: ["CPC"], sites: ["clinic", "hospital"] },
} satisfies Record<string, StaffPlan>;

export interface Organization {
  api: TestApi;
  /** The row id, for assertions that read the tables behind the API. */
  id: string;
  /** Each facility: its global id and name, a clinician who bills under it and a patient registered there. */
  sites: Record<Site, { id: string; name: string; providerId: string; patientId: string }>;
  /** A work queue's global id, by name ("Outpatient coding"). */
  queueId(name: string): string;
  /** A payer's global id: every organization has Medicare, a commercial payer and self-pay. */
  payerId(payer: PayerKey): string;
  /** The sign-in e-mail of one of its users, by login: "coder3", or a user a story added. */
  email(login: string): string;
  /** A user's global id, by login. */
  userId(login: string): string;
  /** A token of one of its users: each signs in once, and the stories reuse the token, as a client would. */
  signIn(login: string): Promise<string>;
}

/** One hash of the demo password for every user the stories add: scrypt is deliberately slow. */
let passwordHash: Promise<string> | undefined;
const demoPasswordHash = () => (passwordHash ??= hashPassword(DEFAULT_DEMO_PASSWORD));

/**
 * A new organization of its own for a story that counts or claims what is in its queues: two
 * facilities with a clinician each, the default work queues, the demo's staff under
 * `<login>@<slug>.chartroom.test`, and a patient registered at each facility through the API.
 * No API creates organizations, facilities, clinicians or users: those rows are written as the demo
 * seed writes them (its queues, its password), and nothing else is.
 */
export async function givenOrganization(api: TestApi, name = "Northgate Health"): Promise<Organization> {
  const slug = `org-${randomUUID().slice(0, 8)}`;
  const hash = await demoPasswordHash();
  const siteNames: Record<Site, string> = { clinic: `${name} Family Medicine`, hospital: `${name} Community Hospital` };
  const sites = await api.database.db.transaction(async (tx) => {
    const [org] = await tx.insert(organizations).values({ name, slug }).returning({ id: organizations.id });
    const orgId = org!.id;
    const sites: { id: string; site: Site }[] = [];
    for (const [site, { address, clinician }] of Object.entries(SITES) as [Site, (typeof SITES)[Site]][]) {
      const [facility] = await tx
        .insert(facilities)
        .values({ orgId, name: siteNames[site], ...address, state: "OH", postalCode: "431309998", taxId: "31-4455667" })
        .returning({ id: facilities.id });
      await tx.insert(providers).values({ orgId, facilityId: facility!.id, ...clinician, credential: "MD" });
      sites.push({ id: facility!.id, site });
    }
    await tx.insert(workQueues).values(defaultQueues(orgId));
    await tx.insert(payers).values(Object.values(PAYERS).map((payer) => ({ orgId, ...payer })));
    const staff = Object.entries(STAFF).map(([login, plan]) => ({ email: `${login}@${slug}.chartroom.test`, plan }));
    await addUsers(tx, orgId, staff, sites, hash);
    return sites;
  });
  const billerToken = await api.signIn(`biller1@${slug}.chartroom.test`);
  for (const { id, site } of sites) {
    const facilityId = toGlobalId("Facility", id);
    const registered = await api.gql(
      `mutation ($input: CreatePatientInput!) { createPatient(input: $input) { userErrors { code message } } }`,
      { input: { facilityId, ...FIRST_PATIENTS[site] } },
      billerToken,
    );
    if (registered.errors || registered.data?.["createPatient"].userErrors.length)
      throw new Error(`registering a patient failed: ${JSON.stringify(registered)}`);
  }
  const org = await organizationOf(api, slug, siteNames, new Map([["biller1", Promise.resolve(billerToken)]]));
  for (const site of ["clinic", "hospital"] as const) {
    const covered = await api.gql(
      `mutation ($input: AddCoverageInput!) { addCoverage(input: $input) { userErrors { code message } } }`,
      {
        input: {
          patientId: org.sites[site].patientId,
          payerId: org.payerId(FIRST_COVERAGES[site].payer),
          ...FIRST_COVERAGES[site].card,
        },
      },
      billerToken,
    );
    if (covered.errors || covered.data?.["addCoverage"].userErrors.length)
      throw new Error(`recording a coverage failed: ${JSON.stringify(covered)}`);
  }
  return org;
}

/** Every new organization's payers, as the demo's (synthetic ids). */
const PAYERS = {
  medicare: { name: "Medicare Part B (Ohio)", payerId: "15202", kind: "MEDICARE", timelyFilingDays: 365 },
  commercial: { name: "Buckeye Mutual Health", payerId: "BMH01", kind: "COMMERCIAL", timelyFilingDays: 180 },
  selfPay: { name: "Self-Pay", payerId: "SELFPAY", kind: "SELF_PAY", timelyFilingDays: 365 },
} as const;
export type PayerKey = keyof typeof PAYERS;

/** The first patients' insurance: the clinic's is commercial, the hospital's Medicare. */
const FIRST_COVERAGES: Record<Site, { payer: PayerKey; card: Record<string, unknown> }> = {
  clinic: { payer: "commercial", card: { memberId: "BMH204518377", priority: 1, effectiveFrom: "2024-01-01" } },
  hospital: { payer: "medicare", card: { memberId: "1EG4TE5MK73", priority: 1, effectiveFrom: "2013-09-01" } },
};

const npi = (firstNine: string) => `${firstNine}${npiCheckDigit(firstNine)}`;

/** A new organization's facilities, each with the clinician who bills under it. */
const SITES = {
  clinic: {
    address: { npi: npi("123456780"), addressLine1: "100 Harbor Road", city: "Lancaster", taxonomyCode: "261QP2300X" },
    clinician: {
      firstName: "Maren",
      lastName: "Holt",
      npi: npi("198765430"),
      taxonomyCode: "207Q00000X",
      specialty: "Family Medicine",
    },
  },
  hospital: {
    address: { npi: npi("123456781"), addressLine1: "101 Harbor Road", city: "Lancaster", taxonomyCode: "282N00000X" },
    clinician: {
      firstName: "Tobias",
      lastName: "Reyes",
      npi: npi("198765431"),
      taxonomyCode: "207R00000X",
      specialty: "Internal Medicine (Hospitalist)",
    },
  },
};

/** The patient each facility of a new organization registers first, with the address an 837P carries. */
const FIRST_PATIENTS: Record<Site, Record<string, string>> = {
  clinic: {
    ...{ mrn: "CL000001", firstName: "Ada", lastName: "Quill", birthDate: "1961-04-12", sex: "F" },
    ...{ addressLine1: "42 Orchard Lane", city: "Lancaster", state: "OH", postalCode: "43130-4242" },
  },
  hospital: {
    ...{ mrn: "HO000001", firstName: "Wendell", lastName: "Marsh", birthDate: "1948-09-30", sex: "M" },
    ...{ addressLine1: "7 Mill Street", city: "Lancaster", state: "OH", postalCode: "43130-0707" },
  },
};

/** The demo's Riverbend Health Partners, for stories that read what the seed loaded. */
export function demoOrganization(api: TestApi): Promise<Organization> {
  return organizationOf(api, "demo", {
    clinic: "Riverbend Family Medicine",
    hospital: "Riverbend Community Hospital",
  });
}

/**
 * Adds a user to the organization with the demo users' password, granted the facilities `plan`
 * names: `login` becomes their e-mail's local part. No API manages users yet.
 */
export async function givenUser(org: Organization, login: string, plan: StaffPlan): Promise<string> {
  const hash = await demoPasswordHash();
  const email = org.email(login);
  const sites = (["clinic", "hospital"] as const).map((site) => ({ id: rowIdOf(org.sites[site].id), site }));
  const [added] = await org.api.database.db.transaction((tx) => addUsers(tx, org.id, [{ email, plan }], sites, hash));
  userIdsOf.get(org)!.set(email, added!);
  return email;
}

/** Each organization's user ids by e-mail, which givenUser adds to. */
const userIdsOf = new WeakMap<Organization, Map<string, string>>();

async function addUsers(
  tx: Database,
  orgId: string,
  people: { email: string; plan: StaffPlan }[],
  sites: { id: string; site: Site }[],
  hash: string,
): Promise<string[]> {
  const added = await tx
    .insert(users)
    .values(
      people.map(({ email, plan }) => ({
        orgId,
        email,
        name: email.split("@")[0]!,
        roles: plan.roles,
        credentials: plan.credentials ?? [],
        passwordHash: hash,
      })),
    )
    .returning({ id: users.id });
  const grants = people.flatMap(({ plan }, i) =>
    sites
      .filter(({ site }) => plan.sites.includes(site))
      .map(({ id }) => ({ orgId, userId: added[i]!.id, facilityId: id })),
  );
  if (grants.length > 0) await tx.insert(userFacilityAccess).values(grants);
  return added.map((row) => row.id);
}

/** Reads an organization's facilities, queues and users, with the first clinician and patient of each facility. */
async function organizationOf(
  api: TestApi,
  slug: string,
  siteNames: Record<Site, string>,
  tokens = new Map<string, Promise<string>>(),
): Promise<Organization> {
  const db = api.database.db;
  const [org] = await db.select().from(organizations).where(eq(organizations.slug, slug));
  if (!org) throw new Error(`no organization ${slug}`);
  const facilityIds = new Map(
    (
      await db.select({ id: facilities.id, name: facilities.name }).from(facilities).where(eq(facilities.orgId, org.id))
    ).map((row) => [row.name, row.id]),
  );
  const firstAt = async (table: typeof providers | typeof patients, facilityId: string) =>
    (
      await db
        .select({ id: table.id })
        .from(table)
        .where(and(eq(table.orgId, org.id), eq(table.facilityId, facilityId)))
        .orderBy(asc(table.createdAt), asc(table.id))
        .limit(1)
    )[0]!.id;
  const sites = {} as Organization["sites"];
  for (const site of ["clinic", "hospital"] as const) {
    const facilityId = facilityIds.get(siteNames[site])!;
    sites[site] = {
      id: toGlobalId("Facility", facilityId),
      name: siteNames[site],
      providerId: toGlobalId("Provider", await firstAt(providers, facilityId)),
      patientId: toGlobalId("Patient", await firstAt(patients, facilityId)),
    };
  }
  const queues = await db
    .select({ id: workQueues.id, name: workQueues.name })
    .from(workQueues)
    .where(eq(workQueues.orgId, org.id));
  const payerRows = await db
    .select({ id: payers.id, payerId: payers.payerId })
    .from(payers)
    .where(eq(payers.orgId, org.id));
  const staff = await db.select({ id: users.id, email: users.email }).from(users).where(eq(users.orgId, org.id));
  const userIds = new Map(staff.map((user) => [user.email, user.id]));
  // As the demo seed names its users.
  const email = (login: string) => `${login}@${slug}.chartroom.test`;
  const organization: Organization = {
    api,
    id: org.id,
    sites,
    queueId(name) {
      const queue = queues.find((q) => q.name === name);
      if (!queue) throw new Error(`no queue named ${name}`);
      return toGlobalId("WorkQueue", queue.id);
    },
    payerId(payer) {
      const row = payerRows.find((candidate) => candidate.payerId === PAYERS[payer].payerId);
      if (!row) throw new Error(`no payer ${payer}`);
      return toGlobalId("Payer", row.id);
    },
    email,
    userId(login) {
      const id = userIds.get(email(login));
      if (!id) throw new Error(`no user ${email(login)}`);
      return toGlobalId("User", id);
    },
    signIn(login) {
      if (!tokens.has(login)) tokens.set(login, api.signIn(email(login)));
      return tokens.get(login)!;
    },
  };
  userIdsOf.set(organization, userIds);
  return organization;
}
