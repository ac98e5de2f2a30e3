import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import {
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
} from "graphql";
import { CloseCode, type Disposable } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { LRUCache } from "lru-cache";
import { WebSocket, type WebSocketServer } from "ws";
import type { RequestContext, Services } from "../context.js";
import { flushPhiReads } from "../modules/audit/audit.service.js";
import { bearerToken } from "../modules/auth/tokens.js";
import { createContext } from "../request.js";
import type { ErrorCode } from "../shared/errors.js";
import { INTERNAL_ERROR, isUnexpected, maskUnexpected } from "./errors.js";
import { rateLimited } from "./in-flight.js";
import { assertAllowed, documentTooLarge } from "./limits.js";
import { responseTooLarge } from "./response-budget.js";
import { type SharedAnswer, subscribeSharingAnswers } from "./shared-deliveries.js";

type Connection = {
  /** The bearer token of connection_init; each operation authenticates it again. */
  token: string;
  /** Per running operation id, what gives its user's place back (see InFlightLimit). */
  leave: Map<string, () => void>;
  /** Ids of the live subscriptions, for the metrics; set once the connection is accepted. */
  subscriptions: Set<string> | undefined;
};

/**
 * Serves GraphQL over graphql-ws with what the HTTP endpoint does around each operation: limits
 * before it runs, a fresh actor, PHI reads audited before the result leaves (withheld when that
 * fails), unexpected errors logged and masked, one log line. Every hook catches what it throws:
 * graphql-ws would print the raw error and send its message as the close reason.
 */
