import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, startApi, type TestApi } from "../../helpers/api.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";
import { adminWithImportFolder, ended, IMPORT, imported, JOBS } from "./import-folder.js";

/** Real entries of CMS's FY2026 tabular list (see its README). */
const TABULAR = new URL("../../fixtures/tabular/icd10cm_tabular_2026.xml", import.meta.url).pathname;

/*
 * An administrator loads a code-set release through the API: the file is put in the server's import
 * folder (as an operator copies a download there), the mutation starts the import, and the job
 * query shows it running and how it ended.
 */
describe("an administrator imports a code-set release through the API and watches it", () => {
  let api: TestApi;
  let org: Organization;
  let admin: string;
  let folder: string;

  beforeAll(async () => {
    ({ api, org, admin, folder } = await adminWithImportFolder());
  });
  afterAll(() => api.close());

  const start = async (file: string, token = admin) => api.gql(IMPORT, { input: { file } }, token);
  const notes = async () =>
    Number((await api.database.rows<{ n: string }>(sql`select count(*) as n from code_notes`))[0]!.n);

  it("loads the tabular list from the import folder: RUNNING, then SUCCEEDED with the release and rows", async () => {
    copyFileSync(TABULAR, join(folder, "icd10cm_tabular_2026.xml"));
    const started = await start("icd10cm_tabular_2026.xml");
    expect(started.errors).toBeUndefined();
    const { job, userErrors } = started.data!["importCodeSetRelease"];
    expect(userErrors).toEqual([]);
    expect(job).toMatchObject({ file: "icd10cm_tabular_2026.xml", state: "RUNNING" });

    const done = await ended(api, admin, job.id);
    expect(done).toMatchObject({
      state: "SUCCEEDED",
      requestedBy: { email: org.email("admin") },
      release: { dataset: "ICD10CM_TABULAR", label: "FY2026", effectiveFrom: "2025-10-01", rowCount: 60 },
      error: null,
    });
    expect(done.finishedAt).not.toBeNull();
    expect(done.progress[0]).toBe("ICD10CM_TABULAR FY2026: loading icd10cm_tabular_2026.xml …");
    expect(done.progress[1]).toMatch(/^ICD10CM_TABULAR FY2026: 60 rows in \d+\.\d s$/);
    expect(await notes()).toBe(60);

    // The same file again changes nothing, and says so.
    const again = await imported(api, admin, "icd10cm_tabular_2026.xml");
    expect(again).toMatchObject({ state: "SUCCEEDED", release: { label: "FY2026", rowCount: 60 } });
    expect(again.progress).toEqual(["ICD10CM_TABULAR FY2026: already imported (same file), nothing to do"]);
    expect(await notes()).toBe(60);
  });

  it("ends a bad file's job FAILED with a code and the file's line, and writes nothing of it", async () => {
    const before = await notes();
    const truncated = readFileSync(TABULAR, "utf8")
      .slice(0, 5000)
      .replace("<version>2026</version>", "<version>2027</version>");
    writeFileSync(join(folder, "icd10cm_tabular_2027.xml"), `${truncated}</oops>`);
    const failed = await imported(api, admin, "icd10cm_tabular_2027.xml");
    expect(failed.state).toBe("FAILED");
    expect(failed.release).toBeNull();
    expect(failed.error!.code).toBe("FILE_REFUSED");
    expect(failed.error!.message).toMatch(/^icd10cm_tabular_2027\.xml, line \d+: not well-formed XML/);
    expect(await notes()).toBe(before);
  });

  it("answers a name outside the import folder, or of no file in it, with a userError and starts nothing", async () => {
    const refused = async (file: string) => (await start(file)).data!["importCodeSetRelease"];
    expect(await refused("../pgdata/PG_VERSION")).toMatchObject({
      job: null,
      userErrors: [{ code: "FILE_NAME_INVALID", field: ["file"] }],
    });
    expect(await refused("icd10cm_tabular_2031.xml")).toMatchObject({
      job: null,
      userErrors: [{ code: "FILE_NOT_FOUND", field: ["file"] }],
    });
  });

  it("is for administrators: anyone else is FORBIDDEN, to start an import or to read the jobs", async () => {
    for (const login of ["coder2", "supervisor", "biller1"]) {
      const token = await org.signIn(login);
      expect(codes(await start("icd10cm_tabular_2026.xml", token))).toEqual(["FORBIDDEN"]);
      expect(codes(await api.gql(JOBS, {}, token))).toEqual(["FORBIDDEN"]);
    }
  });
});

describe("an administrator imports an older tabular list after a newer one", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it("refuses it as RELEASE_OUT_OF_ORDER and keeps the newer one's notes", async () => {
    const org = await givenOrganization(api);
    const admin = await org.signIn("admin");
    const folder = join(api.config.dataDir, "code-set-imports");
    mkdirSync(folder, { recursive: true });
    copyFileSync(TABULAR, join(folder, "icd10cm_tabular_2026.xml"));
    writeFileSync(
      join(folder, "icd10cm_tabular_2025.xml"),
      readFileSync(TABULAR, "utf8").replace("<version>2026</version>", "<version>2025</version>"),
    );
    expect(await imported(api, admin, "icd10cm_tabular_2026.xml")).toMatchObject({ state: "SUCCEEDED" });
    const older = await imported(api, admin, "icd10cm_tabular_2025.xml");
    expect(older).toMatchObject({ state: "FAILED", release: null, error: { code: "RELEASE_OUT_OF_ORDER" } });
    expect(older.error!.message).toBe(
      "ICD10CM_TABULAR FY2025 starts 2024-10-01, before the imported FY2026 (2025-10-01): import releases oldest first",
    );
    const notes = await api.database.rows<{ n: string }>(sql`select count(*) as n from code_notes`);
    expect(Number(notes[0]!.n)).toBe(60);
  });
});
