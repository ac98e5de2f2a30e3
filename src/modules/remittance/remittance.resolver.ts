import { Arg, Ctx, createUnionType, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { toConnection } from "../../graphql/relay.js";
import { required } from "../../graphql/required.js";
import { toGlobalId } from "../../shared/ids.js";
import { pageRequest } from "../../shared/pagination.js";
import { BILLING_ROLES, Claim, ClaimLine, type ClaimLineRow, type ClaimRow, ClaimStatusEnum } from "../claims/index.js";
import { Encounter, type EncounterRow } from "../encounters/index.js";
import { Payer, type PayerRow } from "../organizations/index.js";
import { User, type UserRow } from "../users/index.js";
import { WorkItem, type WorkItemRow } from "../work/index.js";
import { type ExplainedAdjustment, findUnmatchedClaimPayments } from "./claim-payment.store.js";
import { REVERSAL } from "./remittance.adjudication.js";
import type { Adjustment, RemittedClaim, RemittedLine } from "./remittance.reader.js";
import { matchClaimPayment, postRemittance } from "./remittance.service.js";
import {
  type ClaimPaymentRow,
  findRemittances,
  type LinePaymentRow,
  type ProviderAdjustmentRow,
  type RemittanceRow,
} from "./remittance.store.js";
import {
  ClaimAdjustment,
  ClaimPayment,
  ClaimPaymentConnection,
  ClaimPaymentPayload,
  FEW,
  LinePayment,
  MatchClaimPaymentInput,
  PostRemittanceInput,
  ProviderAdjustment,
  RemarkCode,
  Remittance,
  RemittanceConnection,
  RemittancePayload,
} from "./remittance.type.js";

const FIRST = { nullable: true, description: "Page size: default 20, at most 100." } as const;
const AFTER = { nullable: true, description: "Cursor from a previous page's `endCursor`." } as const;

@Resolver(() => Remittance)
export class RemittanceResolver {
  @Roles(...BILLING_ROLES)
  @Mutation(() => RemittancePayload, {
    description:
      "Posts an X12 835 remittance: each payment (BPR/TRN) in one transaction, after its amounts balance (line, " +
      "claim and payment). Each claim payment (CLP) is posted to our claim by patient control number, and each " +
      "line by REF*6R (else code, modifiers and date), with every adjustment and remark; the claim becomes PAID, " +
      "PARTIALLY_PAID or DENIED (denials go to the DENIAL queue with the payer's reasons). A reversal (CLP02 22) " +
      "takes back the payment it reverses. What matches no claim of ours is kept whole as an unmatched claim " +
      "payment in the UNMATCHED_PAYMENT queue. The same payment (payer and trace number) posts once, whichever " +
      "file brings it: posting again answers what was posted, `alreadyPosted` true.",
  })
  async postRemittance(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => PostRemittanceInput, { description: "The file." }) input: PostRemittanceInput,
  ): Promise<RemittancePayload> {
    const outcome = await postRemittance(ctx, input.x12);
    return {
      remittance: outcome.value?.remittances[0] ?? null,
      remittances: outcome.value?.remittances ?? [],
      alreadyPosted: outcome.value?.alreadyPosted ?? false,
      userErrors: outcome.userErrors,
    };
  }

  @Roles(...BILLING_ROLES)
  @Query(() => RemittanceConnection, { description: "Payments posted in the organization, newest first." })
  async remittances(
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, FIRST) first?: number,
    @Arg("after", () => String, AFTER) after?: string,
  ) {
    const page = await pageRequest("Remittance", first, after, (id) => ctx.loaders.remittance.load(id));
    return toConnection(await findRemittances(ctx.db, actorOf(ctx).scope, page));
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: RemittanceRow): string {
    return toGlobalId("Remittance", row.id);
  }

  @FieldResolver(() => Int, { description: "Claim payments posted to our claims (those of your facilities)." })
  async claimsPosted(@Root() row: RemittanceRow, @Ctx() ctx: RequestContext): Promise<number> {
    return (await ctx.loaders.remittanceCounts.load(row.id)).posted;
  }

  @FieldResolver(() => Int, { description: "Claim payments that matched none of our claims and are not matched yet." })
  async unmatched(@Root() row: RemittanceRow, @Ctx() ctx: RequestContext): Promise<number> {
    return (await ctx.loaders.remittanceCounts.load(row.id)).unmatched;
  }

  @FieldResolver(() => Payer, { nullable: true, description: "Our payer, when the 835's payer id is one of ours." })
  payer(@Root() row: RemittanceRow, @Ctx() ctx: RequestContext): Promise<PayerRow | null> {
    return row.payerId ? ctx.loaders.payer.load(row.payerId) : Promise.resolve(null);
  }

  @FieldResolver(() => User, { description: "Who posted it." })
  postedBy(@Root() row: RemittanceRow, @Ctx() ctx: RequestContext): Promise<UserRow> {
    return required(ctx.loaders.user.load(row.postedBy), "the poster of a remittance");
  }

  @FieldResolver(() => [ClaimPayment], {
    description: "Its claim payments in file order (those at your facilities), matched or not.",
  })
  claimPayments(@Root() row: RemittanceRow, @Ctx() ctx: RequestContext): Promise<ClaimPaymentRow[]> {
    return ctx.loaders.claimPaymentsOfRemittance.load(row.id);
  }

  @FieldResolver(() => [ProviderAdjustment], { description: "Its provider-level adjustments (PLB), in file order." })
  providerAdjustments(@Root() row: RemittanceRow, @Ctx() ctx: RequestContext): Promise<ProviderAdjustmentRow[]> {
    return ctx.loaders.providerAdjustments.load(row.id);
  }
}

