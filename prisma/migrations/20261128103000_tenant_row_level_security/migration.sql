-- Tenant isolation in depth: PostgreSQL row-level security on every tenant-owned table.
--
-- The application does not use the owner's rights for its queries: every statement the app's pool
-- sends runs as "switchyard_app" (neither owner, nor superuser, nor BYPASSRLS), switched to per
-- transaction together with the tenant (packages/db/src/tenant-scope.ts), so nothing leaks through a
-- pooled connection. Migrations keep running as the owner.
--
-- A row is visible and writable only when its tenant_id equals the transaction's `app.tenant_id`,
-- or in an explicitly opened platform scope (`app.scope` = 'platform', set only by the narrow
-- system paths listed in tenant-scope.ts: the claim across tenants, schedules, retention, platform
-- dashboards). Without either setting a query sees nothing and writes nothing (fails closed).

-- Roles are cluster-wide, so several databases (and test databases created in parallel) may race
-- to create it: whoever loses finds it there.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'switchyard_app') THEN
    CREATE ROLE "switchyard_app" NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;

-- The owner (the migrating user) must be able to switch to the role; a superuser already can.
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT "switchyard_app" TO %I', current_user);
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO "switchyard_app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "switchyard_app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "switchyard_app";
-- Tables and sequences that later migrations create (as the same owner) are granted too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "switchyard_app";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "switchyard_app";
-- The migrations ledger is the owner's alone (a shadow database used for diffing has none).
DO $$
BEGIN
  IF to_regclass('public._prisma_migrations') IS NOT NULL THEN
    REVOKE ALL ON "_prisma_migrations" FROM "switchyard_app";
  END IF;
END
$$;

-- Protects one tenant-owned table: RLS enabled and forced (so not even the owner's own statements
-- skip it) and one policy for reads and writes. Later migrations that add a table with a tenant_id
-- call it: SELECT switchyard_protect_tenant_table('new_table');
-- packages/db/test/row-level-security.test.ts fails for any tenant table left unprotected.
CREATE FUNCTION "switchyard_protect_tenant_table"(target regclass) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', target);
  EXECUTE format(
    $p$CREATE POLICY tenant_isolation ON %s AS PERMISSIVE FOR ALL TO PUBLIC
         USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
                OR current_setting('app.scope', true) = 'platform')
         WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
                OR current_setting('app.scope', true) = 'platform')$p$,
    target);
END
$fn$;

-- Every table of this schema that has a tenant_id column today.
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT c.oid::regclass AS rel
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
  LOOP
    PERFORM switchyard_protect_tenant_table(t.rel);
  END LOOP;
END
$$;
