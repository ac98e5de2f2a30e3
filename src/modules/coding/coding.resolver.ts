import type { GraphQLResolveInfo } from "graphql";
import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Info,
  Mutation,
  ObjectType,
  Resolver,
  Root,
  UseMiddleware,
} from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { payload } from "../../graphql/payload.js";
import { UserError } from "../../graphql/relay.js";
import { required } from "../../graphql/required.js";
import { selectsField } from "../../graphql/selection.js";
import { toGlobalId } from "../../shared/ids.js";
import { PhiRead } from "../audit/index.js";
import type { DatedCode } from "../codesets/index.js";
import { type CodeSystem, codeVersions, displayCode, MedicalCode } from "../codesets/index.js";
import {
  type CodeEdit as CodeEditData,
  CodeEditType,
  type DiagnosisEntry,
  datesOf,
  diagnosisCodeDate,
  type EncounterCodes,
  lineCodeDate,
  lineDate,
  type ProcedureEntry,
} from "../edits/index.js";
import type { EncounterRow } from "../encounters/index.js";
import { Encounter, EncounterPayload, EncounterRefInput } from "../encounters/index.js";
import type { UserRow } from "../users/index.js";
import { User } from "../users/index.js";
import type { WorkItemRow } from "../work/index.js";
import { SUPERVISING_ROLES, visibleItem, WorkItem } from "../work/index.js";
import { AnswerPhysicianQueryInput, QueryPhysicianInput, SetEncounterCodesInput } from "./coding.inputs.js";
import { storedEditsOf } from "./coding.parse.js";
import * as physicianQueries from "./coding.physician-queries.js";
import * as coding from "./coding.service.js";
import type { CodeChangeRow, CodingCompletionRow, PhysicianQueryRow } from "./coding.store.js";
import {
  CodeChange,
  CodeSnapshot,
  CodingCompletion,
  DiagnosisCode,
  PhysicianQuery,
  ProcedureLine,
} from "./coding.type.js";

/**
 * A diagnosis of an encounter with the date its code is read for, and its code as of that date (or why
 * it could not be read) when the encounter's diagnoses were read with their codes.
 */
type DiagnosisRoot = DiagnosisEntry & { sequence: number; dateOfService: string; datedCode?: DatedCode | Error };
/** A procedure line with its date of service resolved. */
type ProcedureRoot = ProcedureEntry & { sequence: number; serviceDate: string; codeDate: string };

@ObjectType({ description: "Result of asking or answering a physician query." })
class PhysicianQueryPayload {
  @Field(() => PhysicianQuery, { nullable: true, description: "The query; null when userErrors is not empty." })
  query!: PhysicianQueryRow | null;

  @Field(() => [UserError], { description: "What to fix; empty on success." })
  userErrors!: UserError[];
}

/**
 * The code row shown for a stored code: as in force on the date, else its latest version (a code
 * ended after it was coded).
 */
async function codeAsOf(
  ctx: RequestContext,
  system: CodeSystem,
  code: string,
  dateOfService: string,
): Promise<DatedCode> {
  const inForce = await ctx.loaders.codes.code.load({ system, code, dateOfService });
  if (inForce) return inForce;
  const [latest] = await codeVersions(ctx.db, system, code);
  if (!latest) throw new Error(`stored code ${system} ${code} has no row in the code set`);
  return { ...latest, dateOfService };
}

/**
 * codeAsOf for several codes on one date, each answer a code or the error codeAsOf would throw: the
 * common case (every code in force) waits on one batch of the code loader, not on a promise per code.
 */
async function codesAsOf(
  ctx: RequestContext,
  system: CodeSystem,
  codes: readonly string[],
  dateOfService: string,
): Promise<(DatedCode | Error)[]> {
  const rows = await ctx.loaders.codes.code.loadMany(codes.map((code) => ({ system, code, dateOfService })));
  return Promise.all(
    rows.map((row, i) =>
      row instanceof Error
        ? row
        : (row ?? codeAsOf(ctx, system, codes[i]!, dateOfService).catch((error: Error) => error)),
    ),
  );
}

