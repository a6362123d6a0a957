/**
 * What autovacuum would do, for embedded PGlite, which has none (single-user PostgreSQL: no autovacuum launcher,
 * no statistics collector). Without it the planner keeps the statistics of an empty database forever and, on the
 * demo's 24k spans, chose an org-wide scan × nested-loop filter for settlement's key-by-key UPDATE (600 ms per batch
 * instead of 30 ms), and every dead row of settlement's updates stayed on disk.
 *
 * One action per call: PGlite runs on the process's main thread, so each ANALYZE or VACUUM blocks the dashboard
 * and the collector while it runs. Small steps keep each stall around 100 ms on the demo data.
 */
export type TableMaintenanceState = {
  table: string;
  /** pg_class.relpages: the table's size when it was last analyzed or vacuumed (0 = never). */
  statsPages: number;
  /** The table's size now (pg_relation_size / block size). */
  currentPages: number;
  /** When this process last vacuumed the table (null = not yet). */
  lastVacuumMs: number | null;
};

export type MaintenanceAction = { kind: "analyze" | "vacuum"; table: string };

export type MaintenancePolicy = {
  /** Re-analyze once the table grew by this fraction of its analyzed size… */
  analyzeGrowthFraction: number;
  /** …and by at least this many pages (autovacuum's "+ 50 rows" floor, in pages). */
  analyzeMinPages: number;
  /** Vacuum each churned table this often (no dead-tuple counts to go by without a statistics collector). */
  vacuumEveryMs: number;
};

export const DEFAULT_MAINTENANCE_POLICY: MaintenancePolicy = { analyzeGrowthFraction: 0.1, analyzeMinPages: 4, vacuumEveryMs: 10 * 60_000 };

/** Statistics first (a stale plan costs on every statement), then the table vacuumed longest ago. */
export function nextMaintenanceAction(tables: TableMaintenanceState[], nowMs: number, policy: MaintenancePolicy = DEFAULT_MAINTENANCE_POLICY): MaintenanceAction | null {
  const stale = tables
    .filter((t) => t.currentPages - t.statsPages >= Math.max(policy.analyzeMinPages, t.statsPages * policy.analyzeGrowthFraction))
    .sort((a, b) => b.currentPages - b.statsPages - (a.currentPages - a.statsPages));
  if (stale[0]) return { kind: "analyze", table: stale[0].table };
  const due = tables
    .filter((t) => t.currentPages > 0 && (t.lastVacuumMs === null || nowMs - t.lastVacuumMs >= policy.vacuumEveryMs))
    .sort((a, b) => (a.lastVacuumMs ?? -Infinity) - (b.lastVacuumMs ?? -Infinity));
  return due[0] ? { kind: "vacuum", table: due[0].table } : null;
}
