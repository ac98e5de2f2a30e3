import { DEFAULT_DEMO_PASSWORD, type Config } from "./config.js";
import { openDatabase, pgliteDirIn, type DatabaseHandle } from "./db/client.js";
import { createLogger } from "./logger.js";
import { demoSignIns, seedDemoIfEmpty, type DemoSeedSummary } from "./seed/demo.js";
import { startServer } from "./server.js";

function open(config: Config): Promise<DatabaseHandle> {
  return openDatabase({ url: config.databaseUrl, pgliteDir: pgliteDirIn(config.dataDir) });
}

const where = (config: Config) => (config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${pgliteDirIn(config.dataDir)}`);

function printSignIns(organizations: DemoSeedSummary["organizations"]): void {
  for (const org of organizations) console.log(`  ${org.name}: ${org.userEmails.join(", ")}`);
}

function printSeedSummary(summary: DemoSeedSummary, password: string): void {
  console.log(`Demo data loaded: ${summary.patients} patients, ${summary.encounters} encounters.`);
  printSignIns(summary.organizations);
  console.log(`  Every demo user's password: ${password === DEFAULT_DEMO_PASSWORD ? password : "(CHARTROOM_DEMO_PASSWORD)"}`);
}

/**
 * Migrates, seeds an empty database with demo data (not in production unless CHARTROOM_SEED_DEMO=true),
 * serves until SIGTERM or SIGINT, then shuts down in order.
 */
export async function serve(config: Config): Promise<number> {
  const started = performance.now();
  const log = createLogger(config.logLevel);
  const database = await open(config);
  await database.migrate();
  const seeded = config.seedDemoOnStart ? await seedDemoIfEmpty(database.db, { password: config.demoPassword }) : null;
  const signIns = seeded ? [] : await demoSignIns(database.db);
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
    await database.migrate();
    console.log(`Migrations applied to ${where(config)}.`);
    return 0;
  } finally {
    await database.close();
  }
}

export async function seedOnly(config: Config): Promise<number> {
  const database = await open(config);
  try {
    await database.migrate();
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
