import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import { todayUtc } from "../../shared/dates.js";
import { notFound, type Outcome, ok, refused, type UserErrorData, userError } from "../../shared/errors.js";
import { uuidOf } from "../../shared/ids.js";
import { pageRequest } from "../../shared/pagination.js";
import { auditChange } from "../audit/index.js";
import { REGISTRATION_ROLES, requireRole } from "../auth/index.js";
import { visibleFacilityId } from "../organizations/index.js";
import type { CreatePatientInput, PatientFilter } from "./patient.inputs.js";
import { findPatients, insertPatient, type PatientRow } from "./patient.store.js";

const MRN = /^[A-Za-z0-9-]{1,30}$/;
const SEXES = new Set(["F", "M", "U"]);
const STATE = /^[A-Z]{2}$/;
const ZIP = /^\d{5}(-\d{4})?$/;

/** Patients the caller may see, by search words or MRN, in pages; the audit log records every match. */
export async function listPatients(
  ctx: RequestContext,
  filter: PatientFilter | null | undefined,
  first?: number | null,
  after?: string | null,
) {
  const page = await pageRequest("Patient", first, after, (id) => ctx.loaders.patient.load(id));
  const facilityId = filter?.facilityId ? visibleFacilityId(ctx, filter.facilityId, "filter.facilityId") : null;
  const found = await findPatients(ctx.db, actorOf(ctx).scope, { search: filter?.search, facilityId }, page);
  // Which patients match a name or MRN is their PHI, told by totalCount and edges alike: audited as a search.
  for (const id of found.matchedIds ?? []) ctx.phiReads.record("Patient", id, "search");
  return found;
}

/** The patient behind a global id, or NOT_FOUND when it is missing or outside the caller's facilities. */
export async function visiblePatient(ctx: RequestContext, globalId: string, field?: string): Promise<PatientRow> {
  const id = uuidOf(globalId, "Patient");
  const patient = id ? await ctx.loaders.patient.load(id) : null;
  if (!patient) throw notFound("Patient", field);
  return patient;
}

function validatePatient(input: CreatePatientInput): UserErrorData[] {
  const problems: UserErrorData[] = [];
  if (!MRN.test(input.mrn.trim())) {
    problems.push(userError("INVALID_MRN", "MRN must be 1–30 letters, digits or dashes.", ["mrn"]));
  }
  for (const field of ["firstName", "lastName"] as const) {
    const name = input[field].trim();
    if (name.length === 0 || name.length > 60) {
      problems.push(userError("INVALID_NAME", `${field} must be 1–60 characters.`, [field]));
    }
  }
  if (input.birthDate > todayUtc()) {
    problems.push(userError("BIRTH_DATE_IN_FUTURE", "Birth date may not be in the future.", ["birthDate"]));
  } else if (input.birthDate < "1900-01-01") {
    problems.push(userError("BIRTH_DATE_TOO_EARLY", "Birth date may not be before 1900-01-01.", ["birthDate"]));
  }
  if (!SEXES.has(input.sex)) {
    problems.push(userError("INVALID_SEX", "Administrative sex must be F, M or U.", ["sex"]));
  }
  if (input.state != null && !STATE.test(input.state)) {
    problems.push(userError("INVALID_STATE", "State must be a two-letter code such as OH.", ["state"]));
  }
  if (input.postalCode != null && !ZIP.test(input.postalCode)) {
    problems.push(userError("INVALID_POSTAL_CODE", "ZIP code must be 12345 or 12345-6789.", ["postalCode"]));
  }
  return problems;
}

/** Registers a patient at a facility the caller may see. */
export async function createPatient(ctx: RequestContext, input: CreatePatientInput): Promise<Outcome<PatientRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, REGISTRATION_ROLES, "register patients");
  const facilityId = visibleFacilityId(ctx, input.facilityId, "facilityId");
  const problems = validatePatient(input);
  if (problems.length > 0) return refused(problems);

  return ctx.db.transaction(async (tx) => {
    const patient = await insertPatient(tx, actor.scope, {
      facilityId,
      mrn: input.mrn.trim(),
      firstName: input.firstName.trim(),
      lastName: input.lastName.trim(),
      birthDate: input.birthDate,
      sex: input.sex as PatientRow["sex"],
      addressLine1: input.addressLine1?.trim() || null,
      city: input.city?.trim() || null,
      state: input.state ?? null,
      postalCode: input.postalCode ?? null,
    });
    if (!patient) {
      return refused<PatientRow>([userError("MRN_TAKEN", "Another patient at this facility has that MRN.", ["mrn"])]);
    }
    await auditChange(tx, ctx, "patient.create", "Patient", [patient.id]);
    return ok(patient);
  });
}
