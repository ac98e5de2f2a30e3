import { mkdirSync } from "node:fs";
import { join } from "node:path";
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
