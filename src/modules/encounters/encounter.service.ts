import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import { todayUtc } from "../../shared/dates.js";
import {
  conflict,
  notFound,
  type Outcome,
  ok,
  refused,
  requireCurrentVersion,
  type UserErrorData,
  userError,
} from "../../shared/errors.js";
import { uuidOf } from "../../shared/ids.js";
import { pageRequest } from "../../shared/pagination.js";
import { auditChange } from "../audit/index.js";
import { REGISTRATION_ROLES, requireRole } from "../auth/index.js";
import { withEvents } from "../events/index.js";
import type { ProviderRow } from "../organizations/index.js";
import { visibleFacilityId } from "../organizations/index.js";
import type { PatientRow } from "../patients/index.js";
import { visiblePatient } from "../patients/index.js";
import { enqueue, routeSubject } from "../work/index.js";
import { DEFAULT_PLACE_OF_SERVICE } from "./encounter.defaults.js";
import type { CreateEncounterInput, EncounterFilter, EncounterRefInput } from "./encounter.inputs.js";
import {
  type EncounterOrder,
  type EncounterRow,
  findEncounters,
  insertEncounter,
  markReadyForCoding,
} from "./encounter.store.js";

export const MAX_DOCUMENTATION_LENGTH = 100_000;

/**
 * Encounters the caller may see, filtered and paged; a filter naming a facility or patient they may
 * not see is NOT_FOUND.
 */
export async function listEncounters(
  ctx: RequestContext,
  filter: EncounterFilter | null | undefined,
  order: EncounterOrder,
  first?: number | null,
  after?: string | null,
) {
  const page = await pageRequest("Encounter", first, after, (id) => ctx.loaders.encounter.load(id));
  const facilityId = filter?.facilityId ? visibleFacilityId(ctx, filter.facilityId, "filter.facilityId") : null;
  const patientId = filter?.patientId ? (await visiblePatient(ctx, filter.patientId, "filter.patientId")).id : null;
  return findEncounters(ctx.db, actorOf(ctx).scope, { ...filter, facilityId, patientId }, order, page);
}

/** The encounter behind a global id, or null when it is missing or outside the caller's facilities. */
export async function findEncounter(ctx: RequestContext, globalId: string): Promise<EncounterRow | null> {
  const id = uuidOf(globalId, "Encounter");
  return id ? ctx.loaders.encounter.load(id) : null;
}

function validateEncounter(input: CreateEncounterInput, patientBirthDate: string): UserErrorData[] {
  const problems: UserErrorData[] = [];
  const today = todayUtc();
  if (input.serviceDate > today) {
    problems.push(userError("SERVICE_DATE_IN_FUTURE", "Date of service may not be in the future.", ["serviceDate"]));
  } else if (input.serviceDate < patientBirthDate) {
    problems.push(
      userError("SERVICE_DATE_BEFORE_BIRTH", "Date of service is before the patient's birth date.", ["serviceDate"]),
    );
  }
  if (input.dischargeDate != null) {
    if (input.type !== "INPATIENT") {
      problems.push(
        userError("DISCHARGE_DATE_NOT_INPATIENT", "Only inpatient stays have a discharge date.", ["dischargeDate"]),
      );
    } else if (input.dischargeDate < input.serviceDate) {
      problems.push(
        userError("DISCHARGE_BEFORE_ADMISSION", "Discharge date is before the admission date.", ["dischargeDate"]),
      );
    } else if (input.dischargeDate > today) {
      problems.push(
        userError("DISCHARGE_DATE_IN_FUTURE", "Discharge date may not be in the future.", ["dischargeDate"]),
      );
    }
  }
  if (input.placeOfService != null && !/^\d{2}$/.test(input.placeOfService)) {
    problems.push(
      userError("INVALID_PLACE_OF_SERVICE", "Place of service must be a two-digit CMS code such as 11.", [
        "placeOfService",
      ]),
    );
  }
  if (input.documentation.trim().length === 0) {
    problems.push(
      userError("DOCUMENTATION_REQUIRED", "Documentation may not be empty: coders code from it.", ["documentation"]),
    );
  } else if (input.documentation.length > MAX_DOCUMENTATION_LENGTH) {
    problems.push(
      userError("DOCUMENTATION_TOO_LONG", `Documentation may not exceed ${MAX_DOCUMENTATION_LENGTH} characters.`, [
        "documentation",
      ]),
    );
  }
  if (input.externalId != null && !/^\S{1,64}$/.test(input.externalId)) {
    problems.push(
      userError("INVALID_EXTERNAL_ID", "External id must be 1–64 characters without spaces.", ["externalId"]),
    );
  }
  return problems;
}

