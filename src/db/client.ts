import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { DriverValueDecoder } from "drizzle-orm";
import { Column, is, type Query, SQL, type SQLWrapper } from "drizzle-orm";
import type { Logger } from "drizzle-orm/logger";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { PgColumn, PgDialect } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { LRUCache } from "lru-cache";
import postgres from "postgres";
import { projectPath } from "../shared/project.js";
import { lockDataDir } from "./data-dir-lock.js";
import { LOCKS } from "./locks.js";
import * as schema from "./schema/index.js";

/** One type for both drivers: every store and service takes this (or a transaction, which is one too). */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export const migrationsFolder = projectPath("migrations");

export interface DatabaseHandle {
  db: Database;
  driver: "pglite" | "postgres";
  migrate(): Promise<void>;
  /** Rows of a raw statement, the same shape on both drivers. */
  rows<T = Record<string, unknown>>(statement: SQL): Promise<T[]>;
  /** Resolves when the database answers a query. */
  ping(): Promise<void>;
  /**
   * Calls `onNotify` on each NOTIFY on the channel, and `onListen` each time listening (re)starts,
   * when notifications may have been missed. Resolves to a function that stops listening.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListen: () => void): Promise<() => Promise<void>>;
  /** Sends a NOTIFY on the channel, in a statement of its own. */
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; when absent, embedded PGlite is used. */
  url?: string | undefined;
  /**
   * PGlite data folder, held by this process until `close` (see
   * lockDataDir); absent means in memory. Ignored for PostgreSQL.
   */
  pgliteDir?: string | undefined;
  /** An already-open PGlite (tests clone one from a template). */
  pglite?: PGlite | undefined;
  /** Called with every SQL statement Drizzle sends and its parameters; tests count and explain statements with it. */
  onQuery?: ((statement: string, params: unknown[]) => void) | undefined;
  /** PostgreSQL pool size. */
  maxConnections?: number | undefined;
  /** PostgreSQL cancels any statement of the pool running longer (the API's pool; bulk loads open their own). */
  statementTimeoutMs?: number | undefined;
}

/**
 * PostgreSQL when a URL is given, else PGlite (in memory or in a locked folder): one API for both, so
 * stories run on either.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const logger: Logger | undefined = options.onQuery
    ? { logQuery: (statement, params) => options.onQuery!(statement, params) }
    : undefined;

  const url = options.url;
  if (url) {
    const client = postgres(url, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      connection: {
        application_name: "chartroom",
        ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      },
    });
    const db = drizzlePostgres({ client, schema, logger }) as unknown as Database;
    return {
      db,
      driver: "postgres",
      migrate: () => migrateUnderLock(url),
      rows: <T>(statement: SQL) => selectRows<T>(db, statement),
      ping: async () => void (await client`select 1`),
      listen: async (channel, onNotify, onListen) => {
        const { unlisten } = await client.listen(channel, onNotify, onListen);
        return unlisten;
      },
      notify: async (channel, payload) => void (await client.notify(channel, payload)),
      close: () => client.end({ timeout: 5 }),
    };
  }

  const unlock = options.pgliteDir ? await lockDataDir(options.pgliteDir) : async () => {};
  const pglite =
    options.pglite ??
    (await createPglite(options.pgliteDir).catch(async (error: unknown) => {
      await unlock();
      throw error;
    }));
  const db = drizzlePglite({ client: pglite, schema, logger }) as unknown as Database;
  return {
    db,
    driver: "pglite",
    migrate: () => migratePglite(drizzlePglite({ client: pglite }), { migrationsFolder }),
    rows: <T>(statement: SQL) => selectRows<T>(db, statement),
    ping: async () => void (await pglite.query("select 1")),
    listen: async (channel, onNotify, onListen) => {
      const unlisten = await pglite.listen(channel, onNotify);
      onListen();
      return unlisten;
    },
    notify: async (channel, payload) => void (await pglite.query("select pg_notify($1, $2)", [channel, payload])),
    close: async () => {
      await pglite.close();
      await unlock();
    },
  };
}

/**
 * Instances starting together must not apply the same migration twice: they take turns on an
 * advisory lock. A one-connection client keeps the lock and the migration on the same session.
 */
