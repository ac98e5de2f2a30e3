import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { ApolloServer, HeaderMap } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import { clientAddressOf } from "./client-address.js";
import type { Config } from "./config.js";
import type { RequestContext, Services } from "./context.js";
import type { DatabaseHandle } from "./db/client.js";
import { maskUnexpected } from "./graphql/errors.js";
import { InFlightLimit, rateLimited } from "./graphql/in-flight.js";
import { documentTooLarge, limitRules } from "./graphql/limits.js";
import { auditPhiReads, operationLimits, requestLog, responseBudget } from "./graphql/plugins.js";
import { serveGraphqlWs } from "./graphql/websocket.js";
import { graphqlError, MAX_BODY_BYTES, parseBody, readBody, sendJson } from "./http/body.js";
import { corsPolicy } from "./http/cors.js";
import { serveFile } from "./http/files.js";
import { Graphiql } from "./http/graphiql.js";
import { Metrics } from "./http/metrics.js";
import { ActorCache } from "./modules/auth/actor-cache.js";
import { bearerToken, TokenService } from "./modules/auth/tokens.js";
import { CodeSetCache, codeSetImports } from "./modules/codesets/index.js";
import { EventFeed } from "./modules/events/event.feed.js";
import { newestEventId } from "./modules/events/index.js";
import { sweepFollowUps } from "./modules/follow-ups/index.js";
import { sweepExpiredLeases } from "./modules/work/index.js";
import { createContext } from "./request.js";
import { chartroomSchema } from "./schema.js";
import { startPeriodicJob } from "./shared/periodic-job.js";

const GRAPHQL_PATH = "/graphql";
/**
 * How long a caller's user row is trusted without reading it again, should the announcement of a
 * change to it be missed (see ActorCache).
 */
const ACTOR_RECHECK_MS = 1_000;

/**
 * Sent with every HTTP response: the API serves JSON only, so a browser may run, frame or sniff
 * nothing from it, nor cache a GraphQL answer (it may hold PHI). HSTS is added behind TLS. GraphiQL's
 * page and bundles replace the Content-Security-Policy with one that lets them run.
 */
const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
  "cache-control": "no-store",
} as const;
const SECURITY_HEADER_ENTRIES = Object.entries(SECURITY_HEADERS);
const HSTS = "max-age=31536000; includeSubDomains";

export interface RunningServer {
  url: string;
  port: number;
  /** What each request's context is made from: service-level callers (tests, benchmarks) build contexts from it. */
  services: Services;
  /**
   * Answers /readyz with 503 at once, stops the lease sweep, and keeps serving for the configured
   * shutdown delay (so a load balancer stops routing here first), then stops accepting, finishes
   * in-flight requests and closes sockets. The database stays open: its owner closes it.
   */
  stop(): Promise<void>;
}

