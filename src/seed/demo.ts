import { en, en_US, Faker } from "@faker-js/faker";
import { and, eq, inArray, sql } from "drizzle-orm";
import { type Database, selectRows } from "../db/client.js";
import { LOCKS } from "../db/locks.js";
import {
  coverages,
  encounters,
  facilities,
  organizations,
  patients,
  type payerKind,
  payers,
  providers,
  type role,
  userFacilityAccess,
  users,
  workItems,
  workItemTransitions,
  workQueues,
} from "../db/schema/index.js";
import { hashPassword } from "../modules/auth/passwords.js";
import { DEFAULT_PLACE_OF_SERVICE } from "../modules/encounters/encounter.defaults.js";
import { defaultQueues } from "../modules/work/work.defaults.js";
import { route } from "../modules/work/work.routing.js";
import type { WorkQueueRow } from "../modules/work/work.store.js";
import { addDays, addYears, daysBetween, laterOf, wholeYearsBetween } from "../shared/calendar.js";
import { npiCheckDigit } from "../shared/npi.js";
import {
  type ClinicianRole,
  type EncounterKind,
  NOTE_TEMPLATES,
  type NoteTemplate,
  notePatient,
  type Sex,
} from "./documentation.js";

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

/** The demo's "today": ages are counted at it and every service falls in the window before it. */
const ANCHOR_DATE = "2026-11-01";
const SERVICE_WINDOW_DAYS = 120;
/** Rows are stamped as loaded at the anchor rather than at seeding time, so that repeated seeds match. */
const LOADED_AT = new Date(`${ANCHOR_DATE}T06:00:00Z`);
const FAKER_SEED = 20_261_101;
/** A newborn goes home from the birth stay before any encounter of the demo: the first is at three days. */
const FIRST_ENCOUNTER_AGE_DAYS = 3;
/** The last day of the terminated coverages, before the service window opens. */
const TERMINATED_ON = "2026-05-31";

type Range = readonly [number, number];
type PayerKind = (typeof payerKind.enumValues)[number];
type Role = (typeof role.enumValues)[number];
type EncounterStatus = "DRAFT" | "READY_FOR_CODING";

/** Ages at the anchor: in days for the youngest (so a newborn is days old), otherwise in whole years. */
type AgeBand = { days: Range } | { years: Range };

const NEWBORN: AgeBand = { days: [5, 60] };
const INFANT: AgeBand = { days: [61, 700] };
const CHILD: AgeBand = { years: [2, 17] };
const ADULT: AgeBand = { years: [18, 44] };
const MIDDLE_AGED: AgeBand = { years: [45, 64] };
const SENIOR: AgeBand = { years: [65, 84] };
const ELDERLY: AgeBand = { years: [85, 95] };

interface FacilityPlan {
  key: string;
  name: string;
  addressLine1: string;
  city: string;
  /** ZIP+4, nine digits: the 837P's billing provider address needs all nine. */
  postalCode: string;
  /** The billing provider's taxonomy (837P PRV*BI). */
  taxonomyCode: string;
  /** How many patients the facility registers, per age band. */
  patients: readonly (readonly [AgeBand, number])[];
}

interface ProviderPlan {
  facility: string;
  credential: "MD" | "DO" | "NP" | "PA";
  taxonomyCode: string;
  specialty: string;
  role: ClinicianRole;
}

interface PayerPlan {
  name: string;
  payerId: string;
  kind: PayerKind;
  timelyFilingDays: number;
  memberId(faker: Faker, mrn: string): string;
}

interface UserPlan {
  login: string;
  roles: readonly Role[];
  credentials?: readonly string[];
  /** Facility keys the user is granted; administrators see every facility without grants. */
  facilities: readonly string[];
}

interface OrganizationPlan {
  name: string;
  slug: string;
  emailDomain: string;
  /** Leads MRNs (RB000001) and visit numbers (RB-V000001). */
  prefix: string;
  towns: readonly (readonly [city: string, postalCode: string])[];
  facilities: readonly FacilityPlan[];
  providers: readonly ProviderPlan[];
  payers: readonly PayerPlan[];
  users: readonly UserPlan[];
  encounters: number;
}

