import { Field, ID, InputType, Int } from "type-graphql";
import type { WorkItemStatus } from "./work.store.js";
import { WorkItemStatusEnum } from "./work.type.js";

const expectedVersion = {
  nullable: true,
  description:
    "The item's `version` as the caller last read it. If the item has changed since, the mutation is a " +
    "CONFLICT and changes nothing; absent means any version.",
} as const;

@InputType({ description: "Where to claim from." })
export class ClaimNextInput {
  @Field(() => ID, { nullable: true, description: "A queue the caller may work; absent means any of theirs." })
  queueId?: string | null;
}

@InputType({ description: "Names one work item for an action on it." })
export class WorkItemRefInput {
  @Field(() => ID, { description: "The work item." })
  workItemId!: string;

  @Field(() => Int, expectedVersion)
  expectedVersion?: number | null;
}

@InputType({ description: "Finishes an item the caller holds." })
export class CompleteWorkItemInput extends WorkItemRefInput {
  @Field(() => String, {
    nullable: true,
    description: "What was done, up to 2,000 characters; kept in the item's history.",
  })
  note?: string | null;
}

@InputType({ description: "Parks an item until it can be worked." })
export class HoldWorkItemInput extends WorkItemRefInput {
  @Field(() => String, {
    description: "Why, e.g. the query sent to the physician; required, up to 2,000 characters. Shown as `holdReason`.",
  })
  reason!: string;
}

@InputType({ description: "Gives an item to a user (a supervisor's push)." })
export class AssignWorkItemInput extends WorkItemRefInput {
  @Field(() => ID, {
    description:
      "The user to work it: active, with a role for the queue's kind, the queue's required credential and " +
      "access to the item's facility (else ASSIGNEE_NOT_ELIGIBLE).",
  })
  userId!: string;
}

@InputType({ description: "Gives many items to one user: all of them, or none." })
export class BulkAssignWorkItemsInput {
  @Field(() => [ID], { description: "The items, READY or ASSIGNED, each named once; at most 500." })
  workItemIds!: string[];

  @Field(() => ID, {
    description: "The user to work them; must be eligible for every item (else ASSIGNEE_NOT_ELIGIBLE per item).",
  })
  userId!: string;
}

@InputType({ description: "Changes how soon an open item is worked." })
export class SetWorkItemPriorityInput extends WorkItemRefInput {
  @Field(() => Int, {
    description: "From 0 to 10,000; higher is claimed first. The routing formula gives at most 865.",
  })
  priority!: number;
}

@InputType({ description: "Narrows a work item list. All given conditions must hold." })
export class WorkItemFilter {
  @Field(() => ID, {
    nullable: true,
    description: "Only this queue's items; a queue the caller may not view is NOT_FOUND.",
  })
  queueId?: string | null;

  @Field(() => [WorkItemStatusEnum], {
    nullable: true,
    description: "Any of these statuses; absent or empty means all.",
  })
  status?: WorkItemStatus[] | null;

  @Field(() => ID, { nullable: true, description: "Only items assigned to this user." })
  assigneeId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "True: open items past their due time; false: all others." })
  overdue?: boolean | null;
}
