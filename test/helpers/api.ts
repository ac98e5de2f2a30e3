import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "graphql-ws";
import { inject } from "vitest";
import WebSocket from "ws";
import { type Config, loadConfig } from "../../src/config.js";
import { DEFAULT_DEMO_PASSWORD } from "../../src/environment.js";
import { createLogger } from "../../src/logger.js";
import { type RunningServer, startServer } from "../../src/server.js";
import { parseGlobalId } from "../../src/shared/ids.js";
import { cloneTemplate, type TestDatabase } from "./template.js";

/** The row id inside a global id, to look at the tables behind the API. */
export const rowIdOf = (globalId: string): string => parseGlobalId(globalId)!.uuid;

export const TEST_JWT_SECRET = "test-secret-that-is-at-least-32-characters-long";

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data: T | null | undefined;
  errors:
    | { message: string; extensions?: { code?: string; [key: string]: unknown }; path?: (string | number)[] }[]
    | undefined;
}

/** A statement the server sent to the database, as Drizzle logged it. */
export interface SentStatement {
  text: string;
  params: unknown[];
}

export interface TestApi {
  url: string;
  server: RunningServer;
  config: Config;
  database: TestDatabase;
  /** POSTs a GraphQL operation, signed in with `token` when given. */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<T>>;
  /**
   * Signs a user in with the demo users' password: its token, or the tokens of `sessions` separate
   * sign-ins. One after the other: the sign-in throttle refuses more attempts at once on one e-mail
   * than it has free failures, right password or not (README, "Sign-in").
   */
  signIn(email: string): Promise<string>;
  signIn(email: string, sessions: number): Promise<string[]>;
  /** A graphql-ws client with the given connection_init payload. */
  ws(connectionParams: Record<string, unknown>): Client;
  /** The server's log lines so far, parsed (none unless LOG_LEVEL is set). */
  logs(): Record<string, any>[];
  /** SQL statements Drizzle sent while `fn` ran. */
  countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }>;
  /** The statements themselves, with their parameters, that Drizzle sent while `fn` ran. */
  statementsSent<T>(fn: () => Promise<T>): Promise<{ result: T; statements: SentStatement[] }>;
  /**
   * The fewest statements of three runs of a request that changes nothing: the server's background
   * reads (the event feed's poll) can fall into one run on a busy machine, hardly into all three.
   */
  fewestStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }>;
  close(): Promise<void>;
}

/** A Chartroom server on a free port over a fresh clone of the seeded template database. */
export async function startApi(environment: Record<string, string> = {}): Promise<TestApi> {
  let statements = 0;
  /** Filled only while statementsSent runs. */
  let sent: SentStatement[] | null = null;
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    CHARTROOM_DATA_DIR: mkdtempSync(join(tmpdir(), "chartroom-test-")),
    LOG_LEVEL: "silent",
    // Leases expire at the next claim; a story about the sweep turns it on.
    LEASE_SWEEP_SECONDS: "0",
    ...environment,
  });
  // The pool as `serve` opens it for the API.
  const database = await cloneTemplate(inject("database"), {
    onQuery: (text, params) => {
      statements++;
      sent?.push({ text, params });
    },
    statementTimeoutMs: config.statementTimeoutMs,
  });
  const logLines: string[] = [];
  const log = createLogger(config.logLevel, { write: (line: string) => void logLines.push(line) });
  const server = await startServer({ config, database, log });
  const clients: Client[] = [];

  const api: TestApi = {
    url: server.url,
    server,
    config,
    database,
    async gql(query, variables, token) {
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: GraphQLResponse["errors"] };
      return { status: response.status, data: body.data, errors: body.errors };
    },
    signIn: (async (email: string, sessions?: number) => {
      const tokens: string[] = [];
      for (let i = 0; i < (sessions ?? 1); i++) {
        const { data } = await api.gql(
          `mutation ($input: LoginInput!) { login(input: $input) { token userErrors { code } } }`,
          { input: { email, password: DEFAULT_DEMO_PASSWORD } },
        );
        const token = data?.["login"]?.token as string | undefined;
        if (!token) throw new Error(`sign-in of ${email} failed: ${JSON.stringify(data)}`);
        tokens.push(token);
      }
      return sessions === undefined ? tokens[0] : tokens;
    }) as TestApi["signIn"],
    ws(connectionParams) {
      const client = createClient({
        url: server.url.replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        connectionParams,
        retryAttempts: 0,
        lazy: false,
        // Tests watch the "closed" event themselves; the default would print the refusal to stderr.
        onNonLazyError: () => {},
      });
      clients.push(client);
      return client;
    },
    logs: () => logLines.map((line) => JSON.parse(line) as Record<string, any>),
    async countStatements(fn) {
      const before = statements;
      const result = await fn();
      return { result, statements: statements - before };
    },
    async statementsSent(fn) {
      sent = [];
      try {
        const result = await fn();
        return { result, statements: sent };
      } finally {
        sent = null;
      }
    },
    async fewestStatements(fn) {
      const runs = [await api.countStatements(fn), await api.countStatements(fn), await api.countStatements(fn)];
      return runs.reduce((fewest, run) => (run.statements < fewest.statements ? run : fewest));
    },
    async close() {
      await Promise.all(clients.map((client) => client.dispose()));
      await server.stop();
      await database.close();
    },
  };
  return api;
}

