import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnChartroom } from "../../helpers/process.js";

/** Starts `chartroom serve` as a user would (`npm start`), on an empty PGlite data dir, and waits for its banner. */
function startProcess(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const { child, output } = spawnChartroom(["serve"], {
    DATABASE_URL: "",
    PORT: "0",
    CHARTROOM_DATA_DIR: mkdtempSync(join(tmpdir(), "chartroom-serve-")),
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in time:\n${output()}`)), 100_000);
    child.stdout!.on("data", () => {
      const match = /Chartroom GraphQL at (\S+)/.exec(output());
      if (match && /Ready in/.test(output())) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output });
      }
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}:\n${output()}`)));
  });
}

describe("npm start on an empty data dir, then SIGTERM", () => {
  let server: Awaited<ReturnType<typeof startProcess>>;
  beforeAll(async () => {
    server = await startProcess();
  }, 120_000);
  afterAll(() => {
    if (server.child.exitCode === null) server.child.kill("SIGKILL");
  });

  it("seeds demo data, prints the sign-in e-mails, finishes the request in flight and exits 0", async () => {
    expect(server.output()).toContain("coder1@demo.chartroom.test");
    expect(server.output()).toContain("admin@lakeside.chartroom.test");

    const body = JSON.stringify({
      query: `mutation ($input: LoginInput!) { login(input: $input) { token userErrors { code } } }`,
      variables: { input: { email: "coder1@demo.chartroom.test", password: "chartroom-demo" } },
    });
    const url = new URL(server.url);
    // The request's headers and half its body are sent before SIGTERM, the rest after: it is in flight.
    const inFlight = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
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
  }, 60_000);
});
