import { randomUUID } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPglite, type DatabaseHandle, openDatabase } from "../../../src/db/client.js";
import { DEFAULT_DEMO_PASSWORD } from "../../../src/environment.js";
import { codeSetImports } from "../../../src/modules/codesets/index.js";
import { TEST_JWT_SECRET, type TestApi } from "../../helpers/api.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";
import { SPAWNED_SERVER_MS, startServe, stopServe } from "../../helpers/process.js";
import { cloneTemplate } from "../../helpers/template.js";
import { adminWithImportFolder } from "./import-folder.js";

/** Real entries of CMS's FY2026 tabular list (see its README). */
const TABULAR = new URL("../../fixtures/tabular/icd10cm_tabular_2026.xml", import.meta.url).pathname;

const IMPORT = `mutation ($input: ImportCodeSetReleaseInput!) { importCodeSetRelease(input: $input) {
  job { id state } userErrors { code } } }`;
const EVENTS = `subscription ($jobId: ID!, $after: String) { codeSetImportJobEvents(jobId: $jobId, after: $after) {
  cursor type line at job { id state progress release { label rowCount } error { code } } } }`;

interface JobEvent {
  cursor: string;
  type: string;
  line: string | null;
  job: { id: string; state: string; progress: string[]; release: { label: string } | null; error: { code: string } };
}

