import { Field, ID, InputType } from "type-graphql";

@InputType({ description: "Where to claim from." })
export class ClaimNextInput {
  @Field(() => ID, { nullable: true, description: "A queue the caller may work; absent means any of theirs." })
  queueId?: string | null;
}

@InputType({ description: "Names one work item for an action on it." })
export class WorkItemRefInput {
  @Field(() => ID, { description: "The work item." })
  workItemId!: string;
}