const snapshot = (codes: EncounterCodes): CodeSnapshot => ({
  diagnoses: codes.diagnoses.map((d) => ({ ...d, code: displayCode("ICD10CM", d.code) })),
  procedures: codes.procedures.map((p) => ({ ...p, code: displayCode(p.system, p.code) })),
});

@Resolver(() => Encounter)
export class EncounterCodingResolver {
  @Roles(...coding.CODING_ROLES)
  @Mutation(() => EncounterPayload, {
    description:
      "Replaces the encounter's codes at the version read (CONFLICT when stale) and keeps the change in its code " +
      "history. The caller must hold the encounter's coding work, or be a supervisor, and a BILLED or CLOSED " +
      "encounter's codes are the claim's (CONFLICT otherwise). Malformed, unknown or not-in-force codes are " +
      "refused with suggestions; everything else is saved and reported in `edits`.",
  })
  async setEncounterCodes(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => SetEncounterCodesInput, { description: "The complete code set." })
    input: SetEncounterCodesInput,
  ) {
    return payload("encounter", await coding.setEncounterCodes(ctx, input));
  }

  @Roles(...coding.CODING_ROLES)
  @Mutation(() => EncounterPayload, {
    description:
      "Validates the codes, finishes the coding item, and routes the encounter to review or billing: refused " +
      "while ERROR edits remain (userErrors list them); otherwise the encounter goes IN_REVIEW (with an item in " +
      "the CODING_REVIEW queue) when sampled, else READY_TO_BILL. The caller must hold the coding work of an " +
      "encounter in coding (CONFLICT otherwise).",
  })
  async completeCoding(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => EncounterRefInput, { description: "The encounter, whose coding work the caller holds." })
    input: EncounterRefInput,
  ) {
    return payload("encounter", await coding.completeCoding(ctx, input));
  }

  @Roles(...coding.CODING_ROLES)
  @Mutation(() => PhysicianQueryPayload, {
    description:
      "Asks the rendering provider a question: the coding work and the encounter go ON_HOLD until " +
      "answerPhysicianQuery. The caller must hold the coding work of an encounter in coding; one open query per " +
      "encounter (CONFLICT otherwise).",
  })
  async queryPhysician(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => QueryPhysicianInput, { description: "The encounter and the question." })
    input: QueryPhysicianInput,
  ) {
    return payload("query", await physicianQueries.queryPhysician(ctx, input));
  }

  @Roles(...SUPERVISING_ROLES)
  @Mutation(() => PhysicianQueryPayload, {
    description:
      "Records the provider's answer (a supervisor, or an integration with an ADMIN token): the coding work goes " +
      "back to the coder who asked when they may still work it, else back to its queue.",
  })
  async answerPhysicianQuery(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => AnswerPhysicianQueryInput, { description: "The query and its answer." })
    input: AnswerPhysicianQueryInput,
  ) {
    return payload("query", await physicianQueries.answerQuery(ctx, input));
  }

  @FieldResolver(() => [DiagnosisCode], {
    description:
      "Diagnoses in reporting order; the first is the primary (inpatient: principal) diagnosis. PHI: each read is " +
      "recorded in the audit log.",
  })
  @UseMiddleware(PhiRead("Encounter"))
  async diagnoses(
    @Root() row: EncounterRow,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<DiagnosisRoot[]> {
    const diagnoses = await ctx.loaders.encounterDiagnoses.load(row.id);
    const dateOfService = diagnosisCodeDate(datesOf(row));
    // Read with the diagnoses, their codes need no promise each: a page of 50 encounters has 200 of them.
    const codes = selectsField(info, "code")
      ? await codesAsOf(
          ctx,
          "ICD10CM",
          diagnoses.map((d) => d.code),
          dateOfService,
        )
      : null;
    // The new fields before the row's: V8 copies a spread row fast, but adding fields after it is ~50 times slower.
    return diagnoses.map((d, i) => ({ sequence: i + 1, dateOfService, datedCode: codes?.[i], ...d }));
  }

  @FieldResolver(() => [ProcedureLine], {
    description: "Procedure and service lines in order. PHI: each read is recorded in the audit log.",
  })
  @UseMiddleware(PhiRead("Encounter"))
  async procedures(@Root() row: EncounterRow, @Ctx() ctx: RequestContext): Promise<ProcedureRoot[]> {
    const codes = await ctx.loaders.encounterCodes.load(row.id);
    const dates = datesOf(row);
    // New fields before the row's, as for diagnoses; serviceDate is the row's own, replaced.
    return codes.procedures.map((line, i) => ({
      sequence: i + 1,
      codeDate: lineCodeDate(dates, line),
      ...line,
      serviceDate: lineDate(dates, line),
    }));
  }

  @FieldResolver(() => [CodeEditType], {
    description:
      "Coding edits on the current codes, ERRORs first: what completeCoding would refuse, and warnings. They name " +
      "the codes: each read is recorded in the audit log.",
  })
  @UseMiddleware(PhiRead("Encounter"))
  async edits(@Root() row: EncounterRow, @Ctx() ctx: RequestContext): Promise<Required<CodeEditData>[]> {
    const edits = await storedEditsOf(ctx, row);
    // Field by field: a spread edit with a field added after it costs microseconds in V8.
    return edits.map((edit) => ({
      code: edit.code,
      severity: edit.severity,
      message: edit.message,
      field: edit.field,
      suggestions: edit.suggestions ?? [],
    }));
  }

  @FieldResolver(() => [CodeChange], {
    description: "Every change of the codes, oldest first: who, when, before and after.",
  })
  codeHistory(@Root() row: EncounterRow, @Ctx() ctx: RequestContext): Promise<CodeChangeRow[]> {
    return ctx.loaders.codeHistory.load(row.id);
  }

  @FieldResolver(() => [CodingCompletion], {
    description: "Each time coding was completed, newest first, with whether and why it was sampled for review.",
  })
  codings(@Root() row: EncounterRow, @Ctx() ctx: RequestContext): Promise<CodingCompletionRow[]> {
    return ctx.loaders.codingCompletions.load(row.id);
  }

  @FieldResolver(() => [PhysicianQuery], {
    description: "Questions coders asked the provider about this encounter, oldest first.",
  })
  physicianQueries(@Root() row: EncounterRow, @Ctx() ctx: RequestContext): Promise<PhysicianQueryRow[]> {
    return ctx.loaders.physicianQueries.load(row.id);
  }
}

