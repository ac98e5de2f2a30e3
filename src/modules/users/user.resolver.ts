import { Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { toGlobalId } from "../../shared/ids.js";
import type { UserRow } from "./user.store.js";
import { User } from "./user.type.js";

@Resolver(() => User)
export class UserResolver {
  @Roles()
  @Query(() => User, { description: "The signed-in user." })
  async viewer(@Ctx() ctx: RequestContext): Promise<UserRow> {
    const user = await ctx.loaders.user.load(actorOf(ctx).userId);
    if (!user) throw new Error("the signed-in user vanished");
    return user;
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: UserRow): string {
    return toGlobalId("User", row.id);
  }
}
