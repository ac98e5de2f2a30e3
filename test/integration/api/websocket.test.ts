import { sql } from "drizzle-orm";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { codes, startApi, TEST_JWT_SECRET, type TestApi, wsExecute } from "../../helpers/api.js";
import { deactivateUser } from "../../helpers/behind-the-api.js";

const VIEWER = `{ viewer { email } }`;

describe("GraphQL over WebSocket", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({ LOG_LEVEL: "error" });
  });
  afterAll(() => api.close());

  it("authenticates each operation: a user deactivated after connecting is refused at the next, as HTTP", async () => {
    const token = await api.signIn("coder2@demo.chartroom.test");
    const client = api.ws({ authorization: `Bearer ${token}` });
    expect((await wsExecute(client, VIEWER)).data?.["viewer"].email).toBe("coder2@demo.chartroom.test");

    const reactivate = await deactivateUser(api.database, "coder2@demo.chartroom.test");
    try {
      const overWs = await wsExecute(
        client,
        `{ viewer { email } encounters(first: 1) { edges { node { documentation } } } }`,
      );
      expect(overWs.data ?? null).toBeNull();
      expect(codes(overWs)).toContain("UNAUTHENTICATED");
      expect(overWs.errors?.[0]?.message).toBe("The token names no active user.");
      expect((await api.gql(VIEWER, {}, token)).status).toBe(401);
    } finally {
      await reactivate();
    }
  });

  it("refuses a socket's operations once its token has expired since it connected, and over HTTP", async () => {
    const login = await api.signIn("coder3@demo.chartroom.test");
    const claims = JSON.parse(Buffer.from(login.split(".")[1]!, "base64url").toString()) as {
      sub: string;
      org: string;
    };
    const expiresAt = Math.floor(Date.now() / 1000) + 4;
    const shortLived = await new SignJWT({ org: claims.org })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(claims.sub)
      .setIssuer("chartroom")
      .setAudience("chartroom-api")
      .setExpirationTime(expiresAt)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const client = api.ws({ authorization: `Bearer ${shortLived}` });
    const until = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms - Date.now()));
    expect((await wsExecute(client, VIEWER)).data?.["viewer"].email).toBe("coder3@demo.chartroom.test");
    // Accepted just before it expires, and the answer remembered then is not given past the expiry.
    await until(expiresAt * 1000 - 500);
    expect((await api.gql(VIEWER, {}, shortLived)).data?.["viewer"].email).toBe("coder3@demo.chartroom.test");

    await until(expiresAt * 1000 + 50);
    const expired = await wsExecute(client, VIEWER);
    expect(codes(expired)).toEqual(["UNAUTHENTICATED"]);
    expect(expired.errors?.[0]?.message).toMatch(/expired/);
    expect((await api.gql(VIEWER, {}, shortLived)).status).toBe(401);
  });

  it("keeps organizations apart over WebSocket too", async () => {
    const riverbend = api.ws({ authorization: `Bearer ${await api.signIn("admin@demo.chartroom.test")}` });
    const lakeside = api.ws({ authorization: `Bearer ${await api.signIn("admin@lakeside.chartroom.test")}` });
    const theirs = await wsExecute(riverbend, `{ encounters(first: 1) { edges { node { id patient { id } } } } }`);
    const { id, patient } = (theirs.data as any)["encounters"].edges[0].node;

    const read = `query ($e: ID!, $p: ID!) { encounter(id: $e) { id } node(id: $p) { id } encounters { totalCount } }`;
    const foreign = await wsExecute(lakeside, read, { e: id, p: patient.id });
    expect(foreign.data).toEqual({ encounter: null, node: null, encounters: { totalCount: 10 } });
  });

  it("masks an unexpected error and logs it without the statement's values, as over HTTP", async () => {
    const biller = await api.signIn("biller1@demo.chartroom.test");
    const facilityId = (await api.gql(`{ facilities { id } }`, {}, biller)).data?.["facilities"][0].id;
    await api.database.rows(
      sql`alter table patients add constraint test_no_failtown check (city is distinct from 'Failtown')`,
    );
    const client = api.ws({ authorization: `Bearer ${biller}` });
    const phi = {
      mrn: "LEAK-5512",
      firstName: "Wilhelmina",
      lastName: "Ostrowe",
      birthDate: "1958-07-02",
      sex: "F",
      city: "Failtown",
    };
    const response = await wsExecute(
      client,
      `mutation ($input: CreatePatientInput!) { createPatient(input: $input) { patient { id } userErrors { code } } }`,
      { input: { facilityId, ...phi } },
    );

    expect(response.errors).toEqual([
      { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" }, path: ["createPatient"] },
    ]);
    const logged = api.logs().filter((line) => line["msg"] === "unexpected error");
    expect(logged).toEqual([
      expect.objectContaining({
        err: expect.objectContaining({ type: "DrizzleQueryError", cause: expect.objectContaining({ code: "23514" }) }),
      }),
    ]);
    const everything = JSON.stringify(api.logs());
    for (const value of Object.values(phi)) if (value !== "F") expect(everything).not.toContain(value);
  });

  it("answers an invalid document with the codes HTTP uses", async () => {
    const client = api.ws({ authorization: `Bearer ${await api.signIn("auditor@demo.chartroom.test")}` });
    expect(codes(await wsExecute(client, `{ viewer { nope } }`))).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(codes(await wsExecute(client, `{ viewer { `))).toEqual(["GRAPHQL_PARSE_FAILED"]);
    expect((await api.gql(`{ viewer { `)).errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
  });

  it("closes a socket that sends a message over 1 MiB (1009)", async () => {
    const token = await api.signIn("auditor@demo.chartroom.test");
    const socket = new WebSocket(api.url.replace(/^http/, "ws"), "graphql-transport-ws");
    const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
    await new Promise((resolve) => socket.on("open", resolve));
    socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
    await new Promise((resolve) => socket.once("message", resolve));
    const query = `{ viewer { id } }`.padEnd(1024 * 1024 + 10, " ");
    socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query } }));
    expect(await closed).toBe(1009);
  });
});
