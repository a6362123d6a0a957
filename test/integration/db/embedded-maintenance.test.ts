import crypto from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { MaintenanceAction } from "../../../server/domain/maintenance/plan-embedded-maintenance.ts";
import { createEmbeddedMaintenance } from "../../../server/services/maintenance/maintain-embedded-database.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

const probe = `maint_probe_${crypto.randomBytes(3).toString("hex")}`;

afterAll(async () => {
  await testDb().pool.query(`DROP TABLE IF EXISTS ${probe}`);
  await closeTestDb();
});

describe("embedded database maintenance (PGlite has no autovacuum)", () => {
  it("analyzes a table that grew, so the planner knows its size, and vacuums it; one step per call", async () => {
    const db = testDb();
    // autovacuum off for this table, so on a real server the steps below are ours alone.
    await db.pool.query(`CREATE TABLE ${probe} (id int PRIMARY KEY, payload text) WITH (autovacuum_enabled = false)`);
    await db.pool.query(`INSERT INTO ${probe} SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g`);
    const before = await db.pool.query<{ reltuples: number }>("SELECT reltuples FROM pg_class WHERE relname = $1", [probe]);
    expect(Number(before.rows[0]!.reltuples)).toBeLessThan(1); // never analyzed (-1 on PostgreSQL ≥ 14)

    let nowMs = 1_000_000;
    const maintenance = createEmbeddedMaintenance({ db, nowMs: () => nowMs });
    const actions: MaintenanceAction[] = [];
    for (let i = 0; i < 200; i++) {
      const action = await maintenance.runOnce();
      if (!action) break;
      actions.push(action);
    }
    const mine = actions.filter((a) => a.table === probe).map((a) => a.kind);
    expect(mine).toEqual(["analyze", "vacuum"]);
    const after = await db.pool.query<{ reltuples: number }>("SELECT reltuples FROM pg_class WHERE relname = $1", [probe]);
    expect(Number(after.rows[0]!.reltuples)).toBeGreaterThan(15_000);

    // Nothing left to do until a table grows again or its vacuum falls due (another test file may write meanwhile,
    // so only our table is checked).
    await db.pool.query(`INSERT INTO ${probe} SELECT g, repeat('y', 100) FROM generate_series(20001, 40000) g`);
    nowMs += 1_000;
    const next: MaintenanceAction[] = [];
    for (let i = 0; i < 50; i++) {
      const action = await maintenance.runOnce();
      if (!action) break;
      next.push(action);
    }
    expect(next.filter((a) => a.table === probe)).toEqual([{ kind: "analyze", table: probe }]);
  });
});
