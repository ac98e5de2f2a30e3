-- The server runs as chartroom_app, which owns nothing: it reads and writes rows, and on audit_log
-- only reads and appends. A table's owner can disable its triggers; this role cannot, nor update,
-- delete or truncate audit rows. Migrations run as the owner (MIGRATION_DATABASE_URL, see README).
-- Roles are cluster-wide: the role may exist already (another database of the cluster, a DBA), and
-- another database may be creating it at this very moment.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'chartroom_app') THEN
    -- LOGIN without a password: it signs in once a DBA gives it one (or where the server trusts the host).
    CREATE ROLE chartroom_app LOGIN;
  END IF;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
  -- Said plainly rather than as a bare 42501: the grants below need the role to exist.
  WHEN insufficient_privilege THEN
    RAISE EXCEPTION 'The migrating user may not create the role chartroom_app.'
      USING HINT = 'Have a DBA run CREATE ROLE chartroom_app LOGIN PASSWORD ''…'' once, then start or migrate again.';
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO chartroom_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO chartroom_app;
--> statement-breakpoint
REVOKE UPDATE, DELETE ON audit_log FROM chartroom_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO chartroom_app;
--> statement-breakpoint
-- Tables and sequences that later migrations create (as the same owner) get the same grants; a later
-- append-only table must REVOKE UPDATE, DELETE from chartroom_app in its own migration, as above.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO chartroom_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO chartroom_app;