/** Every event a subscription delivers until the server completes it, or the errors it ends with. */
function untilComplete(
  client: Client,
  variables: Record<string, unknown>,
): Promise<{ events: JobEvent[]; errors?: any }> {
  const events: JobEvent[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not completed: ${JSON.stringify(events)}`)), 60_000);
    client.subscribe<{ codeSetImportJobEvents: JobEvent }>(
      { query: EVENTS, variables },
      {
        next: (value) => {
          if (value.errors) {
            clearTimeout(timer);
            resolve({ events, errors: value.errors });
          } else events.push(value.data!.codeSetImportJobEvents);
        },
        error: (errors) => {
          clearTimeout(timer);
          resolve({ events, errors });
        },
        complete: () => {
          clearTimeout(timer);
          resolve({ events });
        },
      },
    );
  });
}

/*
 * An administrator starts a code-set import and follows it live over graphql-ws: the server pushes
 * each progress line as the importer writes it, and the end, through the events outbox (so any
 * instance can deliver it, and a dropped connection resumes with `after`).
 */
describe("an administrator follows a code-set import as the server pushes its progress", () => {
  let api: TestApi;
  let org: Organization;
  let admin: string;
  let folder: string;

  beforeAll(async () => {
    ({ api, org, admin, folder } = await adminWithImportFolder());
    copyFileSync(TABULAR, join(folder, "icd10cm_tabular_2026.xml"));
  });
  afterAll(() => api.close());

  const start = async (file: string) => {
    const started = await api.gql(IMPORT, { input: { file } }, admin);
    return started.data!["importCodeSetRelease"].job.id as string;
  };

  it("gets STARTED, each progress line, then SUCCEEDED, and the subscription completes; `after` resumes", async () => {
    const jobId = await start("icd10cm_tabular_2026.xml");
    const client = api.ws({ authorization: `Bearer ${admin}` });
    const { events, errors } = await untilComplete(client, { jobId });
    expect(errors).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(["STARTED", "PROGRESS", "PROGRESS", "SUCCEEDED"]);
    expect(events[1]!.line).toBe("ICD10CM_TABULAR FY2026: loading icd10cm_tabular_2026.xml …");
    expect(events[2]!.line).toMatch(/^ICD10CM_TABULAR FY2026: 60 rows in \d+\.\d s$/);
    expect(events.every((e) => e.job.id === jobId)).toBe(true);
    expect(events[3]!.job).toMatchObject({ state: "SUCCEEDED", release: { label: "FY2026", rowCount: 60 } });

    // A client that lost its connection after the first line resumes right after it.
    const resumed = await untilComplete(client, { jobId, after: events[1]!.cursor });
    expect(resumed.events.map((e) => [e.type, e.line])).toEqual(events.slice(2).map((e) => [e.type, e.line]));
  });

  it("ends with FAILED and the job's error when the file is refused", async () => {
    const bad = readFileSync(TABULAR, "utf8")
      .slice(0, 5000)
      .replace("<version>2026</version>", "<version>2027</version>");
    writeFileSync(join(folder, "icd10cm_tabular_2027.xml"), `${bad}</x>`);
    const jobId = await start("icd10cm_tabular_2027.xml");
    const { events } = await untilComplete(api.ws({ authorization: `Bearer ${admin}` }), { jobId });
    expect(events.at(-1)).toMatchObject({ type: "FAILED", job: { state: "FAILED", error: { code: "FILE_REFUSED" } } });
  });

  it("is for the organization's administrators: others FORBIDDEN, another organization's job NOT_FOUND", async () => {
    // A file that is refused: it loads nothing another story's import would then find loaded.
    writeFileSync(join(folder, "icd10cm_tabular_2031.xml"), "<ICD10CM.tabular>");
    const jobId = await start("icd10cm_tabular_2031.xml");
    const coder = await org.signIn("coder2");
    const refused = await untilComplete(api.ws({ authorization: `Bearer ${coder}` }), { jobId });
    expect(refused.errors.map((e: any) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    const other = await givenOrganization(api);
    const outsider = await untilComplete(api.ws({ authorization: `Bearer ${await other.signIn("admin")}` }), {
      jobId,
    });
    expect(outsider.errors.map((e: any) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
  });
});

/** A database holding the seeded template, for a spawned `serve`: its environment, and a handle to it. */
async function templateForServe(): Promise<{
  env: { AUTH_JWT_SECRET: string; CHARTROOM_DATA_DIR: string; DATABASE_URL: string };
  handle: () => Promise<DatabaseHandle>;
}> {
  const template = inject("database");
  const dataDir = mkdtempSync(join(tmpdir(), "chartroom-interrupted-"));
  const env = { AUTH_JWT_SECRET: TEST_JWT_SECRET, CHARTROOM_DATA_DIR: dataDir, DATABASE_URL: "" };
  if (template.driver === "pglite") {
    const pglite = await createPglite(join(dataDir, "pgdata"), new Blob([readFileSync(template.dumpFile)]));
    await pglite.close();
    return { env, handle: () => openDatabase({ pgliteDir: join(dataDir, "pgdata") }) };
  }
  const scratch = await cloneTemplate(template);
  return { env: { ...env, DATABASE_URL: scratch.url! }, handle: async () => scratch };
}

/*
 * A server killed while it imported leaves its job RUNNING forever: the next server to start marks
 * it FAILED (IMPORT_INTERRUPTED). On PostgreSQL, an import running on another live instance holds
 * its job's lock, and a starting instance leaves that job alone.
 */
describe("a server starting finds a code-set import its killed predecessor left RUNNING", () => {
  it(
    "marks it FAILED with IMPORT_INTERRUPTED, and leaves alone a job a live instance is running",
    async () => {
      const { env, handle } = await templateForServe();
      const postgres = env.DATABASE_URL !== "";
      const database = await handle();
      const [admin] = await database.rows<{ orgId: string; id: string }>(
        sql`select org_id as "orgId", id from users where email = 'admin@demo.chartroom.test'`,
      );
      const killed = randomUUID();
      const live = randomUUID();
      for (const id of postgres ? [killed, live] : [killed]) {
        await database.db.execute(sql`insert into code_set_import_jobs (org_id, id, file, requested_by)
                                      values (${admin!.orgId}, ${id}, 'icd10cm_order_2028.txt', ${admin!.id})`);
      }
      // The live instance's import holds its job's lock on a connection of its own, as the server does.
      const release = postgres
        ? await codeSetImports(
            { dataDir: env.CHARTROOM_DATA_DIR, databaseUrl: env.DATABASE_URL, migrationDatabaseUrl: undefined },
            database.db,
          ).holdJob(live)
        : null;
      if (!postgres) await database.close();

      const server = await startServe(env);
      try {
        const post = async (query: string, variables: Record<string, unknown>, token?: string) => {
          const response = await fetch(server.url, {
            method: "POST",
            headers: { "content-type": "application/json", ...(token && { authorization: `Bearer ${token}` }) },
            body: JSON.stringify({ query, variables }),
          });
          return (await response.json()) as any;
        };
        const login = await post(`mutation ($input: LoginInput!) { login(input: $input) { token } }`, {
          input: { email: "admin@demo.chartroom.test", password: DEFAULT_DEMO_PASSWORD },
        });
        const jobs = (
          await post(`{ codeSetImportJobs { id state finishedAt error { code message } } }`, {}, login.data.login.token)
        ).data.codeSetImportJobs as { id: string; state: string; error: { code: string; message: string } | null }[];
        const job = (id: string) =>
          jobs.find((j) => j.id === Buffer.from(`CodeSetImportJob:${id}`).toString("base64url"));
        expect(job(killed)).toMatchObject({ state: "FAILED", error: { code: "IMPORT_INTERRUPTED" } });
        expect(job(killed)!.error!.message).toMatch(/stopped before it ended/);
        if (postgres) expect(job(live)).toMatchObject({ state: "RUNNING", error: null });
      } finally {
        expect(await stopServe(server.child)).toBe(0);
        await release?.();
      }
      if (!postgres) return;

      // Once that instance is gone too (its connection, and with it the lock), the next start marks its job.
      const next = await startServe(env);
      expect(await stopServe(next.child)).toBe(0);
      const [state] = await database.rows<{ state: string; error_code: string }>(
        sql`select state, error_code from code_set_import_jobs where id = ${live}`,
      );
      expect(state).toEqual({ state: "FAILED", error_code: "IMPORT_INTERRUPTED" });
      await database.close();
    },
    SPAWNED_SERVER_MS,
  );
});
