import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runChartroom, SPAWNED_SERVER_MS } from "../../helpers/process.js";

/** Real entries of CMS's FY2026 tabular list (see its README). */
const TABULAR = new URL("../../fixtures/tabular/icd10cm_tabular_2026.xml", import.meta.url).pathname;

describe("an administrator loads the tabular list with npm run import-codes", () => {
  it(
    "reads it with --tabular whatever its name; a file that does not parse is refused naming its line",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "chartroom-tabular-cli-"));
      const environment = { DATABASE_URL: "", CHARTROOM_DATA_DIR: dir };
      const renamed = join(dir, "tabular-october.xml");
      copyFileSync(TABULAR, renamed);

      const loaded = await runChartroom(["import-codes", "--tabular", renamed], environment);
      expect(loaded.code, loaded.output).toBe(0);
      expect(loaded.output).toContain("ICD10CM_TABULAR FY2026: loading tabular-october.xml …");
      expect(loaded.output).toMatch(/ICD10CM_TABULAR FY2026: 60 rows in \d+\.\d s/);

      const broken = join(dir, "icd10cm_tabular_2027.xml");
      writeFileSync(
        broken,
        readFileSync(TABULAR, "utf8")
          .replace("<version>2026</version>", "<version>2027</version>")
          .replace("</chapter>\n  <chapter>", "</chapter>\n  </chapter>"),
      );
      const refused = await runChartroom(["import-codes", broken], environment);
      expect(refused.code, refused.output).toBe(1);
      expect(refused.output).toMatch(/Import failed; the release being loaded changed nothing: icd10cm_tabular_2027/);
      expect(refused.output).toMatch(/icd10cm_tabular_2027\.xml, line \d+: not well-formed XML/);
    },
    SPAWNED_SERVER_MS,
  );
});
