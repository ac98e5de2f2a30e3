import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { payload } from "../../graphql/payload.js";
import { required } from "../../graphql/required.js";
import { toGlobalId } from "../../shared/ids.js";
import { User, type UserRow } from "../users/index.js";
import * as imports from "./codeset.import-jobs.js";
import type { ImportJobRow } from "./codeset.import-store.js";
import {
  CodeSetImportError,
  CodeSetImportJob,
  ImportCodeSetReleaseInput,
  ImportCodeSetReleasePayload,
} from "./codeset.imports.type.js";

@Resolver(() => CodeSetImportJob)
export class CodeSetImportResolver {
  @Roles("ADMIN")
  @Mutation(() => ImportCodeSetReleasePayload, {
    description:
      "Imports a code-set release file from the server's import folder, as `npm run import-codes` does: the job " +
      "is RUNNING when this answers; follow it with `codeSetImportJobs`. Each release loads in one transaction: " +
      "a refused or failed import writes nothing of it. ADMIN only. Audited.",
  })
  async importCodeSetRelease(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => ImportCodeSetReleaseInput, { description: "The file and what it must be." })
    input: ImportCodeSetReleaseInput,
  ) {
    return payload("job", await imports.startImport(ctx, input));
  }

  @Roles("ADMIN")
  @Query(() => [CodeSetImportJob], {
    description: "The organization's code-set imports, newest first, with their state and progress. ADMIN only.",
  })
  codeSetImportJobs(
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, { nullable: true, description: "How many: default 20, at most 100." }) first?: number,
  ): Promise<ImportJobRow[]> {
    return imports.listImports(ctx, first);
  }

  @FieldResolver(() => ID, { description: "The job's global id." })
  id(@Root() row: ImportJobRow): string {
    return toGlobalId("CodeSetImportJob", row.id);
  }

  @FieldResolver(() => CodeSetImportError, { nullable: true, description: "Once FAILED: why. Null otherwise." })
  error(@Root() row: ImportJobRow): CodeSetImportError | null {
    return row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? "" } : null;
  }

  @FieldResolver(() => User, { description: "The administrator who started it." })
  requestedBy(@Root() row: ImportJobRow, @Ctx() ctx: RequestContext): Promise<UserRow> {
    return required(ctx.loaders.user.load(row.requestedBy), "the administrator of a code-set import");
  }
}
