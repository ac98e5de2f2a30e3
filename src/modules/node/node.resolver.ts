import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { Node } from "../../graphql/relay.js";
import { parseGlobalId, type NodeType } from "../../shared/ids.js";
import type { Loaders } from "../../loaders.js";

/** Which loader answers for each node type; Organization ids are not fetchable. */
const LOADER_OF: Partial<Record<NodeType, keyof Loaders>> = {
  Facility: "facility",
  Provider: "provider",
  Payer: "payer",
  User: "user",
  Patient: "patient",
  Encounter: "encounter",
  Claim: "claim",
  WorkQueue: "workQueue",
  WorkItem: "workItem",
};

@Resolver()
export class NodeResolver {
  @Roles()
  @Query(() => Node, { nullable: true, description: "Any object by its global id; null when it does not exist or the caller may not see it." })
  async node(@Ctx() ctx: RequestContext, @Arg("id", () => ID, { description: "A global id from any object." }) id: string) {
    const parsed = parseGlobalId(id);
    const loader = parsed && LOADER_OF[parsed.type];
    if (!parsed || !loader) return null;
    const row = await (ctx.loaders[loader] as { load(id: string): Promise<object | null> }).load(parsed.uuid);
    return row && { ...row, __typename: parsed.type };
  }
}
