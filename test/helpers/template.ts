import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { createPglite, openDatabase, type DatabaseHandle, type OpenDatabaseOptions } from "../../src/db/client.js";

/**
 * Every test file gets its own database, cloned from a template that global setup
 * migrated and seeded once: a PostgreSQL template database when TEST_DATABASE_URL
 * (or DATABASE_URL) is set, else a PGlite data-dir dump.
 */
export type TemplateInfo = { driver: "postgres"; url: string; template: string } | { driver: "pglite"; dumpFile: string };

/** The URL of another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export interface TestDatabase extends DatabaseHandle {
  /** Closes and, on PostgreSQL, drops the clone. */
  close(): Promise<void>;
  /** A URL a child process can use; PostgreSQL only. */
  url: string | undefined;
}

export async function cloneTemplate(info: TemplateInfo, options: Pick<OpenDatabaseOptions, "onQuery" | "maxConnections"> = {}): Promise<TestDatabase> {
  if (info.driver === "pglite") {
    const pglite = await createPglite(undefined, new Blob([readFileSync(info.dumpFile)]));
    return { ...(await openDatabase({ pglite, ...options })), url: undefined };
  }
  const name = `chartroom_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = postgres(info.url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${info.template}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(info.url, name);
  const handle = await openDatabase({ url, ...options });
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      const dropper = postgres(info.url, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
