import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../../src/db/client.js";
import { createScratchDatabase } from "../../../src/db/databases.js";
import { DEFAULT_DEMO_PASSWORD } from "../../../src/environment.js";
import { demoSignIns, seedDemoIfEmpty } from "../../../src/seed/demo.js";
import { TEST_JWT_SECRET } from "../../helpers/api.js";
import { deactivateUser } from "../../helpers/behind-the-api.js";
import { SPAWNED_SERVER_MS, startServe, stopServe } from "../../helpers/process.js";

/**
 * Two instances' connections to one new, migrated, empty database: two pools to a PostgreSQL
 * database when the suite runs on PostgreSQL, else one in-memory PGlite (which has one connection).
 */
async function twoInstancesOnAnEmptyDatabase(): Promise<{
  a: DatabaseHandle;
  b: DatabaseHandle;
  close(): Promise<void>;
}> {
  const template = inject("database");
  if (template.driver === "pglite") {
    const handle = await openDatabase({});
    await handle.migrate();
    return { a: handle, b: handle, close: () => handle.close() };
  }
  const scratch = await createScratchDatabase(
    template.url,
    `chartroom_first_start_${randomUUID().replaceAll("-", "").slice(0, 12)}`,
  );
  const [a, b] = await Promise.all([openDatabase({ url: scratch.url }), openDatabase({ url: scratch.url })]);
  await Promise.all([a.migrate(), b.migrate()]);
  return {
    a,
    b,
    close: async () => {
      await Promise.all([a.close(), b.close()]);
      await scratch.drop();
    },
  };
}

const count = async (handle: DatabaseHandle, table: string) =>
  Number((await handle.rows<{ n: string }>(sql`select count(*)::text as n from ${sql.identifier(table)}`))[0]!.n);

describe("the demo seed at first start", () => {
  it("loads once when two instances start on an empty database, and names only demo users that exist", async () => {
    const { a, b, close } = await twoInstancesOnAnEmptyDatabase();
    try {
      expect(await demoSignIns(a.db)).toEqual([]);
      const results = await Promise.all([
        seedDemoIfEmpty(a.db, { password: "first-start" }),
        seedDemoIfEmpty(b.db, { password: "first-start" }),
      ]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await count(a, "organizations")).toBe(2);
      expect(await count(a, "patients")).toBe(results.find((r) => r !== null)!.patients);

      await deactivateUser(a, "coder1@demo.chartroom.test");
      const named = (await demoSignIns(b.db)).flatMap((org) => org.userEmails);
      expect(named).toContain("admin@lakeside.chartroom.test");
      expect(named).not.toContain("coder1@demo.chartroom.test");
      expect(await seedDemoIfEmpty(a.db, { password: "first-start" })).toBeNull();
    } finally {
      await close();
    }
  }, 60_000);

  it(
    "is not loaded by a bare serve (no NODE_ENV, no settings), which names no demo users and allows no introspection",
    async () => {
      // An empty variable counts as unset: the child inherits vitest's NODE_ENV=test otherwise.
      const server = await startServe({
        NODE_ENV: "",
        AUTH_JWT_SECRET: TEST_JWT_SECRET,
        DATABASE_URL: "",
        CHARTROOM_DATA_DIR: mkdtempSync(join(tmpdir(), "chartroom-bare-")),
      });
      const post = async (query: string, variables: Record<string, unknown> = {}) => {
        const response = await fetch(server.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query, variables }),
        });
        return (await response.json()) as any;
      };
      try {
        expect(server.output()).not.toMatch(/Demo|@demo\.chartroom\.test|@lakeside/);
        const login = await post(`mutation ($input: LoginInput!) { login(input: $input) { userErrors { code } } }`, {
          input: { email: "admin@demo.chartroom.test", password: DEFAULT_DEMO_PASSWORD },
        });
        expect(login.data.login.userErrors).toEqual([{ code: "INVALID_CREDENTIALS" }]);
        expect((await post(`{ __schema { queryType { name } } }`)).errors[0].extensions.code).toBe(
          "GRAPHQL_VALIDATION_FAILED",
        );
      } finally {
        expect(await stopServe(server.child)).toBe(0);
      }
    },
    SPAWNED_SERVER_MS,
  );
});
