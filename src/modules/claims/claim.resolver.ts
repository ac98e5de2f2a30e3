import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { MoneyScalar } from "../../graphql/scalars.js";
import { toGlobalId, uuidOf } from "../../shared/ids.js";
import { subtractMoney } from "../../shared/money.js";
import type { EncounterRow } from "../encounters/index.js";
import { Encounter } from "../encounters/index.js";
import type { ClaimRow } from "./claim.store.js";
import { Claim } from "./claim.type.js";

@Resolver(() => Claim)
export class ClaimResolver {
  @Roles()
  @Query(() => Claim, {
    nullable: true,
    description: "One claim; null when it does not exist or its encounter is outside the caller's facilities.",
  })
  claim(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID, { description: "Claim id." }) id: string,
  ): Promise<ClaimRow | null> {
    const claimId = uuidOf(id, "Claim");
    return claimId ? ctx.loaders.claim.load(claimId) : Promise.resolve(null);
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: ClaimRow): string {
    return toGlobalId("Claim", row.id);
  }

  @FieldResolver(() => Encounter, { description: "The coded encounter this claim bills." })
  async encounter(@Root() row: ClaimRow, @Ctx() ctx: RequestContext): Promise<EncounterRow> {
    const encounter = await ctx.loaders.encounter.load(row.encounterId);
    if (!encounter) throw new Error("claim's encounter is not visible");
    return encounter;
  }

  @FieldResolver(() => MoneyScalar, { description: "What remains to collect: total charge less payments." })
  balance(@Root() row: ClaimRow): string {
    return subtractMoney(row.totalCharge, row.paidAmount);
  }
}