@Resolver(() => DiagnosisCode)
export class DiagnosisCodeResolver {
  @FieldResolver(() => MedicalCode, {
    description: "The ICD-10-CM code as in force on the date of service (inpatient: the discharge date).",
  })
  code(@Root() row: DiagnosisRoot, @Ctx() ctx: RequestContext): DatedCode | Promise<DatedCode> {
    if (row.datedCode instanceof Error) throw row.datedCode;
    return row.datedCode ?? codeAsOf(ctx, "ICD10CM", row.code, row.dateOfService);
  }

  @FieldResolver(() => [String], {
    description:
      "Codes (display form) of other diagnoses the coder stated are unrelated to this one although an Excludes1 " +
      "note bars them together (the EXCLUDES1_UNRELATED warning); empty for most diagnoses.",
  })
  unrelatedTo(@Root() row: DiagnosisRoot): string[] {
    return (row.unrelatedTo ?? []).map((code) => displayCode("ICD10CM", code));
  }
}

@Resolver(() => ProcedureLine)
export class ProcedureLineResolver {
  @FieldResolver(() => MedicalCode, {
    description: "The CPT, HCPCS or ICD-10-PCS code as in force on the line's date of service.",
  })
  code(@Root() row: ProcedureRoot, @Ctx() ctx: RequestContext): Promise<DatedCode> {
    return codeAsOf(ctx, row.system, row.code, row.codeDate);
  }
}

