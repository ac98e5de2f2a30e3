import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { payload } from "../../graphql/payload.js";
import { toConnection, UserError } from "../../graphql/relay.js";
import { required } from "../../graphql/required.js";
import { toGlobalId } from "../../shared/ids.js";
import { Facility, type FacilityRow } from "../organizations/index.js";
import type { UserRow } from "../users/index.js";
import { User } from "../users/index.js";
import * as changes from "./work.changes.js";
import * as dispatch from "./work.dispatch.js";
import type { TransitionRow } from "./work.history.js";
import {
  AssignWorkItemInput,
  BulkAssignWorkItemsInput,
  ClaimNextInput,
  CompleteWorkItemInput,
  HoldWorkItemInput,
  SetWorkItemPriorityInput,
  WorkItemFilter,
  WorkItemRefInput,
} from "./work.inputs.js";
import * as leases from "./work.leases.js";
import { HOLDING_ROLES, SUPERVISING_ROLES, WORKER_ROLES } from "./work.policy.js";
import * as work from "./work.service.js";
import type { QueueStatsRow, WorkItemRow, WorkItemStatus, WorkQueueRow } from "./work.store.js";
import {
  QueueRouting,
  QueueStats,
  WorkItem,
  WorkItemConnection,
  WorkItemStatusEnum,
  WorkItemTransition,
  WorkQueue,
} from "./work.type.js";

@ObjectType({ description: "Result of a work item mutation." })
class WorkItemPayload {
  @Field(() => WorkItem, {
    nullable: true,
    description: "The item; null when userErrors is not empty, or when claimNextWorkItem found nothing to claim.",
  })
  workItem!: WorkItemRow | null;

  @Field(() => [UserError], { description: "What to fix in the input; empty on success." })
  userErrors!: UserError[];
}

@ObjectType({ description: "Result of bulkAssignWorkItems." })
class BulkAssignWorkItemsPayload {
  @Field(() => [WorkItem], {
    nullable: true,
    description: "The items, in the order given; null when userErrors is not empty (then none was assigned).",
  })
  workItems!: WorkItemRow[] | null;

  @Field(() => [UserError], {
    description:
      'What to fix in the input, e.g. ASSIGNEE_NOT_ELIGIBLE with field ["workItemIds", "<index>"]; empty on success.',
  })
  userErrors!: UserError[];
}

const pageArgs = {
  first: { nullable: true, description: "Page size: default 20, at most 100." },
  after: { nullable: true, description: "Cursor from a previous page's `endCursor`." },
} as const;

@Resolver(() => WorkQueue)
export class WorkQueueResolver {
  @Roles()
  @Query(() => [WorkQueue], {
    description:
      "Queues the caller may work (supervisors and administrators: all of the organization's), in routing order.",
  })
  workQueues(@Ctx() ctx: RequestContext) {
    return work.listQueues(ctx);
  }

  @Roles()
  @Query(() => WorkQueue, {
    nullable: true,
    description: "One queue; null when it does not exist or is not the caller's to see.",
  })
  workQueue(@Ctx() ctx: RequestContext, @Arg("id", () => ID, { description: "Queue id." }) id: string) {
    return work.findQueue(ctx, id);
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: WorkQueueRow): string {
    return toGlobalId("WorkQueue", row.id);
  }

  @FieldResolver(() => QueueRouting, { description: "Which work routing sends to this queue." })
  routing(@Root() row: WorkQueueRow): QueueRouting {
    return {
      order: row.routingOrder,
      facilityIds: row.facilityIds,
      encounterTypes: row.encounterTypes,
      payerKinds: row.payerKinds,
    };
  }

  @FieldResolver(() => QueueStats, { description: "Counts of the queue's open items at the caller's facilities." })
  async stats(@Root() row: WorkQueueRow, @Ctx() ctx: RequestContext): Promise<QueueStats> {
    const stats: QueueStatsRow = await ctx.loaders.queueStats.load(row.id);
    return { ...stats, queueId: toGlobalId("WorkQueue", row.id) };
  }

