import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "../../helpers/api.js";

const FRONT_END = "http://localhost:5173";

describe("a front-end on another origin, named in CORS_ORIGINS", () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await startApi({ CORS_ORIGINS: `${FRONT_END},https://coder.example.com` });
    token = await api.signIn("coder3@demo.chartroom.test");
  });
  afterAll(() => api.close());

  const preflight = (origin: string) =>
    fetch(api.url, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });

  it("gets its preflight answered, then calls the API with its token and reads the answer", async () => {
    const answered = await preflight(FRONT_END);
    expect(answered.status).toBe(204);
    expect(answered.headers.get("access-control-allow-origin")).toBe(FRONT_END);
    expect(answered.headers.get("access-control-allow-methods")).toBe("GET,POST");
    expect(answered.headers.get("access-control-allow-headers")).toContain("authorization");

    const call = await fetch(api.url, {
      method: "POST",
      headers: { origin: FRONT_END, "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ viewer { email } }" }),
    });
    expect(call.headers.get("access-control-allow-origin")).toBe(FRONT_END);
    expect(call.headers.get("access-control-expose-headers")).toContain("x-request-id");
    expect(await call.json()).toEqual({ data: { viewer: { email: "coder3@demo.chartroom.test" } } });
  });

  it("refuses the preflight of an origin it does not name, and gives its requests no CORS headers", async () => {
    const refused = await preflight("https://elsewhere.example.com");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    const call = await fetch(api.url, {
      method: "POST",
      headers: { origin: "https://elsewhere.example.com", "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(call.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("keeps CSRF prevention: a browser's request with no preflight is refused, even from a named origin", async () => {
    const simple = await fetch(api.url, {
      method: "POST",
      headers: { origin: FRONT_END, "content-type": "text/plain" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(simple.status).toBe(400);
    expect(await simple.text()).toMatch(/CSRF/);
  });
});
