import { and, eq, gt, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { loginAddressFailures, loginFailures } from "../../db/schema/users.js";

/** The per-account rule in seconds: free failures, the first wait, the longest wait, and how long failures are kept. */
export interface AccountRule {
  limit: number;
  delaySeconds: number;
  maxDelaySeconds: number;
  keptSeconds: number;
}

const secondsUntil = (moment: SQL | typeof loginFailures.lockedUntil) =>
  sql<number>`greatest(1, ceil(extract(epoch from ${moment} - now())))::int`;

/**
 * Counts a sign-in attempt on an e-mail as a failure before its password is
 * checked (a success deletes the row), in one upsert: the row lock makes parallel attempts take
 * turns, so no more of them pass than the rule allows. From the `limit`-th failure on, each one
 * sets a wait that doubles per failure, up to the longest; while it runs nothing is counted and
 * no row comes back. The exponent is capped so a long attack cannot overflow it.
 */
export async function countAccountAttempt(db: Database, email: string, rule: AccountRule): Promise<boolean> {
  const forgotten = sql`${loginFailures.lastFailedAt} <= now() - make_interval(secs => ${rule.keptSeconds})`;
  const failures = sql`case when ${forgotten} then 1 else ${loginFailures.failures} + 1 end`;
  const lockedUntil = (count: SQL) => sql`case when ${count} >= ${rule.limit}
    then now() + make_interval(secs => least(
      ${rule.delaySeconds}::float8 * power(2, least(${count} - ${rule.limit}, 30)),
      ${rule.maxDelaySeconds}::float8
    ))
    end`;
  const counted = await db
    .insert(loginFailures)
    .values({
      email,
      failures: 1,
      lastFailedAt: sql`now()` as unknown as Date,
      lockedUntil: lockedUntil(sql`1`) as unknown as Date,
    })
    .onConflictDoUpdate({
      target: loginFailures.email,
      set: { failures, lastFailedAt: sql`now()`, lockedUntil: lockedUntil(failures) },
      setWhere: sql`${loginFailures.lockedUntil} is null or ${loginFailures.lockedUntil} <= now()`,
    })
    .returning({ failures: loginFailures.failures });
  return counted.length > 0;
}

/** How long sign-in on this e-mail still waits; at least a second, so a refusal never says "now". */
export async function accountWaitSeconds(db: Database, email: string): Promise<number> {
  const [row] = await db
    .select({ seconds: secondsUntil(loginFailures.lockedUntil) })
    .from(loginFailures)
    .where(eq(loginFailures.email, email));
  return row?.seconds ?? 1;
}

/** A successful sign-in forgets the e-mail's failures. */
export async function clearAccountFailures(db: Database, email: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.email, email));
}

/**
 * Counts a sign-in attempt from a client address before its password is
 * checked, in a fixed window, in one upsert; at the limit nothing is counted and no row comes back.
 */
export async function countAddressAttempt(
  db: Database,
  address: string,
  limit: number,
  windowSeconds: number,
): Promise<boolean> {
  const expired = sql`${loginAddressFailures.windowStartedAt} <= now() - make_interval(secs => ${windowSeconds})`;
  const counted = await db
    .insert(loginAddressFailures)
    .values({ address, failures: 1, windowStartedAt: sql`now()` as unknown as Date })
    .onConflictDoUpdate({
      target: loginAddressFailures.address,
      set: {
        failures: sql`case when ${expired} then 1 else ${loginAddressFailures.failures} + 1 end`,
        windowStartedAt: sql`case when ${expired} then now() else ${loginAddressFailures.windowStartedAt} end`,
      },
      setWhere: sql`${expired} or ${loginAddressFailures.failures} < ${limit}`,
    })
    .returning({ failures: loginAddressFailures.failures });
  return counted.length > 0;
}

/** How long until the address's window ends. */
export async function addressWaitSeconds(db: Database, address: string, windowSeconds: number): Promise<number> {
  const [row] = await db
    .select({
      seconds: secondsUntil(sql`${loginAddressFailures.windowStartedAt} + make_interval(secs => ${windowSeconds})`),
    })
    .from(loginAddressFailures)
    .where(eq(loginAddressFailures.address, address));
  return row?.seconds ?? 1;
}

/**
 * Gives back an attempt that was not a
 * failure: it succeeded, or the e-mail's wait refused it unchecked.
 */
export async function uncountAddressAttempt(db: Database, address: string): Promise<void> {
  await db
    .update(loginAddressFailures)
    .set({ failures: sql`${loginAddressFailures.failures} - 1` })
    .where(and(eq(loginAddressFailures.address, address), gt(loginAddressFailures.failures, 0)));
}