export function serveGraphqlWs(
  wsServer: WebSocketServer,
  schema: GraphQLSchema,
  services: Services,
  validationRules: ValidationRule[],
): Disposable {
  const { log } = services;
  const prepared = preparedDocuments(schema, validationRules);
  return useServer<Record<string, unknown>, Connection>(
    {
      schema,
      subscribe: subscribeSharingAnswers(services.metrics, deliver),
      // Should a hook throw after all, the client gets no error message in the close reason.
      isProd: true,
      // Refused unless connection_init carries a valid token; graphql-ws then closes with 4403.
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const token = bearerToken(params["authorization"] ?? params["Authorization"] ?? params["token"]);
        try {
          if (!token || !(await services.actors.authenticate(token)).actor) return false;
        } catch (error) {
          log.error({ err: error }, "graphql-ws connection failed");
          ctx.extra.socket.close(CloseCode.InternalServerError, "Internal server error");
          return false;
        }
        ctx.extra.token = token;
        ctx.extra.subscriptions = new Set();
        services.metrics.wsConnections.inc();
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const requestId = randomUUID();
        const tooLarge = documentTooLarge(payload.query, services.limits.maxTokens);
        if (tooLarge) return [new GraphQLError(tooLarge, { extensions: { code: "GRAPHQL_PARSE_FAILED" } })];
        let leave: (() => void) | null = () => {};
        try {
          const { document, errors } = prepared(payload.query);
          const operation = getOperationAST(document, payload.operationName);
          // graphql-ws would refuse it without calling onOperation, so it must take no place.
          if (!operation)
            return [
              new GraphQLError(
                "The document names no operation to run: send operationName, matching one of its operations.",
                { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } },
              ),
            ];
          // As over HTTP, a query or mutation holds one of its user's places until it has run
          // (onOperation, or the socket's close). Subscriptions live long and take none: a screen
          // opens several at once.
          if (operation.operation !== "subscription") {
            leave = await services.inFlight.enter(ctx.extra.token ?? null);
            if (!leave) return [rateLimited(services.inFlight.max)];
          }
          const contextValue = await createContext(
            services,
            requestId,
            ctx.extra.token ?? null,
            services.clientAddressOf(ctx.extra.request),
          );
          if (errors.length > 0) {
            leave();
            return errors.map((error) => withCode(error, "GRAPHQL_VALIDATION_FAILED"));
          }
          assertAllowed(schema, document, payload.variables ?? undefined, payload.operationName ?? undefined);
          ctx.extra.leave ??= new Map();
          ctx.extra.leave.set(id, leave);
          if (operation.operation === "subscription") {
            targets.set(contextValue, {
              socket: ctx.extra.socket,
              stream: ctx.extra.request.socket,
              head: `{"id":${JSON.stringify(id)},"type":"next","payload":`,
              operation: payload.operationName,
            });
            if (!ctx.extra.subscriptions?.has(id)) {
              ctx.extra.subscriptions?.add(id);
              services.metrics.subscriptions.inc();
            }
          }
          return {
            schema,
            document,
            variableValues: payload.variables,
            operationName: payload.operationName,
            contextValue,
          };
        } catch (error) {
          leave?.();
          if (error instanceof GraphQLError)
            return [error.extensions["code"] ? error : withCode(error, "GRAPHQL_PARSE_FAILED")];
          log.error({ err: error, requestId }, "unexpected error");
          return [new GraphQLError(INTERNAL_ERROR.message, { extensions: INTERNAL_ERROR.extensions })];
        }
      },
      onOperation: (ctx, id) => {
        ctx.extra.leave?.get(id)?.();
        ctx.extra.leave?.delete(id);
      },
      // A socket that closes between an operation's subscribe and its run gives its places back.
      onClose: (ctx) => {
        for (const leave of ctx.extra.leave?.values() ?? []) leave();
        ctx.extra.leave?.clear();
        if (ctx.extra.subscriptions) {
          services.metrics.subscriptions.dec(ctx.extra.subscriptions.size);
          services.metrics.wsConnections.dec();
          ctx.extra.subscriptions = undefined;
        }
      },
      onComplete: (ctx, id) => {
        if (ctx.extra.subscriptions?.delete(id)) services.metrics.subscriptions.dec();
      },
      // A live subscription that fails after it started (its events stream threw): expected
      // errors keep their code (CURSOR_EXPIRED, SUBSCRIPTION_LAGGED, UNAUTHENTICATED…), others are logged and masked.
      onError: (_ctx, id, _payload, errors) =>
        errors.map((error) => {
          if (isUnexpected(error)) log.error({ err: error, operationId: id }, "subscription failed");
          return maskUnexpected(error.toJSON(), error);
        }),
      // Queries and mutations; a subscription's answers are sent by `deliver`.
      onNext: async (_ctx, _id, payload, args, result) => {
        const context = args.contextValue as RequestContext;
        let answer = context.listItems.exceeded
          ? { errors: [responseTooLarge(context.listItems.max).toJSON()] }
          : formatted(result, context);
        try {
          await flushPhiReads(context);
        } catch (error) {
          // As over HTTP: no PHI goes out unaudited.
          context.log.error({ err: error }, "audit write failed; result withheld");
          answer = { errors: [INTERNAL_ERROR] };
        }
        logOperation(context, "info", payload.operationName, answer);
        return answer;
      },
    },
    wsServer,
  );
}

/** Where a subscription's answers go: its socket, the socket's TCP stream, the operation's id (and name, for logs). */
interface Target {
  socket: WebSocket;
  stream: Socket;
  /** The start of each of its `next` messages, up to the payload: the operation's id in place. */
  head: string;
  operation: string | null | undefined;
}
const targets = new WeakMap<RequestContext, Target>();

/** Bytes a socket may have waiting to be written before its subscriptions wait for them to go out. */
const HIGH_WATER_BYTES = 1 << 20;
/** A socket's frames are written together, in chunks of about this size. */
const CHUNK_BYTES = 16 * 1024;

/**
 * Sends a subscriber its answer as graphql-ws would (a `next` message), with what `onNext` does
 * around a query, built from the answer's text: subscribers that share an answer share its text, and
 * only the message's head (the operation id) is their own. A socket's frames of one turn of the event
 * loop leave together (see corked).
 */
function deliver(context: RequestContext, answer: SharedAnswer): Promise<void> | undefined {
  const target = targets.get(context);
  if (!target) throw new Error("a subscription was started without its socket");
  answer.json ??= JSON.stringify(formatted(answer.result, context));
  return context.phiReads.empty ? send(target, context, answer.json) : flushThenSend(target, context, answer.json);
}