/** Starts GraphQL over HTTP and WebSocket, the file routes and the periodic sweeps; `stop` drains them in order. */
export async function startServer(options: {
  config: Config;
  database: DatabaseHandle;
  log: Logger;
}): Promise<RunningServer> {
  const { config, database, log } = options;
  const schema = await chartroomSchema();
  const tokens = new TokenService(config.auth);
  const httpServer = createServer();
  /** Set once stopping begins: from then on the instance is not ready for new work. */
  let draining = false;

  const actors = new ActorCache(database, tokens, ACTOR_RECHECK_MS);
  await actors.start();
  const codeSets = new CodeSetCache(database);
  await codeSets.start();
  const events = new EventFeed(database, { ...config.events, log, onDispatch: (event) => metrics.onDispatch(event) });
  const metrics = new Metrics(database.db, events, () => newestEventId(database.db));
  events.start();
  const services: Services = {
    db: database.db,
    log,
    tokens,
    actors,
    events,
    loginLimits: config.loginLimits,
    clientAddressOf: clientAddressOf(config.trustProxy),
    limits: config.limits,
    inFlight: new InFlightLimit(tokens, config.limits.maxRequestsPerUser),
    x12: config.x12,
    metrics,
    codeSetImports: codeSetImports(config, database.db),
    codeSets,
  };
  const validationRules = limitRules(config.limits);
  const cors = corsPolicy(config.corsOrigins);
  const graphiql = config.graphiql ? new Graphiql(config.dataDir, log) : null;
  const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH, maxPayload: MAX_BODY_BYTES });
  const wsCleanup = serveGraphqlWs(wsServer, schema, services, validationRules);

  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: config.introspection,
    validationRules,
    includeStacktraceInErrorResponses: false,
    // `serve` owns SIGTERM and SIGINT: it stops the server, then closes the database. Apollo's own
    // handlers (on unless NODE_ENV=test) would stop it and re-raise the signal, killing the process
    // before the database is closed.
    stopOnTerminationSignals: false,
    formatError: maskUnexpected,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: 10_000 }),
      // Apollo's own landing page loads its IDE from a CDN; browsers get GraphiQL (GRAPHIQL) instead.
      ApolloServerPluginLandingPageDisabled(),
      // No response is cached by HTTP caches (answers are per user and often PHI), and Apollo's default
      // cache-control plugin would otherwise wrap every field's resolver to compute hints nobody reads.
      ApolloServerPluginCacheControlDisabled(),
      {
        serverWillStart: async () => ({
          drainServer: async () => {
            await wsCleanup.dispose();
          },
        }),
      },
      operationLimits(schema),
      responseBudget,
      auditPhiReads,
      requestLog,
      metrics.plugin(),
    ],
  });
  await apollo.start();

  httpServer.on("request", (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of SECURITY_HEADER_ENTRIES) res.setHeader(name, value);
    if (req.headers["x-forwarded-proto"] === "https") res.setHeader("strict-transport-security", HSTS);
    route(req, res).catch((error: unknown) => {
      log.error({ err: error }, "request failed");
      if (!res.headersSent) sendJson(res, 500, graphqlError("Internal server error", "INTERNAL_SERVER_ERROR"));
      else res.end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (cors(req, res)) return;
    if (await graphiql?.handle(req, res, url, GRAPHQL_PATH)) return;
    if (url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (url.pathname === "/metrics") return metrics.serve(req, res, config.metricsToken);
    if (url.pathname === "/readyz") {
      if (draining) return sendJson(res, 503, { status: "draining" });
      const ready = await database.ping().then(
        () => true,
        () => false,
      );
      return sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "database unavailable" });
    }
    if (await serveFile(services, req, res, url.pathname)) return;
    if (url.pathname !== GRAPHQL_PATH)
      return sendJson(res, 404, { error: `Not found; GraphQL is served at ${GRAPHQL_PATH}` });

    const requestId = randomUUID();
    res.setHeader("x-request-id", requestId);
    const raw = await readBody(req, res);
    if (raw === null) return;
    const body = parseBody(raw, req.headers["content-type"]);
    if (body instanceof Error)
      return sendJson(res, 400, graphqlError(`Malformed JSON body: ${body.message}`, "BAD_REQUEST"));

    // The document Apollo will run: a GET's from the URL, a POST's from the body (never the other's).
    const query =
      req.method === "GET"
        ? url.searchParams.get("query")
        : body !== null && typeof body === "object" && "query" in body
          ? body.query
          : undefined;
    const tooLarge = typeof query === "string" ? documentTooLarge(query, config.limits.maxTokens) : null;
    if (tooLarge) return sendJson(res, 400, graphqlError(tooLarge, "GRAPHQL_PARSE_FAILED"));

    const token = bearerToken(req.headers.authorization);
    const leave = await services.inFlight.enter(token);
    if (!leave)
      return sendJson(res, 429, graphqlError(rateLimited(services.inFlight.max).message, "RATE_LIMITED"), {
        "retry-after": "1",
      });
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      // Apollo answers `Accept: */*` (fetch's default) as it answers no Accept, after parsing it each time.
      if (value === undefined || (name === "accept" && value === "*/*")) continue;
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const response = await apollo
      .executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: (req.method ?? "GET").toUpperCase(), headers, search: url.search, body },
        context: () => createContext(services, requestId, token, () => services.clientAddressOf(req)),
      })
      .finally(leave);
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  await new Promise<void>((resolve) => httpServer.listen(config.port, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  const jobs = [
    config.leaseSweepMs > 0 &&
      startPeriodicJob(log, {
        name: "lease sweep",
        intervalMs: config.leaseSweepMs,
        counted: "expired",
        message: "lease sweep: expired leases returned to READY",
        run: async () => {
          const expired = await sweepExpiredLeases(services);
          services.metrics.leaseExpiries.inc(expired);
          return expired;
        },
      }),
    config.followUpSweepMs > 0 &&
      startPeriodicJob(log, {
        name: "follow-up sweep",
        intervalMs: config.followUpSweepMs,
        counted: "followUps",
        message: "follow-up sweep: unpaid claims put in FOLLOW_UP",
        run: () => sweepFollowUps(services),
      }),
  ].filter((job) => job !== false);
  return {
    url: `http://localhost:${port}${GRAPHQL_PATH}`,
    port,
    services,
    stop: async () => {
      draining = true;
      await Promise.all(jobs.map((job) => job.stop()));
      // A code-set import an administrator started finishes (each release is one transaction) before the pool closes.
      await Promise.allSettled(services.codeSetImports.running);
      await delay(config.shutdownDelayMs);
      await apollo.stop();
      await events.stop();
      await actors.stop();
      await codeSets.stop();
    },
  };
}
