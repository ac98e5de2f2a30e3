import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "./client.js";
import { sharedSecrets } from "./schema/secrets.js";

/**
 * The secret for `purpose` that every instance of this database uses: the first caller's, generated
 * here. Insert-if-absent, then read: instances starting at once all read the row that won.
 */
export async function sharedSecret(db: Database, purpose: string): Promise<string> {
  await db
    .insert(sharedSecrets)
    .values({ purpose, secret: randomBytes(48).toString("base64url") })
    .onConflictDoNothing();
  const [row] = await db
    .select({ secret: sharedSecrets.secret })
    .from(sharedSecrets)
    .where(eq(sharedSecrets.purpose, purpose));
  if (!row) throw new Error(`no shared secret for ${purpose}`);
  return row.secret;
}
