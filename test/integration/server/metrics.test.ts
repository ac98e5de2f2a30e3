import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, subscribe, type TestApi } from "../../helpers/api.js";
import { givenEncounterReadyForCoding } from "../../helpers/encounters.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";

const METRICS_TOKEN = "metrics-token-for-the-scraper";

/** The value of one series of the exposition text, or undefined when it is absent. */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
      return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

describe("/metrics", () => {
  let api: TestApi;
  let org: Organization;

  beforeAll(async () => {
    api = await startApi({ METRICS_TOKEN, LOG_LEVEL: "info" });
    org = await givenOrganization(api, "Metrics Health");
  });
  afterAll(() => api.close());

  const scrape = async (token: string | null = METRICS_TOKEN) =>
    fetch(new URL("/metrics", api.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it("is refused without the METRICS_TOKEN, and served in Prometheus's text format with it", async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape("wrong-token-of-the-same-size!")).status).toBe(401);
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    expect(await response.text()).toContain("# TYPE chartroom_graphql_requests_total counter");
  });

  it("counts and times operations by name and outcome, and sign-in failures", async () => {
    const coder = await org.signIn("coder2");
    // Other stories of this server may have counted before: what this one adds is measured.
    const counted = (text: string) => ({
      ok: series(text, "chartroom_graphql_requests_total", { operation: "CountMe", outcome: "ok" }) ?? 0,
      refused:
        series(text, "chartroom_graphql_requests_total", { operation: "CountMe", outcome: "UNAUTHENTICATED" }) ?? 0,
      timed:
        series(text, "chartroom_graphql_request_duration_seconds_count", { operation: "CountMe", outcome: "ok" }) ?? 0,
      loginFailures: series(text, "chartroom_login_failures_total") ?? 0,
      lockouts: series(text, "chartroom_login_lockouts_total") ?? 0,
    });
    const before = counted(await (await scrape()).text());
    await api.gql(`query CountMe { viewer { email } }`, {}, coder);
    await api.gql(`query CountMe { viewer { email } }`, {}, coder);
    await api.gql(`query CountMe { viewer { email } }`, {}, "not-a-token");
    await api.gql(`mutation { login(input: { email: "nobody@metrics.test", password: "wrong-password" }) { token } }`);
    const after = counted(await (await scrape()).text());
    expect({
      ok: after.ok - before.ok,
      refused: after.refused - before.refused,
      timed: after.timed - before.timed,
      loginFailures: after.loginFailures - before.loginFailures,
      lockouts: after.lockouts - before.lockouts,
    }).toEqual({ ok: 2, refused: 1, timed: 2, loginFailures: 1, lockouts: 0 });
  });

  it("shows each queue's READY work and the oldest wait, live WebSockets and subscriptions, and feed lag", async () => {
    await givenEncounterReadyForCoding(org);
    const supervisor = await org.signIn("supervisor");
    const live = subscribe(
      api.ws({ authorization: `Bearer ${supervisor}` }),
      `subscription { myAssignments { cursor } }`,
    );
    await expect.poll(async () => series(await (await scrape()).text(), "chartroom_subscriptions")).toBe(1);
    const text = await (await scrape()).text();
    expect(series(text, "chartroom_websocket_connections")).toBeGreaterThanOrEqual(1);
    expect(series(text, "chartroom_queue_ready_items", { queue: "Outpatient coding", organization: org.id })).toBe(1);
    expect(
      series(text, "chartroom_queue_oldest_ready_seconds", { queue: "Outpatient coding", organization: org.id }),
    ).toBeGreaterThanOrEqual(0);
    expect(series(text, "chartroom_event_feed_lag_events")).toBeGreaterThanOrEqual(0);
    expect(series(text, "chartroom_event_delivery_seconds_count")).toBeGreaterThan(0);
    live.stop();
    await expect.poll(async () => series(await (await scrape()).text(), "chartroom_subscriptions")).toBe(0);
  });

  it("logs each request with its operation name, or its document's hash when it has none", async () => {
    const coder = await org.signIn("coder3");
    await api.gql(`query WhoAmI { viewer { email } }`, {}, coder);
    await api.gql(`{ viewer { email } }`, {}, coder);
    const lines = api.logs().filter((line) => line["msg"] === "graphql request");
    expect(lines.map((line) => line["operation"])).toContain("WhoAmI");
    expect(lines.at(-1)?.["operation"]).toMatch(/^sha256:[0-9a-f]{16}$/);
  });
});
