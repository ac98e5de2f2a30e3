import type { Database } from "../../db/client.js";
import { type Authentication, authenticateRequest } from "./auth.service.js";
import type { TokenService } from "./tokens.js";

/** Entries above this many are pruned of the stale ones. */
const PRUNE_ABOVE = 10_000;

/**
 * Authentications of bearer tokens no older than `maxAgeMs`. A live subscription re-checks its
 * caller before every delivery; a thousand subscribers of one busy queue would otherwise read the
 * same user row a thousand times per event. A deactivated user or a changed role stops deliveries
 * within `maxAgeMs`.
 */
export class ActorCache {
  readonly #entries = new Map<string, { at: number; authentication: Promise<Authentication> }>();

  constructor(
    private readonly db: Database,
    private readonly tokens: TokenService,
    private readonly maxAgeMs: number,
  ) {}

  authenticate(token: string): Promise<Authentication> {
    const now = Date.now();
    const entry = this.#entries.get(token);
    if (entry && now - entry.at < this.maxAgeMs) return entry.authentication;
    const authentication = authenticateRequest(this.db, this.tokens, token);
    this.#entries.set(token, { at: now, authentication });
    authentication.catch(() => this.#entries.delete(token));
    if (this.#entries.size > PRUNE_ABOVE) {
      for (const [key, { at }] of this.#entries) if (now - at >= this.maxAgeMs) this.#entries.delete(key);
    }
    return authentication;
  }
}
