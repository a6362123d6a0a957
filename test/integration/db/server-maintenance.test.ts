import crypto from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createServerMaintenance } from "../../../server/services/maintenance/maintain-server-database.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

const probe = `server_maint_probe_${crypto.randomBytes(3).toString("hex")}`;
const optedOut = `${probe}_opted_out`; // autovacuum_enabled = false: a DBA's choice, which the worker obeys too

afterAll(async () => {
  await testDb().pool.query(`DROP TABLE IF EXISTS ${probe}, ${optedOut}`);
  await closeTestDb();
});

// A real server's statistics (pg_stat_user_tables) drive it; embedded PGlite has its own (embedded-maintenance.test.ts).
describe.runIf(inject("databaseKind") === "postgresql")("server maintenance (a PostgreSQL server with autovacuum off)", () => {
  it("vacuums and analyzes a table once autovacuum's thresholds are passed, and leaves it alone after", async () => {
    const db = testDb();
    const client = await db.pool.connect();
    try {
      for (const [table, options] of [[probe, ""], [optedOut, "WITH (autovacuum_enabled = false)"]]) {
        await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY, payload text) ${options}`);
        await client.query(`INSERT INTO ${table} SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g`);
        await client.query(`DELETE FROM ${table} WHERE id % 2 = 0`); // 10,000 dead rows, a churned queue's shape
      }
      await client.query("SELECT pg_stat_force_next_flush()");
      await client.query("SELECT 1"); // the flush happens when this backend next goes idle
    } finally {
      client.release();
    }
    const stats = () =>
      db.pool.query<{ dead: string; reltuples: number }>(
        "SELECT s.n_dead_tup AS dead, c.reltuples FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = $1",
        [probe],
      );
    for (let i = 0; i < 50 && Number((await stats()).rows[0]?.dead ?? 0) < 10_000; i++) await new Promise((r) => setTimeout(r, 100));
    expect(Number((await stats()).rows[0]!.dead)).toBe(10_000);

    const lines: string[] = [];
    // evenWithAutovacuum: CI's server runs with autovacuum off, but the test must not depend on it.
    const maintenance = createServerMaintenance({ db, log: (l) => lines.push(l), evenWithAutovacuum: true });
    const actions = await maintenance.runOnce();
    expect(actions.filter((a) => a.table === probe)).toEqual([{ table: probe, vacuum: true, analyze: true }]);
    expect(actions.filter((a) => a.table === optedOut)).toEqual([]);
    const after = (await stats()).rows[0]!;
    expect(Number(after.dead)).toBe(0);
    expect(Number(after.reltuples)).toBe(10_000);
    expect(lines.length).toBeLessThanOrEqual(1); // said once, and only when the server's autovacuum is off

    const again = await maintenance.runOnce();
    expect(again.filter((a) => a.table === probe)).toEqual([]);
  });

  it("does nothing once the worker is stopping", async () => {
    const maintenance = createServerMaintenance({ db: testDb(), log: () => undefined, evenWithAutovacuum: true });
    expect(await maintenance.runOnce(() => true)).toEqual([]);
  });
});
