/**
 * What autovacuum would do, for a PostgreSQL server that runs with `autovacuum = off` (this development machine's
 * server does). Without it nothing is ever vacuumed or analyzed: the queue tables that ingest and the worker churn
 * through (rollup_deltas, dirty_traces, dirty_hours) keep every dead row, so each fold and drain reads more of them
 * (rollup_deltas reached 196 MB in a 10-minute soak: bench/RESULTS.md), and the planner keeps the statistics of an
 * empty database forever (the bad plans worked around in rollup-deltas.ts and store-span-batch.ts).
 *
 * The rules are autovacuum's own, with the server's own thresholds (pg_settings keeps them even when autovacuum is
 * off): vacuum when dead rows exceed threshold + scale × rows, or rows inserted since the last vacuum exceed the
 * insert threshold + insert scale × rows (visibility map, freezing); analyze when rows changed since the last
 * analyze exceed threshold + scale × rows.
 */
export type ServerTableStats = {
  table: string;
  /** pg_class.reltuples (−1 or 0: never counted). */
  rows: number;
  deadRows: number;
  insertedSinceVacuum: number;
  modifiedSinceAnalyze: number;
  /** Table size, to take the cheapest due work first. */
  bytes: number;
  /** pg_class.reloptions ("name=value"): per-table autovacuum settings a DBA set, which autovacuum would obey. */
  reloptions?: readonly string[] | null;
};

export type AutovacuumThresholds = {
  vacuumThreshold: number;
  vacuumScaleFactor: number;
  insertThreshold: number;
  insertScaleFactor: number;
  analyzeThreshold: number;
  analyzeScaleFactor: number;
};

/** PostgreSQL 15's defaults, for tests and a server that does not say. */
export const POSTGRES_AUTOVACUUM_DEFAULTS: AutovacuumThresholds = {
  vacuumThreshold: 50, vacuumScaleFactor: 0.2, insertThreshold: 1000, insertScaleFactor: 0.2, analyzeThreshold: 50, analyzeScaleFactor: 0.1,
};

export type ServerMaintenanceAction = { table: string; vacuum: boolean; analyze: boolean };

const PER_TABLE: Record<string, keyof AutovacuumThresholds> = {
  autovacuum_vacuum_threshold: "vacuumThreshold",
  autovacuum_vacuum_scale_factor: "vacuumScaleFactor",
  autovacuum_vacuum_insert_threshold: "insertThreshold",
  autovacuum_vacuum_insert_scale_factor: "insertScaleFactor",
  autovacuum_analyze_threshold: "analyzeThreshold",
  autovacuum_analyze_scale_factor: "analyzeScaleFactor",
};

/**
 * A table's thresholds as autovacuum reads them: the server's, overridden by the table's own storage parameters;
 * null when the table has `autovacuum_enabled = false` (autovacuum leaves it alone, and so does the worker).
 */
export function tableThresholds(server: AutovacuumThresholds, reloptions: readonly string[] | null | undefined): AutovacuumThresholds | null {
  if (!reloptions?.length) return server;
  const t = { ...server };
  for (const option of reloptions) {
    const eq = option.indexOf("=");
    if (eq < 0) continue;
    const name = option.slice(0, eq).toLowerCase();
    const value = option.slice(eq + 1);
    if (name === "autovacuum_enabled" && /^(false|off|no|0)$/i.test(value)) return null;
    const field = PER_TABLE[name];
    const n = Number(value);
    if (field && value !== "" && Number.isFinite(n)) t[field] = n;
  }
  return t;
}

/** Every table due for a vacuum and/or an analyze, smallest first: a churned queue table must not wait behind spans. */
export function dueServerMaintenance(tables: ServerTableStats[], server: AutovacuumThresholds = POSTGRES_AUTOVACUUM_DEFAULTS): ServerMaintenanceAction[] {
  const due: (ServerMaintenanceAction & { bytes: number })[] = [];
  for (const s of tables) {
    const t = tableThresholds(server, s.reloptions);
    if (t === null) continue;
    const rows = Math.max(0, s.rows);
    const vacuum =
      s.deadRows > t.vacuumThreshold + t.vacuumScaleFactor * rows || (t.insertThreshold >= 0 && s.insertedSinceVacuum > t.insertThreshold + t.insertScaleFactor * rows);
    const analyze = s.modifiedSinceAnalyze > t.analyzeThreshold + t.analyzeScaleFactor * rows;
    if (vacuum || analyze) due.push({ table: s.table, vacuum, analyze, bytes: s.bytes });
  }
  return due.sort((a, b) => a.bytes - b.bytes || (a.table < b.table ? -1 : 1)).map(({ table, vacuum, analyze }) => ({ table, vacuum, analyze }));
}

/** The statement for one action: VACUUM (ANALYZE) does both in one pass. */
export function maintenanceStatement(action: ServerMaintenanceAction, quotedTable: string): string | null {
  if (action.vacuum) return action.analyze ? `VACUUM (ANALYZE) ${quotedTable}` : `VACUUM ${quotedTable}`;
  return action.analyze ? `ANALYZE ${quotedTable}` : null;
}
