import type { TokenService } from "../modules/auth/tokens.js";
import { apiError } from "./errors.js";

/**
 * Operations running at once per user on this instance. One user's burst waits for nothing: what is
 * over the limit is answered RATE_LIMITED (HTTP 429) at once, so the database pool stays free for others.
 */
export class InFlightLimit {
  private readonly running = new Map<string, number>();

  constructor(
    private readonly tokens: TokenService,
    readonly max: number,
  ) {}

  /** Operations the user (a user id, or `email:` and an identity provider's e-mail) has running now. */
  count(user: string): number {
    return this.running.get(user) ?? 0;
  }

  /**
   * Takes a place for the token's user and resolves to the function that gives it back, or to null
   * when the user has `max` running. A missing or invalid token takes no place: such a request does
   * no work beyond being refused.
   */
  async enter(token: string | null): Promise<(() => void) | null> {
    const user = token ? await this.userOf(token) : null;
    if (user === null) return () => {};
    const running = this.count(user);
    if (running >= this.max) return null;
    this.running.set(user, running + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.count(user) - 1;
      if (left > 0) this.running.set(user, left);
      else this.running.delete(user);
    };
  }

  /**
   * The user a token names, verified (signature and expiry, no database): the id for own tokens, the
   * e-mail for an identity provider's.
   */
  private async userOf(token: string): Promise<string | null> {
    const subject = await this.tokens.verify(token).catch(() => null);
    if (!subject) return null;
    return subject.kind === "local" ? subject.userId : `email:${subject.email}`;
  }
}

/** The refusal of a request over the user's in-flight limit, as HTTP (429) and WebSocket both answer it. */
export const rateLimited = (max: number) =>
  apiError(
    "RATE_LIMITED",
    `Too many requests at once: at most ${max} per user may run together. Retry when one has finished.`,
    { maxRequestsPerUser: max },
  );
