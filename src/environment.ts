/*
 * What each environment variable may hold, checked once at start-up so that a bad value stops the
 * process with a line naming the variable. config.ts turns the checked values into the Config the
 * server reads.
 */
import proxyaddr from "proxy-addr";
import { z } from "zod";

/**
 * Every demo user's password unless CHARTROOM_DEMO_PASSWORD says otherwise
 * (README, tests and bench sign in with it).
 */
export const DEFAULT_DEMO_PASSWORD = "chartroom-demo";

const DURATION = /^(\d+)\s*([smhd])$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a duration such as 30m, 8h or 3600s; NaN for anything else. */
export function durationMs(text: string): number {
  const match = DURATION.exec(text.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : NaN;
}

const HOP_COUNT = /^\d+$/;

/**
 * Whose X-Forwarded-For to believe: nobody's (false), that many proxy hops,
 * or proxies at these addresses and subnets.
 */
export type TrustProxy = false | number | string[];

/** TRUST_PROXY as proxy-addr takes it: false, a hop count, or a list; 0 hops trusts nobody, like false. */
export function trustProxy(text: string | undefined): TrustProxy {
  if (text === undefined || text.trim() === "false") return false;
  if (HOP_COUNT.test(text.trim())) return Number(text) > 0 ? Number(text) : false;
  return text.split(",").map((entry) => entry.trim());
}

/** Whether proxy-addr takes every entry (an address, a subnet, or loopback, linklocal, uniquelocal). */
function isProxyList(text: string): boolean {
  const trust = trustProxy(text);
  if (!Array.isArray(trust)) return true;
  try {
    proxyaddr.compile(trust);
    return true;
  } catch {
    return false;
  }
}

/** Keys fetched over plain HTTP could be swapped on the way: only a local identity provider may serve them so. */
function isHttpsOrLoopback(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (
    url.protocol === "https:" ||
    (url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname))
  );
}

/** An origin as a browser sends it: scheme, host and port only. `*` is not one: every allowed site is named. */
function isOrigin(text: string): boolean {
  return URL.canParse(text) && ["http:", "https:"].includes(new URL(text).protocol) && new URL(text).origin === text;
}

/**
 * Failures on an e-mail are forgotten a day after the last one (or at a successful sign-in);
 * no wait may outlast that.
 */
export const ACCOUNT_FAILURES_KEPT_MS = UNIT_MS.d;

/** A whole number of at least `min`, as an environment variable. */
const count = (min: number, fallback: number) =>
  z.coerce
    .number(`must be a whole number of at least ${min}`)
    .int(`must be a whole number of at least ${min}`)
    .min(min, `must be at least ${min}`)
    .default(fallback);

/** An interchange id qualifier (ISA05/07): ZZ mutually defined unless the clearinghouse says otherwise. */
const x12Qualifier = z
  .string()
  .regex(/^[A-Z0-9]{2}$/, "must be two letters or digits, such as ZZ")
  .default("ZZ");
/** An interchange sender or receiver id (ISA06/08, GS02/03): what the clearinghouse assigned. */
const x12Id = (fallback: string) =>
  z
    .string()
    .regex(/^[A-Z0-9]{2,15}$/, "must be 2 to 15 capital letters or digits")
    .default(fallback);
