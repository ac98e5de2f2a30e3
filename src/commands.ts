import { parseArgs } from "node:util";
import { type Config, DEFAULT_DEMO_PASSWORD } from "./config.js";
import { type DatabaseHandle, openDatabase, pgliteDirIn } from "./db/client.js";
import { createLogger } from "./logger.js";
import { CODE_SYSTEMS, type CodeSystem } from "./modules/codesets/codeset.codes.js";
import { importCodeFile, importShippedCodeSets, shippedCodeSetsMissing } from "./modules/codesets/codeset.importer.js";
import { type DemoSeedSummary, demoSignIns, seedDemoIfEmpty } from "./seed/demo.js";
import { startServer } from "./server.js";

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
  const owner = await openDatabase({ url: config.migrationDatabaseUrl, maxConnections: 1 });
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

function printSeedSummary(summary: DemoSeedSummary, password: string): void {
  console.log(`Demo data loaded: ${summary.patients} patients, ${summary.encounters} encounters.`);
  printSignIns(summary.organizations);
  console.log(
    `  Every demo user's password: ${password === DEFAULT_DEMO_PASSWORD ? password : "(CHARTROOM_DEMO_PASSWORD)"}`,
  );
}

/**
 * Migrates, seeds an empty database with demo data (only when asked: CHARTROOM_SEED_DEMO=true or
 * `serve --demo`), serves until SIGTERM or SIGINT, then shuts down in order.
 */
export async function serve(config: Config): Promise<number> {
  const started = performance.now();
  const log = createLogger(config.logLevel);
  const setup = await open(config);
  await asOwner(config, setup, async (owner) => {
    await owner.migrate();
    if (await shippedCodeSetsMissing(owner.db)) {
      console.log("Loading the shipped code sets (first start only; a few minutes at most) …");
      await importShippedCodeSets(owner.db, (message) => console.log(`  ${message}`), config.codeSetsDir);
    }
  });
  const seeded = config.seedDemoOnStart ? await seedDemoIfEmpty(setup.db, { password: config.demoPassword }) : null;
  const signIns = seeded ? [] : await demoSignIns(setup.db);
  // The API's PostgreSQL pool cancels long statements; the bulk loads above may run longer on their own pool.
  const database = config.databaseUrl
    ? await setup
        .close()
        .then(() => openDatabase({ url: config.databaseUrl, statementTimeoutMs: config.statementTimeoutMs }))
    : setup;
  const server = await startServer({ config, database, log });

  console.log(`Chartroom GraphQL at ${server.url} (HTTP and WebSocket), database: ${where(config)}`);
  if (seeded) printSeedSummary(seeded, config.demoPassword);
  else if (signIns.length > 0) {
    console.log("Demo users (with the password they were seeded with):");
    printSignIns(signIns);
  }
  console.log(`Ready in ${Math.round(performance.now() - started)} ms. Health: /healthz, readiness: /readyz.`);

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
    await asOwner(config, database, (owner) => owner.migrate());
    const seeded = await seedDemoIfEmpty(database.db, { password: config.demoPassword });
    if (!seeded) {
      console.error("The database already holds organizations; the demo seed only loads into an empty database.");
      return 1;
    }
    printSeedSummary(seeded, config.demoPassword);
    return 0;
  } finally {
    await database.close();
  }
}

const IMPORT_USAGE = `usage: npm run import-codes [-- --system <ICD10CM|ICD10PCS|HCPCS|CPT> --file <path> --label <release> --effective-from <YYYY-MM-DD>]
  without options: load every shipped code set not yet loaded
  --system ICD10CM|ICD10PCS --file <CMS order file>   e.g. icd10cm_order_2025.txt, --label FY2025 --effective-from 2024-10-01
  --system HCPCS --file <extract.tsv>
  --system CPT --file <licensed.csv>                    columns code, short_description, long_description`;

/** `import-codes`: the shipped code sets, or one release file a user brings. Importing the same file twice changes nothing. */
export async function importCodes(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      system: { type: "string" },
      file: { type: "string" },
      label: { type: "string" },
      "effective-from": { type: "string" },
    },
  });
  const system = values.system?.toUpperCase();
  if (values.system !== undefined && !CODE_SYSTEMS.includes(system as CodeSystem)) {
    console.error(`Unknown code system ${values.system}.\n${IMPORT_USAGE}`);
    return 2;
  }
  const effectiveFrom = values["effective-from"];
  if (system && (!values.file || !values.label || !effectiveFrom || !/^\d{4}-\d{2}-\d{2}$/.test(effectiveFrom))) {
    console.error(`--system needs --file, --label and --effective-from (YYYY-MM-DD).\n${IMPORT_USAGE}`);
    return 2;
  }
  const database = await open(config);
  try {
    const progress = (message: string) => console.log(message);
    await asOwner(config, database, async (owner) => {
      await owner.migrate();
      if (system) {
        await importCodeFile(
          owner.db,
          { system: system as CodeSystem, file: values.file!, label: values.label!, effectiveFrom: effectiveFrom! },
          progress,
        );
      } else {
        await importShippedCodeSets(owner.db, progress, config.codeSetsDir);
      }
    });
    return 0;
  } catch (error) {
    // Each release loads in one transaction: the one that failed wrote nothing; those before it stay imported.
    console.error(
      `Import failed; the release being loaded changed nothing: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  } finally {
    await database.close();
  }
}
