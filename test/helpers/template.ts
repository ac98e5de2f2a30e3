import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createPglite, type DatabaseHandle, type OpenDatabaseOptions, openDatabase } from "../../src/db/client.js";
import { createScratchDatabase } from "../../src/db/databases.js";

/**
 * Every test file gets its own database, cloned from a template that global setup
 * migrated and seeded once: a PostgreSQL template database when TEST_DATABASE_URL
 * (or DATABASE_URL) is set, else a PGlite data-dir dump.
 */
export type TemplateInfo =
  | { driver: "postgres"; url: string; template: string }
  | { driver: "pglite"; dumpFile: string };

export interface TestDatabase extends DatabaseHandle {
  /** Closes and, on PostgreSQL, drops the clone. */
  close(): Promise<void>;
  /** A URL a child process can use; PostgreSQL only. */
  url: string | undefined;
}

export async function cloneTemplate(
  info: TemplateInfo,
  options: Pick<OpenDatabaseOptions, "onQuery" | "maxConnections" | "statementTimeoutMs"> = {},
): Promise<TestDatabase> {
  if (info.driver === "pglite") {
    const pglite = await createPglite(undefined, new Blob([readFileSync(info.dumpFile)]));
    return { ...(await openDatabase({ pglite, ...options })), url: undefined };
  }
  const scratch = await createScratchDatabase(
    info.url,
    `chartroom_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`,
    info.template,
  );
  const handle = await openDatabase({ url: scratch.url, ...options });
  return {
    ...handle,
    url: scratch.url,
    close: async () => {
      await handle.close();
      await scratch.drop();
    },
  };
}
