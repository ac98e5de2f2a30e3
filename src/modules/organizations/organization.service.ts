import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import { canSeeFacility } from "../../db/scope.js";
import { notFound } from "../../shared/errors.js";
import { uuidOf } from "../../shared/ids.js";
import { pageRequest } from "../../shared/pagination.js";
import { findProviders, listPayers, listVisibleFacilities } from "./organization.store.js";

/** The row id of a facility the caller may see; a foreign, hidden or malformed id is NOT_FOUND. */
export function visibleFacilityId(ctx: RequestContext, globalId: string, field: string): string {
  const id = uuidOf(globalId, "Facility");
  if (!id || !canSeeFacility(actorOf(ctx).scope, id)) throw notFound("Facility", field);
  return id;
}

/** The facilities granted to the caller: all they may see or work at. */
export function facilities(ctx: RequestContext) {
  return listVisibleFacilities(ctx.db, actorOf(ctx).scope);
}

/** Providers billing under the caller's facilities, optionally one facility's, in pages. */
export async function providers(
  ctx: RequestContext,
  facilityId: string | null | undefined,
  first?: number | null,
  after?: string | null,
) {
  const page = await pageRequest("Provider", first, after, (id) => ctx.loaders.provider.load(id));
  const facility = facilityId ? visibleFacilityId(ctx, facilityId, "facilityId") : null;
  return findProviders(ctx.db, actorOf(ctx).scope, facility, page);
}

/** The organization's payers: every user may pick one, whatever their facilities. */
export function payers(ctx: RequestContext) {
  return listPayers(ctx.db, actorOf(ctx).scope);
}
