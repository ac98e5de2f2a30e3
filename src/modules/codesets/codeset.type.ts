import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateScalar, DateTimeScalar } from "../../graphql/scalars.js";

export enum CodeSystemEnum {
  ICD10CM = "ICD10CM",
  ICD10PCS = "ICD10PCS",
  CPT = "CPT",
  HCPCS = "HCPCS",
}

registerEnumType(CodeSystemEnum, {
  name: "CodeSystem",
  description:
    "A code set. Diagnoses are ICD-10-CM; procedures are CPT and HCPCS (professional, outpatient) or " +
    "ICD-10-PCS (inpatient).",
  valuesConfig: {
    ICD10CM: { description: "ICD-10-CM diagnoses (CDC/CMS), versioned by fiscal year from October 1." },
    ICD10PCS: { description: "ICD-10-PCS inpatient procedures (CMS), versioned by fiscal year from October 1." },
    CPT: {
      description:
        "CPT® procedures (AMA). Descriptors appear only after a licensed file is imported; until then each " +
        'code reads "CPT® descriptor requires a licence".',
    },
    HCPCS: { description: "HCPCS Level II supplies, drugs and services (CMS), updated quarterly." },
  },
});

@ObjectType({
  description:
    "A code of a code system as in force on a date of service. `parent` and `children` answer for the same " +
    "date, so a coder can drill down from E11 to E11.9.",
})
export class MedicalCode {
  @Field(() => CodeSystemEnum, { description: "The code set this code belongs to." })
  system!: CodeSystemEnum;

  @Field(() => String, {
    description:
      "The publisher's abbreviated description, fit for narrow lists (HCPCS and ICD-10-PCS carry one; for the " +
      "shipped ICD-10-CM release it repeats the long description).",
  })
  shortDescription!: string;

  @Field(() => String, { description: "The full official description; show this when choosing a code." })
  longDescription!: string;

  @Field(() => Boolean, { description: "False for ICD-10-CM category headers, which may not be reported on a claim." })
  billable!: boolean;

  @Field(() => DateScalar, {
    description: "First date of service this code (with this description and billability) is in force.",
  })
  effectiveFrom!: string;

  @Field(() => DateScalar, { nullable: true, description: "Last date of service it is in force; null while current." })
  effectiveTo!: string | null;
}

@ObjectType({
  description:
    "One imported release of a code set or edit table. A release stays in force until a newer one of the same " +
    "data set starts.",
})
export class CodeSetRelease {
  @Field(() => String, {
    description:
      "The data set: ICD10CM, ICD10PCS, HCPCS, CPT, MCE, MODIFIERS, POS, CARC_RARC, NCCI_PTP_PRACTITIONER, " +
      "MUE_PRACTITIONER, …",
  })
  dataset!: string;

  @Field(() => String, { description: "The publisher's name for the release, e.g. FY2024 or 2024Q3." })
  label!: string;

  @Field(() => DateScalar, { description: "First date of service the release applies to." })
  effectiveFrom!: string;

  @Field(() => String, { description: "The file it was imported from." })
  sourceFile!: string;

  @Field(() => Int, { description: "Rows the release holds (codes, pairs or limits)." })
  rowCount!: number;

  @Field(() => DateTimeScalar, { description: "When it was imported." })
  importedAt!: Date;
}
