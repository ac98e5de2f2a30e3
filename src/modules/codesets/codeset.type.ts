import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { CODE_SET_DATASETS, type CodeSetDataset } from "../../db/schema/codesets.js";
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

export const CodeSetDatasetEnum = Object.fromEntries(CODE_SET_DATASETS.map((d) => [d, d])) as {
  [D in CodeSetDataset]: D;
};
registerEnumType(CodeSetDatasetEnum, {
  name: "CodeSetDataset",
  description: "A code set or edit table Chartroom imports, each versioned by release: `CodeSetRelease.dataset`.",
  valuesConfig: {
    ICD10CM: { description: "ICD-10-CM diagnosis codes (CMS order file), by fiscal year from October 1." },
    ICD10CM_TABULAR: {
      description: "ICD-10-CM tabular list notes (Excludes1/2, code first, use additional code), by fiscal year.",
    },
    ICD10PCS: { description: "ICD-10-PCS inpatient procedure codes (CMS order file), by fiscal year." },
    HCPCS: { description: "HCPCS Level II codes (CMS quarterly file)." },
    CPT: { description: "CPT code numbers; descriptors only from a licensed AMA file." },
    MCE: { description: "Medicare Code Editor age, sex and manifestation edits, by fiscal year." },
    MODIFIERS: { description: "CPT and HCPCS modifiers and their meaning." },
    POS: { description: "CMS place-of-service codes." },
    CARC_RARC: { description: "Claim adjustment reason and remittance advice remark codes (X12/CMS)." },
    NCCI_PTP_PRACTITIONER: { description: "NCCI procedure-to-procedure edits for practitioner claims, by quarter." },
    NCCI_PTP_OUTPATIENT_HOSPITAL: {
      description: "NCCI procedure-to-procedure edits for outpatient hospital claims, by quarter.",
    },
    NCCI_AOC: { description: "NCCI add-on codes and the primary procedures each may follow, by quarter." },
    MUE_PRACTITIONER: { description: "Medically unlikely edits (most units per day) for practitioners, by quarter." },
    MUE_OUTPATIENT_HOSPITAL: { description: "Medically unlikely edits for outpatient hospital claims, by quarter." },
    MUE_DME_SUPPLIER: { description: "Medically unlikely edits for DME supplier claims, by quarter." },
  },
});

@ObjectType({
  description:
    "One imported release of a code set or edit table. A release stays in force until a newer one of the same " +
    "data set starts.",
})
export class CodeSetRelease {
  @Field(() => CodeSetDatasetEnum, { description: "The code set or edit table it is a release of." })
  dataset!: CodeSetDataset;

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
