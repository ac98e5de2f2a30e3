import { createRemoteJWKSet, decodeJwt, errors, type JWTVerifyGetKey, jwtVerify, SignJWT } from "jose";
import type { Config } from "../../config.js";
import { unauthenticated } from "../../shared/errors.js";
import { isUuid } from "../../shared/ids.js";

const ISSUER = "chartroom";
const AUDIENCE = "chartroom-api";

/**
 * What an identity provider's token may be signed with: asymmetric algorithms only, so a key from
 * its JWKS can never be used as an HMAC secret, and only those in common use (RSA, RSA-PSS, P-256
 * ECDSA, EdDSA).
 */
const IDP_ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"];

/** Who a verified token names: a Chartroom user (own login) or an identity-provider subject with an e-mail. */
export type TokenSubject =
  | { kind: "local"; userId: string; orgId: string; sessionVersion: number }
  | { kind: "external"; email: string };

/**
 * How long a verified token's subject is remembered: a client sends the same token with every
 * request, and each request asks twice (the per-user limit, then the actor). Only the signature and
 * claims are remembered, never the user: deactivation and password changes are read from the user
 * row on every request. An identity provider's key rotation reaches a token within this time.
 */
const VERIFIED_TTL_MS = 60_000;
/** Remembered tokens above this many are pruned of the stale ones. */
const VERIFIED_PRUNE_ABOVE = 10_000;

/** Issues Chartroom's own tokens (HS256) and verifies them, or an external identity provider's against its JWKS. */
export class TokenService {
  private readonly jwks: JWTVerifyGetKey | undefined;
  /** Tokens verified lately, with when to verify them again: their expiry, or VERIFIED_TTL_MS after. */
  private readonly verified = new Map<string, { subject: TokenSubject; until: number }>();

  constructor(private readonly auth: Config["auth"]) {
    this.jwks = auth.external ? createRemoteJWKSet(new URL(auth.external.jwksUrl)) : undefined;
  }

  /**
   * False when this server has no signing secret: in production
   * with only an identity provider, password sign-in is off.
   */
  get issuesTokens(): boolean {
    return this.auth.jwtSecret !== null;
  }

  /** A token of the user at their current session version (see users.session_version). */
  issue(user: { id: string; orgId: string; sessionVersion: number }): Promise<string> {
    if (!this.auth.jwtSecret) throw new Error("no signing secret: check issuesTokens before signing in");
    return new SignJWT({ org: user.orgId, ver: user.sessionVersion })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(this.auth.tokenTtl)
      .sign(this.auth.jwtSecret);
  }

  /** Verifies a bearer token; anything but a valid, unexpired token is UNAUTHENTICATED. */
  async verify(token: string): Promise<TokenSubject> {
    const now = Date.now();
    const known = this.verified.get(token);
    if (known && now < known.until) return known.subject;
    const subject = await this.verifyAfresh(token);
    this.verified.set(token, { subject, until: Math.min(now + VERIFIED_TTL_MS, this.expiresAt(token)) });
    if (this.verified.size > VERIFIED_PRUNE_ABOVE) {
      for (const [key, { until }] of this.verified) if (now >= until) this.verified.delete(key);
    }
    return subject;
  }

  /**
   * When the token stops being accepted, in milliseconds since the epoch: jose refuses a token once
   * the clock reaches `exp` (whole seconds), and so must whatever remembers an answer for it. 0 for
   * a token without `exp` or no JWT at all (such answers are not remembered).
   */
  expiresAt(token: string): number {
    try {
      return (decodeJwt(token).exp ?? 0) * 1000;
    } catch {
      return 0;
    }
  }

  private async verifyAfresh(token: string): Promise<TokenSubject> {
    try {
      const external = this.auth.external;
      if (external && this.jwks && decodeJwt(token).iss === external.issuer) {
        const { payload } = await jwtVerify(token, this.jwks, {
          algorithms: IDP_ALGORITHMS,
          issuer: external.issuer,
          audience: external.audience,
          requiredClaims: ["exp", "email"],
        });
        if (typeof payload["email"] !== "string")
          throw unauthenticated("The identity provider's token carries no email claim.");
        // The user is matched by e-mail: an address the provider has not verified could be anyone's.
        // (Some providers send the claim as a string.)
        if (payload["email_verified"] === false || payload["email_verified"] === "false") {
          throw unauthenticated("The identity provider has not verified this e-mail address.");
        }
        return { kind: "external", email: payload["email"].toLowerCase() };
      }
      if (!this.auth.jwtSecret) throw unauthenticated("The token is not valid.");
      const { payload } = await jwtVerify(token, this.auth.jwtSecret, {
        algorithms: ["HS256"],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ["exp", "sub"],
      });
      // Ids are looked up as uuids: anything else in a signed token is refused here, not by the database.
      if (
        typeof payload.sub !== "string" ||
        typeof payload["org"] !== "string" ||
        !isUuid(payload.sub) ||
        !isUuid(payload["org"])
      ) {
        throw unauthenticated("Malformed token.");
      }
      // Tokens issued before session versions carry none: they are of version 0.
      const version = payload["ver"] ?? 0;
      if (typeof version !== "number") throw unauthenticated("Malformed token.");
      return { kind: "local", userId: payload.sub, orgId: payload["org"], sessionVersion: version };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthenticated("The token has expired: sign in again.");
      if (error instanceof errors.JOSEError) throw unauthenticated("The token is not valid.");
      throw error;
    }
  }
}

/** The token of an `Authorization: Bearer <token>` header (or a bare token), else null. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== "string") return null;
  const match = /^\s*(?:Bearer\s+)?(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}
