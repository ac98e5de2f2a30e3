import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  ObjectType,
  Resolver,
  Root,
  registerEnumType,
  Subscription,
} from "type-graphql";
import { forDelivery, type RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { kindsOf } from "../../graphql/enums.js";
import { required } from "../../graphql/required.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { toGlobalId } from "../../shared/ids.js";
import { type Delivery, eventCursor } from "../events/index.js";
import type { UserRow } from "../users/index.js";
import { User } from "../users/index.js";
import { myAssignmentEvents, queueStatsUpdates, type StatsUpdate, workItemEvents } from "./work.events.js";
import { WORK_ITEM_EVENT_TYPES, type WorkItemEventPayload, type WorkItemEventType } from "./work.history.js";
import type { WorkItemRow, WorkItemStatus } from "./work.store.js";
import { QueueStats, WorkItem, WorkItemStatusEnum } from "./work.type.js";

const afterArg = {
  nullable: true,
  description:
    "The `cursor` of the last event received: events after it are replayed first, then live ones follow, " +
    "none missed and none twice. Absent: live events only.",
} as const;

/** `WorkItemEvent.kind`: the event types as an enum, for clients that generate types from the schema. */
export const WorkItemEventKindEnum = kindsOf(WORK_ITEM_EVENT_TYPES);
registerEnumType(WorkItemEventKindEnum, {
  name: "WorkItemEventKind",
  description: "What happened to a work item: `WorkItemEvent.kind`.",
  valuesConfig: {
    CREATED: { description: "New work: a submission, a review, a claim to edit or bill." },
    CLAIMED: { description: "Someone took it with claimNextWorkItem (a lease starts)." },
    LEASE_EXTENDED: { description: "Its holder's heartbeat moved the lease on." },
    RELEASED: { description: "Its holder gave it back: READY again." },
    LEASE_EXPIRED: { description: "The lease ran out without a heartbeat: READY again." },
    ASSIGNED: { description: "A supervisor gave it to someone who did not hold it." },
    REASSIGNED: { description: "A supervisor moved it from one holder to another." },
    UNASSIGNED: { description: "A supervisor took it back from its holder: READY again." },
    HELD: { description: "Parked ON_HOLD with a reason (a physician query, say)." },
    RESUMED: { description: "Back from hold." },
    PRIORITY_CHANGED: { description: "A supervisor set its priority." },
    COMPLETED: { description: "Finished: DONE." },
    CANCELLED: { description: "No longer needed (a claim paid while its follow-up was open, say): CANCELLED." },
  },
});

@ObjectType({
  description:
    "One change of a work item. `type` says what happened: created, claimed, " +
    "lease_extended, released, lease_expired, assigned, reassigned, " +
    "unassigned, held, resumed, priority_changed, completed or cancelled.",
})
export class WorkItemEvent {
  @Field(() => String, { description: "Pass it as `after` when subscribing again to resume right after this event." })
  cursor!: string;

  @Field(() => String, {
    description: "What happened, in snake_case (see the type's description); `kind` says the same as an enum.",
  })
  type!: string;

  @Field(() => WorkItemEventKindEnum, { description: "What happened: `type` as an enum, for generated client types." })
  kind!: Uppercase<WorkItemEventType>;

  @Field(() => DateTimeScalar, { description: "When the change was made (the start of the transaction that made it)." })
  at!: Date;

  @Field(() => WorkItemStatusEnum, {
    nullable: true,
    description: "The item's status before the change; null when the change created it.",
  })
  fromStatus!: WorkItemStatus | null;

  @Field(() => WorkItemStatusEnum, {
    description: "The item's status right after the change (`item.status` may have moved on since).",
  })
  status!: WorkItemStatus;

  @Field(() => Int, {
    description:
      "The item's version right after the change: compare with `item.version` to see whether more changes followed.",
  })
  version!: number;

  @Field(() => WorkItem, { description: "The item as it is now, when the event is delivered." })
  item!: WorkItemRow;
}

/** What a WorkItemEvent resolves from: the delivered outbox row. */
type WorkItemEventSource = Delivery;

const change = (delivery: WorkItemEventSource) => delivery.event.payload as unknown as WorkItemEventPayload;

@Resolver(() => WorkItemEvent)
export class WorkSubscriptionResolver {
  @Roles()
  @Subscription(() => WorkItemEvent, {
    description:
      "Work entering, leaving or changing in the queues the caller may see (or in one of them). `after` " +
      "replays what was missed. Permissions are checked again before every event.",
    subscribe: ({ args, context }) =>
      workItemEvents(
        context as RequestContext,
        args["queueId"] as string | undefined,
        args["after"] as string | undefined,
      ),
  })
  workItemEvents(
    @Root() delivery: Delivery,
    @Ctx() ctx: RequestContext,
    @Arg("queueId", () => ID, {
      nullable: true,
      description: "Only this queue's items; absent: every queue the caller may see.",
    })
    _queueId?: string,
    @Arg("after", () => String, afterArg) _after?: string,
  ): WorkItemEventSource {
    forDelivery(ctx, delivery.actor, `event:${delivery.event.id}`);
    return delivery;
  }

  @Roles()
  @Subscription(() => WorkItemEvent, {
    description:
      "Changes to items assigned to the caller: claimed by or assigned to them, and the change that takes " +
      "an item away (released, lease expired, reassigned, finished). `after` replays what was missed.",
    subscribe: ({ args, context }) =>
      myAssignmentEvents(context as RequestContext, args["after"] as string | undefined),
  })
  myAssignments(
    @Root() delivery: Delivery,
    @Ctx() ctx: RequestContext,
    @Arg("after", () => String, afterArg) _after?: string,
  ): WorkItemEventSource {
    forDelivery(ctx, delivery.actor, `event:${delivery.event.id}`);
    return delivery;
  }

  @Roles()
  @Subscription(() => QueueStats, {
    description:
      "Live counts for supervisors: the current counts at once, then new ones when the queue's items " +
      "change, at most four updates a second.",
    subscribe: ({ args, context }) => queueStatsUpdates(context as RequestContext, args["queueId"] as string),
  })
  queueStats(
    @Root() update: StatsUpdate,
    @Ctx() ctx: RequestContext,
    @Arg("queueId", () => ID, { description: "The queue to watch." }) _queueId: string,
  ): QueueStats {
    forDelivery(ctx, update.actor);
    return { ...update.stats, queueId: toGlobalId("WorkQueue", update.stats.queueId) };
  }

  @FieldResolver(() => String)
  cursor(@Root() delivery: WorkItemEventSource): string {
    return eventCursor(delivery.event);
  }

  @FieldResolver(() => String)
  type(@Root() delivery: WorkItemEventSource): string {
    return change(delivery).type;
  }

  @FieldResolver(() => WorkItemEventKindEnum)
  kind(@Root() delivery: WorkItemEventSource): Uppercase<WorkItemEventType> {
    return change(delivery).type.toUpperCase() as Uppercase<WorkItemEventType>;
  }

  @FieldResolver(() => DateTimeScalar)
  at(@Root() delivery: WorkItemEventSource): Date {
    return delivery.event.createdAt;
  }

  @FieldResolver(() => WorkItemStatusEnum, { nullable: true })
  fromStatus(@Root() delivery: WorkItemEventSource): WorkItemStatus | null {
    return change(delivery).from;
  }

  @FieldResolver(() => WorkItemStatusEnum)
  status(@Root() delivery: WorkItemEventSource): WorkItemStatus {
    return change(delivery).status;
  }

  @FieldResolver(() => Int)
  version(@Root() delivery: WorkItemEventSource): number {
    return change(delivery).version;
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: "Who made the change; null when the system did (an expired lease).",
  })
  actor(@Root() delivery: WorkItemEventSource, @Ctx() ctx: RequestContext): Promise<UserRow | null> | null {
    const actorId = change(delivery).actorId;
    return actorId ? ctx.loaders.user.load(actorId) : null;
  }

  @FieldResolver(() => WorkItem)
  item(@Root() delivery: WorkItemEventSource, @Ctx() ctx: RequestContext): Promise<WorkItemRow> {
    return required(ctx.loaders.workItem.load(change(delivery).workItemId), "the work item of an event");
  }
}
