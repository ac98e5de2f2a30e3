import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runChartroom, SPAWNED_SERVER_MS, startServe, stopServe } from "../../helpers/process.js";

/** Starts `serve`; resolves with the server, or with what it printed when it exited instead. */
const serveOrRefusal = (environment: Record<string, string>) =>
  startServe(environment).then(
    (server) => ({ server, refusal: null }),
    (error: Error) => ({ server: null, refusal: error.message }),
  );

describe("one process at a time on a PGlite data directory", () => {
  it(
    "a second start, migrate and import-codes are refused naming the running server; " +
      "after a crash the next start takes over",
    async () => {
      const environment = {
        NODE_ENV: "development",
        CHARTROOM_SEED_DEMO: "true",
        DATABASE_URL: "",
        CHARTROOM_DATA_DIR: mkdtempSync(join(tmpdir(), "chartroom-lock-")),
      };
      const first = await startServe(environment);
      let restarted: Awaited<ReturnType<typeof startServe>> | null = null;
      try {
        const second = await serveOrRefusal(environment);
        if (second.server) await stopServe(second.server.child);
        expect(second.refusal).toMatch(/^exited 1:/);
        expect(second.refusal).toMatch(
          new RegExp(
            `in use by process ${first.child.pid} \\(.*scripts/chartroom\\.mjs serve\\) ` +
              `on .+, started \\d{4}-\\d\\d-\\d\\dT`,
          ),
        );
        expect(second.refusal).not.toMatch(/Chartroom GraphQL at/);

        for (const command of [["migrate"], ["import-codes"], ["seed"]]) {
          const refused = await runChartroom(command, environment);
          expect(refused.code, refused.output).toBe(1);
          expect(refused.output).toContain(`in use by process ${first.child.pid}`);
        }
        // The running server never noticed.
        expect((await fetch(first.url.replace("/graphql", "/readyz"))).status).toBe(200);

        // A crash leaves the lock behind, unrefreshed: the next start waits for it to go stale and takes over.
        const crashed = new Promise((resolve) => first.child.once("exit", resolve));
        first.child.kill("SIGKILL");
        await crashed;
        restarted = await startServe(environment);
        const login = await fetch(restarted.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            query:
              `mutation { login(input: { email: "coder1@demo.chartroom.test", ` +
              `password: "chartroom-demo" }) { token } }`,
          }),
        });
        expect(((await login.json()) as { data: { login: { token: string } } }).data.login.token).toMatch(/^ey/);
      } finally {
        if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill("SIGKILL");
        if (restarted) expect(await stopServe(restarted.child)).toBe(0);
      }

      // Stopped cleanly, it leaves the directory free at once.
      const migrated = await runChartroom(["migrate"], environment);
      expect(migrated.code, migrated.output).toBe(0);
    },
    SPAWNED_SERVER_MS,
  );
});
