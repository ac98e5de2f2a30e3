import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { required } from "../../graphql/required.js";
import { BILLING_ROLES, Claim, type ClaimRow } from "../claims/index.js";
import { User, type UserRow } from "../users/index.js";
import { recordClaimFollowUp } from "./follow-up.service.js";
import type { ClaimFollowUpRow } from "./follow-up.store.js";
import { ClaimFollowUp, ClaimFollowUpPayload, RecordClaimFollowUpInput } from "./follow-up.type.js";

@Resolver(() => ClaimFollowUp)
export class ClaimFollowUpResolver {
  @Roles(...BILLING_ROLES)
  @Mutation(() => ClaimFollowUpPayload, {
    description:
      "A biller records a follow-up of an unpaid claim whose FOLLOW_UP work they hold (claimNextWorkItem): the " +
      "work is DONE, and the claim comes back to the queue on `nextFollowUpOn` if still unpaid. A claim not " +
      "SUBMITTED or ACCEPTED, or work the caller does not hold, is a CONFLICT.",
  })
  async recordClaimFollowUp(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => RecordClaimFollowUpInput, { description: "The claim, the note and the next date." })
    input: RecordClaimFollowUpInput,
  ): Promise<ClaimFollowUpPayload> {
    const outcome = await recordClaimFollowUp(ctx, input);
    return {
      followUp: outcome.value?.followUp ?? null,
      claim: outcome.value?.claim ?? null,
      userErrors: outcome.userErrors,
    };
  }

  @FieldResolver(() => User, { description: "The biller who followed up." })
  by(@Root() row: ClaimFollowUpRow, @Ctx() ctx: RequestContext): Promise<UserRow> {
    return required(ctx.loaders.user.load(row.actorId), "the biller of a follow-up");
  }
}

/** `Claim.followUps`, here because follow-ups build on claims (claims never import follow-ups). */
@Resolver(() => Claim)
export class ClaimFollowUpsResolver {
  @FieldResolver(() => [ClaimFollowUp], {
    description: "The billers' follow-ups of the claim with its payer, newest first.",
  })
  followUps(@Root() claim: ClaimRow, @Ctx() ctx: RequestContext): Promise<ClaimFollowUpRow[]> {
    return ctx.loaders.claimFollowUps.load(claim.id);
  }
}
