import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../../src/db/client.js";
import { createScratchDatabase } from "../../../src/db/databases.js";
import { holdsNoCodeSets } from "../../../src/modules/codesets/codeset.import-store.js";
import { cloneTemplate } from "../../helpers/template.js";

/** A new database, not yet migrated: a scratch PostgreSQL database, or an in-memory PGlite. */
async function newDatabase(): Promise<{ handle: DatabaseHandle; drop(): Promise<void> }> {
  const template = inject("database");
  if (template.driver === "pglite") {
    const handle = await openDatabase({});
    return { handle, drop: () => handle.close() };
  }
  const scratch = await createScratchDatabase(
    template.url,
    `chartroom_new_${randomUUID().replaceAll("-", "").slice(0, 12)}`,
  );
  const handle = await openDatabase({ url: scratch.url });
  return {
    handle,
    drop: async () => {
      await handle.close();
      await scratch.drop();
    },
  };
}

describe("whether a start reads the shipped code-set files before it migrates", () => {
  it("a new database, migrated or not, holds no code set: its first start reads them while it migrates", async () => {
    const { handle, drop } = await newDatabase();
    try {
      expect(await holdsNoCodeSets(handle.db)).toBe(true);
      await handle.migrate();
      expect(await holdsNoCodeSets(handle.db)).toBe(true);
    } finally {
      await drop();
    }
  });

  it("a database whose code sets are loaded reads none of them again", async () => {
    const database = await cloneTemplate(inject("database"));
    try {
      expect(await holdsNoCodeSets(database.db)).toBe(false);
    } finally {
      await database.close();
    }
  });
});
