/*
 * Fields that link claims to the types of the modules beneath: an encounter's claims, what a work
 * item is about (an encounter or a claim), and what a self-pay patient owes. They live here because claims is the one module
 * that knows encounters, work and claims; encounters and work know nothing of claims, so neither
 * imports the other's way round.
 */
import { Ctx, createUnionType, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { required } from "../../graphql/required.js";
import { MoneyScalar } from "../../graphql/scalars.js";
import { sumMoney } from "../../shared/money.js";
import type { EncounterRow } from "../encounters/index.js";
import { Encounter } from "../encounters/index.js";
import type { PatientRow } from "../patients/index.js";
import { Patient } from "../patients/index.js";
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

@Resolver(() => Patient)
export class PatientStatementResolver {
  @FieldResolver(() => MoneyScalar, {
    description:
      "What the patient owes on their statement: self-pay encounters' charges, less any later billed to insurance.",
  })
  async statementBalance(@Root() row: PatientRow, @Ctx() ctx: RequestContext): Promise<string> {
    const lines = await ctx.loaders.statementLinesByPatient.load(row.id);
    return sumMoney(lines.map((line) => line.amount));
  }
}
