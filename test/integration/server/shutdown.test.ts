import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { pgliteDirIn } from "../../../src/db/client.js";
import { createScratchDatabase, type ScratchDatabase } from "../../../src/db/databases.js";
import { DEFAULT_DEMO_PASSWORD } from "../../../src/environment.js";
import { SPAWNED_SERVER_MS, startServe } from "../../helpers/process.js";

/**
 * `npm start` as a user runs it (NODE_ENV=development, not vitest's "test"), on an empty database of
 * the driver the suite uses: a new PGlite data dir, or a new database on the PostgreSQL server.
 */
describe("npm start on an empty database, then SIGTERM", () => {
  const template = inject("database");
  const dataDir = mkdtempSync(join(tmpdir(), "chartroom-serve-"));
  let scratch: ScratchDatabase | null = null;
  let server: Awaited<ReturnType<typeof startServe>>;

  beforeAll(async () => {
    if (template.driver === "postgres") {
      scratch = await createScratchDatabase(
        template.url,
        `chartroom_serve_${randomUUID().replaceAll("-", "").slice(0, 12)}`,
      );
    }
    server = await startServe(
      { NODE_ENV: "development", DATABASE_URL: scratch?.url ?? "", CHARTROOM_DATA_DIR: dataDir },
      ["--demo"],
    );
  }, SPAWNED_SERVER_MS);
  afterAll(async () => {
    if (server.child.exitCode === null) server.child.kill("SIGKILL");
    await scratch?.drop();
  });

  it(
    "seeds demo data, prints the sign-in e-mails, finishes the request in flight, closes the database and exits 0",
    async () => {
      // The first start loaded the small code sets the test points it at (the full ones load from data/codesets).
      expect(server.output()).toMatch(/ICD10CM FY2024: 100 rows/);
      expect(server.output()).toContain("coder1@demo.chartroom.test");
      expect(server.output()).toContain("admin@lakeside.chartroom.test");

      const body = JSON.stringify({
        query: `mutation ($input: LoginInput!) { login(input: $input) { token userErrors { code } } }`,
        variables: { input: { email: "coder1@demo.chartroom.test", password: DEFAULT_DEMO_PASSWORD } },
      });
      const url = new URL(server.url);
      // The request's headers and half its body are sent before SIGTERM, the rest after: it is in flight.
      const inFlight = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: "POST",
            headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
          },
          (res) => {
            let text = "";
            res.on("data", (chunk: Buffer) => (text += chunk.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on("error", reject);
        req.write(body.slice(0, 20));
        setTimeout(() => {
          server.child.kill("SIGTERM");
          setTimeout(() => req.end(body.slice(20)), 300);
        }, 200);
      });
      const exited = new Promise<number | null>((resolve) => server.child.once("exit", resolve));

      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text).data.login.token).toMatch(/^ey/);
      expect(await exited).toBe(0);
      await expect(fetch(server.url.replace("/graphql", "/healthz"))).rejects.toThrow();

      if (template.driver === "postgres") {
        // Connections the client ended properly are sessions; those whose process just vanished are "abandoned".
        const admin = postgres(template.url, { max: 1, onnotice: () => {} });
        try {
          const name = new URL(scratch!.url).pathname.slice(1);
          const [stats] =
            await admin`select sessions, sessions_abandoned from pg_stat_database where datname = ${name}`;
          expect(Number(stats!["sessions"])).toBeGreaterThan(0);
          expect(Number(stats!["sessions_abandoned"])).toBe(0);
        } finally {
          await admin.end();
        }
      } else {
        // PGlite removes its postmaster.pid when it closes; a process killed with it open leaves the file behind.
        expect(existsSync(join(pgliteDirIn(dataDir), "postmaster.pid"))).toBe(false);
      }
    },
    SPAWNED_SERVER_MS,
  );
});
