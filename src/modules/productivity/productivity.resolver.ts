import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { required } from "../../graphql/required.js";
import { DateScalar } from "../../graphql/scalars.js";
import type { UserRow } from "../users/index.js";
import { User } from "../users/index.js";
import { type CoderProductivityFigures, PRODUCTIVITY_ROLES, productivity } from "./productivity.service.js";
import type { ProductivityInterval } from "./productivity.store.js";
import { CoderProductivity, ProductivityIntervalEnum } from "./productivity.type.js";

@Resolver(() => CoderProductivity)
export class ProductivityResolver {
  @Roles(...PRODUCTIVITY_ROLES)
  @Query(() => [CoderProductivity], {
    description:
      "Coders' output and accuracy from `from` to `to` (UTC dates, both inclusive, at most 366 days): per " +
      "coder, or per coder and period with `interval`, ordered by period then coder name. Counts only " +
      "encounters at the caller's facilities. `to` before `from`, or a longer range, is BAD_USER_INPUT.",
  })
  coderProductivity(
    @Ctx() ctx: RequestContext,
    @Arg("from", () => DateScalar, { description: "First day, inclusive (UTC)." }) from: string,
    @Arg("to", () => DateScalar, { description: "Last day, inclusive (UTC)." }) to: string,
    @Arg("interval", () => ProductivityIntervalEnum, {
      defaultValue: "WHOLE",
      description: "How to split the range into periods.",
    })
    interval: ProductivityInterval,
    @Arg("coderId", () => ID, {
      nullable: true,
      description: "Only this coder; absent: every coder with completed coding in the range.",
    })
    coderId?: string | null,
  ): Promise<CoderProductivityFigures[]> {
    return productivity(ctx, { from, to, interval, coderId: coderId ?? null });
  }

  @FieldResolver(() => User, { description: "The coder who completed the coding." })
  coder(@Root() row: CoderProductivityFigures, @Ctx() ctx: RequestContext): Promise<UserRow> {
    return required(ctx.loaders.user.load(row.coderId), "the coder of a completion");
  }
}
