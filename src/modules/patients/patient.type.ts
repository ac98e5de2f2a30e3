import { Field, ObjectType, UseMiddleware } from "type-graphql";
import { connectionType, Node } from "../../graphql/relay.js";
import { DateScalar } from "../../graphql/scalars.js";
import { PhiRead } from "../audit/index.js";

/** Every demographic field is PHI: reading one writes a `patient.read` audit row. */
@ObjectType({
  implements: Node,
  description: "A person who receives care. Demographic fields are PHI: each read is recorded in the audit log.",
})
export class Patient extends Node {
  @Field(() => String, { description: "Medical record number, unique within the registering facility." })
  @UseMiddleware(PhiRead("Patient"))
  mrn!: string;

  @Field(() => String, { description: "Given name." })
  @UseMiddleware(PhiRead("Patient"))
  firstName!: string;

  @Field(() => String, { description: "Family name." })
  @UseMiddleware(PhiRead("Patient"))
  lastName!: string;

  @Field(() => DateScalar, { description: "Date of birth." })
  @UseMiddleware(PhiRead("Patient"))
  birthDate!: string;

  @Field(() => String, { description: "Administrative sex as on claims: F, M or U (unknown)." })
  @UseMiddleware(PhiRead("Patient"))
  sex!: string;

  @Field(() => String, { nullable: true, description: "Street address." })
  @UseMiddleware(PhiRead("Patient"))
  addressLine1!: string | null;

  @Field(() => String, { nullable: true, description: "City." })
  @UseMiddleware(PhiRead("Patient"))
  city!: string | null;

  @Field(() => String, { nullable: true, description: "Two-letter state code." })
  @UseMiddleware(PhiRead("Patient"))
  state!: string | null;

  @Field(() => String, { nullable: true, description: "ZIP code." })
  @UseMiddleware(PhiRead("Patient"))
  postalCode!: string | null;
}

export const PatientConnection = connectionType(Patient, "Patient", "patients");
