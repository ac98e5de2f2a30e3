import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { ApolloServer, type ApolloServerPlugin, HeaderMap } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import type { GraphQLSchema } from "graphql";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import { clientAddressOf } from "./client-address.js";
import type { Config } from "./config.js";
import type { RequestContext, Services } from "./context.js";
import type { DatabaseHandle } from "./db/client.js";
import { INTERNAL_ERROR, isUnexpected, maskUnexpected } from "./graphql/errors.js";
import { InFlightLimit, rateLimited } from "./graphql/in-flight.js";
import { assertAllowed, documentTooLarge, limitRules } from "./graphql/limits.js";
import { responseTooLarge } from "./graphql/response-budget.js";
import { serveGraphqlWs } from "./graphql/websocket.js";
import { corsPolicy } from "./http/cors.js";
import { Graphiql } from "./http/graphiql.js";
import { documentHash, Metrics } from "./http/metrics.js";
import { flushPhiReads } from "./modules/audit/audit.service.js";
import { ActorCache } from "./modules/auth/actor-cache.js";
import { bearerToken, TokenService } from "./modules/auth/tokens.js";
import {
  acknowledgementView,
  batchToDownload,
  importAcknowledgement,
  MAX_X12_CHARACTERS,
} from "./modules/claims/index.js";
import { codeSetImports } from "./modules/codesets/index.js";
import { EventFeed } from "./modules/events/event.feed.js";
import { newestEventId } from "./modules/events/index.js";
import { sweepFollowUps } from "./modules/follow-ups/index.js";
import { postRemittance, remittanceView } from "./modules/remittance/index.js";
import { sweepExpiredLeases } from "./modules/work/index.js";
import { createContext } from "./request.js";
import { chartroomSchema } from "./schema.js";
import { DomainError, type ErrorCode } from "./shared/errors.js";
import { startPeriodicJob } from "./shared/periodic-job.js";

/** Request bodies and WebSocket messages above 1 MiB are refused (413 / close 1009). */
export const MAX_BODY_BYTES = 1024 * 1024;
const GRAPHQL_PATH = "/graphql";
/** An 837P batch's file: GET /batches/<SubmissionBatch global id>.x12 with the bearer token. */
const BATCH_FILE = /^\/batches\/([^/]+)\.x12$/;
/** A 999 or 277CA upload: POST the file as the body with the bearer token. */
const ACKNOWLEDGEMENT_UPLOAD = "/acknowledgements";
/** An 835 upload: POST the file as the body with the bearer token. */
const REMITTANCE_UPLOAD = "/remittances";
/** HTTP statuses of the refusals a file route answers with; anything else is 400. */
const FILE_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404 };
/** How stale a live subscriber's permissions may be when an event is delivered to it. */
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

  const events = new EventFeed(database, { ...config.events, log, onDispatch: (event) => metrics.onDispatch(event) });
  const metrics = new Metrics(database.db, events, () => newestEventId(database.db));
  events.start();
  const services: Services = {
    db: database.db,
    log,
    tokens,
    actors: new ActorCache(database.db, tokens, ACTOR_RECHECK_MS),
    events,
    loginLimits: config.loginLimits,
    clientAddressOf: clientAddressOf(config.trustProxy),
    limits: config.limits,
    inFlight: new InFlightLimit(tokens, config.limits.maxRequestsPerUser),
    x12: config.x12,
    metrics,
    codeSetImports: codeSetImports(config, database.db),
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
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
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
    const batchFile = BATCH_FILE.exec(url.pathname);
    if (batchFile) return downloadBatch(req, res, decodeURIComponent(batchFile[1]!));
    if (url.pathname === ACKNOWLEDGEMENT_UPLOAD) return uploadAcknowledgement(req, res);
    if (url.pathname === REMITTANCE_UPLOAD) return uploadRemittance(req, res);
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
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const response = await apollo
      .executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: (req.method ?? "GET").toUpperCase(), headers, search: url.search, body },
        context: () => createContext(services, requestId, token, services.clientAddressOf(req)),
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

  /**
   * A file request outside GraphQL (a batch download, an X12 upload): its request id, the method it takes, the
   * signed-in caller's context, and a domain error (not signed in, not allowed, not found) answered as JSON.
   */
  async function fileRequest(
    req: IncomingMessage,
    res: ServerResponse,
    methods: readonly string[],
    handle: (ctx: RequestContext) => Promise<void>,
  ): Promise<void> {
    const requestId = randomUUID();
    res.setHeader("x-request-id", requestId);
    if (!methods.includes(req.method ?? ""))
      return sendJson(res, 405, graphqlError(`Use ${methods.join(" or ")} here.`, "BAD_REQUEST"), {
        allow: methods.join(", "),
      });
    const token = bearerToken(req.headers.authorization);
    const ctx = await createContext(services, requestId, token, services.clientAddressOf(req));
    try {
      if (!ctx.actor)
        throw (
          ctx.authFailure ?? new DomainError("UNAUTHENTICATED", "Sign in first: send Authorization: Bearer <token>.")
        );
      await handle(ctx);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      sendJson(res, FILE_STATUS[error.code] ?? 400, graphqlError(error.message, error.code));
    }
  }

  /**
   * A batch's 837P as a file, for a biller who may see every claim in it (404 otherwise, as for a batch of
   * another organization). The read is audited before the file leaves, as GraphQL's PHI reads are.
   */
  function downloadBatch(req: IncomingMessage, res: ServerResponse, batchId: string): Promise<void> {
    return fileRequest(req, res, ["GET", "HEAD"], async (ctx) => {
      const batch = await batchToDownload(ctx, batchId);
      ctx.phiReads.record("SubmissionBatch", batch.id);
      await flushPhiReads(ctx);
      const name = `837P-${String(batch.interchangeControlNumber).padStart(9, "0")}.x12`;
      res.writeHead(200, {
        "content-type": "application/edi-x12",
        "content-disposition": `attachment; filename="${name}"`,
        "content-length": Buffer.byteLength(batch.x12),
      });
      res.end(req.method === "HEAD" ? undefined : batch.x12);
    });
  }

  /**
   * A 999 or 277CA as the request body, imported as importAcknowledgement does; answers its payload as JSON.
   * A body over MAX_X12_CHARACTERS is refused (413) before it is read through.
   */
  function uploadAcknowledgement(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return fileRequest(req, res, ["POST"], async (ctx) => {
      const x12 = await readBody(req, res, MAX_X12_CHARACTERS);
      if (x12 === null) return;
      const outcome = await importAcknowledgement(ctx, x12);
      sendJson(res, outcome.value ? 200 : 422, {
        acknowledgement: outcome.value ? acknowledgementView(outcome.value) : null,
        userErrors: outcome.userErrors,
      });
    });
  }

  /** An 835 as the request body, posted as postRemittance does; answers its payload as JSON (413 when too large). */
  function uploadRemittance(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return fileRequest(req, res, ["POST"], async (ctx) => {
      const x12 = await readBody(req, res, MAX_X12_CHARACTERS);
      if (x12 === null) return;
      const outcome = await postRemittance(ctx, x12);
      sendJson(res, outcome.value ? 200 : 422, {
        remittances: outcome.value
          ? await Promise.all(outcome.value.remittances.map((row) => remittanceView(ctx, row)))
          : [],
        alreadyPosted: outcome.value?.alreadyPosted ?? false,
        userErrors: outcome.userErrors,
      });
    });
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
    },
  };
}

