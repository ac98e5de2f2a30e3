import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds. Node loads the CJS one for
    // type-graphql; Vite would hand our sources the ESM one, and two copies of graphql
    // break its instanceof checks. One module for everyone.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // type-graphql's decorators need the metadata polyfill before any module is imported: a
    // module's front door brings its resolvers along (src/main.ts imports it first for the same reason).
    setupFiles: ["reflect-metadata"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