/** A payment as the HTTP upload answers it: the fields GraphQL shows at its top, ids global. */
export async function remittanceView(ctx: RequestContext, row: RemittanceRow) {
  const counts = await ctx.loaders.remittanceCounts.load(row.id);
  return {
    id: toGlobalId("Remittance", row.id),
    payerName: row.payerName,
    traceNumber: row.traceNumber,
    paymentAmount: row.paymentAmount,
    paymentDate: row.paymentDate,
    postedAt: row.postedAt.toISOString(),
    claimsPosted: counts.posted,
    unmatched: counts.unmatched,
  };
}

/** A CAS adjustment as GraphQL shows it, its reason in words. */
async function shown(
  ctx: RequestContext,
  adjustment: Adjustment | ExplainedAdjustment,
  lineNumber: number | null,
): Promise<ClaimAdjustment> {
  if ("reasonText" in adjustment)
    return { ...adjustment, reason: adjustment.reasonText, lineNumber: adjustment.lineNumber };
  return {
    kind: "REMITTANCE",
    note: null,
    groupCode: adjustment.group,
    reasonCode: adjustment.reason,
    reason: await ctx.loaders.adjustmentCodeText.load(`CARC:${adjustment.reason}`),
    amount: adjustment.amount,
    quantity: adjustment.quantity,
    lineNumber,
  };
}

export const remarksOf = (ctx: RequestContext, codes: readonly string[]): Promise<RemarkCode[]> =>
  Promise.all(
    codes.map(async (code) => ({ code, description: await ctx.loaders.adjustmentCodeText.load(`RARC:${code}`) })),
  );

/** Adjustments posted from one claim payment, of one line or (linePaymentId null) of the whole claim. */
async function postedAdjustments(
  ctx: RequestContext,
  row: ClaimPaymentRow,
  linePaymentId: string | null,
): Promise<ClaimAdjustment[]> {
  const adjustments = await ctx.loaders.claimAdjustments.load(row.claimId!);
  return Promise.all(
    adjustments
      .filter((each) => each.claimPaymentId === row.id && each.linePaymentId === linePaymentId)
      .map((each) => shown(ctx, each, each.lineNumber)),
  );
}

