-- Row-level security as a second line of tenant isolation (the first: every service query filters by the org of
-- the session or API key). Dashboard and read-API requests run as the role inferledger_tenant with the setting
-- inferledger.org_id = their org (server/db/tenant-scope.ts); these policies then hide and refuse every other org's
-- rows even if a query forgot its org filter. The login role that owns the tables (migrations, collectors, worker:
-- work that spans orgs) is not subject to them: the policies are not FORCEd.
--
-- The role is cluster-wide. Where the migrating user may not create roles (a managed server), the policies are still
-- created and the app runs without the tenant role, saying so at start.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'inferledger_tenant') THEN
    CREATE ROLE inferledger_tenant NOLOGIN;
  END IF;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL; -- created meanwhile by a concurrent migration (another database)
  WHEN insufficient_privilege THEN RAISE NOTICE 'inferledger: cannot create role inferledger_tenant; row-level security stays inactive';
END $$;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'inferledger_tenant') THEN
    GRANT USAGE ON SCHEMA public TO inferledger_tenant;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO inferledger_tenant;
    -- Tables of later migrations (created by the same user) get the same grants.
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO inferledger_tenant;
    IF NOT pg_has_role(current_user, 'inferledger_tenant', 'MEMBER') THEN
      GRANT inferledger_tenant TO CURRENT_USER;
    END IF;
  END IF;
EXCEPTION
  WHEN insufficient_privilege THEN RAISE NOTICE 'inferledger: cannot grant role inferledger_tenant; row-level security stays inactive';
END $$;

-- Every table with an org_id column: rows of the session's org only. price_rows also holds the shared catalog
-- (org_id NULL), readable by every tenant but written by none.
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables tb USING (table_schema, table_name)
           WHERE c.table_schema = 'public' AND c.column_name = 'org_id' AND tb.table_type = 'BASE TABLE' ORDER BY 1
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    IF t = 'price_rows' THEN
      EXECUTE format($p$CREATE POLICY tenant_read ON %I FOR SELECT USING (org_id IS NULL OR org_id = current_setting('inferledger.org_id', true))$p$, t);
    END IF;
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I USING (org_id = current_setting('inferledger.org_id', true)) WITH CHECK (org_id = current_setting('inferledger.org_id', true))$p$, t);
  END LOOP;
END $$;

ALTER TABLE "organizations" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "organizations" USING (id = current_setting('inferledger.org_id', true)) WITH CHECK (id = current_setting('inferledger.org_id', true));
ALTER TABLE "members" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "members" USING (organization_id = current_setting('inferledger.org_id', true)) WITH CHECK (organization_id = current_setting('inferledger.org_id', true));
ALTER TABLE "invitations" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "invitations" USING (organization_id = current_setting('inferledger.org_id', true)) WITH CHECK (organization_id = current_setting('inferledger.org_id', true));
