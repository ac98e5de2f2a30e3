import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "../../helpers/api.js";

const HTML = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

describe("GraphiQL at the GraphQL URL", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it("gives a browser the page, which may load nothing but Chartroom's own bundles", async () => {
    const page = await fetch(api.url, { headers: HTML });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toMatch(/https?:|\*/);
    const html = await page.text();
    const scripts = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(scripts).toEqual(["graphiql/app.css", "graphiql/app.js"]);

    for (const asset of scripts) {
      const response = await fetch(new URL(asset, api.url));
      expect(response.status).toBe(200);
      // Bundled from the installed packages: nothing in them is fetched from elsewhere.
      expect(await response.text()).not.toMatch(/(?:unpkg\.com|cdn\.jsdelivr\.net|esm\.sh)\//);
    }
    expect((await fetch(new URL("graphiql/app.js", api.url))).headers.get("content-type")).toMatch(/javascript/);
    expect((await fetch(new URL("graphiql/elsewhere.js", api.url))).status).toBe(404);
  });

  it("answers GraphQL as before to a client that does not ask for HTML", async () => {
    const query = new URL(api.url);
    query.searchParams.set("query", "{ __typename }");
    const asked = await fetch(query, { headers: { ...HTML, "apollo-require-preflight": "true" } });
    expect(await asked.json()).toEqual({ data: { __typename: "Query" } });
    const json = await fetch(api.url, { headers: { accept: "application/json" } });
    expect(json.headers.get("content-type")).toMatch(/^application\/json/);
  });
});

describe("a server started with GRAPHIQL=false", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({ GRAPHIQL: "false" });
  });
  afterAll(() => api.close());

  it("serves no page and no bundles", async () => {
    const page = await fetch(api.url, { headers: HTML });
    expect(page.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await fetch(new URL("graphiql/app.js", api.url))).status).toBe(404);
  });
});
