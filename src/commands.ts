import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Config } from "./config.js";
import { type DatabaseHandle, openDatabase, pgliteDirIn } from "./db/client.js";
import { sharedSecret } from "./db/shared-secrets.js";
import { DEFAULT_DEMO_PASSWORD } from "./environment.js";
import { createLogger } from "./logger.js";
import { CODE_SYSTEMS, type CodeSystem } from "./modules/codesets/codeset.codes.js";
import { failInterruptedImports, holdsNoCodeSets } from "./modules/codesets/codeset.import-store.js";
import {
  importCodeFile,
  importShippedCodeSets,
  readShippedFiles,
  type ShippedReaders,
  shippedCodeSetsMissing,
} from "./modules/codesets/codeset.importer.js";
import { chartroomSchema } from "./schema.js";
import { type DemoSeedSummary, demoSignIns, seedDemoIfEmpty } from "./seed/demo.js";
import { type DemoDaySummary, workDemoDay } from "./seed/demo-day.js";
import { type RunningServer, startServer } from "./server.js";

function open(config: Config): Promise<DatabaseHandle> {
  return openDatabase({ url: config.databaseUrl, pgliteDir: pgliteDirIn(config.dataDir) });
}

/**
 * Runs `work` as the tables' owner: through MIGRATION_DATABASE_URL when the server's own role may
 * not change the schema (chartroom_app), else on `database`. Migrations need it, and so do code-set
 * loads, which maintain the search indexes (only an owner may).
 */
async function asOwner<T>(
  config: Config,
  database: DatabaseHandle,
  work: (owner: DatabaseHandle) => Promise<T>,
): Promise<T> {
  if (!config.migrationDatabaseUrl) return work(database);
  // A connection for each group of code sets loaded side by side (see importShippedCodeSets).
  const owner = await openDatabase({ url: config.migrationDatabaseUrl, maxConnections: 4 });
  try {
    return await work(owner);
  } finally {
    await owner.close();
  }
}

const where = (config: Config) =>
  config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${pgliteDirIn(config.dataDir)}`;

function printSignIns(organizations: DemoSeedSummary["organizations"]): void {
  for (const org of organizations) console.log(`  ${org.name}: ${org.userEmails.join(", ")}`);
}

function printDemoDay(day: DemoDaySummary): void {
  if (day.skipped) {
    console.log(`Demo claims not made: ${day.skipped}.`);
    return;
  }
  const states = Object.entries(day.claims).map(([status, count]) => `${count} ${status}`);
  console.log(
    `Demo claims: ${states.join(", ")}; ${day.batches} 837P batch(es), ${day.acknowledgements} ` +
      `acknowledgement(s), ${day.remittances} 835 payment(s) posted.`,
  );
}

/** The demo's first working day, through the API of a running server (see seed/demo-day.ts). */
async function workDemoDayOn(server: RunningServer): Promise<void> {
  printDemoDay(await workDemoDay(server.services, await chartroomSchema()));
}

function printSeedSummary(summary: DemoSeedSummary, password: string): void {
  console.log(`Demo data loaded: ${summary.patients} patients, ${summary.encounters} encounters.`);
  printSignIns(summary.organizations);
  console.log(
    `  Every demo user's password: ${password === DEFAULT_DEMO_PASSWORD ? password : "(CHARTROOM_DEMO_PASSWORD)"}`,
  );
}

/**
 * Loads the shipped code sets not yet loaded, printing each release's progress; on PostgreSQL the
 * independent groups side by side (the owner's pool has a connection for each).
 */
async function loadShippedCodeSets(
  config: Config,
  owner: DatabaseHandle,
  why: string,
  readers?: ShippedReaders,
): Promise<void> {
  if (!(await shippedCodeSetsMissing(owner.db))) return;
  console.log(`Loading the shipped code sets (${why}) …`);
  await importShippedCodeSets(owner.db, printProgress, config.codeSetsDir, {
    concurrent: owner.driver === "postgres",
    readers,
  });
}

const printProgress = (message: string) => console.log(`  ${message}`);

/**
 * On a new PGlite data dir (a first start, sure to load the code sets) the code systems' files and
 * the PTP tables are read from the start, in worker threads, while PGlite creates the database on
 * the main thread. (A PostgreSQL database is asked once connected: see serve.)
 */
