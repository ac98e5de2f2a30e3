import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { payload } from "../../graphql/payload.js";
import { required } from "../../graphql/required.js";
import { toConnection, UserError } from "../../graphql/relay.js";
import { toGlobalId } from "../../shared/ids.js";
import type { ClaimRow } from "../claims/claim.store.js";
import type { EncounterRow } from "../encounters/encounter.store.js";
import { User } from "../users/user.type.js";
import type { UserRow } from "../users/user.store.js";
import { ClaimNextInput, WorkItemRefInput } from "./work.inputs.js";
import * as work from "./work.service.js";
import type { QueueStatsRow, WorkItemRow, WorkItemStatus, WorkQueueRow } from "./work.store.js";
import { QueueStats, WorkItem, WorkItemConnection, WorkItemStatusEnum, WorkQueue, WorkSubject } from "./work.type.js";

@ObjectType({ description: "Result of a work item mutation." })
class WorkItemPayload {
  @Field(() => WorkItem, { nullable: true, description: "The item; null when userErrors is not empty, or when claimNextWorkItem found nothing to claim." })
  workItem!: WorkItemRow | null;

  @Field(() => [UserError], { description: "What to fix in the input; empty on success." })
  userErrors!: UserError[];
}

const pageArgs = {
  first: { nullable: true, description: "Page size: default 20, at most 100." },
  after: { nullable: true, description: "Cursor from a previous page's `endCursor`." },
} as const;

@Resolver(() => WorkQueue)
export class WorkQueueResolver {
  @Roles()
  @Query(() => [WorkQueue], { description: "Queues the caller may work (supervisors and administrators: all of the organization's), in routing order." })
  workQueues(@Ctx() ctx: RequestContext) {
    return work.listQueues(ctx);
  }

  @Roles()
  @Query(() => WorkQueue, { nullable: true, description: "One queue; null when it does not exist or is not the caller's to see." })
  workQueue(@Ctx() ctx: RequestContext, @Arg("id", () => ID, { description: "Queue id." }) id: string) {
    return work.findQueue(ctx, id);
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: WorkQueueRow): string {
    return toGlobalId("WorkQueue", row.id);
  }

  @FieldResolver(() => QueueStats, { description: "Counts of the queue's open items at the caller's facilities." })
  async stats(@Root() row: WorkQueueRow, @Ctx() ctx: RequestContext): Promise<QueueStats> {
    const stats: QueueStatsRow = await ctx.loaders.queueStats.load(row.id);
    return { ...stats, queueId: toGlobalId("WorkQueue", row.id) };
  }

  @FieldResolver(() => WorkItemConnection, { description: "The queue's items at the caller's facilities, oldest first." })
  async items(
    @Root() row: WorkQueueRow,
    @Ctx() ctx: RequestContext,
    @Arg("status", () => WorkItemStatusEnum, { nullable: true, description: "Only items in this status." }) status?: WorkItemStatus,
    @Arg("first", () => Int, pageArgs.first) first?: number,
    @Arg("after", () => String, pageArgs.after) after?: string,
  ) {
    return toConnection(await work.listItems(ctx, { queueId: row.id, status: status ?? null }, first, after));
  }
}

@Resolver(() => WorkItem)
export class WorkItemResolver {
  @Roles()
  @Query(() => WorkItemConnection, { description: "Items assigned to the caller, oldest first." })
  async myWork(
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, pageArgs.first) first?: number,
    @Arg("after", () => String, pageArgs.after) after?: string,
  ) {
    return toConnection(await work.myWork(ctx, first, after));
  }

  @Roles(...work.WORKER_ROLES)
  @Mutation(() => WorkItemPayload, {
    description: "Pull model: the best next item the caller may work, in the given queue (or any of theirs), or null. The item is leased to the caller for the queue's lease minutes; heartbeat to keep it.",
  })
  async claimNextWorkItem(@Ctx() ctx: RequestContext, @Arg("input", () => ClaimNextInput, { description: "Where to claim from." }) input: ClaimNextInput) {
    return payload("workItem", await work.claimNext(ctx, input.queueId));
  }

  @Roles(...work.WORKER_ROLES)
  @Mutation(() => WorkItemPayload, { description: "Extends the lease on an item the caller claimed. Another's item, or an expired lease, is a CONFLICT." })
  async heartbeatWorkItem(@Ctx() ctx: RequestContext, @Arg("input", () => WorkItemRefInput, { description: "The item." }) input: WorkItemRefInput) {
    return payload("workItem", await work.heartbeat(ctx, input.workItemId));
  }

  @Roles(...work.WORKER_ROLES)
  @Mutation(() => WorkItemPayload, { description: "Gives an item the caller holds back to its queue as READY. Another's item is a CONFLICT." })
  async releaseWorkItem(@Ctx() ctx: RequestContext, @Arg("input", () => WorkItemRefInput, { description: "The item." }) input: WorkItemRefInput) {
    return payload("workItem", await work.release(ctx, input.workItemId));
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: WorkItemRow): string {
    return toGlobalId("WorkItem", row.id);
  }

  @FieldResolver(() => WorkQueue, { description: "The queue it is in." })
  queue(@Root() row: WorkItemRow, @Ctx() ctx: RequestContext): Promise<WorkQueueRow> {
    return required(ctx.loaders.workQueue.load(row.queueId), "the queue of a work item");
  }

  @FieldResolver(() => User, { nullable: true, description: "Who holds it; null unless ASSIGNED." })
  assignee(@Root() row: WorkItemRow, @Ctx() ctx: RequestContext): Promise<UserRow | null> | null {
    return row.assigneeId ? ctx.loaders.user.load(row.assigneeId) : null;
  }

  @FieldResolver(() => WorkSubject, { description: "The encounter or claim to work." })
  subject(@Root() row: WorkItemRow, @Ctx() ctx: RequestContext): Promise<EncounterRow | ClaimRow> {
    return row.encounterId
      ? required(ctx.loaders.encounter.load(row.encounterId), "the encounter of a work item")
      : required(ctx.loaders.claim.load(row.claimId!), "the claim of a work item");
  }
}
