import postgres from "postgres";

/** The URL of another database on the same PostgreSQL server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export interface ScratchDatabase {
  url: string;
  /** Drops the database, ending whatever connections are still open on it. */
  drop(): Promise<void>;
}

/**
 * A new database on the PostgreSQL server `url` names, empty or a copy of `template`: what a test
 * file or a benchmark runs on, so that neither touches the database the URL itself names.
 */
export async function createScratchDatabase(url: string, name: string, template?: string): Promise<ScratchDatabase> {
  await onServer(url, (admin) =>
    template
      ? admin`create database ${admin(name)} template ${admin(template)}`
      : admin`create database ${admin(name)}`,
  );
  return {
    url: withDatabase(url, name),
    drop: () => onServer(url, (admin) => admin`drop database if exists ${admin(name)} with (force)`),
  };
}

/**
 * One statement on a short-lived single connection (CREATE and
 * DROP DATABASE refuse to run in a transaction or pool).
 */
async function onServer(url: string, statement: (admin: postgres.Sql) => Promise<unknown>): Promise<void> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await statement(admin);
  } finally {
    await admin.end();
  }
}
