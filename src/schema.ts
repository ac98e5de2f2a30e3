import "reflect-metadata";
import { readFileSync, writeFileSync } from "node:fs";
import { GraphQLObjectType, type GraphQLSchema, printSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { authChecker } from "./graphql/auth.js";
import { directFieldResolvers } from "./graphql/field-resolvers.js";
import { countListItems } from "./graphql/response-budget.js";
import * as auth from "./modules/auth/index.js";
import * as claims from "./modules/claims/index.js";
import * as codesets from "./modules/codesets/index.js";
import * as coding from "./modules/coding/index.js";
import * as encounters from "./modules/encounters/index.js";
import * as followUps from "./modules/follow-ups/index.js";
import * as node from "./modules/node/index.js";
import * as organizations from "./modules/organizations/index.js";
import * as patients from "./modules/patients/index.js";
import * as productivity from "./modules/productivity/index.js";
import * as remittance from "./modules/remittance/index.js";
import * as reports from "./modules/reports/index.js";
import * as review from "./modules/review/index.js";
import * as team from "./modules/team/index.js";
import * as users from "./modules/users/index.js";
import * as work from "./modules/work/index.js";
import { projectPath } from "./shared/project.js";

export const schemaFile = projectPath("schema", "schema.graphql");

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once per process. */
export function chartroomSchema(): Promise<GraphQLSchema> {
  // Every module's resolvers (its front door's). The emitted schema lists types and fields in the
  // order type-graphql met their decorators, i.e. the order the modules are first imported.
  const resolvers = [
    ...users.resolvers,
    ...auth.resolvers,
    ...team.resolvers,
    ...organizations.resolvers,
    ...patients.resolvers,
    ...codesets.resolvers,
    ...work.resolvers,
    ...encounters.resolvers,
    ...claims.resolvers,
    ...followUps.resolvers,
    ...remittance.resolvers,
    ...coding.resolvers,
    ...review.resolvers,
    ...productivity.resolvers,
    ...reports.resolvers,
    ...node.resolvers,
  ] as const;
  built ??= buildSchema({
    resolvers,
    authChecker,
    // type-graphql insists on a PubSub once there are subscriptions, though every Chartroom
    // subscription brings its own `subscribe` (the event feed): this one says so if ever called.
    pubSub: {
      publish: () => {
        throw new Error("Chartroom publishes through the events table, not type-graphql's PubSub.");
      },
      subscribe: () => {
        throw new Error("Chartroom subscriptions read the event feed, not type-graphql's PubSub.");
      },
    },
    validate: false,
  })
    .then(describeRoots)
    .then((schema) => {
      directFieldResolvers(schema, resolvers);
      countListItems(schema);
      return schema;
    });
  return built;
}

const ROOT_DESCRIPTIONS: Record<string, string> = {
  Query: "Reads. Every field needs a signed-in user: send `Authorization: Bearer <token>` from `login`.",
  Mutation:
    "Changes. Each takes one `input` and returns a payload with `userErrors`; nothing is written when there are any.",
  Subscription: "Live updates over graphql-ws; authenticate in connection_init.",
};

/**
 * type-graphql leaves the root types undescribed: describe them, and append the roles each
 * root field requires (from `@Roles`) to its description, so the schema shows them.
 */
function describeRoots(schema: GraphQLSchema): GraphQLSchema {
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!(root instanceof GraphQLObjectType)) continue;
    root.description = ROOT_DESCRIPTIONS[root.name] ?? null;
    for (const field of Object.values(root.getFields())) {
      const roles = field.extensions["roles"] as string[] | undefined;
      if (!roles) continue;
      const who = roles.length === 0 ? "any signed-in user" : roles.join(", ");
      field.description = `${field.description ?? ""}\n\nAllowed: ${who}.`.trim();
    }
  }
  return schema;
}

/** The SDL `schema emit` writes and `schema check` compares, ending in a newline as the committed file does. */
export async function printChartroomSchema(): Promise<string> {
  return `${printSchema(await chartroomSchema())}\n`;
}

/** `schema emit` writes schema/schema.graphql; `schema check` fails when it differs from what the code emits. */
export async function schemaCommand(action: string | undefined): Promise<number> {
  const current = await printChartroomSchema();
  if (action === "emit") {
    writeFileSync(schemaFile, current);
    console.log(`Wrote ${schemaFile}`);
    return 0;
  }
  if (action === "check") {
    let committed = "";
    try {
      committed = readFileSync(schemaFile, "utf8");
    } catch {
      // a missing file differs like any other
    }
    if (committed === current) {
      console.log("schema/schema.graphql matches the code.");
      return 0;
    }
    console.error("schema/schema.graphql differs from what the code emits: run `npm run schema:emit` and commit it.");
    return 1;
  }
  console.error("usage: schema emit|check");
  return 2;
}
