import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import { todayUtc } from "../../shared/dates.js";
import { notFound, type Outcome, ok, refused, type UserErrorData, userError } from "../../shared/errors.js";
import { uuidOf } from "../../shared/ids.js";
import { auditChange } from "../audit/index.js";
import { REGISTRATION_ROLES, requireRole } from "../auth/index.js";
import type { AddCoverageInput, SubscriberInput, UpdateCoverageInput } from "./coverage.inputs.js";
import { visiblePatient } from "./patient.service.js";
import { type CoverageRow, insertCoverage, type NewCoverage, updateCoverage } from "./patient.store.js";

const SEXES = new Set(["F", "M", "U"]);
const MEMBER_ID_MAX = 80;

function memberIdProblem(memberId: string): UserErrorData | null {
  const trimmed = memberId.trim();
  return trimmed.length === 0 || trimmed.length > MEMBER_ID_MAX
    ? userError("INVALID_MEMBER_ID", `The member id must be 1–${MEMBER_ID_MAX} characters.`, ["memberId"])
    : null;
}

function subscriberProblems(relation: string, subscriber: SubscriberInput | null | undefined): UserErrorData[] {
  if (relation === "SELF") return [];
  if (!subscriber)
    return [
      userError("SUBSCRIBER_REQUIRED", "Name the subscriber who holds the coverage: the patient is a dependant.", [
        "subscriber",
      ]),
    ];
  const problems: UserErrorData[] = [];
  for (const field of ["firstName", "lastName"] as const) {
    const name = subscriber[field].trim();
    if (name.length === 0 || name.length > 60)
      problems.push(userError("INVALID_NAME", `${field} must be 1–60 characters.`, ["subscriber", field]));
  }
  if (subscriber.birthDate > todayUtc())
    problems.push(
      userError("BIRTH_DATE_IN_FUTURE", "Birth date may not be in the future.", ["subscriber", "birthDate"]),
    );
  if (!SEXES.has(subscriber.sex))
    problems.push(userError("INVALID_SEX", "Administrative sex must be F, M or U.", ["subscriber", "sex"]));
  return problems;
}

/** A biller records a patient's insurance, as the card says: the next scrub of their unsent claims bills it. */
export async function addCoverage(ctx: RequestContext, input: AddCoverageInput): Promise<Outcome<CoverageRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, REGISTRATION_ROLES, "record coverage");
  const patient = await visiblePatient(ctx, input.patientId, "patientId");
  const payerId = uuidOf(input.payerId, "Payer");
  const payer = payerId ? await ctx.loaders.payer.load(payerId) : null;
  if (!payer) throw notFound("Payer", "payerId");
  const problems = [
    memberIdProblem(input.memberId),
    ...subscriberProblems(input.subscriberRelation, input.subscriber),
    input.priority < 1 || input.priority > 3
      ? userError("INVALID_PRIORITY", "Priority is 1 (primary), 2 (secondary) or 3 (tertiary).", ["priority"])
      : null,
    input.effectiveTo && input.effectiveTo < input.effectiveFrom
      ? userError("ENDS_BEFORE_START", "The coverage cannot end before it starts.", ["effectiveTo"])
      : null,
  ].filter((problem): problem is UserErrorData => problem !== null);
  if (problems.length > 0) return refused(problems);
  const dependant = input.subscriberRelation === "SELF" ? null : input.subscriber!;
  const values: NewCoverage = {
    patientId: patient.id,
    payerId: payer.id,
    memberId: input.memberId.trim(),
    groupNumber: input.groupNumber?.trim() || null,
    priority: input.priority,
    subscriberRelation: input.subscriberRelation,
    subscriberFirstName: dependant?.firstName.trim() ?? null,
    subscriberLastName: dependant?.lastName.trim() ?? null,
    subscriberBirthDate: dependant?.birthDate ?? null,
    subscriberSex: (dependant?.sex as NewCoverage["subscriberSex"]) ?? null,
    effectiveFrom: input.effectiveFrom,
    effectiveTo: input.effectiveTo ?? null,
  };
  return ctx.db.transaction(async (tx) => {
    const coverage = await insertCoverage(tx, actor.scope, values);
    await auditChange(tx, ctx, "coverage.create", "Coverage", [coverage.id]);
    return ok(coverage);
  });
}

/** Corrects a coverage's member id, group number or end date. */
export async function correctCoverage(ctx: RequestContext, input: UpdateCoverageInput): Promise<Outcome<CoverageRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, REGISTRATION_ROLES, "correct coverage");
  const id = uuidOf(input.coverageId, "Coverage");
  const coverage = id ? await ctx.loaders.coverage.load(id) : null;
  if (!coverage) throw notFound("Coverage", "coverageId");
  const problems = [
    input.memberId != null ? memberIdProblem(input.memberId) : null,
    input.effectiveTo && input.effectiveTo < coverage.effectiveFrom
      ? userError("ENDS_BEFORE_START", "The coverage cannot end before it starts.", ["effectiveTo"])
      : null,
  ].filter((problem): problem is UserErrorData => problem !== null);
  if (problems.length > 0) return refused(problems);
  return ctx.db.transaction(async (tx) => {
    const updated = await updateCoverage(tx, actor.scope, coverage.id, {
      ...(input.memberId != null ? { memberId: input.memberId.trim() } : {}),
      ...(input.groupNumber != null ? { groupNumber: input.groupNumber.trim() || null } : {}),
      ...(input.effectiveTo != null ? { effectiveTo: input.effectiveTo } : {}),
    });
    if (!updated) throw notFound("Coverage", "coverageId");
    await auditChange(tx, ctx, "coverage.update", "Coverage", [coverage.id]);
    return ok(updated);
  });
}
