import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { insertSpans } from "../../../server/db/bulk/insert-spans.ts";
import { runAsTenant } from "../../../server/db/tenant-scope.ts";
import { withTransaction } from "../../../server/db/transaction.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { hex, span } from "../../fixtures/spans.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

/**
 * The second line of tenant isolation: with a query that forgets its org filter (simulated here with raw SQL and an
 * unfiltered Prisma call), the database itself hides and refuses other orgs' rows for code run as a tenant.
 */
// PGlite serves all connections from one session, where a per-request role would leak: RLS is for PostgreSQL servers
// (CI runs this on the machine's PostgreSQL); on PGlite the test proves scoping stays off instead.
describe.runIf(inject("databaseKind") === "postgresql")("row-level security: a tenant's database session sees and writes only its own org", () => {
  const db = testDb();
  let a: Awaited<ReturnType<typeof createTestOrg>>;
  let b: Awaited<ReturnType<typeof createTestOrg>>;
  const count = async (sql: string) => Number((await db.pool.query<{ n: string }>(sql)).rows[0]!.n);
  const rule = (orgId: string) => ({ id: crypto.randomUUID(), orgId, type: "cost_regression", name: "r", severity: "warning", cooldownMinutes: 60 });

  beforeAll(async () => {
    a = await createTestOrg(db);
    b = await createTestOrg(db);
    const rows = (orgId: string, n: number) => Array.from({ length: n }, () => ({ orgId, costUsd: "0.01", priceRef: "t", span: span({ traceId: hex(16), startMs: Date.UTC(2026, 10, 1), llm: { inputTokens: 1 } }) }));
    await insertSpans(db.pool, [...rows(a.org.id, 3), ...rows(b.org.id, 5)]);
    await db.prisma.alertRule.createMany({ data: [rule(a.org.id), rule(b.org.id), rule(b.org.id)] });
  });
  afterAll(closeTestDb);

  it("is active on this database, on every table that holds an org's rows", async () => {
    expect(await db.tenantScoping.enabled()).toBe(true);
    const { rows } = await db.pool.query<{ table: string; rls: boolean; policies: number }>(
      `SELECT c.relname AS table, c.relrowsecurity AS rls, (SELECT count(*)::int FROM pg_policies p WHERE p.tablename = c.relname) AS policies
       FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
         AND (c.relname = 'organizations' OR EXISTS (SELECT 1 FROM information_schema.columns k
              WHERE k.table_schema = 'public' AND k.table_name = c.relname AND k.column_name IN ('org_id', 'organization_id')))`,
    );
    expect(rows.length).toBeGreaterThan(25);
    expect(rows.filter((r) => !r.rls || r.policies === 0).map((r) => r.table)).toEqual([]);
  });

  it("hides other orgs' rows from unfiltered SQL and Prisma reads, and from updates and deletes", async () => {
    const all = await count(`SELECT count(*) AS n FROM spans WHERE org_id IN ('${a.org.id}', '${b.org.id}')`);
    expect(all).toBe(8); // the login role (collectors, worker) sees every org
    await runAsTenant(a.org.id, async () => {
      expect(await count("SELECT count(*) AS n FROM spans")).toBe(3);
      expect(await count("SELECT count(*) AS n FROM organizations")).toBe(1);
      expect(await count("SELECT count(*) AS n FROM api_keys")).toBe(2);
      expect((await db.prisma.alertRule.findMany()).map((r) => r.orgId)).toEqual([a.org.id]);
      expect((await db.pool.query("UPDATE spans SET feature = 'x' WHERE org_id = $1", [b.org.id])).rowCount).toBe(0);
      expect((await db.prisma.alertRule.deleteMany({ where: { orgId: b.org.id } })).count).toBe(0);
      // The shared price catalog (org_id NULL) stays readable.
      expect(await count("SELECT count(*) AS n FROM price_rows WHERE org_id IS NULL")).toBe(await runAsTenant(b.org.id, () => count("SELECT count(*) AS n FROM price_rows WHERE org_id IS NULL")));
    });
    expect(await db.prisma.alertRule.count({ where: { orgId: b.org.id } })).toBe(2);
  });

  it("refuses to write a row for another org, in a transaction too, and leaves nothing half-written", async () => {
    await expect(runAsTenant(a.org.id, () => db.prisma.alertRule.create({ data: rule(b.org.id) }))).rejects.toThrow(/row-level security/);
    await expect(
      runAsTenant(a.org.id, () => withTransaction(db.pool, async (client) => {
        await client.query("INSERT INTO alert_rules (id, org_id, type, name, severity, cooldown_minutes) VALUES ($1, $2, 'x', 'own', 'info', 1)", [crypto.randomUUID(), a.org.id]);
        await client.query("INSERT INTO alert_rules (id, org_id, type, name, severity, cooldown_minutes) VALUES ($1, $2, 'x', 'theirs', 'info', 1)", [crypto.randomUUID(), b.org.id]);
      })),
    ).rejects.toThrow(/row-level security/);
    expect(await count(`SELECT count(*) AS n FROM alert_rules WHERE name IN ('own', 'theirs')`)).toBe(0);
  });

  it("keeps concurrent requests of two orgs apart on shared pooled connections, and gives the login role back", async () => {
    const seen = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const org = i % 2 ? a : b;
        return runAsTenant(org.org.id, async () => [org.org.id, await count("SELECT count(*) AS n FROM spans")] as const);
      }),
    );
    for (const [orgId, n] of seen) expect(n).toBe(orgId === a.org.id ? 3 : 5);
    const roles = await Promise.all(Array.from({ length: 10 }, () => db.pool.query<{ r: string }>("SELECT current_user AS r")));
    expect(new Set(roles.map((r) => r.rows[0]!.r))).not.toContain("inferledger_tenant");
  });
});

describe.runIf(inject("databaseKind") === "pglite")("row-level security on embedded PGlite", () => {
  afterAll(closeTestDb);
  it("stays off (one shared session), while the policies exist for a later move to a server", async () => {
    const db = testDb();
    expect(await db.tenantScoping.enabled()).toBe(false);
    const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_policies WHERE tablename = 'spans'");
    expect(rows[0]!.n).toBe(1);
  });
});
