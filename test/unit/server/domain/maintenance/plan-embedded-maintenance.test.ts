import { describe, expect, it } from "vitest";
import { nextMaintenanceAction, type TableMaintenanceState } from "../../../../../server/domain/maintenance/plan-embedded-maintenance.ts";

const MIN = 60_000;
const t = (table: string, statsPages: number, currentPages: number, lastVacuumMs: number | null = 0): TableMaintenanceState => ({ table, statsPages, currentPages, lastVacuumMs });

describe("embedded database maintenance (autovacuum's job, for PGlite)", () => {
  it("analyzes a never-analyzed table once it holds data, the one that grew most first", () => {
    expect(nextMaintenanceAction([t("tasks", 0, 30), t("spans", 0, 2300)], 0)).toEqual({ kind: "analyze", table: "spans" });
  });

  it("re-analyzes after 10 % growth, not for a few pages", () => {
    expect(nextMaintenanceAction([t("spans", 2000, 2150)], 0)).toBeNull(); // +7.5 %
    expect(nextMaintenanceAction([t("spans", 2000, 2200)], 0)).toEqual({ kind: "analyze", table: "spans" });
    expect(nextMaintenanceAction([t("orgs", 1, 3)], 0)).toBeNull(); // +2 pages: below the floor
    expect(nextMaintenanceAction([t("orgs", 1, 5)], 0)).toEqual({ kind: "analyze", table: "orgs" });
  });

  it("vacuums each non-empty table every 10 minutes, the longest-unvacuumed first, after any pending analyze", () => {
    const tables = [t("spans", 100, 100, 2 * MIN), t("dirty_traces", 10, 10, 1 * MIN), t("empty", 0, 0, null)];
    expect(nextMaintenanceAction(tables, 5 * MIN)).toBeNull();
    expect(nextMaintenanceAction(tables, 11 * MIN)).toEqual({ kind: "vacuum", table: "dirty_traces" });
    expect(nextMaintenanceAction([t("new", 3, 3, null), ...tables], 5 * MIN)).toEqual({ kind: "vacuum", table: "new" });
    expect(nextMaintenanceAction([...tables, t("tasks", 0, 40)], 11 * MIN)).toEqual({ kind: "analyze", table: "tasks" });
  });
});
