import { request } from "node:http";
import { sql } from "drizzle-orm";
import { buildClientSchema, getIntrospectionQuery, type IntrospectionQuery } from "graphql";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, startApi, TEST_JWT_SECRET, type TestApi } from "../../helpers/api.js";

describe("the HTTP endpoint", () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    // The event feed's idle reads would add to the statements counted below.
    api = await startApi({ EVENT_POLL_INTERVAL: "1h" });
    token = await api.signIn("auditor@demo.chartroom.test");
  });
  afterAll(() => api.close());

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(api.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
      body,
    });

  it("answers liveness and readiness probes", async () => {
    const base = api.url.replace("/graphql", "");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  });

  it("refuses malformed JSON with 400", async () => {
    const response = await post(`{"query": "{ viewer { id } }"`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe("BAD_REQUEST");
    expect(body.errors[0]!.message).toMatch(/Malformed JSON body/);
  });

  it("refuses a body over 1 MB with 413", async () => {
    const query = `{ viewer { id } }`.padEnd(1024 * 1024 + 10, " ");
    const response = await post(JSON.stringify({ query }));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      "PAYLOAD_TOO_LARGE",
    );
  });

  it("refuses a chunked body over 1 MB with 413 once it has read past the limit", async () => {
    const url = new URL(api.url);
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "transfer-encoding": "chunked" },
    });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on("response", (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
    });
    // No content-length: the server learns the size only by reading, 64 KiB at a time.
    const chunk = " ".repeat(64 * 1024);
    req.write(`{"query": "{ viewer { id } }"`);
    for (let sent = 0; sent <= 1024 * 1024; sent += chunk.length) req.write(chunk);
    req.end("}");

    const { status, body } = await response;
    expect(status).toBe(413);
    expect((JSON.parse(body) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      "PAYLOAD_TOO_LARGE",
    );
  });

  it("refuses a document nested deeper than 12 levels before running it", async () => {
    const deep =
      `{ encounters { edges { node { claims { encounter { claims { encounter { claims { encounter { claims ` +
      `{ encounter { patient { id } } } } } } } } } } } } }`;
    const response = await api.gql(deep, {}, token);
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(response.errors?.[0]?.message).toMatch(/Query is too deep/);
  });

  it("refuses a document whose cost exceeds the limit, naming the cost", async () => {
    const fields = Array.from({ length: 30 }, (_, i) => `p${i}: patient { id mrn }`).join(" ");
    const response = await api.gql(`{ encounters(first: 100) { edges { node { ${fields} } } } }`, {}, token);
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(response.errors?.[0]?.message).toMatch(/exceeds the limit of 5000/);
  });

  it("sends security headers with every response", async () => {
    for (const response of [
      await post(JSON.stringify({ query: "{ viewer { id } }" })),
      await fetch(api.url.replace("/graphql", "/healthz")),
    ]) {
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-security-policy")).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("strict-transport-security")).toBeNull();
    }
    const behindTls = await post(JSON.stringify({ query: "{ viewer { id } }" }), { "x-forwarded-proto": "https" });
    expect(behindTls.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });

  it("allows no introspection unless GRAPHQL_INTROSPECTION says so", async () => {
    const refused = await api.gql(`{ __schema { queryType { name } } }`, {}, token);
    expect(codes(refused)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(refused.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it("answers persisted queries it cannot use with a code the client can act on, never an internal error", async () => {
    const answer = async (body: unknown) => {
      const response = await post(JSON.stringify(body));
      const { errors } = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      return {
        status: response.status,
        codes: errors.map((error) => error.extensions.code),
        message: errors[0]?.message,
      };
    };
    const unknownHash = { version: 1, sha256Hash: "0".repeat(64) };
    expect(await answer({ extensions: { persistedQuery: unknownHash } })).toMatchObject({
      codes: ["PERSISTED_QUERY_NOT_FOUND"],
    });
    expect(await answer({ query: "{ viewer { id } }", extensions: { persistedQuery: unknownHash } })).toEqual({
      status: 400,
      codes: ["BAD_REQUEST"],
      message: "provided sha does not match query",
    });
    expect(await answer({ extensions: { persistedQuery: { ...unknownHash, version: 2 } } })).toMatchObject({
      status: 400,
      codes: ["BAD_REQUEST"],
    });
  });

  it("refuses a signed token whose subject is not a user id as UNAUTHENTICATED", async () => {
    const forged = await new SignJWT({ org: "not-a-uuid" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("not-a-uuid")
      .setIssuer("chartroom")
      .setAudience("chartroom-api")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const response = await api.gql(`{ viewer { id } }`, {}, forged);
    expect(response.status).toBe(401);
    expect(codes(response)).toEqual(["UNAUTHENTICATED"]);
  });

  it("finds nothing for a global id whose type names a property every object has", async () => {
    const uuid = "00000000-0000-4000-8000-000000000000";
    for (const type of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      const id = Buffer.from(`${type}:${uuid}`).toString("base64url");
      const response = await api.gql(`query ($id: ID!) { node(id: $id) { id } }`, { id }, token);
      expect(response.errors, type).toBeUndefined();
      expect(response.data?.["node"], type).toBeNull();
    }
  });

  it("works out the client's address for sign-in alone, not for each request", async () => {
    const services = api.server.services;
    const addressOf = services.clientAddressOf;
    let worked = 0;
    services.clientAddressOf = (request) => {
      worked++;
      return addressOf(request);
    };
    try {
      expect((await api.gql(`{ __typename }`, {}, token)).data).toEqual({ __typename: "Query" });
      expect(worked).toBe(0);
      await api.signIn("auditor@demo.chartroom.test");
      expect(worked).toBe(1);
    } finally {
      services.clientAddressOf = addressOf;
    }
  });

  it("answers viewer from the request's signed-in user, without reading it again", async () => {
    const viewer = await api.fewestStatements(() =>
      api.gql(`{ viewer { id email name roles credentials } }`, {}, token),
    );
    const nothing = await api.fewestStatements(() => api.gql(`{ __typename }`, {}, token));
    expect(viewer.result.data?.["viewer"]).toMatchObject({
      email: "auditor@demo.chartroom.test",
      roles: ["AUDITOR"],
      credentials: ["CCS", "CPC"],
    });
    expect(viewer.statements).toBe(nothing.statements);
  });

  it("loads nested fields in a constant number of SQL statements, whatever the page size", async () => {
    const query = `query ($first: Int) {
      encounters(first: $first) { edges { node { patient { id } claims { id } } } }
    }`;
    const small = await api.fewestStatements(() => api.gql(query, { first: 5 }, token));
    const large = await api.fewestStatements(() => api.gql(query, { first: 50 }, token));
    expect(large.result.data?.["encounters"].edges).toHaveLength(50);
    expect(small.statements).toBeGreaterThan(0);
    expect(large.statements).toBe(small.statements);
  });
});

describe("a server started with GRAPHQL_INTROSPECTION=true", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({ GRAPHQL_INTROSPECTION: "true" });
  });
  afterAll(() => api.close());

  it("answers introspection", async () => {
    const response = await api.gql(
      `{ __schema { queryType { name } } }`,
      {},
      await api.signIn("auditor@demo.chartroom.test"),
    );
    expect(response.data?.["__schema"]).toEqual({ queryType: { name: "Query" } });
  });

  it("answers the introspection query GraphiQL sends, whose nested lists a cost estimate would refuse", async () => {
    const coder = await api.signIn("coder3@demo.chartroom.test");
    const query = getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true });
    const response = await api.gql(query, {}, coder);
    expect(response.errors).toBeUndefined();
    const schema = buildClientSchema(response.data as unknown as IntrospectionQuery);
    expect(schema.getQueryType()?.getFields()["searchCodes"]?.description).toMatch(/\w/);
  });

  it("still costs an introspection that spells out the types it refers to again, which multiplies", async () => {
    const coder = await api.signIn("coder3@demo.chartroom.test");
    // Within graphql-js's own introspection depth limit (three levels of `fields`), but each level multiplies.
    const spelledOut = `{ __schema { types { fields { type { fields { type { enumValues { name } } } } } } } }`;
    const response = await api.gql(spelledOut, {}, coder);
    expect(codes(response)).toEqual(["QUERY_TOO_COMPLEX"]);
  });
});

