import { Field, InputType, ObjectType, registerEnumType } from "type-graphql";
import { UserError } from "../../graphql/relay.js";
import { DateScalar, DateTimeScalar } from "../../graphql/scalars.js";
import type { CodeSystem } from "./codeset.codes.js";
import type { ImportJobEventPayload, ImportJobRow, ReleaseRow } from "./codeset.import-store.js";
import { CodeSetRelease, CodeSystemEnum } from "./codeset.type.js";

export type ImportState = ImportJobRow["state"];
export const ImportStateEnum: Record<ImportState, ImportState> = {
  RUNNING: "RUNNING",
  SUCCEEDED: "SUCCEEDED",
  FAILED: "FAILED",
};
registerEnumType(ImportStateEnum, {
  name: "CodeSetImportState",
  description: "Where an administrator's code-set import stands.",
  valuesConfig: {
    RUNNING: { description: "Reading and loading the file; `progress` grows as it goes." },
    SUCCEEDED: { description: "Loaded, or found loaded before (the same file): `release` is the release it holds." },
    FAILED: { description: "Refused or failed: `error` says why. Nothing of the release was written." },
  },
});

@ObjectType({ description: "Why a code-set import failed." })
export class CodeSetImportError {
  @Field(() => String, {
    description:
      "FILE_REFUSED (what the file holds: another layout, a truncated zip, a bad line, an addenda Delete of a " +
      "code the release lacks…), RELEASE_OUT_OF_ORDER (older than the release loaded last), IMPORT_FAILED " +
      "(the server failed; its log says more), or IMPORT_INTERRUPTED (the server running it stopped, killed or " +
      "crashed; a server starting found it so).",
  })
  code!: string;

  @Field(() => String, { description: "What went wrong, naming the file and, where one is at fault, its line." })
  message!: string;
}

@ObjectType({ description: "An administrator's import of a code-set release file, and how it went." })
export class CodeSetImportJob {
  @Field(() => String, { description: "The file's name in the import folder." })
  file!: string;

  @Field(() => ImportStateEnum, { description: "RUNNING, SUCCEEDED or FAILED." })
  state!: ImportState;

  @Field(() => [String], {
    description:
      'The importer\'s progress lines so far, as `npm run import-codes` prints them ("ICD10CM FY2028: loading …", ' +
      '"ICD10CM FY2028: 98,403 rows in 140.2 s"). `codeSetImportJobEvents` pushes each new line.',
  })
  progress!: string[];

  @Field(() => CodeSetRelease, {
    nullable: true,
    description: "Once SUCCEEDED: the release the file holds, with its row count. Null before, and when FAILED.",
  })
  release!: ReleaseRow | null;

  @Field(() => DateTimeScalar, { description: "When the administrator started it." })
  startedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: "When it SUCCEEDED or FAILED; null while RUNNING." })
  finishedAt!: Date | null;
}

@InputType({
  description:
    "A release file in the server's import folder (code-set-imports in its data folder), as CMS publishes it: " +
    "the same files `npm run import-codes` reads.",
})
export class ImportCodeSetReleaseInput {
  @Field(() => String, {
    description:
      "The file's name in the import folder, e.g. icd10cm_fy2028_code_descriptions_cms.zip, " +
      "icd10cm_order_addenda_2028.txt, icd10cm_tabular_2028.xml, HCPC2026_JAN_ANWEB.xlsx.",
  })
  file!: string;

  @Field(() => CodeSystemEnum, {
    nullable: true,
    description: "The code system expected; a file that states another is refused. Needed for a licensed CPT CSV.",
  })
  system?: CodeSystem | null;

  @Field(() => String, { nullable: true, description: "The release's name, where the file does not state it." })
  label?: string | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: "First date of service, where the file does not state it; one that contradicts the file is refused.",
  })
  effectiveFrom?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Read the file as the ICD-10-CM tabular list whatever its name (a name ending .xml says so).",
  })
  tabular?: boolean | null;
}

@ObjectType({ description: "Result of starting a code-set import." })
export class ImportCodeSetReleasePayload {
  @Field(() => CodeSetImportJob, {
    nullable: true,
    description:
      "The job, RUNNING: subscribe to `codeSetImportJobEvents` with its id to follow it. Null when userErrors is " +
      "not empty.",
  })
  job!: ImportJobRow | null;

  @Field(() => [UserError], {
    description:
      "FILE_NAME_INVALID (a folder or a hidden name), FILE_NOT_FOUND (no such file in the import folder); " +
      "empty on success. What the file holds is judged by the import: see the job's `error`.",
  })
  userErrors!: UserError[];
}

export type ImportEventType = ImportJobEventPayload["type"];
export const ImportEventTypeEnum: Record<ImportEventType, ImportEventType> = {
  STARTED: "STARTED",
  PROGRESS: "PROGRESS",
  SUCCEEDED: "SUCCEEDED",
  FAILED: "FAILED",
};
registerEnumType(ImportEventTypeEnum, {
  name: "CodeSetImportEventType",
  description: "What happened to a code-set import job.",
  valuesConfig: {
    STARTED: { description: "An administrator started it." },
    PROGRESS: { description: "The importer wrote one more progress line (`line`)." },
    SUCCEEDED: { description: "It ended SUCCEEDED; the last event of the job." },
    FAILED: {
      description:
        "It ended FAILED (`job.error` says why, IMPORT_INTERRUPTED when its server stopped); the last event.",
    },
  },
});

@ObjectType({ description: "One step of a code-set import, as codeSetImportJobEvents delivers it." })
export class CodeSetImportJobEvent {
  @Field(() => String, { description: "Pass it as `after` when subscribing again to resume right after this event." })
  cursor!: string;

  @Field(() => ImportEventTypeEnum, { description: "STARTED, PROGRESS, SUCCEEDED or FAILED." })
  type!: ImportEventType;

  @Field(() => String, { nullable: true, description: "For PROGRESS: the line, as `progress` lists it. Else null." })
  line!: string | null;

  @Field(() => DateTimeScalar, { description: "When it happened." })
  at!: Date;

  @Field(() => CodeSetImportJob, { description: "The job as it is when the event is delivered." })
  job!: ImportJobRow;
}
