/*
 * Fields that link claims to the types of the modules beneath: an encounter's claims, and what a
 * work item is about (an encounter or a claim). They live here because claims is the one module
 * that knows encounters, work and claims; encounters and work know nothing of claims, so neither
 * imports the other's way round.
 */
import { Ctx, createUnionType, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { required } from "../../graphql/required.js";
import type { EncounterRow } from "../encounters/index.js";
import { Encounter } from "../encounters/index.js";
import type { WorkItemRow } from "../work/index.js";
import { WorkItem } from "../work/index.js";
import type { ClaimRow } from "./claim.store.js";
import { Claim } from "./claim.type.js";

export const WorkSubject = createUnionType({
  name: "WorkSubject",
  description: "What a work item is about: an encounter or a claim.",
  types: () => [Encounter, Claim] as const,
  resolveType: (value) => ("documentation" in value ? "Encounter" : "Claim"),
});

@Resolver(() => Encounter)
export class EncounterClaimsResolver {
  @FieldResolver(() => [Claim], { description: "Claims built from this encounter, oldest first." })
  claims(@Root() row: EncounterRow, @Ctx() ctx: RequestContext): Promise<ClaimRow[]> {
    return ctx.loaders.claimsByEncounter.load(row.id);
  }
}

@Resolver(() => WorkItem)
export class WorkItemSubjectResolver {
  @FieldResolver(() => WorkSubject, { description: "The encounter or claim to work." })
  subject(@Root() row: WorkItemRow, @Ctx() ctx: RequestContext): Promise<EncounterRow | ClaimRow> {
    return row.encounterId
      ? required(ctx.loaders.encounter.load(row.encounterId), "the encounter of a work item")
      : required(ctx.loaders.claim.load(row.claimId!), "the claim of a work item");
  }
}
