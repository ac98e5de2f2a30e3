/*
 * The server's configuration: the Config every command reads, built from the checked environment
 * (environment.ts), with the demo's defaults and the development signing secret.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { durationMs, environment, type TrustProxy, trustProxy } from "./environment.js";

/** Where a front-end's dev server (Vite) runs: `serve --demo` lets its pages call the API. */
export const DEMO_CORS_ORIGINS = ["http://localhost:5173"];

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  databaseUrl: string | undefined;
  /**
   * Where migrations run, as the tables' owner, when the server's DATABASE_URL is the least-privilege
   * chartroom_app.
   */
  migrationDatabaseUrl: string | undefined;
  dataDir: string;
  /**
   * Where the first start (and `import-codes` without options) reads the shipped code sets;
   * undefined: the repository's data/codesets.
   */
  codeSetsDir: string | undefined;
  auth: {
    /**
     * HS256 secret for tokens issued by `login`. Null for commands that do not serve, and in
     * production when only the identity provider's tokens are accepted (password sign-in is off).
     */
    jwtSecret: Uint8Array | null;
    /**
     * True when `jwtSecret` was generated (outside production, no AUTH_JWT_SECRET): on PostgreSQL
     * `serve` replaces it with the one kept in the database, so every instance of it agrees.
     */
    secretGenerated: boolean;
    tokenTtl: string;
    /** Set when tokens from an external identity provider are accepted too. */
    external: { jwksUrl: string; issuer: string; audience: string } | undefined;
  };
  /** How password sign-in is throttled (README, Security and limits). */
  loginLimits: LoginLimits;
  /** Whose X-Forwarded-For names the client address; false: the socket's peer is the client. */
  trustProxy: TrustProxy;
  logLevel: string;
  /** After SIGTERM, how long to keep serving while /readyz answers 503, before connections close. */
  shutdownDelayMs: number;
  /** How often `serve` returns expired leases to READY; 0 leaves it to the next claim. */
  leaseSweepMs: number;
  /** How often `serve` puts unpaid claims due for a follow-up into FOLLOW_UP; 0 turns it off. */
  followUpSweepMs: number;
  /**
   * Whether `serve` loads the demo data into an empty database: only when asked
   * (CHARTROOM_SEED_DEMO, or `serve --demo`).
   */
  seedDemoOnStart: boolean;
  /** Whether the schema may be introspected: only when asked (GRAPHQL_INTROSPECTION, or `serve --demo`). */
  introspection: boolean;
  /** Whether a browser opening the GraphQL URL gets GraphiQL (GRAPHIQL, default true). */
  graphiql: boolean;
  /**
   * Origins whose pages may call the API (CORS_ORIGINS, comma-separated): none unless set, and with
   * `serve --demo` DEMO_CORS_ORIGINS.
   */
  corsOrigins: string[];
  /** Bearer token /metrics requires (METRICS_TOKEN); null: /metrics is open. */
  metricsToken: string | null;
  /** What one request may ask of the server. */
  limits: Limits;
  /** How long one SQL statement of the API may run on PostgreSQL before it is cancelled. */
  statementTimeoutMs: number;
  /** Password the demo seed gives every demo user; nothing else reads it. */
  demoPassword: string;
  events: {
    /** How long events stay replayable with `after`. */
    retentionMs: number;
    /** How often each instance reads the outbox when nothing wakes it. */
    pollMs: number;
  };
  x12: X12Config;
}

/** The parties and usage of Chartroom's 837P interchanges; control numbers come from each organization's counters. */
export interface X12Config {
  /** ISA15: T test, P production. */
  usage: "T" | "P";
  sender: { qualifier: string; id: string };
  receiver: { qualifier: string; id: string; name: string };
  submitter: { name: string; contactName: string; phone: string; email: string | null };
}

export interface LoginLimits {
  /** Failed sign-ins in a row on one e-mail before each further attempt must wait. */
  accountLimit: number;
  /** The first wait; each further failure doubles it, up to accountMaxDelayMs. */
  accountDelayMs: number;
  accountMaxDelayMs: number;
  /** Failed sign-ins from one client address per window, whatever the e-mail. */
  addressLimit: number;
  addressWindowMs: number;
}

export interface Limits {
  /** Tokens a GraphQL document may hold; nesting is bounded too (MAX_NESTING), both before it is parsed. */
  maxTokens: number;
  /** Aliased fields in one operation. */
  maxAliases: number;
  /** Root fields (response keys) in one operation. */
  maxRootFields: number;
  /** List items one response may hold, summed over every list in it. */
  maxListItems: number;
  /** Operations one user may have running at once on this instance. */
  maxRequestsPerUser: number;
}

export class ConfigError extends Error {}

