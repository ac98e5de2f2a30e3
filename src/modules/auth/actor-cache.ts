import type { Database } from "../../db/client.js";
import { type Authentication, authenticateRequests } from "./auth.service.js";
import type { TokenService } from "./tokens.js";

/** A token waiting to be authenticated with the next batch, and how to answer whoever asked. */
interface Waiting {
  authentication: Promise<Authentication>;
  resolve(authentication: Authentication): void;
  reject(error: unknown): void;
}

/** Entries above this many are pruned of the stale ones. */
const PRUNE_ABOVE = 10_000;

/**
 * Authentications of bearer tokens no older than `maxAgeMs`. A live subscription re-checks its
 * caller before every delivery; a thousand subscribers of one busy queue would otherwise read the
 * same user row a thousand times per event. A deactivated user or a changed role stops deliveries
 * within `maxAgeMs`. Tokens asked for in the same turn of the event loop (an event handed to every
 * subscriber at once) are authenticated together, their users read in one statement.
 */
export class ActorCache {
  readonly #entries = new Map<string, { at: number; authentication: Promise<Authentication> }>();
  #waiting = new Map<string, Waiting>();

  constructor(
    private readonly db: Database,
    private readonly tokens: TokenService,
    private readonly maxAgeMs: number,
  ) {}

  authenticate(token: string): Promise<Authentication> {
    const now = Date.now();
    const entry = this.#entries.get(token);
    if (entry && now - entry.at < this.maxAgeMs) return entry.authentication;
    const authentication = this.#together(token);
    this.#entries.set(token, { at: now, authentication });
    authentication.catch(() => this.#entries.delete(token));
    if (this.#entries.size > PRUNE_ABOVE) {
      for (const [key, { at }] of this.#entries) if (now - at >= this.maxAgeMs) this.#entries.delete(key);
    }
    return authentication;
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
    const answers = authenticateRequests(this.db, this.tokens, [...batch.keys()]);
    for (const [token, waiting] of batch) answers.get(token)!.then(waiting.resolve, waiting.reject);
  }
}
