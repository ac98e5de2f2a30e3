import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { payload } from "../../graphql/payload.js";
import { BILLING_ROLES, Claim, ClaimPayload, type ClaimRow } from "../claims/index.js";
import { appealClaim, transferBalanceToPatient, writeOffClaimBalance } from "./denial.service.js";
import {
  AppealClaimInput,
  Denial,
  type DenialReason,
  type DenialView,
  TransferBalanceToPatientInput,
  WriteOffClaimBalanceInput,
} from "./denial.type.js";
import { denialCategory, denialCategoryOf, NEXT_STEP } from "./remittance.denials.js";
import { remarksOf } from "./remittance.resolver.js";

/** Claims whose denial a biller works, or has appealed. */
const DENIED = new Set<ClaimRow["status"]>(["DENIED", "PARTIALLY_PAID", "APPEALED"]);

@Resolver(() => Claim)
export class ClaimDenialResolver {
  @FieldResolver(() => Denial, {
    nullable: true,
    description:
      "Why the payer denied the claim in whole or part, the category, the next step and the latest appeal: read " +
      "from its latest posting no reversal took back. Null unless the claim is DENIED, PARTIALLY_PAID or APPEALED.",
  })
  async denial(@Root() claim: ClaimRow, @Ctx() ctx: RequestContext): Promise<DenialView | null> {
    if (!DENIED.has(claim.status)) return null;
    const postings = await ctx.loaders.claimPaymentsOfClaim.load(claim.id);
    const reversed = new Set(postings.map((posting) => posting.reversesId).filter((id) => id !== null));
    const posting = postings.filter((each) => each.reversesId === null && !reversed.has(each.id)).at(-1);
    if (!posting) return null;
    const [adjustments, lines, appeals] = await Promise.all([
      ctx.loaders.claimAdjustments.load(claim.id),
      ctx.loaders.linePayments.load(posting.id),
      ctx.loaders.claimAppeals.load(claim.id),
    ]);
    const refusing = adjustments
      .filter((each) => each.claimPaymentId === posting.id && each.groupCode !== "PR")
      .filter((each) => denialCategoryOf(each.reasonCode) !== null)
      .sort((a, b) => Number(a.linePaymentId !== null) - Number(b.linePaymentId !== null));
    const reasons: DenialReason[] = await Promise.all(
      refusing.map(async (each) => ({
        groupCode: each.groupCode,
        reasonCode: each.reasonCode,
        reason: each.reasonText,
        amount: each.amount,
        lineNumber: each.lineNumber,
        remarks: await remarksOf(
          ctx,
          each.linePaymentId === null
            ? posting.remarks
            : (lines.find((line) => line.id === each.linePaymentId)?.remarks ?? []),
        ),
      })),
    );
    const category = denialCategory(refusing) ?? "OTHER";
    return {
      claimPayment: posting,
      category,
      nextStep: NEXT_STEP[category],
      reasons,
      latestAppeal: appeals.at(-1) ?? null,
    };
  }
}

@Resolver(() => Denial)
export class DenialResolver {
  @Roles(...BILLING_ROLES)
  @Mutation(() => ClaimPayload, {
    description:
      "Appeals a DENIED or PARTIALLY_PAID claim: the appeal is recorded (reason, deadline — the payer's appeal " +
      "window from the denial unless given —, who, when), the claim is APPEALED and its DENIAL work ends " +
      "(completed when the caller holds it). The payer's next 835 for the claim posts as usual. userErrors: " +
      "REASON_REQUIRED, TEXT_TOO_LONG, DEADLINE_PASSED; CONFLICT when the claim changed or is not denied.",
  })
  async appealClaim(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => AppealClaimInput, { description: "The claim and the appeal." }) input: AppealClaimInput,
  ) {
    return payload("claim", await appealClaim(ctx, input));
  }

  @Roles(...BILLING_ROLES)
  @Mutation(() => ClaimPayload, {
    description:
      "Writes off a claim's balance, or part of it, with a reason: an adjustment (kind WRITE_OFF, group CO, reason " +
      "CHR-WO) the claim will not collect, audited; the claim is CLOSED when nothing is left, and its DENIAL work " +
      "ends. Above the organization's approval limit (100.00 unless set) only a supervisor or an administrator " +
      "may: a biller gets FORBIDDEN naming the limit. userErrors: REASON_REQUIRED, TEXT_TOO_LONG, " +
      "AMOUNT_NOT_POSITIVE, AMOUNT_OVER_BALANCE.",
  })
  async writeOffClaimBalance(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => WriteOffClaimBalanceInput, { description: "The claim, the reason and the amount." })
    input: WriteOffClaimBalanceInput,
  ) {
    return payload("claim", await writeOffClaimBalance(ctx, input));
  }

  @Roles(...BILLING_ROLES)
  @Mutation(() => ClaimPayload, {
    description:
      "Moves a claim's balance to the patient: a line on their statement (Patient.statementBalance), an adjustment " +
      "(kind PATIENT_TRANSFER, group PR, reason CHR-PT) that takes it off what the payer owes, the claim CLOSED and " +
      "its DENIAL work ended, audited. userErrors: REASON_REQUIRED, TEXT_TOO_LONG.",
  })
  async transferBalanceToPatient(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => TransferBalanceToPatientInput, { description: "The claim and why the patient owes it." })
    input: TransferBalanceToPatientInput,
  ) {
    return payload("claim", await transferBalanceToPatient(ctx, input));
  }
}