  @FieldResolver(() => WorkItemConnection, {
    description: "The queue's items at the caller's facilities, oldest first.",
  })
  async items(
    @Root() row: WorkQueueRow,
    @Ctx() ctx: RequestContext,
    @Arg("status", () => WorkItemStatusEnum, { nullable: true, description: "Only items in this status." })
    status?: WorkItemStatus,
    @Arg("first", () => Int, pageArgs.first) first?: number,
    @Arg("after", () => String, pageArgs.after) after?: string,
  ) {
    return toConnection(await work.listItems(ctx, { queueId: row.id, status: status ? [status] : null }, first, after));
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

  @Roles(...WORKER_ROLES)
  @Mutation(() => WorkItemPayload, {
    description:
      "Pull model: the best next item the caller may work, in the given queue (or any of theirs), or null. " +
      "The item is leased to the caller for the queue's lease minutes; heartbeat to keep it.",
  })
  async claimNextWorkItem(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => ClaimNextInput, { description: "Where to claim from." }) input: ClaimNextInput,
  ) {
    return payload("workItem", await leases.claimNext(ctx, input.queueId));
  }

  @Roles()
  @Query(() => WorkItemConnection, {
    description:
      "Work items across queues, oldest first: every queue's for supervisors and administrators, the " +
      "queues they may work for everyone else.",
  })
  async workItems(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => WorkItemFilter, {
      nullable: true,
      description: "Conditions the items must meet; absent means all.",
    })
    filter?: WorkItemFilter,
    @Arg("first", () => Int, pageArgs.first) first?: number,
    @Arg("after", () => String, pageArgs.after) after?: string,
  ) {
    return toConnection(await work.searchItems(ctx, filter, first, after));
  }

  @Roles(...WORKER_ROLES)
  @Mutation(() => WorkItemPayload, {
    description: "Extends the lease on an item the caller claimed. Another's item, or an expired lease, is a CONFLICT.",
  })
  async heartbeatWorkItem(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => WorkItemRefInput, { description: "The item." }) input: WorkItemRefInput,
  ) {
    return payload("workItem", await changes.heartbeat(ctx, input));
  }

  @Roles(...WORKER_ROLES)
  @Mutation(() => WorkItemPayload, {
    description: "Gives an item the caller holds back to its queue as READY. Another's item is a CONFLICT.",
  })
  async releaseWorkItem(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => WorkItemRefInput, { description: "The item." }) input: WorkItemRefInput,
  ) {
    return payload("workItem", await changes.release(ctx, input));
  }

  @Roles(...WORKER_ROLES)
  @Mutation(() => WorkItemPayload, {
    description:
      "Finishes an item whose work has no domain action of its own (a claim edit worked, a follow-up call " +
      "logged): DONE. CODING work is finished by completeCoding and CODING_REVIEW work by " +
      "submitCodingReview, which also move the encounter on: naming such an item is DOMAIN_ACTION_REQUIRED " +
      "(field workItemId), nothing changed. Only the caller's own ASSIGNED item whose lease still runs (or " +
      "that was assigned without one); anything else is a CONFLICT.",
  })
  async completeWorkItem(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => CompleteWorkItemInput, { description: "The item and a note." }) input: CompleteWorkItemInput,
  ) {
    return payload("workItem", await changes.complete(ctx, input));
  }

  @Roles(...HOLDING_ROLES)
  @Mutation(() => WorkItemPayload, {
    description:
      "Parks an item as ON_HOLD with a reason (HOLD_REASON_REQUIRED when blank); " +
      "it leaves its assignee and keeps no lease. Workers hold their own ASSIGNED " +
      "items; supervisors and administrators any READY or ASSIGNED item.",
  })
  async holdWorkItem(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => HoldWorkItemInput, { description: "The item and why." }) input: HoldWorkItemInput,
  ) {
    return payload("workItem", await dispatch.hold(ctx, input));
  }

  @Roles(...HOLDING_ROLES)
  @Mutation(() => WorkItemPayload, {
    description:
      "Takes an item off hold: back to whoever held it while working it " +
      "(ASSIGNED, without a lease) if they may still work it, else READY. " +
      "Whoever put it on hold, or a supervisor or administrator, may resume it.",
  })
  async resumeWorkItem(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => WorkItemRefInput, { description: "The item." }) input: WorkItemRefInput,
  ) {
    return payload("workItem", await dispatch.resume(ctx, input));
  }

  @Roles(...SUPERVISING_ROLES)
  @Mutation(() => WorkItemPayload, {
    description:
      "Assigns a READY item to a user, or reassigns an ASSIGNED one, without a " +
      "lease. An ON_HOLD, DONE or CANCELLED item is a CONFLICT; a user who may not " +
      "work it is ASSIGNEE_NOT_ELIGIBLE, with the requirements they miss.",
  })
  async assignWorkItem(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => AssignWorkItemInput, { description: "The item and the user." }) input: AssignWorkItemInput,
  ) {
    return payload("workItem", await dispatch.assign(ctx, input));
  }

  @Roles(...SUPERVISING_ROLES)
  @Mutation(() => BulkAssignWorkItemsPayload, {
    description:
      "Assigns (or reassigns) up to 500 items to one user, as assignWorkItem does each: all of them in one " +
      "transaction, or none when any is refused.",
  })
  async bulkAssignWorkItems(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => BulkAssignWorkItemsInput, { description: "The items and the user." })
    input: BulkAssignWorkItemsInput,
  ) {
    return payload("workItems", await dispatch.bulkAssign(ctx, input));
  }

  @Roles(...SUPERVISING_ROLES)
  @Mutation(() => WorkItemPayload, {
    description: "Takes an ASSIGNED item from its assignee, back to READY for anyone. Any other status is a CONFLICT.",
  })
  async unassignWorkItem(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => WorkItemRefInput, { description: "The item." }) input: WorkItemRefInput,
  ) {
    return payload("workItem", await dispatch.unassign(ctx, input));
  }

  @Roles(...SUPERVISING_ROLES)
  @Mutation(() => WorkItemPayload, {
    description:
      "Sets an open item's priority (0 to 10,000, else PRIORITY_OUT_OF_RANGE); higher is claimed first. A " +
      "DONE or CANCELLED item is a CONFLICT.",
  })
  async setWorkItemPriority(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => SetWorkItemPriorityInput, { description: "The item and its priority." })
    input: SetWorkItemPriorityInput,
  ) {
    return payload("workItem", await dispatch.setPriority(ctx, input));
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

  @FieldResolver(() => User, {
    nullable: true,
    description:
      "Who gave it to the assignee (a supervisor's assignment, or a resume); null when the assignee " +
      "claimed it, or nobody holds it.",
  })
  assignedBy(@Root() row: WorkItemRow, @Ctx() ctx: RequestContext): Promise<UserRow | null> | null {
    return row.assignedById ? ctx.loaders.user.load(row.assignedById) : null;
  }

  @FieldResolver(() => [WorkItemTransition], { description: "Every change of the item, oldest first." })
  history(@Root() row: WorkItemRow, @Ctx() ctx: RequestContext): Promise<TransitionRow[]> {
    return ctx.loaders.workItemHistory.load(row.id);
  }
}