/**
 * Medicare Beneficiary Identifier layout: digit, letter,
 * letter-or-digit, digit, ... without the letters S, L, O, I, B, Z.
 */
function medicareBeneficiaryId(f: Faker): string {
  const letters = "ACDEFGHJKMNPQRTUVWXY";
  const pattern = "NAXNAXNAANN";
  return [...pattern]
    .map((slot, i) => {
      if (slot === "A") return f.helpers.arrayElement([...letters]);
      if (slot === "X") return f.helpers.arrayElement([...letters, ..."0123456789"]);
      return String(f.number.int({ min: i === 0 ? 1 : 0, max: 9 }));
    })
    .join("");
}

const MEDICARE: PayerPlan = {
  name: "Medicare Part B (Ohio)",
  payerId: "15202",
  kind: "MEDICARE",
  timelyFilingDays: 365,
  memberId: medicareBeneficiaryId,
};

const RIVERBEND: OrganizationPlan = {
  name: "Riverbend Health Partners",
  slug: "demo",
  emailDomain: "demo.chartroom.test",
  prefix: "RB",
  towns: [
    ["Lancaster", "43130"],
    ["Circleville", "43113"],
    ["Chillicothe", "45601"],
    ["Logan", "43138"],
    ["Pickerington", "43147"],
    ["Canal Winchester", "43110"],
    ["Newark", "43055"],
  ],
  facilities: [
    {
      key: "clinic",
      name: "Riverbend Family Medicine",
      addressLine1: "2150 Riverbend Parkway, Suite 200",
      city: "Lancaster",
      postalCode: "431302150",
      taxonomyCode: "261QP2300X",
      patients: [
        [NEWBORN, 2],
        [INFANT, 2],
        [CHILD, 5],
        [ADULT, 8],
        [MIDDLE_AGED, 8],
        [SENIOR, 5],
        [ELDERLY, 2],
      ],
    },
    {
      key: "hospital",
      name: "Riverbend Community Hospital",
      addressLine1: "1800 Riverbend Parkway",
      city: "Lancaster",
      postalCode: "431301800",
      taxonomyCode: "282N00000X",
      patients: [
        [CHILD, 3],
        [ADULT, 6],
        [MIDDLE_AGED, 8],
        [SENIOR, 8],
        [ELDERLY, 3],
      ],
    },
  ],
  providers: [
    {
      facility: "clinic",
      credential: "MD",
      taxonomyCode: "207Q00000X",
      specialty: "Family Medicine",
      role: "PRIMARY_CARE",
    },
    {
      facility: "clinic",
      credential: "DO",
      taxonomyCode: "207Q00000X",
      specialty: "Family Medicine",
      role: "PRIMARY_CARE",
    },
    {
      facility: "clinic",
      credential: "MD",
      taxonomyCode: "207R00000X",
      specialty: "Internal Medicine",
      role: "PRIMARY_CARE",
    },
    {
      facility: "clinic",
      credential: "NP",
      taxonomyCode: "363LF0000X",
      specialty: "Nurse Practitioner, Family",
      role: "PRIMARY_CARE",
    },
    {
      facility: "clinic",
      credential: "PA",
      taxonomyCode: "363A00000X",
      specialty: "Physician Assistant",
      role: "PRIMARY_CARE",
    },
    {
      facility: "hospital",
      credential: "MD",
      taxonomyCode: "207P00000X",
      specialty: "Emergency Medicine",
      role: "EMERGENCY",
    },
    {
      facility: "hospital",
      credential: "DO",
      taxonomyCode: "207P00000X",
      specialty: "Emergency Medicine",
      role: "EMERGENCY",
    },
    {
      facility: "hospital",
      credential: "MD",
      taxonomyCode: "207R00000X",
      specialty: "Internal Medicine (Hospitalist)",
      role: "HOSPITALIST",
    },
    {
      facility: "hospital",
      credential: "MD",
      taxonomyCode: "208600000X",
      specialty: "General Surgery",
      role: "SURGERY",
    },
    {
      facility: "hospital",
      credential: "MD",
      taxonomyCode: "207X00000X",
      specialty: "Orthopaedic Surgery",
      role: "ORTHOPAEDICS",
    },
    {
      facility: "hospital",
      credential: "MD",
      taxonomyCode: "207RC0000X",
      specialty: "Cardiovascular Disease",
      role: "CARDIOLOGY",
    },
    { facility: "hospital", credential: "MD", taxonomyCode: "2084N0400X", specialty: "Neurology", role: "NEUROLOGY" },
  ],
  payers: [
    MEDICARE,
    {
      name: "Ohio Medicaid",
      payerId: "OHMCD",
      kind: "MEDICAID",
      timelyFilingDays: 365,
      memberId: (f) => f.string.numeric({ length: 12, allowLeadingZeros: false }),
    },
    {
      name: "Buckeye Mutual Health",
      payerId: "BMH01",
      kind: "COMMERCIAL",
      timelyFilingDays: 180,
      memberId: (f) => `BMH${f.string.numeric(9)}`,
    },
    {
      name: "Great Lakes Blue",
      payerId: "GLB77",
      kind: "COMMERCIAL",
      timelyFilingDays: 90,
      memberId: (f) => `GLX${f.string.alphanumeric({ length: 9, casing: "upper" })}`,
    },
    // Self-pay patients are billed on their account, whose number is the MRN.
    { name: "Self-Pay", payerId: "SELFPAY", kind: "SELF_PAY", timelyFilingDays: 365, memberId: (_f, mrn) => mrn },
  ],
  users: [
    { login: "admin", roles: ["ADMIN"], facilities: [] },
    { login: "supervisor", roles: ["SUPERVISOR"], facilities: ["clinic", "hospital"] },
    { login: "auditor", roles: ["AUDITOR"], credentials: ["CCS", "CPC"], facilities: ["clinic", "hospital"] },
    { login: "biller1", roles: ["BILLER"], facilities: ["clinic", "hospital"] },
    { login: "biller2", roles: ["BILLER"], facilities: ["clinic", "hospital"] },
    // The inpatient coder: CCS is the facility (hospital) coding credential.
    { login: "coder1", roles: ["CODER"], credentials: ["CCS"], facilities: ["hospital"] },
    { login: "coder2", roles: ["CODER"], credentials: ["CPC"], facilities: ["clinic"] },
    { login: "coder3", roles: ["CODER"], credentials: ["CPC"], facilities: ["clinic", "hospital"] },
  ],
  encounters: 250,
};

