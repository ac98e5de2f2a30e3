import { readFileSync } from "node:fs";
import {
  buildSchema,
  type DefinitionNode,
  Kind,
  NoUnusedFragmentsRule,
  parse,
  specifiedRules,
  validate,
} from "graphql";
import { describe, expect, it } from "vitest";
import { EXAMPLE_DOCUMENT } from "../../src/graphiql/example.js";

const schema = buildSchema(readFileSync("schema/schema.graphql", "utf8"));
/** An operation is checked with every fragment of its block, whether it spreads them or not. */
const rules = specifiedRules.filter((rule) => rule !== NoUnusedFragmentsRule);
const blocks = [...readFileSync("README.md", "utf8").matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);

/**
 * What the schema makes of each operation of a document, with the document's fragments: README
 * blocks list several anonymous operations side by side, each meant to be sent alone.
 */
function problems(document: string): string[] {
  const { definitions } = parse(document);
  const fragments = definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
  const operations = definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return operations.flatMap((operation: DefinitionNode) =>
    validate(schema, { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }, rules).map(
      (error) => error.message,
    ),
  );
}

describe("the GraphQL a new user copies", () => {
  it("finds the README's GraphQL blocks", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
  });

  it.each(blocks.map((block, index) => [index + 1, block] as const))(
    "README block %i is valid against the schema",
    (_index, block) => {
      expect(problems(block)).toEqual([]);
    },
  );

  it("GraphiQL's opening document is valid against the schema", () => {
    expect(problems(EXAMPLE_DOCUMENT)).toEqual([]);
  });
});
