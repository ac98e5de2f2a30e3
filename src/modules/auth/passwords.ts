import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";
import { type UserErrorData, userError } from "../../shared/errors.js";

/**
 * Password hashes with scrypt, a memory-hard function: N=2^15, r=8, p=1 (32 MiB per hash).
 * Stored as `scrypt$N$r$p$salt$hash` (base64url) so the parameters can rise later
 * without invalidating existing hashes.
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r * 2 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** scrypt with a random salt, its cost kept in the stored string so it can rise without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** Compares in constant time; a hash of an unknown scheme never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await derive(password, Buffer.from(salt, "base64url"), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A fixed hash to verify against when the e-mail is unknown, so the answer takes as long either way. */
let decoy: Promise<string> | undefined;
/** Spends a verification's time on an unknown e-mail, so timing does not tell which e-mails exist. */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  await verifyPassword(password, await decoy);
  return false;
}

/** The shortest password Chartroom accepts; length is what makes a password hard to guess. */
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

/** PASSWORD_TOO_SHORT or PASSWORD_TOO_LONG for a password a user chose; null when it will do. */
export function passwordProblem(password: string, field: string[]): UserErrorData | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return userError("PASSWORD_TOO_SHORT", `At least ${MIN_PASSWORD_LENGTH} characters.`, field);
  if (password.length > MAX_PASSWORD_LENGTH)
    return userError("PASSWORD_TOO_LONG", `At most ${MAX_PASSWORD_LENGTH} characters.`, field);
  return null;
}

/** A one-time password for a new user: 16 random characters, to be changed at the first sign-in. */
export function generatedPassword(): string {
  return randomBytes(12).toString("base64url");
}
