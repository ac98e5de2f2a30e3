/*
 * The rows of one demo organization made from its plan with the seeded Faker: NPIs, patients of
 * each age band, their coverages through time and their encounters in the service window.
 */
import type { Faker } from "@faker-js/faker";
import type {
  coverages,
  encounters,
  facilities,
  organizations,
  patients,
  payers,
  providers,
  userFacilityAccess,
  users,
  workQueues,
} from "../db/schema/index.js";
import { DEFAULT_PLACE_OF_SERVICE } from "../modules/encounters/encounter.defaults.js";
import { addDays, addYears, daysBetween, laterOf, wholeYearsBetween } from "../shared/calendar.js";
import { npiCheckDigit } from "../shared/npi.js";
import {
  type AgeBand,
  ANCHOR_DATE,
  type EncounterStatus,
  FIRST_ENCOUNTER_AGE_DAYS,
  LOADED_AT,
  type OrganizationPlan,
  type PayerKind,
  type PayerPlan,
  SERVICE_WINDOW_DAYS,
  TERMINATED_ON,
  TYPE_WEIGHTS,
  type UserPlan,
} from "./demo-plans.js";
import {
  type ClinicianRole,
  type EncounterKind,
  NOTE_TEMPLATES,
  type NoteTemplate,
  notePatient,
  type Sex,
} from "./documentation.js";

type WithId<T> = T & { id: string };
type FacilityRow = WithId<typeof facilities.$inferInsert>;
type ProviderRow = WithId<typeof providers.$inferInsert>;
type PayerRow = WithId<typeof payers.$inferInsert>;
type PatientRow = WithId<typeof patients.$inferInsert>;
type CoverageRow = typeof coverages.$inferInsert;
export type EncounterRow = WithId<typeof encounters.$inferInsert> & { externalId: string };

export interface DemoRows {
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

/** A demo user's sign-in e-mail: the login at the organization's own domain, so two organizations never collide. */
export const emailOf = (plan: OrganizationPlan, user: UserPlan) => `${user.login}@${plan.emailDomain}`;

/** Adds one organization's rows; returns its users' e-mails. */
export function addOrganization(f: Faker, plan: OrganizationPlan, passwordHash: string, rows: DemoRows): string[] {
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
