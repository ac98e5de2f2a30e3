import type { DatabaseHandle } from "../../db/client.js";
import { Settling } from "../../shared/settling.js";
import { type Authentication, authenticateRequests } from "./auth.service.js";
import type { TokenService } from "./tokens.js";

/**
 * The channel a user's change is announced on, with the user's id: a trigger on `users` and
 * `user_facility_access` sends it (migration 0022), so every writer and every instance is covered.
 * A facility added or removed (an administrator sees them all) announces EVERY_USER (migration 0024).
 */
export const USER_CHANGES_CHANNEL = "chartroom_user_changes";
/** The announcement that concerns every user. */
export const EVERY_USER = "*";

/** A token waiting to be authenticated with the next batch, and how to answer whoever asked. */
interface Waiting {
  authentication: Promise<Authentication>;
  resolve(authentication: Authentication): void;
  reject(error: unknown): void;
}

interface Entry {
  /** Until when the answer may be given again: `maxAgeMs` after it was asked for, or the token's expiry if sooner. */
  until: number;
  /** Given again without a promise once it has come (see authenticateNow). */
  authentication: Settling<Authentication>;
  /** The user the token names, once it is known: what `forget` finds the entry by. */
  userId?: string;
}

/** Entries above this many are pruned of the stale ones. */
const PRUNE_ABOVE = 10_000;

/**
 * Authentications of bearer tokens, each kept at most `maxAgeMs`, for every HTTP request, graphql-ws
 * operation and subscription delivery: a client sends the same token with each request, and a
 * thousand subscribers of one busy queue would otherwise read the same user row a thousand times per
 * event. A user's entries are forgotten as soon as the user row or its facility grants change (the
 * database announces each change, to every instance, when it commits); `maxAgeMs` only bounds how
 * long a missed announcement (a LISTEN connection reconnecting) could leave an answer stale. Tokens
 * asked for in the same turn of the event loop are authenticated together, their users read in one
 * statement.
 */
export class ActorCache {
  readonly #entries = new Map<string, Entry>();
  #waiting = new Map<string, Waiting>();
  #unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly tokens: TokenService,
    private readonly maxAgeMs: number,
  ) {}

  /** Listens for users' changes; until it resolves, answers are bounded by `maxAgeMs` alone. */
  async start(): Promise<void> {
    this.#unlisten = await this.database.listen(
      USER_CHANGES_CHANNEL,
      (announced) => this.forget(announced),
      // Listening (re)started: a change may have gone unheard meanwhile.
      () => this.#entries.clear(),
    );
  }

  async stop(): Promise<void> {
    await this.#unlisten?.();
    this.#unlisten = null;
  }

  authenticate(token: string): Promise<Authentication> {
    const answer = this.authenticateNow(token);
    return answer instanceof Promise ? answer : Promise.resolve(answer);
  }

  /**
   * `authenticate`, answered at once when the answer is known: what each of a thousand subscribers
   * checks before an event is delivered, without a promise each.
   */
  authenticateNow(token: string): Authentication | Promise<Authentication> {
    const now = Date.now();
    const known = this.#entries.get(token);
    if (known && now < known.until) return known.authentication.now();
    const authentication = this.#together(token);
    const until = Math.min(now + this.maxAgeMs, this.tokens.expiresAt(token));
    // A token without `exp`, or expired, is checked afresh each time: nothing to keep.
    if (until <= now) return authentication;
    const entry: Entry = { until, authentication: new Settling(authentication) };
    this.#entries.set(token, entry);
    authentication.then(
      ({ actor }) => {
        if (actor) entry.userId = actor.userId;
      },
      () => {
        if (this.#entries.get(token) === entry) this.#entries.delete(token);
      },
    );
    if (this.#entries.size > PRUNE_ABOVE) {
      for (const [key, { until }] of this.#entries) if (now >= until) this.#entries.delete(key);
    }
    return authentication;
  }

  /**
   * Drops what is known of the user's tokens (of everyone's for EVERY_USER), and every answer that
   * names no user: one still being read (it may have read the row before the change committed) or a
   * refusal. Called on each announcement, and by this instance's own writes right after they commit,
   * so that the writer's next request already sees the change.
   */
  forget(userId: string): void {
    if (userId === EVERY_USER) {
      this.#entries.clear();
      return;
    }
    for (const [token, entry] of this.#entries) {
      if (entry.userId === userId || entry.userId === undefined) this.#entries.delete(token);
    }
  }

  /**
   * The token's place in the next batch. A busy event loop can hold the batch back longer than the
   * cache keeps an answer: a token asked for again meanwhile keeps its place and its promise.
   */
  #together(token: string): Promise<Authentication> {
    const waiting = this.#waiting.get(token);
    if (waiting) return waiting.authentication;
    if (this.#waiting.size === 0) setImmediate(() => this.#authenticateWaiting());
    let answer!: Pick<Waiting, "resolve" | "reject">;
    const authentication = new Promise<Authentication>((resolve, reject) => (answer = { resolve, reject }));
    this.#waiting.set(token, { authentication, ...answer });
    return authentication;
  }

  #authenticateWaiting(): void {
    const batch = this.#waiting;
    this.#waiting = new Map();
    const answers = authenticateRequests(this.database.db, this.tokens, [...batch.keys()]);
    for (const [token, waiting] of batch) answers.get(token)!.then(waiting.resolve, waiting.reject);
  }
}
