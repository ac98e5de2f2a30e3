import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { createPglite, openDatabase } from "../src/db/client.js";
import { createScratchDatabase } from "../src/db/databases.js";
import { DEFAULT_DEMO_PASSWORD } from "../src/environment.js";
import { importShippedCodeSets } from "../src/modules/codesets/codeset.importer.js";
import { seedDemo } from "../src/seed/demo.js";
import type { TemplateInfo } from "./helpers/template.js";

declare module "vitest" {
  export interface ProvidedContext {
    database: TemplateInfo;
  }
}

/** Migrates, seeds and loads the shipped code sets into one template database per run; test files clone it. */
export default async function setup(project: TestProject) {
  const url = process.env["TEST_DATABASE_URL"] ?? process.env["DATABASE_URL"];
  if (url) {
    const template = `chartroom_template_${process.pid}`;
    const scratch = await createScratchDatabase(url, template);
    const database = await openDatabase({ url: scratch.url, maxConnections: 1 });
    await database.migrate();
    await seedDemo(database.db, { password: DEFAULT_DEMO_PASSWORD });
    await importShippedCodeSets(database.db, () => {});
    await database.close();
    // Cloning refuses a template anyone is connected to, and autovacuum connects to busy new
    // databases: closed to connections, the template is left alone (clones open as usual).
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin`alter database ${admin(template)} with allow_connections false`;
    await admin.end();
    project.provide("database", { driver: "postgres", url, template });
    return () => scratch.drop();
  }

  const dir = mkdtempSync(join(tmpdir(), "chartroom-template-"));
  // On disk, not in memory: a new data dir gets a small WAL limit, which keeps the dump each test file loads small.
  const pglite = await createPglite(join(dir, "pgdata"));
  const database = await openDatabase({ pglite });
  await database.migrate();
  await seedDemo(database.db, { password: DEFAULT_DEMO_PASSWORD });
  await importShippedCodeSets(database.db, () => {});
  await pglite.query("checkpoint");
  const dump = await pglite.dumpDataDir("none");
  await database.close();
  const dumpFile = join(dir, "template.tar");
  writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  project.provide("database", { driver: "pglite", dumpFile });
  return () => rmSync(dir, { recursive: true, force: true });
}
