import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { startApi, type TestApi } from "../../helpers/api.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";

/** A server, an organization and its signed-in administrator, and the server's import folder, made. */
export async function adminWithImportFolder(): Promise<{
  api: TestApi;
  org: Organization;
  admin: string;
  folder: string;
}> {
  const api = await startApi();
  const org = await givenOrganization(api);
  const admin = await org.signIn("admin");
  const folder = join(api.config.dataDir, "code-set-imports");
  mkdirSync(folder, { recursive: true });
  return { api, org, admin, folder };
}

export const IMPORT = `mutation ($input: ImportCodeSetReleaseInput!) { importCodeSetRelease(input: $input) {
  job { id file state } userErrors { code field message } } }`;
export const JOBS = `{ codeSetImportJobs { id file state progress startedAt finishedAt requestedBy { email }
  release { dataset label effectiveFrom rowCount } error { code message } } }`;

export interface Job {
  id: string;
  file: string;
  state: string;
  progress: string[];
  finishedAt: string | null;
  requestedBy: { email: string };
  release: { dataset: string; label: string; effectiveFrom: string; rowCount: number } | null;
  error: { code: string; message: string } | null;
}

/** The job once it has ended, reading the job list as an admin's screen would, a few times a second. */
export async function ended(api: TestApi, token: string, id: string): Promise<Job> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const jobs = (await api.gql(JOBS, {}, token)).data?.["codeSetImportJobs"] as Job[];
    const job = jobs.find((j) => j.id === id)!;
    if (job.state !== "RUNNING") return job;
    await delay(100);
  }
  throw new Error(`import job ${id} still RUNNING`);
}

/** Starts importing `file` from the import folder and waits for the job to end. */
export async function imported(api: TestApi, token: string, file: string): Promise<Job> {
  const { job } = (await api.gql(IMPORT, { input: { file } }, token)).data!["importCodeSetRelease"];
  return ended(api, token, job.id);
}
