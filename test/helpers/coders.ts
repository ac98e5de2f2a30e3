import { sql } from "drizzle-orm";
import type { TestApi } from "./api.js";

/**
 * Adds `count` coders (or users of another worker `role`) to the demo organization who may work
 * every item of their role's queues (CCS, every facility), with the demo users' password, and
 * signs each in `sessionsEach` times: the tokens, user by user in turn. Each round signs every user
 * in once, all at once: the sign-in throttle refuses an e-mail more attempts at a time than it has
 * free failures, right password or not.
 */
export async function signInNewCoders(
  api: TestApi,
  name: string,
  count: number,
  sessionsEach: number,
  role: "CODER" | "BILLER" = "CODER",
): Promise<string[]> {
  await api.database.rows(sql`
    with coder as (
      insert into users (org_id, email, name, roles, credentials, password_hash)
      select u.org_id, ${name} || '-' || n || '@demo.chartroom.test', ${name} || ' ' || n, array[${role}]::role[], '{CCS}', u.password_hash
      from users u, generate_series(1, ${count}) n where u.email = 'coder1@demo.chartroom.test'
      returning org_id, id)
    insert into user_facility_access (org_id, user_id, facility_id)
    select coder.org_id, coder.id, f.id from coder join facilities f on f.org_id = coder.org_id`);
  const tokens: string[] = [];
  for (let round = 0; round < sessionsEach; round++) {
    tokens.push(
      ...(await Promise.all(
        Array.from({ length: count }, (_, i) => api.signIn(`${name}-${i + 1}@demo.chartroom.test`)),
      )),
    );
  }
  return tokens;
}

/**
 * Adds one user to the demo organization with the demo users' password, granted every facility or
 * only the one named: `login` becomes `<login>@demo.chartroom.test`. The story then signs them in.
 */
export async function addDemoUser(
  api: TestApi,
  user: { login: string; name: string; roles: string[]; credentials: string[]; facility?: string },
): Promise<void> {
  await api.database.rows(sql`
    with added as (
      insert into users (org_id, email, name, roles, credentials, password_hash)
      select org_id, ${`${user.login}@demo.chartroom.test`}, ${user.name}, ${`{${user.roles.join(",")}}`}::role[], ${`{${user.credentials.join(",")}}`}::text[], password_hash
      from users where email = 'coder1@demo.chartroom.test'
      returning org_id, id)
    insert into user_facility_access (org_id, user_id, facility_id)
    select added.org_id, added.id, f.id from added join facilities f on f.org_id = added.org_id
    where ${user.facility ?? null}::text is null or f.name = ${user.facility ?? null}`);
}