/**
 * Reads the environment once. A bad value throws a ConfigError whose message
 * is one line naming the variable, which `main` prints before exiting. Only `serve`
 * needs a signing secret: other commands (`migrate`, `seed`) pass `serving: false`
 * and neither require nor generate one. `demo` (`serve --demo`, what `npm start` runs) turns the
 * demo seed and introspection on, and allows DEMO_CORS_ORIGINS, unless the environment says otherwise;
 * without it all are off.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, { serving = true, demo = false } = {}): Config {
  // An empty variable means unset, as in most tools: `DATABASE_URL= npm start` uses PGlite.
  const parsed = environment.safeParse(Object.fromEntries(Object.entries(source).filter(([, value]) => value !== "")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    const value = source[name];
    const shown =
      value === undefined
        ? ""
        : ` (got ${JSON.stringify(/SECRET|PASSWORD/.test(name) ? "…" : redactCredentials(value))})`;
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}${shown}`);
  }
  const env = parsed.data;
  const dataDir = resolve(env.CHARTROOM_DATA_DIR);
  if (serving && env.NODE_ENV === "production" && !env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL) {
    throw new ConfigError(
      "Invalid configuration: AUTH_JWT_SECRET is required when NODE_ENV=production (or AUTH_JWKS_URL)",
    );
  }
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    migrationDatabaseUrl: env.MIGRATION_DATABASE_URL,
    dataDir,
    codeSetsDir: env.CHARTROOM_CODESETS_DIR === undefined ? undefined : resolve(env.CHARTROOM_CODESETS_DIR),
    auth: {
      jwtSecret: env.AUTH_JWT_SECRET
        ? new TextEncoder().encode(env.AUTH_JWT_SECRET)
        : serving && env.NODE_ENV !== "production"
          ? new TextEncoder().encode(developmentSecret(dataDir))
          : null,
      secretGenerated: !env.AUTH_JWT_SECRET && serving && env.NODE_ENV !== "production",
      tokenTtl: env.AUTH_TOKEN_TTL.replace(/\s+/g, ""),
      external: env.AUTH_JWKS_URL
        ? { jwksUrl: env.AUTH_JWKS_URL, issuer: env.AUTH_ISSUER!, audience: env.AUTH_AUDIENCE! }
        : undefined,
    },
    loginLimits: {
      accountLimit: env.LOGIN_ACCOUNT_LIMIT,
      accountDelayMs: durationMs(env.LOGIN_ACCOUNT_DELAY),
      accountMaxDelayMs: durationMs(env.LOGIN_ACCOUNT_MAX_DELAY),
      addressLimit: env.LOGIN_ADDRESS_LIMIT,
      addressWindowMs: durationMs(env.LOGIN_ADDRESS_WINDOW),
    },
    trustProxy: trustProxy(env.TRUST_PROXY),
    logLevel: env.LOG_LEVEL,
    shutdownDelayMs: durationMs(env.SHUTDOWN_DELAY),
    leaseSweepMs: env.LEASE_SWEEP_SECONDS * 1_000,
    followUpSweepMs: env.FOLLOW_UP_SWEEP_SECONDS * 1_000,
    seedDemoOnStart: env.CHARTROOM_SEED_DEMO ? env.CHARTROOM_SEED_DEMO === "true" : demo,
    introspection: env.GRAPHQL_INTROSPECTION ? env.GRAPHQL_INTROSPECTION === "true" : demo,
    graphiql: env.GRAPHIQL === "true",
    corsOrigins: env.CORS_ORIGINS
      ? env.CORS_ORIGINS.split(",").map((origin) => origin.trim())
      : demo
        ? DEMO_CORS_ORIGINS
        : [],
    metricsToken: env.METRICS_TOKEN ?? null,
    limits: {
      maxTokens: env.GRAPHQL_MAX_TOKENS,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxRootFields: env.GRAPHQL_MAX_ROOT_FIELDS,
      maxListItems: env.GRAPHQL_MAX_LIST_ITEMS,
      maxRequestsPerUser: env.MAX_REQUESTS_PER_USER,
    },
    statementTimeoutMs: durationMs(env.DB_STATEMENT_TIMEOUT),
    demoPassword: env.CHARTROOM_DEMO_PASSWORD,
    events: { retentionMs: durationMs(env.EVENT_RETENTION), pollMs: durationMs(env.EVENT_POLL_INTERVAL) },
    x12: {
      usage: env.CHARTROOM_X12_USAGE,
      sender: { qualifier: env.CHARTROOM_X12_SENDER_QUALIFIER, id: env.CHARTROOM_X12_SENDER_ID },
      receiver: {
        qualifier: env.CHARTROOM_X12_RECEIVER_QUALIFIER,
        id: env.CHARTROOM_X12_RECEIVER_ID,
        name: env.CHARTROOM_X12_RECEIVER_NAME,
      },
      submitter: {
        name: env.CHARTROOM_X12_SUBMITTER_NAME,
        contactName: env.CHARTROOM_X12_CONTACT_NAME,
        phone: env.CHARTROOM_X12_CONTACT_PHONE,
        email: env.CHARTROOM_X12_CONTACT_EMAIL ?? null,
      },
    },
  };
}

/** `postgres://user:password@host` shown as `postgres://user:…@host`, in a value that may not even parse as a URL. */
function redactCredentials(value: string): string {
  return value.replace(/(\/\/[^/@:\s]*:)[^\s]*@/, "$1…@");
}

/** Outside production the signing secret is generated once and kept in the data dir, so tokens survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, "jwt-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
