import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Resolver,
  Root,
  UseMiddleware,
} from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { UserError } from "../../graphql/relay.js";
import { required } from "../../graphql/required.js";
import { toGlobalId } from "../../shared/ids.js";
import { PhiRead } from "../audit/index.js";
import type { PayerRow } from "../organizations/index.js";
import { Payer } from "../organizations/index.js";
import { BILLING_ROLES } from "./claim.service.js";
import type { ClaimRow } from "./claim.store.js";
import { MAX_CLAIMS_PER_SUBMISSION, submitClaims } from "./claim.submission.js";
import type { SubmissionBatchRow } from "./claim.submission.store.js";
import { SubmissionBatch } from "./claim.submission.type.js";
import { Claim } from "./claim.type.js";

@InputType({ description: "What to submit: claims by id, or every READY claim of one payer." })
export class SubmitClaimsInput {
  @Field(() => [ID], {
    description:
      `READY claims to submit (at most ${MAX_CLAIMS_PER_SUBMISSION}); one interchange is written per payer among ` +
      "them. Leave empty and give `payerId` to submit every READY claim of that payer.",
  })
  claimIds!: string[];

  @Field(() => ID, {
    nullable: true,
    description: "Submit every READY claim of this payer that the caller may see; `claimIds` must then be empty.",
  })
  payerId?: string | null;
}

@ObjectType({ description: "Result of submitClaims." })
export class SubmissionBatchPayload {
  @Field(() => SubmissionBatch, {
    nullable: true,
    description:
      "The first batch written (the only one when the claims have one payer); null when userErrors is not empty.",
  })
  batch!: SubmissionBatchRow | null;

  @Field(() => [SubmissionBatch], {
    description: "Every batch written, one per payer, in the order their claims were named; empty on userErrors.",
  })
  batches!: SubmissionBatchRow[];

  @Field(() => [UserError], {
    description:
      "What to fix; empty on success, and then nothing was submitted. CLAIM_NOT_READY: a named claim is not READY. " +
      "CLAIM_NOT_WRITABLE: a value of the claim cannot go into an 837P (an id holding an X12 separator * : ^ ~, " +
      "say); the message names the field. NOTHING_TO_SUBMIT: the payer has no READY claim.",
  })
  userErrors!: UserError[];
}

@Resolver(() => SubmissionBatch)
export class SubmissionBatchResolver {
  @Roles(...BILLING_ROLES)
  @Mutation(() => SubmissionBatchPayload, {
    description:
      "Writes READY claims as X12 837P 005010X222A1 interchanges, one per payer, with control numbers never used " +
      "before in the organization; stores each unchanged and moves its claims to SUBMITTED (their encounters to " +
      "BILLED), all at once or not at all. Download a batch as `x12`, or as a file from GET /batches/<id>.x12. " +
      "NOT_FOUND for a claim the caller may not see; BAD_USER_INPUT for an empty or repeating list. " +
      "Roles: BILLER, SUPERVISOR, ADMIN.",
  })
  async submitClaims(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => SubmitClaimsInput, { description: "The claims, or the payer." }) input: SubmitClaimsInput,
  ): Promise<SubmissionBatchPayload> {
    const outcome = await submitClaims(ctx, input);
    return { batch: outcome.value?.[0] ?? null, batches: outcome.value ?? [], userErrors: outcome.userErrors };
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: SubmissionBatchRow): string {
    return toGlobalId("SubmissionBatch", row.id);
  }

  @FieldResolver(() => Payer, { description: "The payer every claim of the batch is billed to." })
  payer(@Root() row: SubmissionBatchRow, @Ctx() ctx: RequestContext): Promise<PayerRow> {
    return required(ctx.loaders.payer.load(row.payerId), "the payer of a batch");
  }

  @FieldResolver(() => String, {
    description:
      "The interchange exactly as written and sent (segments end with ~ and a line break). It holds patients' " +
      "names and ids: reading it is audited.",
  })
  @UseMiddleware(PhiRead("SubmissionBatch"))
  x12(@Root() row: SubmissionBatchRow): string {
    return row.x12;
  }

  @FieldResolver(() => String, {
    description: "Where to download the file with the same bearer token: GET this path on the API's host.",
  })
  downloadPath(@Root() row: SubmissionBatchRow): string {
    return `/batches/${toGlobalId("SubmissionBatch", row.id)}.x12`;
  }

  @FieldResolver(() => String, { description: "ISA13 as written: nine digits, unique in the organization." })
  interchangeControlNumber(@Root() row: SubmissionBatchRow): string {
    return String(row.interchangeControlNumber).padStart(9, "0");
  }

  @FieldResolver(() => String, { description: "GS06 as written, unique in the organization; a 999's AK102 names it." })
  groupControlNumber(@Root() row: SubmissionBatchRow): string {
    return String(row.groupControlNumber);
  }

  @FieldResolver(() => Int, { description: "Claims in the batch." })
  claimCount(@Root() row: SubmissionBatchRow): number {
    return row.claimCount;
  }
}

@Resolver(() => Claim)
export class ClaimBatchResolver {
  @FieldResolver(() => SubmissionBatch, {
    nullable: true,
    description:
      "The batch it was last submitted in; null until submitted. Also null when the batch holds claims of " +
      "facilities the caller may not see.",
  })
  async batch(@Root() row: ClaimRow, @Ctx() ctx: RequestContext): Promise<SubmissionBatchRow | null> {
    return row.batchId ? ctx.loaders.submissionBatch.load(row.batchId) : null;
  }
}