function readShippedFilesEarly(config: Config): ShippedReaders | undefined {
  if (config.databaseUrl || existsSync(join(pgliteDirIn(config.dataDir), "PG_VERSION"))) return undefined;
  return readShippedFiles(config.codeSetsDir, printProgress);
}

/** How long each step of a start took, for the "Ready" line: where a slow first start spends its time. */
class Phases {
  #last = performance.now();
  readonly #spent: string[] = [];

  end(phase: string): void {
    const now = performance.now();
    const ms = Math.round(now - this.#last);
    if (ms >= 100) this.#spent.push(`${phase} ${ms} ms`);
    this.#last = now;
  }

  toString(): string {
    return this.#spent.join(", ");
  }
}

/**
 * Migrates, seeds an empty database with demo data (only when asked: CHARTROOM_SEED_DEMO=true or
 * `serve --demo`), serves until SIGTERM or SIGINT, then shuts down in order.
 */
export async function serve(config: Config): Promise<number> {
  const started = performance.now();
  const phases = new Phases();
  const log = createLogger(config.logLevel);
  let readers = readShippedFilesEarly(config);
  let setup: DatabaseHandle;
  let seeded: DemoSeedSummary | null = null;
  try {
    setup = await open(config);
    phases.end("database open");
    // On PostgreSQL, a database with no code set yet has the shipped files read while it migrates.
    if (config.databaseUrl && (await holdsNoCodeSets(setup.db))) {
      readers = readShippedFiles(config.codeSetsDir, printProgress);
    }
    const db = setup.db;
    await asOwner(config, setup, async (owner) => {
      await owner.migrate();
      phases.end("migrations");
      // The demo's people and encounters need no code set: seeded beside their load (on PostgreSQL, on
      // a connection of its own; PGlite runs the two transactions one after the other).
      const seeding = config.seedDemoOnStart ? seedDemoIfEmpty(db, { password: config.demoPassword }) : null;
      const loading = loadShippedCodeSets(config, owner, "first start only", readers).then(() =>
        phases.end("code sets"),
      );
      // Both end (commit or roll back) before a failure of either is reported.
      const [loaded, seed] = await Promise.allSettled([loading, seeding]);
      if (loaded.status === "rejected") throw loaded.reason;
      if (seed.status === "rejected") throw seed.reason;
      seeded = seed.value;
    });
  } finally {
    // Closed by the load that used them; here when none did (loaded meanwhile, or a failure before).
    await Promise.all([readers?.histories?.close(), readers?.ptp?.close()]);
  }
  if (config.databaseUrl && config.auth.secretGenerated) {
    // Instances of one PostgreSQL database share the generated secret: a token of one works on all.
    const secret = new TextEncoder().encode(await sharedSecret(setup.db, "jwt"));
    config = { ...config, auth: { ...config.auth, jwtSecret: secret } };
  }
  // A job left RUNNING by a server that was killed never ends on its own; one running on a live instance is left alone.
  const interrupted = await setup.db.transaction((tx) => failInterruptedImports(tx));
  if (interrupted > 0)
    log.warn({ jobs: interrupted }, "code-set imports interrupted by a stopped server marked FAILED");
  const signIns = seeded ? [] : await demoSignIns(setup.db);
  phases.end("demo seed");
  // The API's PostgreSQL pool cancels long statements; the bulk loads above may run longer on their own pool.
  const database = config.databaseUrl
    ? await setup
        .close()
        .then(() => openDatabase({ url: config.databaseUrl, statementTimeoutMs: config.statementTimeoutMs }))
    : setup;
  const server = await startServer({ config, database, log });
  phases.end("server");

  console.log(`Chartroom GraphQL at ${server.url} (HTTP and WebSocket), database: ${where(config)}`);
  if (seeded) {
    printSeedSummary(seeded, config.demoPassword);
    await workDemoDayOn(server);
    phases.end("demo day");
  } else if (signIns.length > 0) {
    console.log("Demo users (with the password they were seeded with):");
    printSignIns(signIns);
  }
  const spent = phases.toString();
  const ready = `Ready in ${Math.round(performance.now() - started)} ms${spent && ` (${spent})`}.`;
  console.log(`${ready} Health: /healthz, readiness: /readyz.`);

  return new Promise((resolve) => {
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "shutting down: finishing in-flight requests");
      server
        .stop()
        .then(() => database.close())
        .then(
          () => {
            log.info("stopped");
            resolve(0);
          },
          (error: unknown) => {
            log.error({ err: error }, "shutdown failed");
            resolve(1);
          },
        );
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });
}

