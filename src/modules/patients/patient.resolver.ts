import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { payload } from "../../graphql/payload.js";
import { toConnection, UserError } from "../../graphql/relay.js";
import { toGlobalId } from "../../shared/ids.js";
import { REGISTRATION_ROLES } from "../auth/index.js";
import { CreatePatientInput, PatientFilter } from "./patient.inputs.js";
import * as patients from "./patient.service.js";
import type { PatientRow } from "./patient.store.js";
import { Patient, PatientConnection } from "./patient.type.js";

@ObjectType({ description: "Result of a patient mutation." })
class PatientPayload {
  @Field(() => Patient, { nullable: true, description: "The patient; null when userErrors is not empty." })
  patient!: PatientRow | null;

  @Field(() => [UserError], { description: "What to fix in the input; empty on success." })
  userErrors!: UserError[];
}

@Resolver(() => Patient)
export class PatientResolver {
  @Roles()
  @Query(() => PatientConnection, { description: "Patients of the caller's facilities, by last and first name." })
  async patients(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => PatientFilter, { nullable: true, description: "Name, MRN or facility." })
    filter?: PatientFilter,
    @Arg("first", () => Int, { nullable: true, description: "Page size: default 20, at most 100." }) first?: number,
    @Arg("after", () => String, { nullable: true, description: "Cursor from a previous page's `endCursor`." })
    after?: string,
  ) {
    const page = await patients.listPatients(ctx, filter, first, after);
    return toConnection(page);
  }

  @Roles(...REGISTRATION_ROLES)
  @Mutation(() => PatientPayload, {
    description: "Registers a patient at a facility. A repeated MRN in the facility is refused (MRN_TAKEN).",
  })
  async createPatient(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => CreatePatientInput, { description: "The registration." }) input: CreatePatientInput,
  ) {
    return payload("patient", await patients.createPatient(ctx, input));
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: PatientRow): string {
    return toGlobalId("Patient", row.id);
  }
}