const LAKESIDE: OrganizationPlan = {
  name: "Lakeside Medical Group",
  slug: "lakeside",
  emailDomain: "lakeside.chartroom.test",
  prefix: "LK",
  towns: [
    ["Sandusky", "44870"],
    ["Huron", "44839"],
    ["Port Clinton", "43452"],
    ["Norwalk", "44857"],
    ["Vermilion", "44089"],
  ],
  facilities: [
    {
      key: "clinic",
      name: "Lakeside Family Practice",
      addressLine1: "310 Lakeshore Drive",
      city: "Sandusky",
      postalCode: "448703310",
      taxonomyCode: "261QP2300X",
      patients: [
        [CHILD, 1],
        [ADULT, 1],
        [MIDDLE_AGED, 2],
        [SENIOR, 2],
      ],
    },
  ],
  providers: [
    {
      facility: "clinic",
      credential: "MD",
      taxonomyCode: "207Q00000X",
      specialty: "Family Medicine",
      role: "PRIMARY_CARE",
    },
    {
      facility: "clinic",
      credential: "DO",
      taxonomyCode: "207R00000X",
      specialty: "Internal Medicine",
      role: "PRIMARY_CARE",
    },
  ],
  payers: [
    MEDICARE,
    {
      name: "Erie Shores Health Plan",
      payerId: "ESHP1",
      kind: "COMMERCIAL",
      timelyFilingDays: 120,
      memberId: (f) => `ESH${f.string.numeric(9)}`,
    },
  ],
  users: [
    { login: "admin", roles: ["ADMIN"], facilities: [] },
    { login: "coder1", roles: ["CODER"], credentials: ["CPC"], facilities: ["clinic"] },
  ],
  encounters: 10,
};