export async function migrateOnly(config: Config): Promise<number> {
  const database = await open(config);
  try {
    await asOwner(config, database, (owner) => owner.migrate());
    console.log(`Migrations applied to ${where(config)}.`);
    return 0;
  } finally {
    await database.close();
  }
}

export async function seedOnly(config: Config): Promise<number> {
  const database = await open(config);
  try {
    await asOwner(config, database, async (owner) => {
      await owner.migrate();
      await loadShippedCodeSets(config, owner, "the demo's coding needs them");
    });
    const seeded = await seedDemoIfEmpty(database.db, { password: config.demoPassword });
    if (!seeded) {
      console.error("The database already holds organizations; the demo seed only loads into an empty database.");
      return 1;
    }
    printSeedSummary(seeded, config.demoPassword);
    // The day is worked through the API: a server on a free port for its length, with a secret of
    // its own when none is configured (its tokens never leave the process).
    const server = await startServer({
      config: {
        ...config,
        port: 0,
        shutdownDelayMs: 0,
        leaseSweepMs: 0,
        auth: { ...config.auth, jwtSecret: config.auth.jwtSecret ?? randomBytes(32) },
      },
      database,
      log: createLogger("warn"),
    });
    try {
      await workDemoDayOn(server);
    } finally {
      await server.stop();
    }
    return 0;
  } finally {
    await database.close();
  }
}

const IMPORT_USAGE = `usage: npm run import-codes [-- <file> [--system <ICD10CM|ICD10PCS|HCPCS|CPT>] [--label <release>]
                                                    [--effective-from <YYYY-MM-DD>]]
  without a file: load every shipped code set not yet loaded
  <file> as CMS publishes it; the file says its system and release:
    icd10cm_fy2026_code_descriptions_cms.zip, icd10pcs_order_2026.zip
                                        the order-file zip (or icd10cm_order_2026.txt in it)
    icd10cm_order_addenda_2027.txt      order addenda, applied to the release before
    icd10cm_tabular_2027.xml (or --tabular <file>)
                                        the tabular list's notes (Excludes1, Code first, …)
    HCPC2026_JAN_ANWEB.xlsx             the HCPCS Level II alpha-numeric file
  cpt-2026.csv --system CPT --label "2026 (licensed)" --effective-from 2026-01-01
                                        columns code, short_description, long_description`;

/**
 * `import-codes`: the shipped code sets, or one release file a user brings. Importing the same file
 * twice changes nothing.
 */
export async function importCodes(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      system: { type: "string" },
      file: { type: "string" },
      tabular: { type: "string" },
      label: { type: "string" },
      "effective-from": { type: "string" },
    },
  });
  const system = values.system?.toUpperCase();
  if (values.system !== undefined && !CODE_SYSTEMS.includes(system as CodeSystem)) {
    console.error(`Unknown code system ${values.system}.\n${IMPORT_USAGE}`);
    return 2;
  }
  const file = values.tabular ?? values.file ?? positionals[0];
  const effectiveFrom = values["effective-from"];
  if (
    positionals.length > 1 ||
    (effectiveFrom !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(effectiveFrom)) ||
    (system && !file) ||
    (values.tabular !== undefined && (values.file !== undefined || positionals.length > 0))
  ) {
    console.error(IMPORT_USAGE);
    return 2;
  }
  const database = await open(config);
  try {
    const progress = (message: string) => console.log(message);
    await asOwner(config, database, async (owner) => {
      await owner.migrate();
      if (file) {
        await importCodeFile(
          owner.db,
          {
            file,
            ...(values.tabular !== undefined && { tabular: true }),
            ...(system && { system: system as CodeSystem }),
            ...(values.label && { label: values.label }),
            ...(effectiveFrom && { effectiveFrom }),
          },
          progress,
        );
      } else {
        await importShippedCodeSets(owner.db, progress, config.codeSetsDir);
      }
    });
    return 0;
  } catch (error) {
    // Each release loads in one transaction: the one that failed wrote nothing; those before it stay imported.
    const why = error instanceof Error ? error.message : String(error);
    console.error(`Import failed; the release being loaded changed nothing: ${why}`);
    return 1;
  } finally {
    await database.close();
  }
}
