import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

const dataDir = () => mkdtempSync(join(tmpdir(), "chartroom-config-"));

describe("configuration", () => {
  it("names the variable of a bad value in one line", () => {
    expect(() => loadConfig({ PORT: "eighty", CHARTROOM_DATA_DIR: dataDir() })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: "eighty", CHARTROOM_DATA_DIR: dataDir() })).toThrow(
      /^Invalid configuration: PORT .*"eighty"/,
    );
    expect(() => loadConfig({ DATABASE_URL: "mysql://x", CHARTROOM_DATA_DIR: dataDir() })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ LOG_LEVEL: "loud", CHARTROOM_DATA_DIR: dataDir() })).toThrow(/LOG_LEVEL/);
  });

  it("takes MIGRATION_DATABASE_URL only beside DATABASE_URL, and never echoes its password", () => {
    const owner = "postgres://owner:hunter2@db.internal/chartroom";
    const config = loadConfig({
      DATABASE_URL: "postgres://chartroom_app@db.internal/chartroom",
      MIGRATION_DATABASE_URL: owner,
      CHARTROOM_DATA_DIR: dataDir(),
    });
    expect(config.migrationDatabaseUrl).toBe(owner);
    expect(() => loadConfig({ MIGRATION_DATABASE_URL: owner, CHARTROOM_DATA_DIR: dataDir() })).toThrow(
      /^Invalid configuration: MIGRATION_DATABASE_URL is used only with DATABASE_URL/,
    );
    expect(() => loadConfig({ MIGRATION_DATABASE_URL: owner, CHARTROOM_DATA_DIR: dataDir() })).not.toThrow(/hunter2/);
  });

  it("requires AUTH_JWT_SECRET in production, and never echoes a secret", () => {
    expect(() => loadConfig({ NODE_ENV: "production", CHARTROOM_DATA_DIR: dataDir() })).toThrow(
      /AUTH_JWT_SECRET is required/,
    );
    expect(() => loadConfig({ AUTH_JWT_SECRET: "short-secret", CHARTROOM_DATA_DIR: dataDir() })).toThrow(
      /AUTH_JWT_SECRET must be at least 32 characters \(got "…"\)/,
    );
  });

  it("takes the JWKS only over https, or plain http from this machine", () => {
    const idp = (url: string) => () =>
      loadConfig({
        AUTH_JWKS_URL: url,
        AUTH_ISSUER: "https://idp.example/",
        AUTH_AUDIENCE: "chartroom",
        CHARTROOM_DATA_DIR: dataDir(),
      });
    expect(idp("http://idp.example/jwks")).toThrow(/^Invalid configuration: AUTH_JWKS_URL must be an https:\/\/ URL/);
    expect(idp("ftp://idp.example/jwks")).toThrow(/AUTH_JWKS_URL/);
    expect(idp("not a url")).toThrow(/^Invalid configuration: AUTH_JWKS_URL/);
    for (const url of [
      "https://idp.example/jwks",
      "http://localhost:8080/jwks",
      "http://127.0.0.1:8080/jwks",
      "http://[::1]:8080/jwks",
    ]) {
      expect(idp(url)().auth.external?.jwksUrl).toBe(url);
    }
  });

  it("requires issuer and audience with a JWKS URL", () => {
    expect(() =>
      loadConfig({
        AUTH_JWKS_URL: "https://idp.example/jwks",
        AUTH_ISSUER: "https://idp.example/",
        CHARTROOM_DATA_DIR: dataDir(),
      }),
    ).toThrow(/AUTH_AUDIENCE is required/);
  });

  it("generates a development signing secret once and keeps it in the data dir", () => {
    const dir = dataDir();
    const first = loadConfig({ CHARTROOM_DATA_DIR: dir });
    const second = loadConfig({ CHARTROOM_DATA_DIR: dir });
    expect(Buffer.from(first.auth.jwtSecret!).toString()).toBe(readFileSync(join(dir, "jwt-secret"), "utf8").trim());
    expect(second.auth.jwtSecret).toEqual(first.auth.jwtSecret);
    expect(first.port).toBe(4000);
  });

  it("never echoes the password of a database URL", () => {
    for (const url of [
      "mysql://admin:hunter2@db.internal/chartroom",
      "postgres//admin:hunter2@db.internal:5432/chartroom",
    ]) {
      const attempt = () => loadConfig({ DATABASE_URL: url, CHARTROOM_DATA_DIR: dataDir() });
      expect(attempt).toThrow(/^Invalid configuration: DATABASE_URL .*admin:…@db\.internal/);
      expect(attempt).not.toThrow(/hunter2/);
    }
    expect(() => loadConfig({ CHARTROOM_DEMO_PASSWORD: "short", CHARTROOM_DATA_DIR: dataDir() })).toThrow(
      /\(got "…"\)/,
    );
  });

  it("reads the sign-in limits and refuses ones that cannot work", () => {
    expect(loadConfig({ CHARTROOM_DATA_DIR: dataDir() }).loginLimits).toEqual({
      accountLimit: 5,
      accountDelayMs: 60_000,
      accountMaxDelayMs: 900_000,
      addressLimit: 50,
      addressWindowMs: 900_000,
    });
    expect(() => loadConfig({ LOGIN_ADDRESS_LIMIT: "0", CHARTROOM_DATA_DIR: dataDir() })).toThrow(
      /LOGIN_ADDRESS_LIMIT must be at least 1/,
    );
    expect(() => loadConfig({ LOGIN_ACCOUNT_DELAY: "0s", CHARTROOM_DATA_DIR: dataDir() })).toThrow(
      /LOGIN_ACCOUNT_DELAY must be longer than zero/,
    );
    expect(() =>
      loadConfig({ LOGIN_ACCOUNT_DELAY: "5m", LOGIN_ACCOUNT_MAX_DELAY: "1m", CHARTROOM_DATA_DIR: dataDir() }),
    ).toThrow(/LOGIN_ACCOUNT_MAX_DELAY must be at least LOGIN_ACCOUNT_DELAY/);
    expect(() => loadConfig({ LOGIN_ACCOUNT_MAX_DELAY: "2d", CHARTROOM_DATA_DIR: dataDir() })).toThrow(
      /LOGIN_ACCOUNT_MAX_DELAY must be at most 1d/,
    );
  });

  it("refuses a token lifetime of zero or less, and reads the shutdown delay", () => {
    for (const ttl of ["0s", "0h", "-1h", "-30m"]) {
      expect(() => loadConfig({ AUTH_TOKEN_TTL: ttl, CHARTROOM_DATA_DIR: dataDir() }), ttl).toThrow(
        /^Invalid configuration: AUTH_TOKEN_TTL/,
      );
    }
    expect(loadConfig({ AUTH_TOKEN_TTL: "1s", CHARTROOM_DATA_DIR: dataDir() }).auth.tokenTtl).toBe("1s");
    expect(loadConfig({ SHUTDOWN_DELAY: "5s", CHARTROOM_DATA_DIR: dataDir() }).shutdownDelayMs).toBe(5_000);
    expect(loadConfig({ CHARTROOM_DATA_DIR: dataDir() }).shutdownDelayMs).toBe(0);
    expect(() => loadConfig({ SHUTDOWN_DELAY: "soon", CHARTROOM_DATA_DIR: dataDir() })).toThrow(/SHUTDOWN_DELAY/);
  });

  it("sweeps leases every 30 seconds unless LEASE_SWEEP_SECONDS says otherwise; 0 turns the sweep off", () => {
    expect(loadConfig({ CHARTROOM_DATA_DIR: dataDir() }).leaseSweepMs).toBe(30_000);
    expect(loadConfig({ LEASE_SWEEP_SECONDS: "5", CHARTROOM_DATA_DIR: dataDir() }).leaseSweepMs).toBe(5_000);
    expect(loadConfig({ LEASE_SWEEP_SECONDS: "0", CHARTROOM_DATA_DIR: dataDir() }).leaseSweepMs).toBe(0);
    for (const value of ["-1", "1.5", "often"]) {
      expect(() => loadConfig({ LEASE_SWEEP_SECONDS: value, CHARTROOM_DATA_DIR: dataDir() }), value).toThrow(
        /^Invalid configuration: LEASE_SWEEP_SECONDS/,
      );
    }
  });

  it("keeps events 7 days and reads the outbox every second unless told otherwise; under an hour is refused", () => {
    expect(loadConfig({ CHARTROOM_DATA_DIR: dataDir() }).events).toEqual({
      retentionMs: 7 * 86_400_000,
      pollMs: 1_000,
    });
    expect(
      loadConfig({ EVENT_RETENTION: "48h", EVENT_POLL_INTERVAL: "5s", CHARTROOM_DATA_DIR: dataDir() }).events,
    ).toEqual({ retentionMs: 48 * 3_600_000, pollMs: 5_000 });
    for (const [name, value] of [
      ["EVENT_RETENTION", "30m"],
      ["EVENT_RETENTION", "a week"],
      ["EVENT_POLL_INTERVAL", "0s"],
    ] as const) {
      expect(() => loadConfig({ [name]: value, CHARTROOM_DATA_DIR: dataDir() }), value).toThrow(
        new RegExp(`^Invalid configuration: ${name}`),
      );
    }
  });

  it("writes no signing secret for commands that do not serve, nor in production with only an IdP", () => {
    const dir = dataDir();
    expect(loadConfig({ CHARTROOM_DATA_DIR: dir }, { serving: false }).auth.jwtSecret).toBeNull();
    expect(
      loadConfig({ NODE_ENV: "production", CHARTROOM_DATA_DIR: dir }, { serving: false }).auth.jwtSecret,
    ).toBeNull();
    const idpOnly = loadConfig({
      NODE_ENV: "production",
      CHARTROOM_DATA_DIR: dir,
      AUTH_JWKS_URL: "https://idp.example/jwks",
      AUTH_ISSUER: "https://idp.example/",
      AUTH_AUDIENCE: "chartroom",
    });
    expect(idpOnly.auth.jwtSecret).toBeNull();
    expect(existsSync(join(dir, "jwt-secret"))).toBe(false);
  });

  it("seeds the demo, allows introspection only when asked (CHARTROOM_SEED_DEMO, GRAPHQL_INTROSPECTION)", () => {
    const bare = loadConfig({ CHARTROOM_DATA_DIR: dataDir() });
    expect([bare.seedDemoOnStart, bare.introspection]).toEqual([false, false]);
    const demo = loadConfig({ CHARTROOM_DATA_DIR: dataDir() }, { demo: true });
    expect([demo.seedDemoOnStart, demo.introspection]).toEqual([true, true]);
    const production = { NODE_ENV: "production", AUTH_JWT_SECRET: "x".repeat(32), CHARTROOM_DATA_DIR: dataDir() };
    expect(loadConfig(production).seedDemoOnStart).toBe(false);
    expect(loadConfig({ ...production, CHARTROOM_SEED_DEMO: "true", GRAPHQL_INTROSPECTION: "true" })).toMatchObject({
      seedDemoOnStart: true,
      introspection: true,
    });
    expect(
      loadConfig(
        { CHARTROOM_SEED_DEMO: "false", GRAPHQL_INTROSPECTION: "false", CHARTROOM_DATA_DIR: dataDir() },
        { demo: true },
      ),
    ).toMatchObject({
      seedDemoOnStart: false,
      introspection: false,
    });
    expect(() => loadConfig({ CHARTROOM_SEED_DEMO: "yes", CHARTROOM_DATA_DIR: dataDir() })).toThrow(
      /CHARTROOM_SEED_DEMO must be true or false/,
    );
    expect(() => loadConfig({ GRAPHQL_INTROSPECTION: "on", CHARTROOM_DATA_DIR: dataDir() })).toThrow(
      /GRAPHQL_INTROSPECTION must be true or false/,
    );
  });

  it("lets pages from CORS_ORIGINS call the API: none unless set, the Vite dev server with `serve --demo`", () => {
    expect(loadConfig({ CHARTROOM_DATA_DIR: dataDir() }).corsOrigins).toEqual([]);
    expect(loadConfig({ CHARTROOM_DATA_DIR: dataDir() }, { demo: true }).corsOrigins).toEqual([
      "http://localhost:5173",
    ]);
    const set = loadConfig({
      CORS_ORIGINS: "https://coder.example.com, http://localhost:3000",
      CHARTROOM_DATA_DIR: dataDir(),
    });
    expect(set.corsOrigins).toEqual(["https://coder.example.com", "http://localhost:3000"]);
    for (const refused of ["*", "https://coder.example.com/", "coder.example.com", "https://coder.example.com/app"]) {
      expect(() => loadConfig({ CORS_ORIGINS: refused, CHARTROOM_DATA_DIR: dataDir() })).toThrow(
        /CORS_ORIGINS must be origins such as http:\/\/localhost:5173/,
      );
    }
  });

  it("serves GraphiQL unless GRAPHIQL=false", () => {
    expect(loadConfig({ CHARTROOM_DATA_DIR: dataDir() }).graphiql).toBe(true);
    expect(loadConfig({ GRAPHIQL: "false", CHARTROOM_DATA_DIR: dataDir() }).graphiql).toBe(false);
    expect(() => loadConfig({ GRAPHIQL: "off", CHARTROOM_DATA_DIR: dataDir() })).toThrow(
      /GRAPHIQL must be true or false/,
    );
  });

  it("takes the request limits from the environment, with defaults", () => {
    expect(loadConfig({ CHARTROOM_DATA_DIR: dataDir() })).toMatchObject({
      limits: { maxTokens: 2_000, maxAliases: 30, maxRootFields: 20, maxListItems: 10_000, maxRequestsPerUser: 6 },
      statementTimeoutMs: 30_000,
    });
    const set = loadConfig({
      GRAPHQL_MAX_TOKENS: "5000",
      GRAPHQL_MAX_ALIASES: "10",
      GRAPHQL_MAX_ROOT_FIELDS: "5",
      GRAPHQL_MAX_LIST_ITEMS: "50000",
      MAX_REQUESTS_PER_USER: "8",
      DB_STATEMENT_TIMEOUT: "2m",
      CHARTROOM_DATA_DIR: dataDir(),
    });
    expect(set).toMatchObject({
      limits: { maxTokens: 5_000, maxAliases: 10, maxRootFields: 5, maxListItems: 50_000, maxRequestsPerUser: 8 },
      statementTimeoutMs: 120_000,
    });
    expect(() => loadConfig({ MAX_REQUESTS_PER_USER: "0", CHARTROOM_DATA_DIR: dataDir() })).toThrow(
      /^Invalid configuration: MAX_REQUESTS_PER_USER must be at least 1/,
    );
    expect(() => loadConfig({ GRAPHQL_MAX_TOKENS: "lots", CHARTROOM_DATA_DIR: dataDir() })).toThrow(
      /GRAPHQL_MAX_TOKENS must be a whole number/,
    );
    expect(() => loadConfig({ DB_STATEMENT_TIMEOUT: "0s", CHARTROOM_DATA_DIR: dataDir() })).toThrow(
      /DB_STATEMENT_TIMEOUT/,
    );
  });
});
