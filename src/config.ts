import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";

/** Environment, parsed and validated once at start-up. */
const environment = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    CHARTROOM_DATA_DIR: z.string().min(1).default("./.chartroom"),
    AUTH_JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    AUTH_TOKEN_TTL: z
      .string()
      .regex(/^\d+\s*[smhd]$/, "must be a duration such as 8h, 30m or 3600s")
      .default("8h"),
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_ISSUER: z.string().min(1).optional(),
    AUTH_AUDIENCE: z.string().min(1).optional(),
    CHARTROOM_DEMO_PASSWORD: z.string().min(8, "must be at least 8 characters").default("chartroom-demo"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL) {
      ctx.addIssue({ code: "custom", path: ["AUTH_JWT_SECRET"], message: "is required when NODE_ENV=production" });
    }
    if (env.AUTH_JWKS_URL && (!env.AUTH_ISSUER || !env.AUTH_AUDIENCE)) {
      const missing = env.AUTH_ISSUER ? "AUTH_AUDIENCE" : "AUTH_ISSUER";
      ctx.addIssue({ code: "custom", path: [missing], message: "is required when AUTH_JWKS_URL is set" });
    }
  });

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  auth: {
    /** HS256 secret for tokens issued by `login`. */
    jwtSecret: Uint8Array;
    tokenTtl: string;
    /** Set when tokens from an external identity provider are accepted too. */
    external: { jwksUrl: string; issuer: string; audience: string } | undefined;
  };
  logLevel: string;
  /** Password the demo seed gives every demo user; nothing else reads it. */
  demoPassword: string;
}

export class ConfigError extends Error {}

/**
 * Reads the environment once. A bad value throws a ConfigError whose message
 * is one line naming the variable, which `main` prints before exiting.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means unset, as in most tools: `DATABASE_URL= npm start` uses PGlite.
  const parsed = environment.safeParse(Object.fromEntries(Object.entries(source).filter(([, value]) => value !== "")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    const value = source[name];
    const shown = value === undefined ? "" : ` (got ${JSON.stringify(name.includes("SECRET") ? "…" : value)})`;
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}${shown}`);
  }
  const env = parsed.data;
  const dataDir = resolve(env.CHARTROOM_DATA_DIR);
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    dataDir,
    auth: {
      jwtSecret: new TextEncoder().encode(env.AUTH_JWT_SECRET ?? developmentSecret(dataDir)),
      tokenTtl: env.AUTH_TOKEN_TTL.replace(/\s+/g, ""),
      external: env.AUTH_JWKS_URL
        ? { jwksUrl: env.AUTH_JWKS_URL, issuer: env.AUTH_ISSUER!, audience: env.AUTH_AUDIENCE! }
        : undefined,
    },
    logLevel: env.LOG_LEVEL,
    demoPassword: env.CHARTROOM_DEMO_PASSWORD,
  };
}

/** Outside production the signing secret is generated once and kept in the data dir, so tokens survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, "jwt-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
