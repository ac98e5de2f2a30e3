import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/shared/errors.js";

const root = new URL("../../", import.meta.url).pathname;
const readme = readFileSync(join(root, "README.md"), "utf8");
/** The README's statement of the policy: its section "Errors: two tiers". */
const policy = /^### Errors: two tiers\n([\s\S]*?)(?=^#{2,3} )/m.exec(readme)?.[1] ?? "";

/** The TypeScript files under `dir` (relative to the repository), with their text. */
function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => ({ path: join(dir, name), text: readFileSync(join(root, dir, name), "utf8") }));
}

describe("the error policy", () => {
  it("the README's table of GraphQL errors explains every code a client can rely on, no more and no fewer", () => {
    const listed = [...policy.matchAll(/^\| `([A-Z_]+)`/gm)].map((row) => row[1]);
    expect(listed.sort()).toEqual([...ERROR_CODES].sort());
  });

  it("a refusal has one tier: no user error code is also a GraphQL error code", () => {
    const userErrorCodes = sources("src").flatMap(({ text }) =>
      [...text.matchAll(/userError\(\s*"([A-Z_]+)"/g)].map((call) => call[1]!),
    );
    expect(userErrorCodes).toContain("PRIORITY_OUT_OF_RANGE");
    expect(userErrorCodes.filter((code) => (ERROR_CODES as readonly string[]).includes(code))).toEqual([]);
  });

  it("only the GraphQL layer speaks GraphQL: services, stores and rules throw DomainErrors, import none of it", () => {
    // Resolvers, types, inputs, subscriptions and the per-request DataLoaders they read through are the GraphQL layer.
    const graphQLLayer = /\.(resolver|type|inputs|subscription|loaders)\.ts$/;
    const importsGraphQL = /^(?:import|export)\b[^;]*?\bfrom\s+"(?:graphql|@apollo\/[^"]+|[^"]*\/graphql\/[^"]+)"/m;
    const offenders = [...sources("src/modules"), ...sources("src/shared"), ...sources("src/db")]
      .filter(({ path }) => !graphQLLayer.test(path))
      .filter(({ text }) => importsGraphQL.test(text))
      .map(({ path }) => path);
    expect(offenders).toEqual([]);
  });

  it("no refusal is thrown away: nothing reads an outcome's value with `!`", () => {
    const offenders = sources("src")
      .filter(({ text }) => /\.value!/.test(text))
      .map(({ path }) => path);
    expect(offenders).toEqual([]);
  });
});
