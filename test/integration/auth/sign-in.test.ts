import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { exportJWK, generateKeyPair, importJWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEFAULT_DEMO_PASSWORD } from "../../../src/environment.js";
import { codes, type GraphQLResponse, startApi, TEST_JWT_SECRET, type TestApi } from "../../helpers/api.js";
import { deactivateUser } from "../../helpers/behind-the-api.js";

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { token user {
  email roles credentials } userErrors { code field message } } }`;
const VIEWER = `{ viewer { email name roles credentials } }`;
const secret = new TextEncoder().encode(TEST_JWT_SECRET);
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

describe("signing in", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it("a coder signs in with e-mail and password and sees who they are", async () => {
    const { data } = await api.gql(LOGIN, {
      input: { email: "Coder1@Demo.Chartroom.Test", password: DEFAULT_DEMO_PASSWORD },
    });
    expect(data?.["login"].userErrors).toEqual([]);
    expect(data?.["login"].user).toEqual({
      email: "coder1@demo.chartroom.test",
      roles: ["CODER"],
      credentials: ["CCS"],
    });

    const viewer = await api.gql(VIEWER, {}, data?.["login"].token);
    expect(viewer.data?.["viewer"]).toMatchObject({ email: "coder1@demo.chartroom.test", roles: ["CODER"] });
  });

  it("a wrong password and an unknown e-mail get the same answer", async () => {
    const wrong = await api.gql(LOGIN, { input: { email: "biller1@demo.chartroom.test", password: "guess" } });
    const unknown = await api.gql(LOGIN, { input: { email: "nobody@demo.chartroom.test", password: "guess" } });
    expect(wrong.data?.["login"]).toEqual({
      token: null,
      user: null,
      userErrors: [{ code: "INVALID_CREDENTIALS", field: null, message: "E-mail or password is wrong." }],
    });
    expect(unknown.data?.["login"]).toEqual(wrong.data?.["login"]);
  });

  it("five failures lock the e-mail, even against the right password, and other users are untouched", async () => {
    for (let i = 0; i < 5; i++) {
      await api.gql(LOGIN, { input: { email: "biller2@demo.chartroom.test", password: `wrong-${i}` } });
    }
    const locked = await api.gql(LOGIN, {
      input: { email: "biller2@demo.chartroom.test", password: DEFAULT_DEMO_PASSWORD },
    });
    expect(locked.data).toBeNull();
    expect(codes(locked)).toEqual(["RATE_LIMITED"]);

    await expect(api.signIn("coder2@demo.chartroom.test")).resolves.toBeTypeOf("string");
  });

  it.skipIf(inject("database").driver !== "postgres")(
    "forty parallel sign-ins at one account, the right password among them, check at most five passwords (PostgreSQL)",
    async () => {
      const attempts = Array.from({ length: 40 }, (_, i) => (i === 39 ? DEFAULT_DEMO_PASSWORD : `guess-${i}`));
      const answers = await Promise.all(
        attempts.map((password) => api.gql(LOGIN, { input: { email: "auditor@demo.chartroom.test", password } })),
      );
      const wrong = answers.filter(({ data }) => data?.["login"].userErrors[0]?.code === "INVALID_CREDENTIALS");
      const signedIn = answers.filter(({ data }) => data?.["login"].token);
      const throttled = answers.filter((answer) => codes(answer)[0] === "RATE_LIMITED");
      expect(wrong.length + signedIn.length).toBeLessThanOrEqual(5);
      expect(throttled).toHaveLength(40 - wrong.length - signedIn.length);
      for (const answer of throttled) {
        expect(answer.errors).toEqual([
          expect.objectContaining({
            message: expect.stringMatching(/try again in 1 min\.$/),
            extensions: { code: "RATE_LIMITED", field: "email" },
          }),
        ]);
      }
    },
  );

  it("everything but login needs a token", async () => {
    const response = await api.gql(`{ encounters { totalCount } }`);
    expect(response.status).toBe(401);
    expect(codes(response)).toEqual(["UNAUTHENTICATED"]);
  });

  it("refuses an expired token, a token signed with another key, and an unsigned (alg: none) token", async () => {
    const token = await api.signIn("coder3@demo.chartroom.test");
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as {
      sub: string;
      org: string;
    };
    const expired = await new SignJWT({ org: claims.org })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(claims.sub)
      .setIssuer("chartroom")
      .setAudience("chartroom-api")
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(secret);
    const forged = await new SignJWT({ org: claims.org })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(claims.sub)
      .setIssuer("chartroom")
      .setAudience("chartroom-api")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("another-secret-of-at-least-32-characters!!"));
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const unsigned = `${header}.${token.split(".")[1]}.`;

    const expiredResponse = await api.gql(VIEWER, {}, expired);
    expect(expiredResponse.status).toBe(401);
    expect(expiredResponse.errors?.[0]?.message).toMatch(/expired/);
    for (const bad of [forged, unsigned, "not-a-jwt"]) {
      const response = await api.gql(VIEWER, {}, bad);
      expect(response.status).toBe(401);
      expect(codes(response)).toEqual(["UNAUTHENTICATED"]);
      expect(response.data ?? null).toBeNull();
    }
  });

  it("signs in even when a stale or invalid token is sent along, which every other field refuses", async () => {
    const stale = await api.signIn("coder3@demo.chartroom.test");
    const reactivate = await deactivateUser(api.database, "coder3@demo.chartroom.test");
    try {
      for (const header of [stale, "not-a-jwt"]) {
        const { status, data } = await api.gql(
          LOGIN,
          { input: { email: "coder1@demo.chartroom.test", password: DEFAULT_DEMO_PASSWORD } },
          header,
        );
        expect(status).toBe(200);
        expect(data?.["login"].token).toMatch(/^ey/);
      }
      const refused = await api.gql(VIEWER, {}, stale);
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0]?.message).toBe("The token names no active user.");
    } finally {
      await reactivate();
    }
  });

  it("graphql-ws refuses a connection without a valid token and serves one with it", async () => {
    const refused = await new Promise<number>((resolve) => {
      api
        .ws({ authorization: "Bearer not-a-token" })
        .on("closed", (event) => resolve((event as { code: number }).code));
    });
    expect(refused).toBe(4403);

    const token = await api.signIn("supervisor@demo.chartroom.test");
    const client = api.ws({ authorization: `Bearer ${token}` });
    const result = await new Promise<unknown>((resolve, reject) =>
      client.subscribe({ query: VIEWER }, { next: resolve, error: reject, complete: () => {} }),
    );
    expect(result).toMatchObject({ data: { viewer: { email: "supervisor@demo.chartroom.test" } } });
  });
});

describe("sign-in throttling", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ TRUST_PROXY: "loopback", LOGIN_ADDRESS_LIMIT: "4" });
  });
  afterAll(() => api.close());

  /** Signs in from `address`, as the proxy in front of the server (loopback, trusted here) reports it. */
  async function loginFrom(address: string, email: string, password: string) {
    const response = await fetch(api.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": address },
      body: JSON.stringify({ query: LOGIN, variables: { input: { email, password } } }),
    });
    return (await response.json()) as Pick<GraphQLResponse, "data" | "errors">;
  }
  const invalid = {
    data: {
      login: {
        token: null,
        user: null,
        userErrors: [{ code: "INVALID_CREDENTIALS", field: null, message: "E-mail or password is wrong." }],
      },
    },
  };
  /** Not the credentials' fault, so not a user error: a wait, on the e-mail (or, field null, on the address). */
  const waitsFor = (time: string, field: string | null = "email") => ({
    data: null,
    errors: [
      expect.objectContaining({
        message: expect.stringContaining(`try again in ${time}.`),
        extensions: { code: "RATE_LIMITED", ...(field ? { field } : {}) },
      }),
    ],
  });
  const tokenOf = (response: Pick<GraphQLResponse, "data">) => response.data?.["login"].token;
  /** The e-mail's wait runs out, as it would after the minutes the refusal named, which no story waits for. */
  const waitOut = (email: string) =>
    api.database.rows(sql`update login_failures set locked_until = now() where email = ${email}`);

  it("a named user's lockout is short, grows only with each further failure, ends at their next sign-in", async () => {
    const email = "biller1@demo.chartroom.test";
    // An attacker guesses from a different address each time: the per-address limit does not see them.
    let guess = 0;
    const guessFromAnywhere = () => loginFrom(`198.51.100.${++guess}`, email, `guess-${guess}`);
    for (let i = 0; i < 5; i++) expect(await guessFromAnywhere()).toEqual(invalid);

    // The owner's refused attempts check no password, so they are not charged to the owner's address (limit 4 here).
    const owner = () => loginFrom("192.0.2.10", email, DEFAULT_DEMO_PASSWORD);
    expect(await owner()).toEqual(waitsFor("1 min"));
    expect(await guessFromAnywhere()).toEqual(waitsFor("1 min"));

    // Each wait allows one more guess, and that guess's failure doubles the wait, up to 15 minutes.
    for (const wait of ["2 min", "4 min", "8 min", "15 min", "15 min"]) {
      await waitOut(email);
      expect(await guessFromAnywhere()).toEqual(invalid);
      expect(await owner()).toEqual(waitsFor(wait));
    }

    await waitOut(email);
    expect(tokenOf(await owner())).toMatch(/^ey/);
    // Signing in forgot the failures: the next four mistakes cost nothing.
    for (let i = 0; i < 4; i++) expect(await guessFromAnywhere()).toEqual(invalid);
    expect(tokenOf(await owner())).toMatch(/^ey/);
  });

  it("an address gets a few failures over all accounts; its sign-ins are free, others are unaffected", async () => {
    const address = "203.0.113.7";
    expect(tokenOf(await loginFrom(address, "coder1@demo.chartroom.test", DEFAULT_DEMO_PASSWORD))).toMatch(/^ey/);
    for (const email of [
      "coder2@demo.chartroom.test",
      "biller2@demo.chartroom.test",
      "admin@demo.chartroom.test",
      "nobody@demo.chartroom.test",
    ]) {
      expect(await loginFrom(address, email, "password1")).toEqual(invalid);
    }
    const refused = await loginFrom(address, "coder3@demo.chartroom.test", DEFAULT_DEMO_PASSWORD);
    expect(refused).toEqual(waitsFor("15 min", null));
    expect(refused.errors?.[0]?.message).toMatch(/network address/);

    expect(tokenOf(await loginFrom("203.0.113.8", "coder3@demo.chartroom.test", DEFAULT_DEMO_PASSWORD))).toMatch(/^ey/);
  });
});

describe("tokens from an external identity provider", () => {
  let jwks: Server;
  let api: TestApi;
  let idpKey: PrivateKey;
  let idp: Record<string, string>;
  const issuer = "https://idp.chartroom.test/";

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256", { extractable: true });
    idpKey = pair.privateKey;
    // No "alg" on the key, as many providers publish it: only Chartroom's allowlist limits the algorithm.
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "idp-key-1", use: "sig" };
    jwks = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    idp = {
      AUTH_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`,
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: "chartroom",
    };
    api = await startApi(idp);
  });
  afterAll(async () => {
    await api.close();
    jwks.close();
  });

  const idpToken = (email: string, key: PrivateKey, audience = "chartroom") =>
    new SignJWT({ email })
      .setProtectedHeader({ alg: "RS256", kid: "idp-key-1" })
      .setSubject("idp|42")
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime("10m")
      .sign(key);

  it("a user signs in at the identity provider and Chartroom knows them by e-mail", async () => {
    const response = await api.gql(VIEWER, {}, await idpToken("Coder2@demo.chartroom.test", idpKey));
    expect(response.data?.["viewer"]).toMatchObject({ email: "coder2@demo.chartroom.test", credentials: ["CPC"] });
  });

  it("refuses the provider's token for another audience, one signed by another key, or an unknown e-mail", async () => {
    const stranger = (await generateKeyPair("RS256")).privateKey;
    for (const token of [
      await idpToken("coder2@demo.chartroom.test", idpKey, "someone-else"),
      await idpToken("coder2@demo.chartroom.test", stranger),
      await idpToken("intruder@demo.chartroom.test", idpKey),
    ]) {
      const response = await api.gql(VIEWER, {}, token);
      expect(codes(response)).toEqual(["UNAUTHENTICATED"]);
    }
  });

  it("refuses a token without expiry, one signed by an algorithm not allowed, or an unverified e-mail", async () => {
    const claims = { email: "coder2@demo.chartroom.test" };
    // The provider's own key, used with RS384: asymmetric, but not on the allowlist.
    const sameKeyForRs384 = await importJWK(await exportJWK(idpKey), "RS384");
    const sign = (extra: object, alg = "RS256", expires: string | null = "10m") => {
      const jwt = new SignJWT({ ...claims, ...extra })
        .setProtectedHeader({ alg, kid: "idp-key-1" })
        .setSubject("idp|42")
        .setIssuer(issuer)
        .setAudience("chartroom");
      return (expires ? jwt.setExpirationTime(expires) : jwt).sign(alg === "RS384" ? sameKeyForRs384 : idpKey);
    };
    expect((await api.gql(VIEWER, {}, await sign({ email_verified: true }))).data?.["viewer"].email).toBe(
      "coder2@demo.chartroom.test",
    );

    for (const [what, token] of [
      ["no exp", await sign({}, "RS256", null)],
      ["RS384", await sign({}, "RS384")],
      ["email_verified: false", await sign({ email_verified: false })],
      ['email_verified: "false"', await sign({ email_verified: "false" })],
    ] as const) {
      const response = await api.gql(VIEWER, {}, token);
      expect(codes(response), what).toEqual(["UNAUTHENTICATED"]);
    }
  });

  it("in production with only an identity provider, turns password sign-in off, writes no signing secret", async () => {
    const production = await startApi({ ...idp, NODE_ENV: "production", AUTH_JWT_SECRET: "" });
    try {
      expect(production.config.auth.jwtSecret).toBeNull();
      expect(existsSync(join(production.config.dataDir, "jwt-secret"))).toBe(false);
      const login = await production.gql(LOGIN, {
        input: { email: "coder2@demo.chartroom.test", password: DEFAULT_DEMO_PASSWORD },
      });
      // No password can fix it: the server's setup refuses.
      expect(login.errors).toEqual([
        expect.objectContaining({
          message: "This server accepts only the identity provider's tokens: sign in there.",
          extensions: { code: "FORBIDDEN" },
        }),
      ]);
      const viewer = await production.gql(VIEWER, {}, await idpToken("coder2@demo.chartroom.test", idpKey));
      expect(viewer.data?.["viewer"].email).toBe("coder2@demo.chartroom.test");
      // A token signed with the secret of a development server means nothing here.
      expect(codes(await production.gql(VIEWER, {}, await api.signIn("coder2@demo.chartroom.test")))).toEqual([
        "UNAUTHENTICATED",
      ]);
    } finally {
      await production.close();
    }
  });
});
