import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  Float,
  ID,
  Int,
  Mutation,
  ObjectType,
  Resolver,
  Root,
  Subscription,
  UseMiddleware,
} from "type-graphql";
import { forDelivery, type RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { UserError } from "../../graphql/relay.js";
import { required } from "../../graphql/required.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { toGlobalId } from "../../shared/ids.js";
import { PhiRead } from "../audit/index.js";
import type { CodeSystem } from "../codesets/index.js";
import { displayCode } from "../codesets/index.js";
import type { CodingCompletionRow, DiagnosisEntry, ProcedureEntry } from "../coding/index.js";
import { CODING_ROLES, type CodedDiagnosis, type CodedProcedure, CodingCompletion } from "../coding/index.js";
import type { EncounterRow } from "../encounters/index.js";
import { Encounter } from "../encounters/index.js";
import { type Delivery, eventCursor } from "../events/index.js";
import type { UserRow } from "../users/index.js";
import { User } from "../users/index.js";
import { myCodingReviewEvents, reviewPayloadOf } from "./review.events.js";
import { SubmitCodingReviewInput } from "./review.inputs.js";
import { REVIEW_ROLES, submitCodingReview } from "./review.service.js";
import type { CodingReviewRow, ReviewFindingRow } from "./review.store.js";
import { CodedEntry, CodingReview, CodingReviewFinding } from "./review.type.js";

@ObjectType({ description: "Result of submitCodingReview." })
class SubmitCodingReviewPayload {
  @Field(() => CodingReview, {
    nullable: true,
    description: "The review as recorded; null when userErrors is not empty.",
  })
  review!: CodingReviewRow | null;

  @Field(() => Encounter, {
    nullable: true,
    description:
      "The encounter after the review: READY_TO_BILL, with the auditor's codes; null when userErrors is not empty.",
  })
  encounter!: EncounterRow | null;

  @Field(() => [UserError], {
    description:
      "What to fix; empty on success. REVIEW_REASON_REQUIRED names a finding without a reason; " +
      "REVIEW_REASON_WITHOUT_FINDING a reason whose code no finding is about; code errors and ERROR edits " +
      'of the corrections carry fields under ["corrections", …].',
  })
  userErrors!: UserError[];
}

@ObjectType({ description: "A review of the caller's own coding, delivered by myCodingReviews." })
export class CodingReviewEvent {
  @Field(() => String, { description: "Pass it as `after` when subscribing again to resume right after this event." })
  cursor!: string;

  @Field(() => DateTimeScalar, { description: "When the review was submitted." })
  at!: Date;

  @Field(() => CodingReview, { description: "The review, with its findings and reasons." })
  review!: CodingReviewRow;
}

/** An entry stored in a finding: stored form, with its position in its list. */
type StoredEntry = (DiagnosisEntry | ProcedureEntry) & { sequence: number };

const display = (entry: StoredEntry | null): CodedDiagnosis | CodedProcedure | null => {
  if (entry === null) return null;
  const { sequence: _sequence, ...rest } = entry;
  return "system" in rest
    ? { ...rest, code: displayCode(rest.system, rest.code) }
    : { ...rest, code: displayCode("ICD10CM", rest.code) };
};

const systemOf = (entry: StoredEntry): CodeSystem => ("system" in entry ? entry.system : "ICD10CM");

@Resolver(() => CodingReview)
export class CodingReviewResolver {
  @Roles(...REVIEW_ROLES)
  @Mutation(() => SubmitCodingReviewPayload, {
    description:
      "An auditor's verdict on the latest coding of an encounter whose CODING_REVIEW work the caller holds " +
      "(claimNextWorkItem): without `corrections` the codes are accepted as coded; with them, each " +
      "difference from the coder's codes is a finding that needs a reason (REVIEW_REASON_REQUIRED " +
      "otherwise), and the corrections may not leave ERROR edits. In one transaction the review is " +
      "recorded, the encounter takes the auditor's codes (code history source REVIEW) and goes " +
      "READY_TO_BILL, the review work is DONE, and the coder is told (myCodingReviews). A stale " +
      "`expectedVersion`, or review work the caller does not hold, is a CONFLICT.",
  })
  async submitCodingReview(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => SubmitCodingReviewInput, { description: "The encounter, the corrections and the reasons." })
    input: SubmitCodingReviewInput,
  ) {
    const outcome = await submitCodingReview(ctx, input);
    return {
      review: outcome.value?.review ?? null,
      encounter: outcome.value?.encounter ?? null,
      userErrors: outcome.userErrors,
    };
  }

  @FieldResolver(() => ID, { description: "Opaque global id; `node(id:)` fetches the review again." })
  id(@Root() row: CodingReviewRow): string {
    return toGlobalId("CodingReview", row.id);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description:
      "This review's accuracy: codesUnchanged / codesReviewed, from 0 to 1 (1: accepted as coded); null " +
      "when there was nothing to review. coderProductivity's accuracyRate sums these counts over a period.",
  })
  accuracy(@Root() row: CodingReviewRow): number | null {
    return row.codesReviewed === 0 ? null : row.codesUnchanged / row.codesReviewed;
  }

  @FieldResolver(() => Encounter, { description: "The encounter reviewed." })
  encounter(@Root() row: CodingReviewRow, @Ctx() ctx: RequestContext): Promise<EncounterRow> {
    return required(ctx.loaders.encounter.load(row.encounterId), "the encounter of a review");
  }

  @FieldResolver(() => User, { description: "The coder whose coding was reviewed." })
  coder(@Root() row: CodingReviewRow, @Ctx() ctx: RequestContext): Promise<UserRow> {
    return required(ctx.loaders.user.load(row.coderId), "the coder of a review");
  }

  @FieldResolver(() => User, { description: "The auditor (or supervisor) who reviewed it." })
  auditor(@Root() row: CodingReviewRow, @Ctx() ctx: RequestContext): Promise<UserRow> {
    return required(ctx.loaders.user.load(row.auditorId), "the auditor of a review");
  }

  @FieldResolver(() => CodingCompletion, {
    description: "The coding reviewed: who completed it, when, and the codes as they left them.",
  })
  async coding(@Root() row: CodingReviewRow, @Ctx() ctx: RequestContext): Promise<CodingCompletionRow> {
    const completions = await ctx.loaders.codingCompletions.load(row.encounterId);
    const completion = completions.find((c) => c.id === row.completionId);
    if (!completion) throw new Error("the coding of a review is not visible");
    return completion;
  }

  @FieldResolver(() => [CodingReviewFinding], {
    description:
      "The differences, diagnoses first in the coder's order, then procedure lines; " +
      "codes the auditor added come after the coder's. Empty when accepted. PHI: " +
      "each read is recorded in the audit log as a read of the encounter.",
  })
  @UseMiddleware(PhiRead("Encounter", (row: CodingReviewRow) => row.encounterId))
  findings(@Root() row: CodingReviewRow, @Ctx() ctx: RequestContext): Promise<ReviewFindingRow[]> {
    return ctx.loaders.reviewFindings.load(row.id);
  }
}

