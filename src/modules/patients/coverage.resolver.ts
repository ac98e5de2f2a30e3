import { Arg, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { payload } from "../../graphql/payload.js";
import { UserError } from "../../graphql/relay.js";
import { required } from "../../graphql/required.js";
import { toGlobalId } from "../../shared/ids.js";
import { REGISTRATION_ROLES } from "../auth/index.js";
import type { PayerRow } from "../organizations/index.js";
import { Payer } from "../organizations/index.js";
import { AddCoverageInput, UpdateCoverageInput } from "./coverage.inputs.js";
import * as coverage from "./coverage.service.js";
import { Coverage } from "./coverage.type.js";
import type { CoverageRow, PatientRow } from "./patient.store.js";
import { Patient } from "./patient.type.js";

@ObjectType({ description: "Result of a coverage mutation." })
export class CoveragePayload {
  @Field(() => Coverage, { nullable: true, description: "The coverage; null when userErrors is not empty." })
  coverage!: CoverageRow | null;

  @Field(() => [UserError], { description: "What to fix in the input; empty on success." })
  userErrors!: UserError[];
}

@Resolver(() => Coverage)
export class CoverageResolver {
  @Roles(...REGISTRATION_ROLES)
  @Mutation(() => CoveragePayload, {
    description:
      "Records a patient's insurance as the card says. Claims not yet sent bill it from their next scrub " +
      "(scrubClaim) when it is the primary coverage in force on their date of service.",
  })
  async addCoverage(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => AddCoverageInput, { description: "The coverage." }) input: AddCoverageInput,
  ) {
    return payload("coverage", await coverage.addCoverage(ctx, input));
  }

  @Roles(...REGISTRATION_ROLES)
  @Mutation(() => CoveragePayload, {
    description:
      "Corrects a coverage's member id or group number, or ends it. Unsent claims see it on their next scrub.",
  })
  async updateCoverage(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => UpdateCoverageInput, { description: "The corrections." }) input: UpdateCoverageInput,
  ) {
    return payload("coverage", await coverage.correctCoverage(ctx, input));
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: CoverageRow): string {
    return toGlobalId("Coverage", row.id);
  }

  @FieldResolver(() => Payer, { description: "The insurer." })
  payer(@Root() row: CoverageRow, @Ctx() ctx: RequestContext): Promise<PayerRow> {
    return required(ctx.loaders.payer.load(row.payerId), "the payer of a coverage");
  }
}

@Resolver(() => Patient)
export class PatientCoverageResolver {
  @FieldResolver(() => [Coverage], { description: "The patient's insurance, by priority (primary first)." })
  coverages(@Root() row: PatientRow, @Ctx() ctx: RequestContext): Promise<CoverageRow[]> {
    return ctx.loaders.coveragesByPatient.load(row.id);
  }
}