/**
 * Runs one query or mutation over a graphql-ws client: its result, or its errors when the server
 * refused the operation.
 */
export function wsExecute<T = Record<string, any>>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
  operationName?: string,
): Promise<Omit<GraphQLResponse<T>, "status">> {
  return new Promise((resolve, reject) => {
    let result: Omit<GraphQLResponse<T>, "status"> = { data: undefined, errors: undefined };
    client.subscribe<T>(
      { query, variables, ...(operationName ? { operationName } : {}) },
      {
        next: (value) => (result = { data: value.data, errors: value.errors as GraphQLResponse["errors"] }),
        error: (error) => (Array.isArray(error) ? resolve({ data: undefined, errors: error }) : reject(error)),
        complete: () => resolve(result),
      },
    );
  });
}

/** The `extensions.code` of each error, for compact assertions. */
export const codes = (response: Pick<GraphQLResponse, "errors">) =>
  (response.errors ?? []).map((e) => e.extensions?.code);

/** A running subscription: what it has received so far, and ways to wait for more. */
export interface LiveSubscription<T = Record<string, any>> {
  /** Each result's `data`, in arrival order. */
  received: T[];
  /** Resolves with the first `count` results once that many arrived; rejects after `timeoutMs` naming how many did. */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  /** Resolves with the errors the server ended the subscription with. */
  failure(timeoutMs?: number): Promise<GraphQLResponse["errors"]>;
  stop(): void;
}

/** Starts a subscription on a graphql-ws client and collects what it delivers. */
export function subscribe<T = Record<string, any>>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): LiveSubscription<T> {
  const received: T[] = [];
  let errors: GraphQLResponse["errors"] | undefined;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const wake of waiters) wake();
  };
  const until = (ready: () => boolean, timeoutMs: number, what: () => string) =>
    new Promise<void>((resolve, reject) => {
      if (ready()) return resolve();
      const check = () => {
        if (!ready()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(what()));
      }, timeoutMs);
      waiters.add(check);
    });
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) errors = value.errors as GraphQLResponse["errors"];
        else received.push(value.data as T);
        notify();
      },
      error: (error) => {
        errors = Array.isArray(error) ? error : [{ message: String((error as { reason?: string }).reason ?? error) }];
        notify();
      },
      complete: notify,
    },
  );
  return {
    received,
    async waitFor(count, timeoutMs = 10_000) {
      await until(
        () => received.length >= count || errors !== undefined,
        timeoutMs,
        () => `expected ${count} results, got ${received.length}: ${JSON.stringify(received).slice(0, 2000)}`,
      );
      if (received.length < count)
        throw new Error(`subscription failed after ${received.length} results: ${JSON.stringify(errors)}`);
      return received.slice(0, count);
    },
    async failure(timeoutMs = 10_000) {
      await until(
        () => errors !== undefined,
        timeoutMs,
        () => `the subscription did not fail; it received ${received.length} results`,
      );
      return errors;
    },
    stop,
  };
}
