import {
  createSourceEventStream,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  execute,
  print,
} from "graphql";
import { LRUCache } from "lru-cache";
import type { RequestContext } from "../context.js";
import type { Metrics } from "../http/metrics.js";
import type { PhiReadEntry } from "../modules/audit/index.js";
import type { Actor } from "../modules/auth/index.js";
import type { Delivery } from "../modules/events/index.js";
import { ListItemBudget, responseTooLarge } from "./response-budget.js";

/** One event's answer to one selection, and the PHI it read (which each subscriber's own audit row names). */
export interface SharedAnswer {
  result: ExecutionResult;
  phiReads: readonly PhiReadEntry[];
  /** The answer as sent, written by the first subscriber that sends it: the others send the same text. */
  json?: string;
}

/**
 * Sends one subscriber its answer (the context holds its PHI reads); resolves, when it returns a
 * promise, once the next answer may be sent.
 */
export type Deliver = (context: RequestContext, answer: SharedAnswer) => Promise<void> | undefined;

/**
 * How long an answer is kept for the other subscribers of its event: they are all handed the event
 * within the same few milliseconds, and a subscriber slower than this computes its own.
 */
const SHARE_MS = 2_000;
const MAX_SHARED = 5_000;

/**
 * graphql-ws's `subscribe`, with each event's answer computed once per selection and audience, and
 * sent by `deliver` rather than by graphql-ws.
 *
 * A thousand supervisors watching one queue would otherwise each execute the same selection on the
 * same event: the same resolvers, the same loader reads, a thousand times. Subscribers share an
 * answer when they sent the same document, operation and variables and see the same things:
 * one organization, the same facilities, roles and credentials (what every field resolver's answer
 * depends on). Whether a subscriber gets the event at all is still decided for each one (its event
 * stream checks the caller again before each delivery), and each subscriber's own audit row records
 * the PHI its answer holds.
 */
export function subscribeSharingAnswers(
  metrics: Metrics,
  deliver: Deliver,
): (args: ExecutionArgs) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const answers = new LRUCache<string, Answering>({ max: MAX_SHARED, ttl: SHARE_MS });
  const sharedAnswers = metrics.subscriptionAnswers.labels({ answer: "shared" });
  const computedAnswers = metrics.subscriptionAnswers.labels({ answer: "computed" });
  return async (args) => {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source;
    const context = args.contextValue as RequestContext;
    const selection = numberOf(selectionKey(args));
    const share = (shared: SharedAnswer, payload: Delivery): SharedAnswer => {
      sharedAnswers.inc();
      context.actor = payload.actor;
      context.listItems = new ListItemBudget(context.limits.maxListItems);
      for (const read of shared.phiReads) context.phiReads.recordAll(read);
      return shared;
    };
    // None yet, or the one computed failed (its subscriber gets that error): this subscriber's own.
    const compute = (key: string, payload: Delivery): Promise<SharedAnswer> => {
      computedAnswers.inc();
      const answer = ownAnswer(args, payload, context);
      const answering: Answering = { answer };
      answers.set(key, answering);
      answer.then(
        (settled) => {
          answering.settled = settled;
        },
        () => answers.get(key) === answering && answers.delete(key),
      );
      return answer;
    };
    // Looked up and claimed in one turn, so that subscribers handed the event together compute it once;
    // answered at once when it is there, as it is for all but the first subscriber.
    const answer = (payload: unknown): SharedAnswer | Promise<SharedAnswer> => {
      if (!isDelivery(payload)) return ownAnswer(args, payload, context);
      const key = `${payload.event.id} ${audienceKey(payload.actor)} ${selection}`;
      const answering = answers.get(key);
      if (answering?.settled) return share(answering.settled, payload);
      if (!answering) return compute(key, payload);
      return answering.answer.then(
        (shared) => share(shared, payload),
        () => compute(key, payload),
      );
    };
    return deliverEach(source[Symbol.asyncIterator](), answer, (answered) => deliver(context, answered));
  };
}