/** The body as text, or null after answering 413 when it exceeds `limit` bytes. */
async function readBody(req: IncomingMessage, res: ServerResponse, limit = MAX_BODY_BYTES): Promise<string | null> {
  const tooLarge = () => {
    sendJson(res, 413, graphqlError(`Request body exceeds ${limit} bytes`, "PAYLOAD_TOO_LARGE"), {
      connection: "close",
    });
    req.resume();
    return null;
  };
  if (Number(req.headers["content-length"] ?? 0) > limit) return tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!contentType?.toLowerCase().includes("json")) return raw;
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function graphqlError(message: string, code: ErrorCode) {
  return { errors: [{ message, extensions: { code } }] };
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(value));
}

/** Refuses, before they run, operations holding a NUL character or above the cost limit. */
function operationLimits(schema: GraphQLSchema): ApolloServerPlugin<RequestContext> {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ request, document }) => {
        assertAllowed(schema, document, request.variables, request.operationName);
      },
    }),
  };
}

/**
 * A response that went over its list-item budget is withheld: one RESPONSE_TOO_LARGE error instead
 * of a partial answer.
 */
const responseBudget: ApolloServerPlugin<RequestContext> = {
  requestDidStart: async () => ({
    willSendResponse: async ({ contextValue, response }) => {
      if (!contextValue.listItems.exceeded) return;
      response.http.status = 400;
      response.body = {
        kind: "single",
        singleResult: { errors: [responseTooLarge(contextValue.listItems.max).toJSON()] },
      };
    },
  }),
};

/**
 * Writes the request's PHI reads to the audit log before the response leaves.
 * If that write fails the data is withheld: no PHI goes out unaudited.
 */
const auditPhiReads: ApolloServerPlugin<RequestContext> = {
  requestDidStart: async () => ({
    willSendResponse: async ({ contextValue, response }) => {
      try {
        await flushPhiReads(contextValue);
      } catch (error) {
        contextValue.log.error({ err: error }, "audit write failed; response withheld");
        response.http.status = 500;
        response.body = { kind: "single", singleResult: { errors: [INTERNAL_ERROR] } };
      }
    },
  }),
};

/** One line per request: operation, duration and error codes. Never variables or results: they may hold PHI. */
const requestLog: ApolloServerPlugin<RequestContext> = {
  requestDidStart: async ({ request, contextValue }) => {
    return {
      didEncounterErrors: async ({ errors }) => {
        for (const error of errors) {
          if (isUnexpected(error)) contextValue.log.error({ err: error }, "unexpected error");
        }
      },
      willSendResponse: async ({ response, errors, operationName }) => {
        contextValue.log.info(
          {
            // A client that names no operation is told apart by its document's hash (never its text or variables).
            operation: operationName ?? request.operationName ?? documentHash(request.query),
            status: response.http.status ?? 200,
            ms: Math.round(performance.now() - contextValue.startedAt),
            errors: errors?.map((e) => e.extensions?.["code"] ?? "INTERNAL_SERVER_ERROR"),
          },
          "graphql request",
        );
      },
    };
  },
};