@Resolver(() => ClaimPayment)
export class ClaimPaymentResolver {
  @Roles(...BILLING_ROLES)
  @Mutation(() => ClaimPaymentPayload, {
    description:
      "A biller posts an unmatched claim payment to the claim the payer meant (CLP01 mistyped, say), holding its " +
      "UNMATCHED_PAYMENT work (claimNextWorkItem), which this finishes: a new claim payment is posted to the claim " +
      "as the 835 would have posted it, and the unmatched one is settled. A payment already posted or matched is a " +
      "CONFLICT. A payment that is not yours at all: complete the work with a note, and return it to the payer.",
  })
  async matchClaimPayment(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => MatchClaimPaymentInput, { description: "The unmatched payment and the claim." })
    input: MatchClaimPaymentInput,
  ): Promise<ClaimPaymentPayload> {
    const outcome = await matchClaimPayment(ctx, input);
    return { claimPayment: outcome.value, userErrors: outcome.userErrors };
  }

  @Roles(...BILLING_ROLES)
  @Query(() => ClaimPaymentConnection, {
    description: "Claim payments that matched none of our claims and are not matched yet, oldest first.",
  })
  async unmatchedClaimPayments(
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, FIRST) first?: number,
    @Arg("after", () => String, AFTER) after?: string,
  ) {
    const page = await pageRequest("ClaimPayment", first, after, (id) => ctx.loaders.claimPayment.load(id));
    return toConnection(await findUnmatchedClaimPayments(ctx.db, actorOf(ctx).scope, page));
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: ClaimPaymentRow): string {
    return toGlobalId("ClaimPayment", row.id);
  }

  @FieldResolver(() => Remittance, { description: "The payment it came with." })
  remittance(@Root() row: ClaimPaymentRow, @Ctx() ctx: RequestContext): Promise<RemittanceRow> {
    return required(ctx.loaders.remittance.load(row.remittanceId), "the remittance of a claim payment");
  }

  @FieldResolver(() => Claim, { nullable: true, description: "Our claim it was posted to; null while unmatched." })
  claim(@Root() row: ClaimPaymentRow, @Ctx() ctx: RequestContext): Promise<ClaimRow | null> {
    return row.claimId ? ctx.loaders.claim.load(row.claimId) : Promise.resolve(null);
  }

  @FieldResolver(() => Boolean, { description: "True for a reversal (CLP02 22)." })
  reversal(@Root() row: ClaimPaymentRow): boolean {
    return row.claimStatusCode === REVERSAL;
  }

  @FieldResolver(() => ClaimPayment, { nullable: true, description: "For a reversal: the posting it took back." })
  reverses(@Root() row: ClaimPaymentRow, @Ctx() ctx: RequestContext): Promise<ClaimPaymentRow | null> {
    return row.reversesId ? ctx.loaders.claimPayment.load(row.reversesId) : Promise.resolve(null);
  }

  @FieldResolver(() => ClaimPayment, {
    nullable: true,
    description: "For a claim payment matched by hand: the unmatched one it settled.",
  })
  resolves(@Root() row: ClaimPaymentRow, @Ctx() ctx: RequestContext): Promise<ClaimPaymentRow | null> {
    return row.resolvesId ? ctx.loaders.claimPayment.load(row.resolvesId) : Promise.resolve(null);
  }

  @FieldResolver(() => ClaimStatusEnum, {
    nullable: true,
    description: "The claim's status before this posting; null while unmatched.",
  })
  statusBefore(@Root() row: ClaimPaymentRow): ClaimRow["status"] | null {
    return row.statusBefore;
  }

  @FieldResolver(() => ClaimStatusEnum, {
    nullable: true,
    description: "The claim's status this posting gave it (PAID, PARTIALLY_PAID, DENIED, or back, for a reversal).",
  })
  statusAfter(@Root() row: ClaimPaymentRow): ClaimRow["status"] | null {
    return row.statusAfter;
  }

  @FieldResolver(() => [RemarkCode], {
    ...FEW,
    description: "MOA/MIA remark codes (RARCs) of the claim, with their texts.",
  })
  remarks(@Root() row: ClaimPaymentRow, @Ctx() ctx: RequestContext): Promise<RemarkCode[]> {
    return remarksOf(ctx, row.remarks);
  }

  @FieldResolver(() => [ClaimAdjustment], {
    ...FEW,
    description: "The claim-level CAS adjustments (lines carry their own).",
  })
  adjustments(@Root() row: ClaimPaymentRow, @Ctx() ctx: RequestContext): Promise<ClaimAdjustment[]> {
    if (row.claimId === null)
      return Promise.all((row.detail as RemittedClaim).adjustments.map((each) => shown(ctx, each, null)));
    return postedAdjustments(ctx, row, null);
  }

  @FieldResolver(() => [LinePayment], {
    description: "Its service lines as the payer answered them; for an unmatched one, as read from the file.",
  })
  async lines(@Root() row: ClaimPaymentRow, @Ctx() ctx: RequestContext): Promise<LinePayment[]> {
    if (row.claimId === null)
      return Promise.all((row.detail as RemittedClaim).lines.map((line) => unmatchedLine(ctx, line)));
    const lines: LinePaymentRow[] = await ctx.loaders.linePayments.load(row.id);
    return Promise.all(
      lines.map(async (line) => ({
        ...line,
        remarks: await remarksOf(ctx, line.remarks),
        adjustments: await postedAdjustments(ctx, row, line.id),
      })),
    );
  }
}