describe("an unexpected database error", () => {
  let api: TestApi;
  let biller: string;

  beforeAll(async () => {
    api = await startApi({ LOG_LEVEL: "error" });
    biller = await api.signIn("biller1@demo.chartroom.test");
    // A constraint the service does not know about: the insert fails in the database, with the
    // patient's demographics among the statement's parameters and in PostgreSQL's "Failing row" detail.
    await api.database.rows(
      sql`alter table patients add constraint test_no_failtown check (city is distinct from 'Failtown')`,
    );
  });
  afterAll(() => api.close());

  it("reaches neither the client nor the log with the statement's values", async () => {
    const facilityId = (await api.gql(`{ facilities { id } }`, {}, biller)).data?.["facilities"][0].id;
    const phi = {
      mrn: "LEAK-4471",
      firstName: "Ottoline",
      lastName: "Quarrington",
      birthDate: "1962-03-14",
      sex: "F",
      city: "Failtown",
    };
    const response = await api.gql(
      `mutation ($input: CreatePatientInput!) { createPatient(input: $input) { patient { id } userErrors { code } } }`,
      { input: { facilityId, ...phi } },
      biller,
    );

    expect(response.errors).toEqual([
      { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" }, path: ["createPatient"] },
    ]);
    const logged = api.logs().filter((line) => line["msg"] === "unexpected error");
    expect(logged).toHaveLength(1);
    expect(logged[0]!["err"]).toMatchObject({ type: "DrizzleQueryError", cause: { code: "23514" } });
    expect(logged[0]!["err"].sql).toMatch(/^insert into "patients"/);
    expect(logged[0]!["requestId"]).toBeTruthy();
    const everything = JSON.stringify(api.logs()) + JSON.stringify(response);
    for (const value of ["LEAK-4471", "Ottoline", "Quarrington", "1962-03-14", "Failtown"])
      expect(everything).not.toContain(value);
  });
});

describe("stopping", () => {
  it("answers readiness with 503 at once and keeps serving for SHUTDOWN_DELAY, then closes", async () => {
    const api = await startApi({ SHUTDOWN_DELAY: "1s" });
    try {
      const token = await api.signIn("auditor@demo.chartroom.test");
      const base = api.url.replace("/graphql", "");
      expect((await fetch(`${base}/readyz`)).status).toBe(200);

      const stopping = api.server.stop();
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: "draining" });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await api.gql(`{ viewer { email } }`, {}, token)).data?.["viewer"].email).toBe(
        "auditor@demo.chartroom.test",
      );

      await stopping;
      await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    } finally {
      await api.close();
    }
  });
});
