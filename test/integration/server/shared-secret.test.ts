import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEFAULT_DEMO_PASSWORD } from "../../../src/environment.js";
import { startApi, type TestApi } from "../../helpers/api.js";
import { SPAWNED_SERVER_MS, startServe, stopServe } from "../../helpers/process.js";

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { token userErrors { code } } }`;

/** Two `serve` processes on one PostgreSQL database, neither given AUTH_JWT_SECRET. */
describe.skipIf(inject("database").driver !== "postgres")("several instances, one secret (PostgreSQL)", () => {
  let api: TestApi;
  const servers: { child: ChildProcess; url: string }[] = [];

  beforeAll(async () => {
    api = await startApi();
    const environment = (name: string) => ({
      DATABASE_URL: api.database.url!,
      NODE_ENV: "test",
      CHARTROOM_DATA_DIR: mkdtempSync(join(tmpdir(), `chartroom-${name}-`)),
    });
    servers.push(...(await Promise.all([startServe(environment("one")), startServe(environment("two"))])));
  }, SPAWNED_SERVER_MS);
  afterAll(async () => {
    await Promise.all(servers.map((server) => stopServe(server.child)));
    await api.close();
  });

  const post = async (url: string, query: string, variables: Record<string, unknown>, token?: string) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
  };

  it("a token one instance issued works on the other", async () => {
    const [one, two] = servers;
    const login = await post(one!.url, LOGIN, {
      input: { email: "coder3@demo.chartroom.test", password: DEFAULT_DEMO_PASSWORD },
    });
    const token = login.data?.login.token as string;
    expect(token).toEqual(expect.any(String));
    const viewer = await post(two!.url, `{ viewer { email } }`, {}, token);
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data?.viewer.email).toBe("coder3@demo.chartroom.test");
  });
});