const TYPE_WEIGHTS: Record<EncounterKind, number> = { PROFESSIONAL: 60, EMERGENCY: 16, OUTPATIENT: 12, INPATIENT: 12 };

type WithId<T> = T & { id: string };
type FacilityRow = WithId<typeof facilities.$inferInsert>;
type ProviderRow = WithId<typeof providers.$inferInsert>;
type PayerRow = WithId<typeof payers.$inferInsert>;
type PatientRow = WithId<typeof patients.$inferInsert>;
type CoverageRow = typeof coverages.$inferInsert;
type EncounterRow = WithId<typeof encounters.$inferInsert> & { externalId: string };

interface DemoRows {
  organizations: (typeof organizations.$inferInsert)[];
  facilities: FacilityRow[];
  providers: ProviderRow[];
  payers: PayerRow[];
  users: (typeof users.$inferInsert)[];
  userFacilityAccess: (typeof userFacilityAccess.$inferInsert)[];
  patients: PatientRow[];
  coverages: CoverageRow[];
  encounters: EncounterRow[];
  workQueues: (typeof workQueues.$inferInsert)[];
}

export async function seedDemo(db: Database, options: { password: string }): Promise<DemoSeedSummary> {
  // One hash for every demo user: scrypt is deliberately slow.
  const passwordHash = await hashPassword(options.password);
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

const emailOf = (plan: OrganizationPlan, user: UserPlan) => `${user.login}@${plan.emailDomain}`;

/** Adds one organization's rows; returns its users' e-mails. */
function addOrganization(f: Faker, plan: OrganizationPlan, passwordHash: string, rows: DemoRows): string[] {
  const orgId = f.string.uuid();
  rows.organizations.push({ id: orgId, name: plan.name, slug: plan.slug, createdAt: LOADED_AT });

  const npis = new Set<string>();
  const facilityIds = new Map<string, string>();
  const orgFacilities = plan.facilities.map((facility): FacilityRow => {
    const id = f.string.uuid();
    facilityIds.set(facility.key, id);
    return {
      orgId,
      id,
      name: facility.name,
      npi: uniqueNpi(f, npis),
      taxId: `${f.helpers.arrayElement(["31", "34"])}-${f.string.numeric(7)}`,
      addressLine1: facility.addressLine1,
      city: facility.city,
      state: "OH",
      postalCode: facility.postalCode,
      taxonomyCode: facility.taxonomyCode,
      createdAt: LOADED_AT,
    };
  });
  rows.facilities.push(...orgFacilities);
  const facilityId = (key: string) => {
    const id = facilityIds.get(key);
    if (!id) throw new Error(`${plan.slug}: no facility "${key}"`);
    return id;
  };

  const orgProviders = plan.providers.map((provider) => ({
    role: provider.role,
    row: {
      orgId,
      id: f.string.uuid(),
      facilityId: facilityId(provider.facility),
      firstName: f.person.firstName(f.helpers.arrayElement(["female", "male"] as const)),
      lastName: f.person.lastName(),
      credential: provider.credential,
      npi: uniqueNpi(f, npis),
      taxonomyCode: provider.taxonomyCode,
      specialty: provider.specialty,
      createdAt: LOADED_AT,
    } satisfies ProviderRow,
  }));

  const orgPayers = plan.payers.map((payer) => ({
    plan: payer,
    row: {
      orgId,
      id: f.string.uuid(),
      name: payer.name,
      payerId: payer.payerId,
      kind: payer.kind,
      timelyFilingDays: payer.timelyFilingDays,
      createdAt: LOADED_AT,
    } satisfies PayerRow,
  }));

  const emails: string[] = [];
  for (const user of plan.users) {
    const id = f.string.uuid();
    const email = emailOf(plan, user);
    emails.push(email);
    rows.users.push({
      orgId,
      id,
      email,
      name: `${f.person.firstName()} ${f.person.lastName()}`,
      roles: [...user.roles],
      credentials: [...(user.credentials ?? [])],
      passwordHash,
      createdAt: LOADED_AT,
    });
    for (const key of user.facilities) rows.userFacilityAccess.push({ orgId, userId: id, facilityId: facilityId(key) });
  }

  const orgPatients: PatientRow[] = [];
  for (const facility of plan.facilities) {
    // Shuffled so that MRN order says nothing about age.
    const bands = f.helpers.shuffle(
      facility.patients.flatMap(([band, count]) => Array.from({ length: count }, () => band)),
    );
    for (const band of bands) {
      const patient = newPatient(f, plan, orgId, facilityId(facility.key), band, orgPatients.length + 1);
      orgPatients.push(patient);
      rows.coverages.push(...coveragesFor(f, patient, orgPayers));
    }
  }

  rows.providers.push(...orgProviders.map((provider) => provider.row));
  rows.payers.push(...orgPayers.map((payer) => payer.row));
  rows.patients.push(...orgPatients);
  rows.encounters.push(...encountersFor(f, plan, orgProviders, orgPatients));
  return emails;
}

/** A valid NPI (Luhn check digit over the 80840 prefix) not yet used in this organization. */
function uniqueNpi(f: Faker, taken: Set<string>): string {
  for (;;) {
    const firstNine = `1${f.string.numeric(8)}`;
    const npi = `${firstNine}${npiCheckDigit(firstNine)}`;
    if (!taken.has(npi)) {
      taken.add(npi);
      return npi;
    }
  }
}

function birthDateIn(f: Faker, band: AgeBand): string {
  if ("days" in band) return addDays(ANCHOR_DATE, -f.number.int({ min: band.days[0], max: band.days[1] }));
  // Whole years back, then less than a year more: the age at the anchor is exactly the drawn number of years.
  const years = f.number.int({ min: band.years[0], max: band.years[1] });
  return addDays(addYears(ANCHOR_DATE, -years), -f.number.int({ min: 0, max: 364 }));
}

function newPatient(
  f: Faker,
  plan: OrganizationPlan,
  orgId: string,
  facilityId: string,
  band: AgeBand,
  ordinal: number,
): PatientRow {
  const sex = f.helpers.weightedArrayElement<Sex>([
    { weight: 49, value: "F" },
    { weight: 49, value: "M" },
    { weight: 2, value: "U" },
  ]);
  const [city, postalCode] = f.helpers.arrayElement(plan.towns);
  return {
    orgId,
    id: f.string.uuid(),
    facilityId,
    mrn: `${plan.prefix}${String(ordinal).padStart(6, "0")}`,
    firstName: f.person.firstName(sex === "F" ? "female" : sex === "M" ? "male" : undefined),
    lastName: f.person.lastName(),
    birthDate: birthDateIn(f, band),
    sex,
    addressLine1: f.location.streetAddress(),
    city,
    state: "OH",
    postalCode,
    createdAt: LOADED_AT,
  };
}

interface OrgPayer {
  plan: PayerPlan;
  row: PayerRow;
}

/**
 * Primary coverage by age (Medicare at 65 and over; otherwise commercial, Medicaid or self-pay),
 * sometimes a secondary: a supplement or Medicaid behind Medicare, a spouse's or parent's plan behind a commercial one.
 */
function coveragesFor(f: Faker, patient: PatientRow, orgPayers: readonly OrgPayer[]): CoverageRow[] {
  const age = wholeYearsBetween(patient.birthDate, ANCHOR_DATE);
  const ofKind = (kind: PayerKind) => orgPayers.filter((payer) => payer.plan.kind === kind);
  const commercial = ofKind("COMMERCIAL");
  const medicare = ofKind("MEDICARE")[0];

  const chosen: { payer: OrgPayer; relation: "SELF" | "SPOUSE" | "CHILD"; from: string }[] = [];
  if (age >= 65 && medicare) {
    // Part B starts the month a beneficiary turns 65.
    chosen.push({ payer: medicare, relation: "SELF", from: `${addYears(patient.birthDate, 65).slice(0, 7)}-01` });
    const secondary = f.helpers.weightedArrayElement([
      { weight: 50, value: commercial },
      { weight: 15, value: ofKind("MEDICAID") },
      { weight: 35, value: [] },
    ]);
    if (secondary.length > 0)
      chosen.push({ payer: f.helpers.arrayElement(secondary), relation: "SELF", from: coverageStart(f, patient) });
  } else {
    const kinds = [
      { weight: 60, value: commercial },
      { weight: age < 18 ? 40 : 22, value: ofKind("MEDICAID") },
      { weight: age < 18 ? 0 : 8, value: ofKind("SELF_PAY") },
    ].filter((option) => option.value.length > 0 && option.weight > 0);
    const primary = f.helpers.arrayElement(f.helpers.weightedArrayElement(kinds));
    const dependent = age < 18 ? "CHILD" : f.datatype.boolean(0.25) ? "SPOUSE" : "SELF";
    const relation = primary.plan.kind === "COMMERCIAL" ? dependent : "SELF";
    chosen.push({ payer: primary, relation, from: coverageStart(f, patient) });
    const others = commercial.filter((payer) => payer !== primary);
    if (primary.plan.kind === "COMMERCIAL" && others.length > 0 && f.datatype.boolean(0.15)) {
      chosen.push({
        payer: f.helpers.arrayElement(others),
        relation: age < 18 ? "CHILD" : "SPOUSE",
        from: coverageStart(f, patient),
      });
    }
  }

  return chosen.map(({ payer, relation, from }, index) => {
    // A few private and Medicaid plans ended before the service window, so the demo has eligibility problems to find.
    const terminated = payer.plan.kind !== "MEDICARE" && from < TERMINATED_ON && f.datatype.boolean(0.05);
    return {
      orgId: patient.orgId,
      id: f.string.uuid(),
      patientId: patient.id,
      payerId: payer.row.id,
      memberId: payer.plan.memberId(f, patient.mrn),
      // Employer plans carry a group number; Medicare, Medicaid and Medicare supplements are individual policies.
      groupNumber: payer.plan.kind === "COMMERCIAL" && age < 65 ? f.string.numeric(6) : null,
      subscriberRelation: relation,
      priority: index + 1,
      effectiveFrom: from,
      effectiveTo: terminated ? TERMINATED_ON : null,
      eligibilityStatus: terminated
        ? "INACTIVE"
        : f.helpers.weightedArrayElement([
            { weight: 9, value: "ACTIVE" as const },
            { weight: 1, value: "UNVERIFIED" as const },
          ]),
      createdAt: LOADED_AT,
    };
  });
}

/** The first of a month in recent years, never before birth (a newborn is covered from birth). */
function coverageStart(f: Faker, patient: PatientRow): string {
  const year = f.number.int({ min: 2018, max: 2025 });
  const month = String(f.number.int({ min: 1, max: 12 })).padStart(2, "0");
  return laterOf(`${year}-${month}-01`, patient.birthDate);
}

interface Candidate {
  provider: ProviderRow;
  patients: PatientRow[];
}

/**
 * Encounters: a type by weight, then a note template of that type some clinician of the organization writes
 * (weighted by how many patients it fits, so the two newborns do not get as many visits as all the adults),
 * then that clinician and a patient of the same facility the note fits. Numbered by date of service.
 */
function encountersFor(
  f: Faker,
  plan: OrganizationPlan,
  orgProviders: readonly { role: ClinicianRole; row: ProviderRow }[],
  orgPatients: readonly PatientRow[],
): EncounterRow[] {
  const byType = new Map<
    EncounterKind,
    { weight: number; value: { template: NoteTemplate; candidates: Candidate[] } }[]
  >();
  for (const template of NOTE_TEMPLATES) {
    const candidates = orgProviders
      .filter((provider) => template.roles.includes(provider.role))
      .map((provider) => ({
        provider: provider.row,
        patients: orgPatients.filter(
          (patient) => patient.facilityId === provider.row.facilityId && serviceWindow(patient, template) !== null,
        ),
      }))
      .filter((candidate) => candidate.patients.length > 0);
    const patientCount = new Set(candidates.flatMap((candidate) => candidate.patients)).size;
    if (patientCount > 0)
      byType.set(template.type, [
        ...(byType.get(template.type) ?? []),
        { weight: patientCount, value: { template, candidates } },
      ]);
  }
  const types = [...byType].map(([type, options]) => ({ weight: TYPE_WEIGHTS[type], value: options }));
  if (types.length === 0) throw new Error(`${plan.slug}: no note template fits its clinicians and patients`);

  const drafts: Omit<EncounterRow, "externalId">[] = [];
  for (let i = 0; i < plan.encounters; i++) {
    const { template, candidates } = f.helpers.weightedArrayElement(f.helpers.weightedArrayElement(types));
    const type = template.type;
    const { provider, patients: eligible } = f.helpers.arrayElement(candidates);
    const patient = f.helpers.arrayElement(eligible);
    const stay = template.lengthOfStay
      ? f.number.int({ min: template.lengthOfStay[0], max: template.lengthOfStay[1] })
      : 0;
    const window = serviceWindow(patient, template, stay);
    if (!window) throw new Error(`${template.key}: patient ${patient.mrn} has no service window`);
    const serviceDate = addDays(
      window.earliest,
      f.number.int({ min: 0, max: daysBetween(window.earliest, window.latest) }),
    );
    const dischargeDate = type === "INPATIENT" ? addDays(serviceDate, stay) : null;
    drafts.push({
      orgId: patient.orgId,
      id: f.string.uuid(),
      facilityId: patient.facilityId,
      patientId: patient.id,
      renderingProviderId: provider.id,
      type,
      serviceDate,
      dischargeDate,
      placeOfService: DEFAULT_PLACE_OF_SERVICE[type],
      documentation: template.write(
        {
          patient: notePatient(patient.id, patient.sex, patient.birthDate, serviceDate),
          provider: `${provider.firstName} ${provider.lastName}, ${provider.credential}`,
          serviceDate,
          dischargeDate,
        },
        f,
      ),
      status: f.helpers.weightedArrayElement<EncounterStatus>([
        { weight: 7, value: "DRAFT" },
        { weight: 3, value: "READY_FOR_CODING" },
      ]),
      createdAt: LOADED_AT,
      updatedAt: LOADED_AT,
    });
  }

  // Visit numbers follow the date of service, as an EHR assigns them (sort is stable for same-day visits).
  return drafts
    .sort((a, b) => (a.serviceDate < b.serviceDate ? -1 : a.serviceDate > b.serviceDate ? 1 : 0))
    .map((draft, index) => ({ ...draft, externalId: `${plan.prefix}-V${String(index + 1).padStart(6, "0")}` }));
}

/**
 * The dates on which `patient` can have the template's encounter: within the service window, at an age the
 * note fits, early enough that a stay of `stay` days ends before the anchor. Null when there are none.
 */
function serviceWindow(
  patient: PatientRow,
  template: NoteTemplate,
  stay = template.lengthOfStay?.[1] ?? 0,
): { earliest: string; latest: string } | null {
  if (template.sexes && !template.sexes.includes(patient.sex)) return null;
  if (wholeYearsBetween(patient.birthDate, ANCHOR_DATE) > template.ages[1]) return null;
  const earliest = [
    addDays(ANCHOR_DATE, -SERVICE_WINDOW_DAYS),
    addYears(patient.birthDate, template.ages[0]),
    addDays(patient.birthDate, FIRST_ENCOUNTER_AGE_DAYS),
  ].reduce(laterOf);
  const latest = addDays(ANCHOR_DATE, -1 - stay);
  return earliest <= latest ? { earliest, latest } : null;
}
