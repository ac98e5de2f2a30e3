import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { runChartroom, SPAWNED_SERVER_MS } from "../../helpers/process.js";
import { cloneTemplate } from "../../helpers/template.js";

describe("database commands", () => {
  it(
    "migrate and seed leave no signing secret behind: only serving needs one",
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "chartroom-commands-"));
      const template = inject("database");
      const database = template.driver === "postgres" ? await cloneTemplate(template) : null;
      try {
        const environment = { CHARTROOM_DATA_DIR: dataDir, DATABASE_URL: database?.url ?? "" };
        const migrated = await runChartroom(["migrate"], environment);
        expect(migrated.code, migrated.output).toBe(0);
        // An empty PGlite gets the demo; the PostgreSQL clone already holds it, and seed says so.
        const seeded = await runChartroom(["seed"], environment);
        expect(seeded.code, seeded.output).toBe(database ? 1 : 0);
        expect(existsSync(join(dataDir, "jwt-secret"))).toBe(false);
      } finally {
        await database?.close();
      }
    },
    SPAWNED_SERVER_MS,
  );
});