/**
 * A patient is registered at one facility (their MRN is that facility's) and a provider bills under
 * one: an encounter takes both from its own facility. Whoever may see the encounter may then see
 * its patient and provider, and a user of another facility sees none of it.
 */
function sameFacility(facilityId: string, patient: PatientRow, provider: ProviderRow): UserErrorData[] {
  const problems: UserErrorData[] = [];
  if (patient.facilityId !== facilityId) {
    problems.push(
      userError(
        "PATIENT_AT_OTHER_FACILITY",
        "The patient is registered at another facility: use their registration at this one.",
        ["patientId"],
      ),
    );
  }
  if (provider.facilityId !== facilityId) {
    problems.push(
      userError("PROVIDER_AT_OTHER_FACILITY", "The provider bills under another facility.", ["renderingProviderId"]),
    );
  }
  return problems;
}

/** Records a documented encounter as DRAFT. */
export async function createEncounter(
  ctx: RequestContext,
  input: CreateEncounterInput,
): Promise<Outcome<EncounterRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, REGISTRATION_ROLES, "create encounters");
  const facilityId = visibleFacilityId(ctx, input.facilityId, "facilityId");
  const patient = await visiblePatient(ctx, input.patientId, "patientId");
  const providerId = uuidOf(input.renderingProviderId, "Provider");
  const provider = providerId ? await ctx.loaders.provider.load(providerId) : null;
  if (!provider) throw notFound("Provider", "renderingProviderId");

  const problems = [...sameFacility(facilityId, patient, provider), ...validateEncounter(input, patient.birthDate)];
  if (problems.length > 0) return refused(problems);

  return ctx.db.transaction(async (tx) => {
    const encounter = await insertEncounter(tx, actor.scope, {
      facilityId,
      patientId: patient.id,
      renderingProviderId: provider.id,
      type: input.type,
      serviceDate: input.serviceDate,
      dischargeDate: input.dischargeDate ?? null,
      placeOfService: input.placeOfService ?? DEFAULT_PLACE_OF_SERVICE[input.type],
      documentation: input.documentation,
      externalId: input.externalId ?? null,
    });
    if (!encounter) {
      return refused<EncounterRow>([
        userError("EXTERNAL_ID_TAKEN", "Another encounter of this organization has that external id.", ["externalId"]),
      ]);
    }
    await auditChange(tx, ctx, "encounter.create", "Encounter", [encounter.id]);
    return ok(encounter);
  });
}

/**
 * DRAFT → READY_FOR_CODING, and the encounter's item in the coding queue that routing picks, in one
 * transaction: an encounter is never ready for coding without work for a coder, nor the reverse.
 */
export async function submitEncounterForCoding(
  ctx: RequestContext,
  input: EncounterRefInput,
): Promise<Outcome<EncounterRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, REGISTRATION_ROLES, "submit encounters for coding");
  const encounter = await findEncounter(ctx, input.encounterId);
  if (!encounter) throw notFound("Encounter", "encounterId");
  requireCurrentVersion("encounter", encounter.version, input.expectedVersion);
  if (encounter.status !== "DRAFT") {
    throw conflict(`Only a DRAFT encounter can be submitted for coding; this one is ${encounter.status}.`);
  }
  // Coding has no charges yet: the priority of coding work comes from the service date alone.
  const routed = await routeSubject(ctx, {
    kind: "CODING",
    facilityId: encounter.facilityId,
    encounterType: encounter.type,
    payerKind: null,
    serviceDate: encounter.serviceDate,
    expectedCharge: "0.00",
  });
  if (!routed) {
    throw conflict(`No coding queue of the organization takes ${encounter.type} encounters of this facility.`);
  }
  return withEvents(ctx, async (tx) => {
    const submitted = await markReadyForCoding(tx, actor.scope, encounter.id, encounter.version);
    if (!submitted) throw conflict("The encounter changed meanwhile: read it again.");
    await enqueue(tx, actor, routed, { facilityId: submitted.facilityId, encounterId: submitted.id });
    await auditChange(tx, ctx, "encounter.submit_for_coding", "Encounter", [submitted.id]);
    return ok(submitted);
  });
}