/** An answer being computed for an event's subscribers, and the answer itself once it is there. */
interface Answering {
  answer: Promise<SharedAnswer>;
  settled?: SharedAnswer;
}

/** The subscriber's own answer to the payload; the PHI it read stays in its context too, for its audit row. */
async function ownAnswer(args: ExecutionArgs, payload: unknown, context: RequestContext): Promise<SharedAnswer> {
  const executed = await execute({ ...args, rootValue: payload });
  // Subscribers that share this answer start with a fresh budget: they get the refusal itself.
  const result = context.listItems.exceeded ? { errors: [responseTooLarge(context.listItems.max)] } : executed;
  return { result, phiReads: context.phiReads.entries() };
}

/**
 * Answers each of the source's payloads and hands it to `deliver`. graphql-ws is handed none: it
 * would build and serialize each subscriber's message itself. Its loop only sees the end, or the
 * source's error, and sends `complete` or `error` then; `return` reaches the source at once.
 */
function deliverEach(
  source: AsyncIterator<unknown>,
  answer: (payload: unknown) => SharedAnswer | Promise<SharedAnswer>,
  deliver: (answer: SharedAnswer) => Promise<void> | undefined,
): AsyncIterableIterator<ExecutionResult> {
  let stopped = false;
  const delivering: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      for (;;) {
        const next = await source.next();
        if (next.done || stopped) return { done: true, value: undefined };
        try {
          const answering = answer(next.value);
          const answered = answering instanceof Promise ? await answering : answering;
          // Completed by the client (or its socket closed) while this answer was computed.
          if (stopped) return { done: true, value: undefined };
          const sending = deliver(answered);
          if (sending) await sending;
        } catch (error) {
          // graphql-ws drops a subscription whose answer failed without calling `return`: end the events here.
          await source.return?.();
          throw error;
        }
      }
    },
    async return() {
      stopped = true;
      await source.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      stopped = true;
      if (source.throw) await source.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]: () => delivering,
  };
  return delivering;
}

/**
 * A short stand-in for a long key (a selection's text, an audience), so that each delivery's lookup
 * hashes a few characters, not the whole document. A number is never given to two keys; a key
 * forgotten and seen again gets a new one, and its answers are merely not shared across the two.
 */
const numbers = new LRUCache<string, number>({ max: MAX_SHARED });
let lastNumber = 0;
function numberOf(key: string): number {
  let number = numbers.get(key);
  if (number === undefined) {
    number = ++lastNumber;
    numbers.set(key, number);
  }
  return number;
}

/** The same document (as text), operation and variables. Documents are parsed once per text, so printed once. */
const printed = new WeakMap<DocumentNode, string>();
function selectionKey(args: ExecutionArgs): string {
  let text = printed.get(args.document);
  if (text === undefined) {
    text = print(args.document);
    printed.set(args.document, text);
  }
  return `${args.operationName ?? ""}\n${JSON.stringify(args.variableValues ?? {})}\n${text}`;
}

/**
 * What a subscriber's answer can depend on; actors are cached per token, so this is computed once per
 * actor. No field a subscription reaches answers by who the user is (only by scope, roles and
 * credentials); a field that did would have to be part of this key.
 */
const audiences = new WeakMap<Actor, number>();
function audienceKey(actor: Actor): number {
  let key = audiences.get(actor);
  if (key === undefined) {
    const sorted = (values: readonly string[]) => [...values].sort();
    key = numberOf(
      JSON.stringify([actor.orgId, sorted(actor.scope.facilityIds), sorted(actor.roles), sorted(actor.credentials)]),
    );
    audiences.set(actor, key);
  }
  return key;
}

function isDelivery(payload: unknown): payload is Delivery {
  const candidate = payload as Partial<Delivery> | null;
  return typeof candidate?.event?.id === "number" && candidate.actor !== undefined;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
}
