import { Field, ID, InputType } from "type-graphql";
import { DateScalar } from "../../graphql/scalars.js";

@InputType({ description: "Narrows a patient list. All given conditions must hold." })
export class PatientFilter {
  @Field(() => String, {
    nullable: true,
    description:
      'Words matching the start of the last or first name ("garc mar"), or an exact MRN. The audit log ' +
      "records every patient a search matches.",
  })
  search?: string | null;

  @Field(() => ID, { nullable: true, description: "Only patients registered at this facility." })
  facilityId?: string | null;
}

@InputType({ description: "A new patient registration." })
export class CreatePatientInput {
  @Field(() => ID, { description: "The registering facility; the caller must have access to it." })
  facilityId!: string;

  @Field(() => String, {
    description: "Medical record number: 1–30 letters, digits or dashes, unique within the facility.",
  })
  mrn!: string;

  @Field(() => String, { description: "Given name, 1–60 characters." })
  firstName!: string;

  @Field(() => String, { description: "Family name, 1–60 characters." })
  lastName!: string;

  @Field(() => DateScalar, { description: "Date of birth; not in the future, not before 1900." })
  birthDate!: string;

  @Field(() => String, { description: "Administrative sex: F, M or U (unknown)." })
  sex!: string;

  @Field(() => String, { nullable: true, description: "Street address." })
  addressLine1?: string | null;

  @Field(() => String, { nullable: true, description: "City." })
  city?: string | null;

  @Field(() => String, { nullable: true, description: "Two-letter state code, e.g. OH." })
  state?: string | null;

  @Field(() => String, { nullable: true, description: "ZIP code, 12345 or 12345-6789." })
  postalCode?: string | null;
}