@Resolver(() => CodeChange)
export class CodeChangeResolver {
  @FieldResolver(() => User, { description: "Who changed the codes." })
  actor(@Root() row: CodeChangeRow, @Ctx() ctx: RequestContext): Promise<UserRow> {
    return required(ctx.loaders.user.load(row.actorId), "the author of a code change");
  }

  @FieldResolver(() => CodeSnapshot, {
    description: "The codes before the change. PHI: each read is recorded in the audit log as a read of the encounter.",
  })
  @UseMiddleware(PhiRead("Encounter", (row: CodeChangeRow) => row.encounterId))
  before(@Root() row: CodeChangeRow): CodeSnapshot {
    return snapshot(row.before as EncounterCodes);
  }

  @FieldResolver(() => CodeSnapshot, {
    description: "The codes after the change. PHI: each read is recorded in the audit log as a read of the encounter.",
  })
  @UseMiddleware(PhiRead("Encounter", (row: CodeChangeRow) => row.encounterId))
  after(@Root() row: CodeChangeRow): CodeSnapshot {
    return snapshot(row.after as EncounterCodes);
  }
}

@Resolver(() => CodingCompletion)
export class CodingCompletionResolver {
  @FieldResolver(() => User, { description: "The coder who completed it." })
  coder(@Root() row: CodingCompletionRow, @Ctx() ctx: RequestContext): Promise<UserRow> {
    return required(ctx.loaders.user.load(row.coderId), "the coder of a completion");
  }

  @FieldResolver(() => CodeSnapshot, {
    description:
      "The codes as the coder left them: what a review compares against. PHI: each read is recorded in the audit " +
      "log as a read of the encounter.",
  })
  @UseMiddleware(PhiRead("Encounter", (row: CodingCompletionRow) => row.encounterId))
  codes(@Root() row: CodingCompletionRow): CodeSnapshot {
    return snapshot(row.codes as EncounterCodes);
  }
}

@Resolver(() => PhysicianQuery)
export class PhysicianQueryResolver {
  @FieldResolver(() => ID, { description: "Opaque global id; pass it to answerPhysicianQuery." })
  id(@Root() row: PhysicianQueryRow): string {
    return toGlobalId("PhysicianQuery", row.id);
  }

  @FieldResolver(() => Encounter, { description: "The encounter the query is about." })
  encounter(@Root() row: PhysicianQueryRow, @Ctx() ctx: RequestContext): Promise<EncounterRow> {
    return required(ctx.loaders.encounter.load(row.encounterId), "the encounter of a physician query");
  }

  @FieldResolver(() => WorkItem, {
    nullable: true,
    description:
      "The coding work the query holds; null when it is in a queue the caller may not see (as node(id) would answer).",
  })
  workItem(@Root() row: PhysicianQueryRow, @Ctx() ctx: RequestContext): Promise<WorkItemRow | null> {
    return visibleItem(ctx, row.workItemId);
  }

  @FieldResolver(() => User, { description: "The coder who asked." })
  askedBy(@Root() row: PhysicianQueryRow, @Ctx() ctx: RequestContext): Promise<UserRow> {
    return required(ctx.loaders.user.load(row.askedById), "the author of a physician query");
  }

  @FieldResolver(() => User, { nullable: true, description: "Who recorded the answer; null while open." })
  async answeredBy(@Root() row: PhysicianQueryRow, @Ctx() ctx: RequestContext): Promise<UserRow | null> {
    return row.answeredById ? ctx.loaders.user.load(row.answeredById) : null;
  }
}
