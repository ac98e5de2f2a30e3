import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Typed operations for a front-end, generated from Chartroom's committed schema. Run from the
 * repository root: `npm run examples:codegen` (it writes src/gql/, which is not committed).
 */
const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  documents: ["examples/codegen/src/**/*.ts", "!examples/codegen/src/gql/**"],
  generates: {
    "examples/codegen/src/gql/": {
      preset: "client",
      // Documents as strings with their types attached: a plain fetch sends them, no GraphQL client needed.
      config: {
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        // Chartroom's scalars travel as strings (README, Conventions of the API).
        scalars: { Date: "string", DateTime: "string", Money: "string" },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
