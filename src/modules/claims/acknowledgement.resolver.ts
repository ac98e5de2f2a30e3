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
  Query,
  Resolver,
  Root,
  registerEnumType,
} from "type-graphql";
import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { Node, UserError } from "../../graphql/relay.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { toGlobalId } from "../../shared/ids.js";
import type { ClaimOutcome } from "./acknowledgement.service.js";
import { importAcknowledgement } from "./acknowledgement.service.js";
import { type AcknowledgementRow, recentAcknowledgements } from "./acknowledgement.store.js";
import { BILLING_ROLES } from "./claim.service.js";
import type { SubmissionBatchRow } from "./claim.submission.store.js";
import { SubmissionBatch } from "./claim.submission.type.js";

/** Acknowledgements listed at most. */
const MAX_LISTED = 100;

@InputType({ description: "An acknowledgement file to import." })
export class ImportAcknowledgementInput {
  @Field(() => String, {
    description: "The X12 999 or 277CA exactly as received. Larger files: POST them to /acknowledgements.",
  })
  x12!: string;
}

export const AcknowledgementOutcomeEnum: { [O in ClaimOutcome["outcome"]]: O } = {
  ACCEPTED: "ACCEPTED",
  REJECTED: "REJECTED",
  RECEIVED: "RECEIVED",
  UNMATCHED: "UNMATCHED",
};
registerEnumType(AcknowledgementOutcomeEnum, {
  name: "AcknowledgementOutcome",
  description: "What an acknowledgement said of a claim: `AcknowledgementClaimOutcome.outcome`.",
  valuesConfig: {
    ACCEPTED: {
      description:
        "277CA: the payer accepted the claim, now ACCEPTED. 999: its transaction set was accepted; the claim " +
        "stays SUBMITTED until the 277CA.",
    },
    REJECTED: {
      description: "Refused (277CA, or a 999 rejecting its transaction set): the claim is REJECTED, in CLAIM_EDIT.",
    },
    RECEIVED: { description: "277CA: taken in with no decision yet; the claim stays SUBMITTED." },
    UNMATCHED: {
      description:
        "Names nothing of ours awaiting an answer: an unknown batch or claim, or a claim no longer SUBMITTED.",
    },
  },
});

/** The transaction sets an acknowledgement can be; X12 names them by number, which an enum value cannot start with. */
const TRANSACTION_SETS = { "999": "X12_999", "277CA": "X12_277CA" } as const;
export const AcknowledgementTransactionSetEnum = { X12_999: "X12_999", X12_277CA: "X12_277CA" } as const;
registerEnumType(AcknowledgementTransactionSetEnum, {
  name: "AcknowledgementTransactionSet",
  description: "Which acknowledgement a file is: `Acknowledgement.transactionSet`.",
  valuesConfig: {
    X12_999: { description: "999 implementation acknowledgement: was each transaction set of a batch readable." },
    X12_277CA: { description: "277CA claim acknowledgement: did the payer accept or reject each claim." },
  },
});

@ObjectType({ description: "What an acknowledgement said of one claim, or of a batch or claim that matched none." })
export class AcknowledgementClaimOutcome {
  @Field(() => ID, { nullable: true, description: "The claim's global id; null when unmatched." })
  claimId!: string | null;

  @Field(() => String, { nullable: true, description: "CLM01 as the file named it; null for a batch or set." })
  patientControlNumber!: string | null;

  @Field(() => AcknowledgementOutcomeEnum, { description: "What the file said of the claim, or that it matched none." })
  outcome!: ClaimOutcome["outcome"];

  @Field(() => String, { nullable: true, description: "The payer's claim control number (277CA REF*1K)." })
  payerClaimControlNumber!: string | null;

  @Field(() => String, { description: "The file's codes explained (STC, IK5/AK9, IK3/IK4), or why unmatched." })
  message!: string;
}

@ObjectType({
  implements: Node,
  description: "An imported 999 or 277CA: kept unchanged, with what it did to each claim.",
})
export class Acknowledgement extends Node {
  @Field(() => String, { description: "999 or 277CA; `transactionSet` says the same as an enum." })
  kind!: string;

  @Field(() => DateTimeScalar, { description: "When it was imported." })
  receivedAt!: Date;

  @Field(() => Int, { description: "Claims accepted (277CA), or in accepted transaction sets (999)." })
  claimsAccepted!: number;

  @Field(() => Int, { description: "Claims rejected and returned to CLAIM_EDIT." })
  claimsRejected!: number;

  @Field(() => Int, { description: "Batches, sets or claims named that matched nothing awaiting an answer." })
  unmatched!: number;
}

