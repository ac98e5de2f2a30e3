import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { toConnection } from "../../graphql/relay.js";
import { toGlobalId } from "../../shared/ids.js";
import * as organizations from "./organization.service.js";
import type { FacilityRow, PayerRow, ProviderRow } from "./organization.store.js";
import { Facility, Payer, Provider, ProviderConnection } from "./organization.type.js";

@Resolver(() => Facility)
export class FacilityResolver {
  @Roles()
  @Query(() => [Facility], { description: "The facilities the caller may see, by name." })
  facilities(@Ctx() ctx: RequestContext): Promise<FacilityRow[]> {
    return organizations.facilities(ctx);
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: FacilityRow): string {
    return toGlobalId("Facility", row.id);
  }
}

@Resolver(() => Provider)
export class ProviderResolver {
  @Roles()
  @Query(() => ProviderConnection, {
    description: "Rendering providers of the caller's facilities, by name; optionally those of one facility.",
  })
  async providers(
    @Ctx() ctx: RequestContext,
    @Arg("facilityId", () => ID, { nullable: true, description: "Only providers billing under this facility." })
    facilityId?: string,
    @Arg("first", () => Int, { nullable: true, description: "Page size: default 20, at most 100." }) first?: number,
    @Arg("after", () => String, { nullable: true, description: "Cursor from a previous page's `endCursor`." })
    after?: string,
  ) {
    const page = await organizations.providers(ctx, facilityId, first, after);
    return toConnection(page);
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: ProviderRow): string {
    return toGlobalId("Provider", row.id);
  }

  @FieldResolver(() => String, { description: 'Full name with credential, e.g. "Maya Chen, MD".' })
  name(@Root() row: ProviderRow): string {
    return `${row.firstName} ${row.lastName}${row.credential ? `, ${row.credential}` : ""}`;
  }
}

@Resolver(() => Payer)
export class PayerResolver {
  @Roles()
  @Query(() => [Payer], { description: "The organization's payers, by name." })
  payers(@Ctx() ctx: RequestContext): Promise<PayerRow[]> {
    return organizations.payers(ctx);
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: PayerRow): string {
    return toGlobalId("Payer", row.id);
  }
}
