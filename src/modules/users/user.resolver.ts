import { Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { toGlobalId } from "../../shared/ids.js";
import type { UserProfile, UserRow } from "./user.store.js";
import { User } from "./user.type.js";

@Resolver(() => User)
export class UserResolver {
  @Roles()
  @Query(() => User, { description: "The signed-in user." })
  viewer(@Ctx() ctx: RequestContext): UserProfile {
    // The actor was read from the users table for this request: it is the viewer, with no second read.
    const { userId, email, name, roles, credentials } = actorOf(ctx);
    return { id: userId, email, name, roles: [...roles], credentials: [...credentials], active: true };
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: Pick<UserRow, "id">): string {
    return toGlobalId("User", row.id);
  }
}
