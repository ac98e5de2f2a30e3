import { type ClassType, Field, ID, Int, InterfaceType, ObjectType } from "type-graphql";
import { encodeCursor, type Page } from "../shared/pagination.js";

@InterfaceType({
  description: "An object with a global id. Pass the id to `node(id:)` to fetch the object again, whatever its type.",
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class Node {
  @Field(() => ID, { description: "Opaque global id; stable across requests. Do not parse it." })
  id!: string;
}

@ObjectType({ description: "Where a page ends, and whether another follows." })
export class PageInfo {
  @Field(() => Boolean, { description: "True when a next page exists: request it with `after: endCursor`." })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "Cursor of the last edge of this page; null for an empty page." })
  endCursor!: string | null;
}

@ObjectType({ description: "A problem with the input that the user can fix. Nothing was changed." })
export class UserError {
  @Field(() => String, {
    description: "Stable machine code, e.g. MRN_TAKEN, BIRTH_DATE_IN_FUTURE. Switch on this, not on the message.",
  })
  code!: string;

  @Field(() => [String], {
    nullable: true,
    description: 'Path to the input field at fault, e.g. ["birthDate"]; null when it concerns the whole input.',
  })
  field!: string[] | null;

  @Field(() => String, { description: "Human-readable explanation, fit to show the user." })
  message!: string;
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  /** Read only when a client selects it: the count statement runs then (Page.totalCount). */
  readonly totalCount: Promise<number>;
}

/** Relay edge and connection types for one node type, named `<name>Edge` and `<name>Connection`. */
export function connectionType<T extends object>(node: ClassType<T>, name: string, plural: string) {
  @ObjectType(`${name}Edge`, {
    description: `One of the ${plural} in a page, with the cursor that continues after it.`,
  })
  class Edge {
    @Field(() => String, { description: "Pass as `after` to fetch the items that follow this one." })
    cursor!: string;

    @Field(() => node, { description: `The ${name.toLowerCase()} itself.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, {
    description: `A page of ${plural}. Page with \`first\` (default 20, at most 100) and \`after\`.`,
  })
  class Connection {
    @Field(() => [Edge], { description: "The items of this page, in order." })
    edges!: Edge[];

    @Field(() => PageInfo, { description: "How to fetch the next page." })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: "Exact number of items matching the filter, across all pages." })
    totalCount!: number;
  }
  return Connection;
}

/** A store's page as a Relay connection; each edge's cursor names its row by id (see shared/pagination.ts). */
export function toConnection<T extends { id: string }>(page: Page<T>): ConnectionShape<T> {
  const edges = page.rows.map((row) => ({ cursor: encodeCursor(page.type, row.id), node: row }));
  return {
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    get totalCount() {
      return page.totalCount();
    },
  };
}
