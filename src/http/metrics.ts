import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApolloServerPlugin, GraphQLRequestListener } from "@apollo/server";
import { LRUCache } from "lru-cache";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { RequestContext } from "../context.js";
import type { Database } from "../db/client.js";
import type { EventRecord } from "../modules/events/index.js";
import { type QueueDepthRow, queueDepths } from "../modules/work/index.js";

/** Queue depths are read at most this often, however often Prometheus scrapes. */
const QUEUE_DEPTH_CACHE_MS = 5_000;
/** Operation names become labels; a name a client made up beyond this shape is counted as "other". */
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** What a label says of an operation: its name, "anonymous" without one, "other" for an odd one. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return "anonymous";
  return OPERATION_NAME.test(name) ? name : "other";
}

/** Hashes of the documents sent lately: a client sends the same few documents again and again. */
const documentHashes = new LRUCache<string, string>({ max: 1_000 });

/** `sha256:<first 16 hex digits>` of a GraphQL document, to tell unnamed operations apart in logs. */
export function documentHash(query: string | undefined): string | null {
  if (query === undefined) return null;
  let hash = documentHashes.get(query);
  if (hash === undefined) {
    hash = `sha256:${createHash("sha256").update(query).digest("hex").slice(0, 16)}`;
    documentHashes.set(query, hash);
  }
  return hash;
}

/**
 * One instance's Prometheus metrics, in a registry of its own (tests run several servers in one
 * process). Counters are counted where things happen; queue depths and the event feed's lag are
 * read when Prometheus scrapes.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "chartroom_graphql_requests_total",
    help: "GraphQL operations over HTTP, by operation name and outcome (ok, or the first error code).",
    labelNames: ["operation", "outcome"] as const,
    registers: [this.registry],
  });
  readonly requestSeconds = new Histogram({
    name: "chartroom_graphql_request_duration_seconds",
    help: "Time to answer a GraphQL operation over HTTP, by operation name and outcome.",
    labelNames: ["operation", "outcome"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly wsConnections = new Gauge({
    name: "chartroom_websocket_connections",
    help: "Open graphql-ws connections.",
    registers: [this.registry],
  });
  readonly subscriptions = new Gauge({
    name: "chartroom_subscriptions",
    help: "Live subscriptions over graphql-ws.",
    registers: [this.registry],
  });
  readonly deliverySeconds = new Histogram({
    name: "chartroom_event_delivery_seconds",
    help: "From an event's commit to the feed handing it to this instance's subscribers.",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly subscriptionAnswers = new Counter({
    name: "chartroom_subscription_answers_total",
    help:
      "Events answered to subscribers: computed (the selection executed) or shared (another subscriber's " +
      "answer to the same event, document and audience).",
    labelNames: ["answer"] as const,
    registers: [this.registry],
  });
  readonly leaseExpiries = new Counter({
    name: "chartroom_lease_expiries_total",
    help: "Claimed work items whose lease expired and that the sweep returned to READY.",
    registers: [this.registry],
  });
  readonly loginFailures = new Counter({
    name: "chartroom_login_failures_total",
    help: "Sign-ins refused for a wrong e-mail or password.",
    registers: [this.registry],
  });
  readonly loginLockouts = new Counter({
    name: "chartroom_login_lockouts_total",
    help: "Sign-ins refused unchecked because the e-mail or the network address must wait (RATE_LIMITED).",
    registers: [this.registry],
  });
  #depths: { at: number; rows: Promise<QueueDepthRow[]> } | null = null;
  readonly #series = new Map<
    string,
    { requests: Counter.Internal; seconds: Histogram.Internal<"operation" | "outcome"> }
  >();

  /** Gauges read on scrape: the feed's lag behind the newest event, and each queue's READY work. */
  constructor(db: Database, feed: { cursor: number }, newestEventId: () => Promise<number>) {
    const depths = () => {
      const now = Date.now();
      if (!this.#depths || now - this.#depths.at >= QUEUE_DEPTH_CACHE_MS) {
        this.#depths = { at: now, rows: queueDepths(db) };
      }
      return this.#depths.rows;
    };
    new Gauge({
      name: "chartroom_event_feed_lag_events",
      help: "Events committed that this instance has not yet delivered: newest event id minus delivered id.",
      registers: [this.registry],
      async collect() {
        this.set(Math.max(0, (await newestEventId()) - feed.cursor));
      },
    });
    new Gauge({
      name: "chartroom_event_feed_delivered_id",
      help: "The id of the newest event this instance has delivered.",
      registers: [this.registry],
      collect() {
        this.set(feed.cursor);
      },
    });
    new Gauge({
      name: "chartroom_queue_ready_items",
      help: "READY work items per queue (read at most every 5 seconds).",
      labelNames: ["organization", "queue", "queue_id"] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await depths())
          this.set({ organization: row.orgId, queue: row.queue, queue_id: row.queueId }, row.ready);
      },
    });
    new Gauge({
      name: "chartroom_queue_oldest_ready_seconds",
      help: "How long the queue's longest-waiting READY item has waited; 0 when none waits.",
      labelNames: ["organization", "queue", "queue_id"] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await depths())
          this.set({ organization: row.orgId, queue: row.queue, queue_id: row.queueId }, row.oldestReadySeconds);
      },
    });
  }

  /** For the event feed: how long an event took from its commit to this instance's subscribers. */
  readonly onDispatch = (event: EventRecord): void => {
    this.deliverySeconds.observe(Math.max(0, (Date.now() - event.createdAt.getTime()) / 1000));
  };

  /** The Apollo plugin that counts and times each HTTP operation. */
  plugin(): ApolloServerPlugin<RequestContext> {
    // One listener for every request: it reads the request's own context from what Apollo passes it.
    const listener: GraphQLRequestListener<RequestContext> = {
      willSendResponse: async ({ contextValue, operationName, errors }) => {
        const outcome = errors?.length ? String(errors[0]?.extensions?.["code"] ?? "INTERNAL_SERVER_ERROR") : "ok";
        const counted = this.#countedAs(operationName, outcome);
        counted.requests.inc();
        counted.seconds.observe((performance.now() - contextValue.startedAt) / 1000);
      },
    };
    return { requestDidStart: async () => listener };
  }

  /**
   * The series an operation's name and outcome count in, found once per pair: prom-client checks and
   * hashes a request's labels on each count otherwise.
   */
  #countedAs(operationName: string | null | undefined, outcome: string) {
    const operation = operationLabel(operationName);
    const key = `${operation}\n${outcome}`;
    let counted = this.#series.get(key);
    if (!counted) {
      const labels = { operation, outcome };
      counted = { requests: this.requests.labels(labels), seconds: this.requestSeconds.labels(labels) };
      this.#series.set(key, counted);
    }
    return counted;
  }

  /** Answers GET /metrics, with `Authorization: Bearer <METRICS_TOKEN>` when a token is set. */
  async serve(req: IncomingMessage, res: ServerResponse, token: string | null): Promise<void> {
    if (token && !sameSecret(req.headers.authorization ?? "", `Bearer ${token}`)) {
      res.writeHead(401, { "content-type": "text/plain", "www-authenticate": "Bearer" });
      res.end("METRICS_TOKEN required\n");
      return;
    }
    const body = await this.registry.metrics();
    res.writeHead(200, { "content-type": this.registry.contentType });
    res.end(body);
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
