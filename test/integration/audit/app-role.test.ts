import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../../src/db/client.js";
import { createScratchDatabase } from "../../../src/db/databases.js";
import { SPAWNED_SERVER_MS, startServe, stopServe } from "../../helpers/process.js";
import { cloneTemplate, type TestDatabase } from "../../helpers/template.js";

const APP_ROLE = "chartroom_app";
/** Tables the role may read and append to but never change: histories, and the money posted from remittances. */
const APPEND_ONLY = [
  "audit_log",
  "claim_status_changes",
  "claim_follow_ups",
  "remittance_files",
  "remittances",
  "claim_payments",
  "line_payments",
  "claim_adjustments",
  "provider_adjustments",
  "claim_appeals",
];

/** The same database, as the least-privilege role the server runs as. */
function urlAs(url: string, role: string): string {
  const as = new URL(url);
  as.username = role;
  as.password = "";
  return as.toString();
}

/** An error's own message, under Drizzle's "Failed query" wrapper. */
const messageOf = (error: { message: string; cause?: { message: string } }) => error.cause?.message ?? error.message;

describe(`the application role ${APP_ROLE} (${inject("database").driver})`, () => {
  let owner: TestDatabase;
  let app: DatabaseHandle;
  const template = inject("database");

  beforeAll(async () => {
    owner = await cloneTemplate(template);
    // PostgreSQL: a connection signed in as the role. PGlite has one connection and no sign-in: it takes the role.
    if (owner.url) app = await openDatabase({ url: urlAs(owner.url, APP_ROLE), maxConnections: 1 });
    else {
      await owner.rows(sql.raw(`set role ${APP_ROLE}`));
      app = owner;
    }
  });
  afterAll(async () => {
    if (app !== owner) await app.close();
    await owner.close();
  });

  it("reads and appends audit rows, but cannot update, delete or truncate them, or drop their triggers", async () => {
    const [me] = await app.rows<{ role: string }>(sql`select current_user as role`);
    expect(me!.role).toBe(APP_ROLE);

    const [appended] = await app.rows<{ id: string }>(
      sql`insert into audit_log (org_id, action, entity_type, entity_ids) values (gen_random_uuid(),
        'test.append', 'Test', '{}') returning id::text`,
    );
    const [read] = await app.rows<{ action: string }>(
      sql`select action from audit_log where id = ${appended!.id}::bigint`,
    );
    expect(read!.action).toBe("test.append");

    for (const tampering of [
      `update audit_log set action = 'tampered' where id = ${appended!.id}`,
      `delete from audit_log where id = ${appended!.id}`,
      `truncate audit_log`,
      `alter table audit_log disable trigger audit_log_append_only`,
      `alter table audit_log disable trigger all`,
      `drop trigger audit_log_no_truncate on audit_log`,
      `alter table audit_log owner to ${APP_ROLE}`,
    ]) {
      // Refused for want of privilege, before any trigger could be asked.
      await expect(app.rows(sql.raw(tampering)), tampering).rejects.toSatisfy((error: { message: string }) =>
        /permission denied for table audit_log|must be owner of (table|relation) audit_log/.test(messageOf(error)),
      );
    }
    const [kept] = await app.rows<{ action: string }>(
      sql`select action from audit_log where id = ${appended!.id}::bigint`,
    );
    expect(kept!.action).toBe("test.append");
  });

  it("owns nothing, and may change the rows of every other table the server writes", async () => {
    const [owned] = await app.rows<{ n: number }>(
      sql`select count(*)::int as n from pg_class where relowner =
        (select oid from pg_roles where rolname = ${APP_ROLE})`,
    );
    expect(owned!.n).toBe(0);
    const appendOnly = sql.raw(APPEND_ONLY.map((table) => `'${table}'`).join(", "));
    const withoutRowRights = await app.rows<{ relname: string }>(sql`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname not in (${appendOnly})
        and not (has_table_privilege(${APP_ROLE}, c.oid, 'select')
                 and has_table_privilege(${APP_ROLE}, c.oid, 'insert')
                 and has_table_privilege(${APP_ROLE}, c.oid, 'update')
                 and has_table_privilege(${APP_ROLE}, c.oid, 'delete'))`);
    expect(withoutRowRights).toEqual([]);
  });

  it("may read and append histories, payments and appeals, but never rewrite or delete them", async () => {
    for (const table of APPEND_ONLY.filter((table) => table !== "audit_log")) {
      const [rights] = await app.rows<Record<string, boolean>>(sql`
        select has_table_privilege(${APP_ROLE}, ${table}, 'select') as select,
          has_table_privilege(${APP_ROLE}, ${table}, 'insert') as insert,
          has_table_privilege(${APP_ROLE}, ${table}, 'update') as update,
          has_table_privilege(${APP_ROLE}, ${table}, 'delete') as delete`);
      expect(rights, table).toEqual({ select: true, insert: true, update: false, delete: false });
    }
  });
});

describe.skipIf(inject("database").driver !== "postgres")(`npm start as ${APP_ROLE} (PostgreSQL)`, () => {
  it(
    "migrates as the owner through MIGRATION_DATABASE_URL, " +
      "then seeds, loads code sets, signs in and audits as the role",
    async () => {
      const template = inject("database");
      if (template.driver !== "postgres") return;
      const scratch = await createScratchDatabase(
        template.url,
        `chartroom_app_role_${randomUUID().replaceAll("-", "").slice(0, 12)}`,
      );
      let server: Awaited<ReturnType<typeof startServe>> | null = null;
      try {
        server = await startServe({
          NODE_ENV: "development",
          CHARTROOM_SEED_DEMO: "true",
          DATABASE_URL: urlAs(scratch.url, APP_ROLE),
          MIGRATION_DATABASE_URL: scratch.url,
          CHARTROOM_DATA_DIR: mkdtempSync(join(tmpdir(), "chartroom-app-role-")),
        });
        const gql = async (query: string, token?: string) => {
          const response = await fetch(server!.url, {
            method: "POST",
            headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
            body: JSON.stringify({ query }),
          });
          return (await response.json()) as { data?: any; errors?: unknown[] };
        };
        const login = await gql(
          `mutation { login(input: { email: "coder3@demo.chartroom.test", password: "chartroom-demo" }) { token } }`,
        );
        const token: string = login.data.login.token;
        const read = await gql(`{ encounters(first: 2) { edges { node { id documentation } } } }`, token);
        expect(read.errors).toBeUndefined();
        expect(read.data.encounters.edges).toHaveLength(2);

        const admin = await openDatabase({ url: scratch.url, maxConnections: 1 });
        try {
          const [audited] = await admin.rows<{ n: number }>(
            sql`select count(*)::int as n from audit_log where action = 'encounter.read'`,
          );
          expect(audited!.n).toBe(1);
          const sessions = await admin.rows<{ role: string }>(
            sql`select distinct usename::text as role from pg_stat_activity where datname = current_database()
              and application_name = 'chartroom' and pid <> pg_backend_pid()`,
          );
          expect(sessions.map((s) => s.role)).toEqual([APP_ROLE]);
        } finally {
          await admin.close();
        }
      } finally {
        if (server) expect(await stopServe(server.child)).toBe(0);
        await scratch.drop();
      }
    },
    SPAWNED_SERVER_MS,
  );
});
