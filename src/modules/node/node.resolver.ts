import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { Node } from "../../graphql/relay.js";
import { type NodeType, parseGlobalId } from "../../shared/ids.js";
import { hasRole } from "../auth/index.js";
import { BILLING_ROLES } from "../claims/index.js";
import { visiblePhysicianQuery } from "../coding/index.js";
import { visibleItem, visibleQueue } from "../work/index.js";

type Fetch = (ctx: RequestContext, id: string) => Promise<object | null>;

/**
 * What answers for each node type, seeing what the type's own queries see: the scoped loaders, and
 * for work the queues the caller may view (as `workQueue(id)`). Organization ids are not fetchable.
 * parseGlobalId gives only Chartroom's own types, so a caller's `constructor` never reaches this table.
 */
const FETCH_OF: Partial<Record<NodeType, Fetch>> = {
  Facility: (ctx, id) => ctx.loaders.facility.load(id),
  Provider: (ctx, id) => ctx.loaders.provider.load(id),
  Payer: (ctx, id) => ctx.loaders.payer.load(id),
  User: (ctx, id) => ctx.loaders.user.load(id),
  Patient: (ctx, id) => ctx.loaders.patient.load(id),
  Coverage: (ctx, id) => ctx.loaders.coverage.load(id),
  Encounter: (ctx, id) => ctx.loaders.encounter.load(id),
  Claim: (ctx, id) => ctx.loaders.claim.load(id),
  WorkQueue: visibleQueue,
  WorkItem: visibleItem,
  PhysicianQuery: visiblePhysicianQuery,
  CodingReview: (ctx, id) => ctx.loaders.codingReview.load(id),
  SubmissionBatch: (ctx, id) => ctx.loaders.submissionBatch.load(id),
  // A payment spans facilities, so it is the organization's billing staff's, as `remittances` is.
  Remittance: (ctx, id) =>
    hasRole(actorOf(ctx), BILLING_ROLES) ? ctx.loaders.remittance.load(id) : Promise.resolve(null),
  ClaimPayment: (ctx, id) => ctx.loaders.claimPayment.load(id),
};

@Resolver()
export class NodeResolver {
  @Roles()
  @Query(() => Node, {
    nullable: true,
    description: "Any object by its global id; null when it does not exist or the caller may not see it.",
  })
  async node(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID, { description: "A global id from any object." }) id: string,
  ) {
    const parsed = parseGlobalId(id);
    const fetch = parsed && FETCH_OF[parsed.type];
    if (!parsed || !fetch) return null;
    const row = await fetch(ctx, parsed.uuid);
    return row && { ...row, __typename: parsed.type };
  }
}
