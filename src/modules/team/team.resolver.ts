import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { payload } from "../../graphql/payload.js";
import { toConnection } from "../../graphql/relay.js";
import { Facility, type FacilityRow } from "../organizations/index.js";
import { User, type UserRow } from "../users/index.js";
import * as team from "./team.service.js";
import {
  CreateUserInput,
  CreateUserPayload,
  SetUserCredentialsInput,
  SetUserFacilitiesInput,
  SetUserRolesInput,
  UserConnection,
  UserFilter,
  UserPayload,
  UserRefInput,
} from "./team.type.js";

@Resolver(() => User)
export class TeamResolver {
  @Roles("SUPERVISOR", "ADMIN")
  @Query(() => UserConnection, {
    description:
      "The team, by name: for an administrator every user of the organization, for a supervisor the users of " +
      "their facilities (granted one of them, or administrators). Who to assign work to: filter by role, " +
      "facility, active, name or e-mail.",
  })
  async users(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => UserFilter, { nullable: true, description: "Conditions the users must meet." })
    filter?: UserFilter,
    @Arg("first", () => Int, { nullable: true, description: "Page size: default 20, at most 100." }) first?: number,
    @Arg("after", () => String, { nullable: true, description: "Cursor from a previous page's `endCursor`." })
    after?: string,
  ) {
    return toConnection(await team.listUsers(ctx, filter ?? {}, first, after));
  }

  @Roles()
  @FieldResolver(() => [Facility], {
    description: "Facilities the user may see (every one for an administrator), of those the caller may see, by name.",
  })
  async facilities(@Ctx() ctx: RequestContext, @Root() row: Pick<UserRow, "id">): Promise<FacilityRow[]> {
    const ids = await ctx.loaders.userFacilityIds.load(row.id);
    const rows = await ctx.loaders.facility.loadMany(ids);
    return rows
      .filter((facility): facility is FacilityRow => facility !== null && !(facility instanceof Error))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  @Roles("ADMIN")
  @Mutation(() => CreateUserPayload, {
    description:
      "Creates a user of the organization (an invitation): with the password given, or a generated one returned " +
      "once as `initialPassword`. Audited.",
  })
  async createUser(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => CreateUserInput, { description: "The new user." }) input: CreateUserInput,
  ) {
    const outcome = await team.createUser(ctx, input);
    return {
      user: outcome.value?.user ?? null,
      initialPassword: outcome.value?.initialPassword ?? null,
      userErrors: outcome.userErrors,
    };
  }

  @Roles("ADMIN")
  @Mutation(() => UserPayload, {
    description: "Sets every role a user holds. The last active administrator keeps ADMIN. Audited.",
  })
  async setUserRoles(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => SetUserRolesInput, { description: "User and roles." }) input: SetUserRolesInput,
  ) {
    return payload("user", await team.setUserRoles(ctx, input.userId, input.roles));
  }

  @Roles("ADMIN")
  @Mutation(() => UserPayload, { description: "Sets every credential a user holds. Audited." })
  async setUserCredentials(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => SetUserCredentialsInput, { description: "User and credentials." })
    input: SetUserCredentialsInput,
  ) {
    return payload("user", await team.setUserCredentials(ctx, input.userId, input.credentials));
  }

  @Roles("ADMIN")
  @Mutation(() => UserPayload, {
    description: "Sets the facilities a user is granted; their next request sees exactly those. Audited.",
  })
  async setUserFacilities(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => SetUserFacilitiesInput, { description: "User and facilities." })
    input: SetUserFacilitiesInput,
  ) {
    return payload("user", await team.setUserFacilities(ctx, input.userId, input.facilityIds));
  }

  @Roles("ADMIN")
  @Mutation(() => UserPayload, {
    description:
      "Deactivates a user: they cannot sign in, every token of theirs is refused (UNAUTHENTICATED) and their " +
      "subscriptions end. They are given no work. The last active administrator cannot be deactivated. Audited.",
  })
  async deactivateUser(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => UserRefInput, { description: "The user." }) input: UserRefInput,
  ) {
    return payload("user", await team.deactivateUser(ctx, input.userId));
  }

  @Roles("ADMIN")
  @Mutation(() => UserPayload, {
    description: "Lets a deactivated user sign in again; tokens from before the deactivation stay refused. Audited.",
  })
  async reactivateUser(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => UserRefInput, { description: "The user." }) input: UserRefInput,
  ) {
    return payload("user", await team.reactivateUser(ctx, input.userId));
  }
}