@Resolver(() => CodingReviewFinding)
export class CodingReviewFindingResolver {
  @FieldResolver(() => String)
  code(@Root() row: ReviewFindingRow): string {
    const entry = (row.after !== null && row.kind === "ADDED" ? row.after : (row.before ?? row.after)) as StoredEntry;
    return displayCode(systemOf(entry), entry.code);
  }

  @FieldResolver(() => CodedEntry, { nullable: true })
  before(@Root() row: ReviewFindingRow): CodedDiagnosis | CodedProcedure | null {
    return display(row.before as StoredEntry | null);
  }

  @FieldResolver(() => CodedEntry, { nullable: true })
  after(@Root() row: ReviewFindingRow): CodedDiagnosis | CodedProcedure | null {
    return display(row.after as StoredEntry | null);
  }

  @FieldResolver(() => Int, { nullable: true })
  beforePosition(@Root() row: ReviewFindingRow): number | null {
    return (row.before as StoredEntry | null)?.sequence ?? null;
  }

  @FieldResolver(() => Int, { nullable: true })
  afterPosition(@Root() row: ReviewFindingRow): number | null {
    return (row.after as StoredEntry | null)?.sequence ?? null;
  }
}

@Resolver(() => Encounter)
export class EncounterReviewResolver {
  @FieldResolver(() => [CodingReview], {
    description:
      "Auditors' reviews of this encounter's coding, newest first: outcome, accuracy and findings with reasons.",
  })
  codingReviews(@Root() row: EncounterRow, @Ctx() ctx: RequestContext): Promise<CodingReviewRow[]> {
    return ctx.loaders.codingReviews.load(row.id);
  }
}

@Resolver(() => CodingReviewEvent)
export class CodingReviewEventResolver {
  @Roles(...CODING_ROLES)
  @Subscription(() => CodingReviewEvent, {
    description:
      "Reviews of the caller's own coding as auditors submit them: accepted, or corrected with findings " +
      "and reasons. `after` replays what was missed. Permissions are checked again before every event.",
    subscribe: ({ args, context }) =>
      myCodingReviewEvents(context as RequestContext, args["after"] as string | undefined),
  })
  myCodingReviews(
    @Root() delivery: Delivery,
    @Ctx() ctx: RequestContext,
    @Arg("after", () => String, {
      nullable: true,
      description:
        "The `cursor` of the last event received: events after it are replayed first, then live ones follow, " +
        "none missed and none twice. Absent: live events only.",
    })
    _after?: string,
  ): Delivery {
    forDelivery(ctx, delivery.actor, `event:${delivery.event.id}`);
    return delivery;
  }

  @FieldResolver(() => String)
  cursor(@Root() delivery: Delivery): string {
    return eventCursor(delivery.event);
  }

  @FieldResolver(() => DateTimeScalar)
  at(@Root() delivery: Delivery): Date {
    return delivery.event.createdAt;
  }

  @FieldResolver(() => CodingReview)
  review(@Root() delivery: Delivery, @Ctx() ctx: RequestContext): Promise<CodingReviewRow> {
    return required(ctx.loaders.codingReview.load(reviewPayloadOf(delivery).reviewId), "the review of an event");
  }
}
