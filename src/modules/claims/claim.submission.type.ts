import { Field, ObjectType } from "type-graphql";
import { Node } from "../../graphql/relay.js";
import { DateTimeScalar } from "../../graphql/scalars.js";

@ObjectType({
  implements: Node,
  description:
    "One X12 837P interchange written by submitClaims for one payer's claims, stored exactly as sent. Visible to " +
    "callers who may see every claim in it.",
})
export class SubmissionBatch extends Node {
  @Field(() => DateTimeScalar, { description: "When it was written (ISA09/10 and GS04/05, in UTC)." })
  createdAt!: Date;
}