@Resolver(() => WorkItemTransition)
export class WorkItemTransitionResolver {
  @FieldResolver(() => WorkItemStatusEnum, {
    nullable: true,
    description: "Status before; null for the item's creation.",
  })
  from(@Root() row: TransitionRow): WorkItemStatus | null {
    return row.fromStatus;
  }

  @FieldResolver(() => WorkItemStatusEnum, {
    description: "Status after (the same as before for a heartbeat, a reassignment or a new priority).",
  })
  to(@Root() row: TransitionRow): WorkItemStatus {
    return row.toStatus;
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: "Who made the change; null when the system did (an expired lease).",
  })
  actor(@Root() row: TransitionRow, @Ctx() ctx: RequestContext): Promise<UserRow | null> | null {
    return row.actorId ? ctx.loaders.user.load(row.actorId) : null;
  }
}

@Resolver(() => QueueRouting)
export class QueueRoutingResolver {
  @FieldResolver(() => [Facility], {
    description: "Only work at these facilities (those the caller may see); empty: any facility.",
  })
  async facilities(@Root() routing: QueueRouting, @Ctx() ctx: RequestContext): Promise<FacilityRow[]> {
    const rows = await ctx.loaders.facility.loadMany(routing.facilityIds);
    return rows.filter((row): row is FacilityRow => row !== null && !(row instanceof Error));
  }
}

@Resolver(() => User)
export class UserWorkResolver {
  @Roles(...SUPERVISING_ROLES)
  @FieldResolver(() => Int, {
    description:
      "Work items assigned to the user now at the caller's facilities (claimed ones whose lease has not expired): " +
      "how busy they are, for an assignment screen.",
  })
  openWorkCount(@Ctx() ctx: RequestContext, @Root() row: Pick<UserRow, "id">): Promise<number> {
    return ctx.loaders.openWorkCount.load(row.id);
  }
}
