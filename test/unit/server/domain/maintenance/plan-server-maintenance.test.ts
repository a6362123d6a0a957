import { describe, expect, it } from "vitest";
import { dueServerMaintenance, maintenanceStatement, POSTGRES_AUTOVACUUM_DEFAULTS, tableThresholds, type ServerTableStats } from "../../../../../server/domain/maintenance/plan-server-maintenance.ts";

const table = (over: Partial<ServerTableStats> & { table: string }): ServerTableStats => ({
  rows: 0, deadRows: 0, insertedSinceVacuum: 0, modifiedSinceAnalyze: 0, bytes: 8192, ...over,
});

describe("server maintenance plan (autovacuum's rules, for a server running without it)", () => {
  it("vacuums a queue table once its dead rows pass 50 + 20 % of its rows", () => {
    expect(dueServerMaintenance([table({ table: "rollup_deltas", rows: 1000, deadRows: 250 })])).toEqual([]);
    expect(dueServerMaintenance([table({ table: "rollup_deltas", rows: 1000, deadRows: 251 })])).toEqual([{ table: "rollup_deltas", vacuum: true, analyze: false }]);
  });

  it("vacuums an insert-only table after 1000 + 20 % of its rows were inserted, and analyzes after 50 + 10 % changed", () => {
    expect(dueServerMaintenance([table({ table: "spans", rows: 1_000_000, insertedSinceVacuum: 200_999, modifiedSinceAnalyze: 100_049 })])).toEqual([]);
    expect(dueServerMaintenance([table({ table: "spans", rows: 1_000_000, insertedSinceVacuum: 201_001, modifiedSinceAnalyze: 100_051 })])).toEqual([
      { table: "spans", vacuum: true, analyze: true },
    ]);
    expect(dueServerMaintenance([table({ table: "spans", rows: 1_000_000, modifiedSinceAnalyze: 100_051 })])).toEqual([{ table: "spans", vacuum: false, analyze: true }]);
  });

  it("obeys a table's own storage parameters as autovacuum does: autovacuum_enabled = false, and per-table thresholds", () => {
    const busy = { rows: 1000, deadRows: 251, modifiedSinceAnalyze: 500 };
    expect(dueServerMaintenance([table({ table: "spans", ...busy, reloptions: ["autovacuum_enabled=false"] })])).toEqual([]);
    expect(dueServerMaintenance([table({ table: "spans", ...busy, reloptions: ["fillfactor=90", "autovacuum_enabled=off"] })])).toEqual([]);
    expect(dueServerMaintenance([table({ table: "spans", ...busy, reloptions: ["autovacuum_enabled=true"] })])).toEqual([{ table: "spans", vacuum: true, analyze: true }]);
    // A lower scale factor on a big table makes it due sooner; a higher threshold later.
    expect(dueServerMaintenance([table({ table: "spans", rows: 1e6, deadRows: 10_051, reloptions: ["autovacuum_vacuum_scale_factor=0.01"] })])).toEqual([{ table: "spans", vacuum: true, analyze: false }]);
    expect(dueServerMaintenance([table({ table: "spans", ...busy, reloptions: ["autovacuum_vacuum_threshold=5000", "autovacuum_analyze_threshold=5000"] })])).toEqual([]);
    expect(tableThresholds(POSTGRES_AUTOVACUUM_DEFAULTS, ["autovacuum_vacuum_insert_threshold=-1", "autovacuum_analyze_scale_factor=0.5", "toast.autovacuum_enabled=false", "odd"])).toEqual({
      ...POSTGRES_AUTOVACUUM_DEFAULTS, insertThreshold: -1, analyzeScaleFactor: 0.5,
    });
    expect(tableThresholds(POSTGRES_AUTOVACUUM_DEFAULTS, null)).toBe(POSTGRES_AUTOVACUUM_DEFAULTS);
  });

  it("treats a never-counted table (reltuples −1) as empty, so its first rows get statistics at once", () => {
    expect(dueServerMaintenance([table({ table: "tasks", rows: -1, modifiedSinceAnalyze: 51 })])).toEqual([{ table: "tasks", vacuum: false, analyze: true }]);
  });

  it("takes the smallest due table first: a churned queue never waits behind the spans", () => {
    const due = dueServerMaintenance([
      table({ table: "spans", rows: 1e6, insertedSinceVacuum: 5e5, bytes: 4e9 }),
      table({ table: "dirty_traces", rows: 10, deadRows: 1e5, bytes: 2e6 }),
      table({ table: "rollup_deltas", rows: 100, deadRows: 1e6, bytes: 2e8 }),
      table({ table: "users", rows: 3 }),
    ]);
    expect(due.map((d) => d.table)).toEqual(["dirty_traces", "rollup_deltas", "spans"]);
  });

  it("uses the server's own thresholds; an insert threshold of −1 turns insert vacuums off, as in PostgreSQL", () => {
    const strict = { ...POSTGRES_AUTOVACUUM_DEFAULTS, vacuumThreshold: 0, vacuumScaleFactor: 0, insertThreshold: -1 };
    expect(dueServerMaintenance([table({ table: "a", deadRows: 1 })], strict)).toEqual([{ table: "a", vacuum: true, analyze: false }]);
    expect(dueServerMaintenance([table({ table: "a", insertedSinceVacuum: 1e9 })], strict)).toEqual([]);
  });

  it("writes one statement per action", () => {
    expect(maintenanceStatement({ table: "t", vacuum: true, analyze: true }, '"t"')).toBe('VACUUM (ANALYZE) "t"');
    expect(maintenanceStatement({ table: "t", vacuum: true, analyze: false }, '"t"')).toBe('VACUUM "t"');
    expect(maintenanceStatement({ table: "t", vacuum: false, analyze: true }, '"t"')).toBe('ANALYZE "t"');
  });
});
