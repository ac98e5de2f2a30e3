import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { payload } from "../../graphql/payload.js";
import { toConnection, UserError } from "../../graphql/relay.js";
import { required } from "../../graphql/required.js";
import { toGlobalId } from "../../shared/ids.js";
import { REGISTRATION_ROLES } from "../auth/roles.js";
import type { ClaimRow } from "../claims/claim.store.js";
import { Claim } from "../claims/claim.type.js";
import type { FacilityRow, ProviderRow } from "../organizations/organization.store.js";
import { Facility, Provider } from "../organizations/organization.type.js";
import type { PatientRow } from "../patients/patient.store.js";
import { Patient } from "../patients/patient.type.js";
import { visibleItemsOfEncounter } from "../work/index.js";
import type { WorkItemRow } from "../work/work.store.js";
import { WorkItem } from "../work/work.type.js";
import { CreateEncounterInput, EncounterFilter, EncounterRefInput } from "./encounter.inputs.js";
import * as encounters from "./encounter.service.js";
import type { EncounterOrder, EncounterRow } from "./encounter.store.js";
import { Encounter, EncounterConnection, EncounterOrderEnum } from "./encounter.type.js";

@ObjectType({
  description: "Result of an encounter mutation (for completeCoding, userErrors are the ERROR edits that block it).",
})
export class EncounterPayload {
  @Field(() => Encounter, { nullable: true, description: "The encounter; null when userErrors is not empty." })
  encounter!: EncounterRow | null;

  @Field(() => [UserError], { description: "What to fix in the input; empty on success." })
  userErrors!: UserError[];
}

@Resolver(() => Encounter)
export class EncounterResolver {
  @Roles()
  @Query(() => EncounterConnection, {
    description: "Encounters of the caller's facilities, filtered and ordered by date of service.",
  })
  async encounters(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => EncounterFilter, { nullable: true, description: "Status, type, facility, patient, dates." })
    filter?: EncounterFilter,
    @Arg("orderBy", () => EncounterOrderEnum, {
      defaultValue: "SERVICE_DATE_DESC",
      description: "Newest or oldest first.",
    })
    orderBy: EncounterOrder = "SERVICE_DATE_DESC",
    @Arg("first", () => Int, { nullable: true, description: "Page size: default 20, at most 100." }) first?: number,
    @Arg("after", () => String, { nullable: true, description: "Cursor from a previous page's `endCursor`." })
    after?: string,
  ) {
    const page = await encounters.listEncounters(ctx, filter, orderBy, first, after);
    return toConnection(page);
  }

  @Roles()
  @Query(() => Encounter, {
    nullable: true,
    description: "One encounter; null when it does not exist or is outside the caller's facilities.",
  })
  encounter(@Ctx() ctx: RequestContext, @Arg("id", () => ID, { description: "Encounter id." }) id: string) {
    return encounters.findEncounter(ctx, id);
  }

  @Roles(...REGISTRATION_ROLES)
  @Mutation(() => EncounterPayload, {
    description:
      "Records a documented encounter as DRAFT. Unknown or hidden facility, patient or provider ids are NOT_FOUND.",
  })
  async createEncounter(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => CreateEncounterInput, { description: "The encounter." }) input: CreateEncounterInput,
  ) {
    return payload("encounter", await encounters.createEncounter(ctx, input));
  }

  @Roles(...REGISTRATION_ROLES)
  @Mutation(() => EncounterPayload, {
    description:
      "Moves a documented encounter to READY_FOR_CODING and enqueues it in the matching coding queue. Only a " +
      "DRAFT encounter can be submitted, and only when a coding queue takes it (CONFLICT otherwise).",
  })
  async submitEncounterForCoding(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => EncounterRefInput, { description: "The encounter, and optionally the version last read." })
    input: EncounterRefInput,
  ) {
    return payload("encounter", await encounters.submitEncounterForCoding(ctx, input));
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: EncounterRow): string {
    return toGlobalId("Encounter", row.id);
  }

  @FieldResolver(() => Facility, { description: "Where the service was rendered." })
  facility(@Root() row: EncounterRow, @Ctx() ctx: RequestContext): Promise<FacilityRow> {
    return required(ctx.loaders.facility.load(row.facilityId), "the facility of an encounter");
  }

  @FieldResolver(() => Patient, { description: "Who received care." })
  patient(@Root() row: EncounterRow, @Ctx() ctx: RequestContext): Promise<PatientRow> {
    return required(ctx.loaders.patient.load(row.patientId), "the patient of an encounter");
  }

  @FieldResolver(() => Provider, { description: "The clinician who rendered the service." })
  renderingProvider(@Root() row: EncounterRow, @Ctx() ctx: RequestContext): Promise<ProviderRow> {
    return required(ctx.loaders.provider.load(row.renderingProviderId), "the provider of an encounter");
  }

  @FieldResolver(() => [Claim], { description: "Claims built from this encounter, oldest first." })
  claims(@Root() row: EncounterRow, @Ctx() ctx: RequestContext): Promise<ClaimRow[]> {
    return ctx.loaders.claimsByEncounter.load(row.id);
  }

  @FieldResolver(() => [WorkItem], {
    description:
      "Work on this encounter, open or finished, oldest first: in the queues the caller may see, as everywhere " +
      "(supervisors see every queue).",
  })
  workItems(@Root() row: EncounterRow, @Ctx() ctx: RequestContext): Promise<WorkItemRow[]> {
    return visibleItemsOfEncounter(ctx, row.id);
  }
}
