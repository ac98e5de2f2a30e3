/*
 * Fields that link claims to the types of the modules beneath: an encounter's claims and what a self-pay patient
 * owes. They live here because claims knows encounters and patients, which know nothing of claims.
 */
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { MoneyScalar } from "../../graphql/scalars.js";
import { sumMoney } from "../../shared/money.js";
import type { EncounterRow } from "../encounters/index.js";
import { Encounter } from "../encounters/index.js";
import type { PatientRow } from "../patients/index.js";
import { Patient } from "../patients/index.js";
import type { ClaimRow } from "./claim.store.js";
import { Claim } from "./claim.type.js";

@Resolver(() => Encounter)
export class EncounterClaimsResolver {
  @FieldResolver(() => [Claim], { description: "Claims built from this encounter, oldest first." })
  claims(@Root() row: EncounterRow, @Ctx() ctx: RequestContext): Promise<ClaimRow[]> {
    return ctx.loaders.claimsByEncounter.load(row.id);
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
