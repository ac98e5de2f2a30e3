import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { forDelivery, type RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { payload } from "../../graphql/payload.js";
import { required } from "../../graphql/required.js";
import { toGlobalId } from "../../shared/ids.js";
import { type Delivery, eventCursor } from "../events/index.js";
import { User, type UserRow } from "../users/index.js";
import * as imports from "./codeset.import-jobs.js";
import type { ImportJobEventPayload, ImportJobRow } from "./codeset.import-store.js";
import {
  CodeSetImportError,
  CodeSetImportJob,
  CodeSetImportJobEvent,
  ImportCodeSetReleaseInput,
  ImportCodeSetReleasePayload,
} from "./codeset.imports.type.js";

@Resolver(() => CodeSetImportJob)
export class CodeSetImportResolver {
  @Roles("ADMIN")
  @Mutation(() => ImportCodeSetReleasePayload, {
    description:
      "Imports a code-set release file from the server's import folder, as `npm run import-codes` does: the job " +
      "is RUNNING when this answers; follow it with `codeSetImportJobEvents` (or `codeSetImportJobs`). Each " +
      "release loads in one transaction: " +
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

  @Roles("ADMIN")
  @Subscription(() => CodeSetImportJobEvent, {
    description:
      "One code-set import's progress, pushed as it goes: STARTED, each PROGRESS line, then SUCCEEDED or FAILED, " +
      "after which the subscription completes. Without `after`, the job's events from its start are replayed " +
      "first. Works whichever instance runs the import. ADMIN only, checked again before every event.",
    subscribe: ({ args, context }) =>
      imports.importJobEvents(context as RequestContext, args["jobId"] as string, args["after"] as string | undefined),
  })
  async codeSetImportJobEvents(
    @Root() delivery: Delivery,
    @Ctx() ctx: RequestContext,
    @Arg("jobId", () => ID, { description: "The job, as `importCodeSetRelease` returned it." }) jobId: string,
    @Arg("after", () => String, {
      nullable: true,
      description:
        "The `cursor` of the last event received: only later events follow. Absent: the job's events from its start.",
    })
    _after?: string,
  ): Promise<CodeSetImportJobEvent> {
    forDelivery(ctx, delivery.actor, `event:${delivery.event.id}`);
    const event = delivery.event.payload as unknown as ImportJobEventPayload;
    const job = await imports.findJob(ctx, jobId);
    return {
      cursor: eventCursor(delivery.event),
      type: event.type,
      line: event.line ?? null,
      at: delivery.event.createdAt,
      job,
    };
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