/** A name in the 837P's 1000A/1000B loops; X12 separators (* : ^ ~) would corrupt an interchange. */
const x12Name = (fallback: string) =>
  z
    .string()
    .regex(/^[A-Z0-9 .,&'-]{1,60}$/, "must be 1 to 60 capital letters, digits, spaces or . , & ' -")
    .default(fallback);

/** Environment, parsed and validated once at start-up. */
export const environment = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    MIGRATION_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    CHARTROOM_DATA_DIR: z.string().min(1).default("./.chartroom"),
    CHARTROOM_CODESETS_DIR: z.string().min(1).optional(),
    AUTH_JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    AUTH_TOKEN_TTL: z
      .string()
      .regex(DURATION, "must be a duration such as 8h, 30m or 3600s")
      .refine((ttl) => durationMs(ttl) > 0, "must be longer than zero")
      .default("8h"),
    SHUTDOWN_DELAY: z.string().regex(DURATION, "must be a duration such as 0s, 5s or 1m").default("0s"),
    LEASE_SWEEP_SECONDS: z.coerce
      .number("must be a whole number of seconds")
      .int("must be a whole number of seconds")
      .min(0, "must be 0 (off) or more")
      .default(30),
    FOLLOW_UP_SWEEP_SECONDS: z.coerce
      .number("must be a whole number of seconds")
      .int("must be a whole number of seconds")
      .min(0, "must be 0 (off) or more")
      .default(300),
    AUTH_JWKS_URL: z.url().refine(isHttpsOrLoopback, "must be an https:// URL (http:// only for localhost)").optional(),
    AUTH_ISSUER: z.string().min(1).optional(),
    AUTH_AUDIENCE: z.string().min(1).optional(),
    CHARTROOM_SEED_DEMO: z.enum(["true", "false"], "must be true or false").optional(),
    GRAPHQL_INTROSPECTION: z.enum(["true", "false"], "must be true or false").optional(),
    GRAPHIQL: z.enum(["true", "false"], "must be true or false").default("true"),
    CORS_ORIGINS: z
      .string()
      .refine(
        (text) => text.split(",").every((entry) => isOrigin(entry.trim())),
        "must be origins such as http://localhost:5173,https://app.example.com " +
          "(scheme, host and port; no * and no path)",
      )
      .optional(),
    METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
    // What one request may ask of the server (README, "Security and limits").
    GRAPHQL_MAX_TOKENS: count(100, 2_000),
    GRAPHQL_MAX_ALIASES: count(1, 30),
    GRAPHQL_MAX_ROOT_FIELDS: count(1, 20),
    GRAPHQL_MAX_LIST_ITEMS: count(100, 10_000),
    // Six: what a browser sends to one origin at once over HTTP/1.1, so a screen loading its panels together
    // is not refused, while the pool (ten) keeps room for others.
    MAX_REQUESTS_PER_USER: count(1, 6),
    DB_STATEMENT_TIMEOUT: z
      .string()
      .regex(DURATION, "must be a duration such as 30s or 2m")
      .refine((timeout) => durationMs(timeout) > 0, "must be longer than zero")
      .default("30s"),
    CHARTROOM_DEMO_PASSWORD: z.string().min(8, "must be at least 8 characters").default(DEFAULT_DEMO_PASSWORD),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    EVENT_RETENTION: z
      .string()
      .regex(DURATION, "must be a duration such as 7d or 48h")
      .refine((retention) => durationMs(retention) >= 3_600_000, "must be at least 1h")
      .default("7d"),
    EVENT_POLL_INTERVAL: z
      .string()
      .regex(DURATION, "must be a duration such as 1s or 5s")
      .refine((interval) => durationMs(interval) > 0, "must be longer than zero")
      .default("1s"),
    LOGIN_ACCOUNT_LIMIT: count(1, 5),
    LOGIN_ACCOUNT_DELAY: z
      .string()
      .regex(DURATION, "must be a duration such as 30s or 1m")
      .refine((delay) => durationMs(delay) > 0, "must be longer than zero")
      .default("1m"),
    LOGIN_ACCOUNT_MAX_DELAY: z
      .string()
      .regex(DURATION, "must be a duration such as 15m or 1h")
      .refine((delay) => durationMs(delay) <= ACCOUNT_FAILURES_KEPT_MS, "must be at most 1d")
      .default("15m"),
    LOGIN_ADDRESS_LIMIT: count(1, 50),
    LOGIN_ADDRESS_WINDOW: z
      .string()
      .regex(DURATION, "must be a duration such as 15m or 1h")
      .refine((window) => durationMs(window) > 0, "must be longer than zero")
      .default("15m"),
    // Who Chartroom's 837P interchanges come from and go to (README, "Submitting claims").
    CHARTROOM_X12_USAGE: z.enum(["T", "P"], "must be T (test) or P (production)").default("T"),
    CHARTROOM_X12_SENDER_QUALIFIER: x12Qualifier,
    CHARTROOM_X12_SENDER_ID: x12Id("CHARTROOM"),
    CHARTROOM_X12_RECEIVER_QUALIFIER: x12Qualifier,
    CHARTROOM_X12_RECEIVER_ID: x12Id("CLEARINGHOUSE"),
    CHARTROOM_X12_RECEIVER_NAME: x12Name("DEMO CLEARINGHOUSE"),
    CHARTROOM_X12_SUBMITTER_NAME: x12Name("CHARTROOM BILLING"),
    CHARTROOM_X12_CONTACT_NAME: x12Name("EDI DESK"),
    CHARTROOM_X12_CONTACT_PHONE: z
      .string()
      .regex(/^\d{10}$/, "must be ten digits, such as 6145550100")
      .default("6145550100"),
    CHARTROOM_X12_CONTACT_EMAIL: z.email("must be an e-mail address").optional(),
    TRUST_PROXY: z
      .string()
      .refine(
        isProxyList,
        "must be false, a number of proxy hops, or proxy addresses and subnets such as loopback,10.0.0.0/8",
      )
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.MIGRATION_DATABASE_URL && !env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["MIGRATION_DATABASE_URL"],
        message: "is used only with DATABASE_URL (PGlite migrates itself)",
      });
    }
    if (durationMs(env.LOGIN_ACCOUNT_MAX_DELAY) < durationMs(env.LOGIN_ACCOUNT_DELAY)) {
      ctx.addIssue({
        code: "custom",
        path: ["LOGIN_ACCOUNT_MAX_DELAY"],
        message: "must be at least LOGIN_ACCOUNT_DELAY",
      });
    }
    if (env.AUTH_JWKS_URL && (!env.AUTH_ISSUER || !env.AUTH_AUDIENCE)) {
      const missing = env.AUTH_ISSUER ? "AUTH_AUDIENCE" : "AUTH_ISSUER";
      ctx.addIssue({ code: "custom", path: [missing], message: "is required when AUTH_JWKS_URL is set" });
    }
  });