async function unmatchedLine(ctx: RequestContext, line: RemittedLine): Promise<LinePayment> {
  return {
    ...line,
    lineNumber: null,
    remarks: await remarksOf(ctx, line.remarks),
    adjustments: await Promise.all(line.adjustments.map((each) => shown(ctx, each, null))),
  };
}

/** `Claim.payments` and `Claim.adjustments`, here because remittance builds on claims. */
@Resolver(() => Claim)
export class ClaimRemittanceResolver {
  @FieldResolver(() => [ClaimPayment], {
    description: "Every payment posted to the claim, reversals included, oldest first.",
  })
  payments(@Root() claim: ClaimRow, @Ctx() ctx: RequestContext): Promise<ClaimPaymentRow[]> {
    return ctx.loaders.claimPaymentsOfClaim.load(claim.id);
  }

  @FieldResolver(() => [ClaimAdjustment], {
    description:
      "Every adjustment of the claim and its lines, oldest first: posted from 835s, written off, or moved to the " +
      "patient.",
  })
  async adjustments(@Root() claim: ClaimRow, @Ctx() ctx: RequestContext): Promise<ClaimAdjustment[]> {
    const adjustments = await ctx.loaders.claimAdjustments.load(claim.id);
    return Promise.all(adjustments.map((each) => shown(ctx, each, each.lineNumber)));
  }
}

@Resolver(() => ClaimLine)
export class ClaimLineAdjustmentsResolver {
  @FieldResolver(() => [ClaimAdjustment], {
    description: "Remittance adjustments of the line; empty until one is posted.",
  })
  async adjustments(@Root() line: ClaimLineRow, @Ctx() ctx: RequestContext): Promise<ClaimAdjustment[]> {
    const adjustments = await ctx.loaders.claimAdjustments.load(line.claimId);
    return Promise.all(
      adjustments
        .filter((each) => each.lineNumber === line.lineNumber)
        .map((each) => shown(ctx, each, each.lineNumber)),
    );
  }
}

/*
 * What a work item is about. It lives in the module that knows every kind of subject: encounters and claims beneath
 * it, and the unmatched claim payments of remittance.
 */
export const WorkSubject = createUnionType({
  name: "WorkSubject",
  description: "What a work item is about: an encounter, a claim, or a claim payment that matched none of our claims.",
  types: () => [Encounter, Claim, ClaimPayment] as const,
  resolveType: (value) => ("documentation" in value ? "Encounter" : "remittanceId" in value ? "ClaimPayment" : "Claim"),
});

@Resolver(() => WorkItem)
export class WorkItemSubjectResolver {
  @FieldResolver(() => WorkSubject, { description: "The encounter, claim or unmatched claim payment to work." })
  subject(@Root() row: WorkItemRow, @Ctx() ctx: RequestContext): Promise<EncounterRow | ClaimRow | ClaimPaymentRow> {
    if (row.encounterId) return required(ctx.loaders.encounter.load(row.encounterId), "the encounter of a work item");
    if (row.claimId) return required(ctx.loaders.claim.load(row.claimId), "the claim of a work item");
    return required(ctx.loaders.claimPayment.load(row.claimPaymentId!), "the claim payment of a work item");
  }
}