async function flushThenSend(target: Target, context: RequestContext, json: string): Promise<void> {
  let sent = json;
  try {
    await flushPhiReads(context);
  } catch (error) {
    // As over HTTP: no PHI goes out unaudited.
    context.log.error({ err: error }, "audit write failed; result withheld");
    sent = JSON.stringify({ errors: [INTERNAL_ERROR] });
  }
  await send(target, context, sent);
}

function send(target: Target, context: RequestContext, json: string): Promise<void> | undefined {
  // One line per operation; a subscription's deliveries, one per event and subscriber, only at debug.
  const { socket, stream, head, operation } = target;
  if (context.log.isLevelEnabled("debug")) logOperation(context, "debug", operation, JSON.parse(json));
  if (socket.readyState !== WebSocket.OPEN) return undefined;
  const frame = `${head}${json}}`;
  corked(stream);
  // A slow client's answers wait here, and its events in its stream's inbox (which cuts it off when full).
  if (socket.bufferedAmount < HIGH_WATER_BYTES) {
    socket.send(frame);
    if (stream.writableLength >= CHUNK_BYTES) uncork(stream);
    return undefined;
  }
  return new Promise((resolve, reject) => socket.send(frame, (error) => (error ? reject(error) : resolve())));
}

/**
 * Holds the stream's writes until the current turn of the event loop ends (or a chunk is full): one
 * event reaches a socket's many subscribers in the same turn, and their frames then leave in one
 * write rather than one system call each.
 */
const corkedStreams = new WeakSet<Socket>();
function corked(stream: Socket): void {
  if (corkedStreams.has(stream)) return;
  corkedStreams.add(stream);
  stream.cork();
  process.nextTick(uncork, stream);
}

function uncork(stream: Socket): void {
  if (corkedStreams.delete(stream)) stream.uncork();
}

/** The result as sent: unexpected errors logged and masked, expected ones with their code. */
function formatted(result: ExecutionResult, context: RequestContext): FormattedExecutionResult {
  // graphql-js executed the operation: its errors are GraphQLErrors, not yet formatted.
  const errors = (result.errors ?? []) as readonly GraphQLError[];
  if (errors.length === 0) return result as FormattedExecutionResult;
  for (const error of errors) {
    if (isUnexpected(error)) context.log.error({ err: error }, "unexpected error");
  }
  return { ...result, errors: errors.map((error) => maskUnexpected(error.toJSON(), error)) };
}

function logOperation(
  context: RequestContext,
  level: "info" | "debug",
  operation: string | null | undefined,
  answer: FormattedExecutionResult,
): void {
  if (!context.log.isLevelEnabled(level)) return;
  context.log[level](
    {
      transport: "ws",
      operation: operation ?? null,
      ms: Math.round(performance.now() - context.startedAt),
      errors: answer.errors?.map((e) => e.extensions?.["code"] ?? "INTERNAL_SERVER_ERROR"),
    },
    "graphql request",
  );
}

/** Distinct documents kept parsed and validated; screens send the same few subscriptions again and again. */
const MAX_PREPARED = 1_000;

/**
 * A document parsed and validated once per text: a thousand subscribers of one screen hold one
 * syntax tree, and their shared answers are recognised by it (see subscribeSharingAnswers).
 * Parse errors are thrown, as `parse` throws them, and not kept.
 */
function preparedDocuments(schema: GraphQLSchema, validationRules: readonly ValidationRule[]) {
  const rules = [...specifiedRules, ...validationRules];
  const documents = new LRUCache<string, { document: DocumentNode; errors: readonly GraphQLError[] }>({
    max: MAX_PREPARED,
  });
  return (query: string) => {
    let prepared = documents.get(query);
    if (!prepared) {
      const document = parse(query);
      prepared = { document, errors: validate(schema, document, rules) };
      documents.set(query, prepared);
    }
    return prepared;
  };
}

function withCode(error: GraphQLError, code: ErrorCode): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}