async function migrateUnderLock(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${LOCKS.migration})`;
    await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
    await client`select pg_advisory_unlock(${LOCKS.migration})`;
  } finally {
    await client.end();
  }
}

/**
 * A PGlite with the extensions Chartroom's migrations create; `loadDataDir` restores a dump
 * (tests). It keeps at most 64 MB of write-ahead log instead of PostgreSQL's 1 GB: loading the
 * code sets would otherwise leave ~600 MB of spent WAL on a laptop's disk. Its WAL is minimal (no
 * replica ever reads it): a table emptied and an index built in the loading transaction then write
 * no WAL at all. Start parameters, not `alter system`, which would take effect only from the next
 * open: a new data dir is opened once.
 */
export async function createPglite(dataDir?: string, loadDataDir?: Blob): Promise<PGlite> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  return PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    extensions: { pg_trgm },
    startParams: [
      ...PGlite.defaultStartParams,
      ...["-c", "min_wal_size=32MB", "-c", "max_wal_size=64MB", "-c", "wal_level=minimal", "-c", "max_wal_senders=0"],
    ],
  });
}

/** Rows of a raw statement on either driver (postgres.js answers an array, PGlite an object with `rows`). */
export async function selectRows<T>(db: Database, statement: SQL): Promise<T[]> {
  const result = (await db.execute(statement)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? [...result] : result.rows;
}

const dialect = new PgDialect();

/** A statement's select list: columns and expressions, and tables' columns (`getTableColumns`) as nested rows. */
export type Selection = Record<string, PgColumn | SQL | Record<string, PgColumn>>;

/**
 * Raw statements of one kind, built and compiled once per `key` with `sql.placeholder(name)` for what
 * changes between runs, their select list `columns`, each value mapped as Drizzle maps the column's own
 * (a timestamp as a Date on either driver). A hot path then builds no query: it fills the placeholders.
 * A nested row (a left-joined table's columns) whose columns are all null is null: its row is absent.
 * On PostgreSQL each statement is prepared, each connection planning its text once, as Drizzle's
 * `.prepare()` does. The least recently used of more than `max` keys is forgotten.
 */
export class StatementCache<T> {
  readonly #compiled: LRUCache<string, Query>;
  readonly #fields: { path: string[]; field: PgColumn | SQL }[];
  /** Each field's place in a row, and how its value is mapped (null: as it comes). */
  readonly #readers: { key: string; nested: string | null; decode: ((value: unknown) => unknown) | null }[];
  readonly #nested: string[];

  constructor(columns: Selection, max = 1_000) {
    this.#compiled = new LRUCache({ max });
    this.#fields = Object.entries(columns).flatMap(([key, field]) =>
      is(field, PgColumn) || is(field, SQL)
        ? [{ path: [key], field }]
        : Object.entries(field).map(([name, column]) => ({ path: [key, name], field: column })),
    );
    this.#readers = this.#fields.map(({ path, field }) => {
      // An SQL's decoder is what `mapWith` gave it; Drizzle's mapper reads it there too, though its type hides it.
      const decoder = is(field, PgColumn)
        ? field
        : (field as unknown as { decoder: DriverValueDecoder<unknown, unknown> }).decoder;
      const asIs = decoder.mapFromDriverValue === Column.prototype.mapFromDriverValue;
      return {
        key: path.at(-1)!,
        nested: path.length === 2 ? path[0]! : null,
        decode: asIs ? null : (value: unknown) => decoder.mapFromDriverValue(value),
      };
    });
    this.#nested = Object.entries(columns).flatMap(([key, field]) =>
      is(field, PgColumn) || is(field, SQL) ? [] : [key],
    );
  }

  async run(db: Database, key: string, build: () => SQLWrapper, values: Record<string, unknown>): Promise<T[]> {
    let query = this.#compiled.get(key);
    if (!query) {
      query = dialect.sqlToQuery(build().getSQL());
      this.#compiled.set(key, query);
    }
    // postgres.js names and caches the statement by its text; the name only switches preparing on. The rows
    // come as arrays, mapped here by readers made once, rather than by Drizzle's mapper, which works out
    // each value's decoder and path again for every row.
    const prepared = db._.session.prepareQuery(query, this.#fields, "chartroom", false, (rows) =>
      (rows as unknown[][]).map((row) => this.#map(row)),
    );
    return (await prepared.execute(values)) as T[];
  }

  /** A row as Drizzle maps it: values by name, a table's columns nested, null when all of them are (absent). */
  #map(raw: unknown[]): Record<string, unknown> {
    const row: Record<string, unknown> = {};
    this.#readers.forEach(({ key, nested, decode }, i) => {
      const value = raw[i] === null || !decode ? raw[i] : decode(raw[i]);
      if (nested === null) {
        row[key] = value;
        return;
      }
      row[nested] ??= {};
      (row[nested] as Record<string, unknown>)[key] = value;
    });
    for (const key of this.#nested) {
      if (Object.values(row[key] as Record<string, unknown>).every((value) => value === null)) row[key] = null;
    }
    return row;
  }
}

/** The PGlite folder inside Chartroom's data dir. */
export const pgliteDirIn = (dataDir: string) => join(dataDir, "pgdata");