@ObjectType({ description: "Result of importAcknowledgement." })
export class AcknowledgementPayload {
  @Field(() => Acknowledgement, {
    nullable: true,
    description: "The acknowledgement (the earlier one when the same file was imported before); null on userErrors.",
  })
  acknowledgement!: AcknowledgementRow | null;

  @Field(() => [UserError], {
    description:
      "Why the file was refused, nothing written: X12_TOO_LARGE, X12_NOT_X12, X12_TRUNCATED, " +
      "X12_CONTROL_NUMBER_MISMATCH, X12_COUNT_MISMATCH, X12_MALFORMED, X12_WRONG_TRANSACTION (an 837 or 835).",
  })
  userErrors!: UserError[];
}

@Resolver(() => Acknowledgement)
export class AcknowledgementResolver {
  @Roles(...BILLING_ROLES)
  @Mutation(() => AcknowledgementPayload, {
    description:
      "Imports a 999 or 277CA for batches the organization submitted: claims of a rejected transaction set, and " +
      "claims a 277CA rejects, become REJECTED with CLAIM_EDIT work saying why; claims a 277CA accepts become " +
      "ACCEPTED with the payer's claim control number. One transaction; the same file again changes nothing and " +
      "answers the first import. Roles: BILLER, SUPERVISOR, ADMIN.",
  })
  async importAcknowledgement(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => ImportAcknowledgementInput, { description: "The file." }) input: ImportAcknowledgementInput,
  ): Promise<AcknowledgementPayload> {
    const outcome = await importAcknowledgement(ctx, input.x12);
    return { acknowledgement: outcome.value, userErrors: outcome.userErrors };
  }

  @Roles(...BILLING_ROLES)
  @Query(() => [Acknowledgement], {
    description: `Acknowledgements imported in the organization, newest first (at most ${MAX_LISTED}).`,
  })
  acknowledgements(@Ctx() ctx: RequestContext): Promise<AcknowledgementRow[]> {
    return recentAcknowledgements(ctx.db, actorOf(ctx).scope, MAX_LISTED);
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: AcknowledgementRow): string {
    return toGlobalId("Acknowledgement", row.id);
  }

  @FieldResolver(() => AcknowledgementTransactionSetEnum, {
    description: "`kind` as an enum, for generated client types.",
  })
  transactionSet(@Root() row: AcknowledgementRow): (typeof TRANSACTION_SETS)[AcknowledgementRow["kind"]] {
    return TRANSACTION_SETS[row.kind];
  }

  @FieldResolver(() => ID, { description: "The global id of the User who imported it." })
  receivedBy(@Root() row: AcknowledgementRow): string {
    return toGlobalId("User", row.receivedBy);
  }

  @FieldResolver(() => [AcknowledgementClaimOutcome], { description: "Per claim, what the file said, in file order." })
  outcomes(@Root() row: AcknowledgementRow): AcknowledgementClaimOutcome[] {
    return (row.outcomes as ClaimOutcome[]).map(globalIds);
  }

  @FieldResolver(() => [AcknowledgementClaimOutcome], { description: "The outcomes that matched nothing." })
  unmatchedItems(@Root() row: AcknowledgementRow): AcknowledgementClaimOutcome[] {
    return (row.outcomes as ClaimOutcome[]).filter((o) => o.outcome === "UNMATCHED").map(globalIds);
  }
}

/** An acknowledgement as the HTTP upload answers it: the fields GraphQL shows, ids global. */
export function acknowledgementView(row: AcknowledgementRow) {
  const outcomes = (row.outcomes as ClaimOutcome[]).map(globalIds);
  return {
    id: toGlobalId("Acknowledgement", row.id),
    kind: row.kind,
    receivedAt: row.receivedAt.toISOString(),
    receivedBy: toGlobalId("User", row.receivedBy),
    claimsAccepted: row.claimsAccepted,
    claimsRejected: row.claimsRejected,
    unmatched: row.unmatched,
    outcomes,
    unmatchedItems: outcomes.filter((o) => o.outcome === "UNMATCHED"),
  };
}

const globalIds = (outcome: ClaimOutcome): AcknowledgementClaimOutcome => ({
  ...outcome,
  claimId: outcome.claimId ? toGlobalId("Claim", outcome.claimId) : null,
});

@Resolver(() => SubmissionBatch)
export class BatchAcknowledgementsResolver {
  @FieldResolver(() => [Acknowledgement], { description: "Acknowledgements that answered this batch, newest first." })
  acknowledgements(@Root() row: SubmissionBatchRow, @Ctx() ctx: RequestContext): Promise<AcknowledgementRow[]> {
    return recentAcknowledgements(ctx.db, actorOf(ctx).scope, MAX_LISTED, row.id);
  }
}
