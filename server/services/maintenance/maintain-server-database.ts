import type { Db } from "../../db/client.ts";
import {
  dueServerMaintenance,
  maintenanceStatement,
  type AutovacuumThresholds,
  type ServerMaintenanceAction,
  type ServerTableStats,
} from "../../domain/maintenance/plan-server-maintenance.ts";

// Above this, a table's vacuum may take a while: at most one such per run, after the small ones.
const LARGE_TABLE_BYTES = 64 * 1024 * 1024;

/**
 * The worker's stand-in for autovacuum on a PostgreSQL server running with `autovacuum = off`
 * (plan-server-maintenance.ts says why it matters). Does nothing while autovacuum is on. Each run performs what is
 * due, smallest table first, throttled as autovacuum is (vacuum_cost_delay 2 ms per 200 cost units), so it takes
 * I/O in small slices instead of all at once; a run being stopped cancels its VACUUM (its finished pages stay done).
 */
export function createServerMaintenance(options: { db: Db; log: (line: string) => void; evenWithAutovacuum?: boolean }) {
  const { db, log } = options;
  let told = false;
  return {
    async runOnce(isStopping: () => boolean = () => false): Promise<ServerMaintenanceAction[]> {
      const settings = await readSettings(db);
      if (!options.evenWithAutovacuum && (settings.autovacuum || !settings.trackCounts)) return [];
      if (!told && !settings.autovacuum) {
        told = true;
        log("autovacuum is off on this PostgreSQL server: the worker vacuums and analyzes InferLedger's tables itself (autovacuum's thresholds)");
      }
      const tables = await readTableStats(db);
      const bytes = new Map(tables.map((t) => [t.table, t.bytes]));
      const done: ServerMaintenanceAction[] = [];
      const due = dueServerMaintenance(tables, settings.thresholds);
      for (const action of due) {
        if (isStopping()) break;
        const large = (bytes.get(action.table) ?? 0) > LARGE_TABLE_BYTES;
        await runThrottled(db, maintenanceStatement(action, `"${action.table.replaceAll('"', '""')}"`)!, isStopping);
        done.push(action);
        if (large) break; // the queue tables get looked at again before the next large one
      }
      return done;
    },
  };
}

async function readSettings(db: Db): Promise<{ autovacuum: boolean; trackCounts: boolean; thresholds: AutovacuumThresholds }> {
  const { rows } = await db.pool.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings WHERE name IN ('autovacuum', 'track_counts', 'autovacuum_vacuum_threshold',
       'autovacuum_vacuum_scale_factor', 'autovacuum_vacuum_insert_threshold', 'autovacuum_vacuum_insert_scale_factor',
       'autovacuum_analyze_threshold', 'autovacuum_analyze_scale_factor')`,
  );
  const s = new Map(rows.map((r) => [r.name, r.setting]));
  const num = (name: string, fallback: number) => (s.has(name) ? Number(s.get(name)) : fallback);
  return {
    autovacuum: s.get("autovacuum") !== "off",
    trackCounts: s.get("track_counts") !== "off",
    thresholds: {
      vacuumThreshold: num("autovacuum_vacuum_threshold", 50),
      vacuumScaleFactor: num("autovacuum_vacuum_scale_factor", 0.2),
      insertThreshold: num("autovacuum_vacuum_insert_threshold", 1000), // absent before PostgreSQL 13
      insertScaleFactor: num("autovacuum_vacuum_insert_scale_factor", 0.2),
      analyzeThreshold: num("autovacuum_analyze_threshold", 50),
      analyzeScaleFactor: num("autovacuum_analyze_scale_factor", 0.1),
    },
  };
}

async function readTableStats(db: Db): Promise<ServerTableStats[]> {
  const { rows } = await db.pool.query<{ table: string; rows: number; dead: string; inserted: string; modified: string; bytes: string; reloptions: string[] | null }>(
    `SELECT s.relname AS table, c.reltuples AS rows, s.n_dead_tup AS dead, s.n_ins_since_vacuum AS inserted,
       s.n_mod_since_analyze AS modified, pg_relation_size(s.relid) AS bytes, c.reloptions
     FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.schemaname = 'public'`,
  );
  return rows.map((r) => ({
    table: r.table, rows: Number(r.rows), deadRows: Number(r.dead), insertedSinceVacuum: Number(r.inserted),
    modifiedSinceAnalyze: Number(r.modified), bytes: Number(r.bytes), reloptions: r.reloptions,
  }));
}

/** One maintenance statement on a connection of its own, throttled like autovacuum, cancelled if the worker stops. */
async function runThrottled(db: Db, statement: string, isStopping: () => boolean): Promise<void> {
  const client = await db.pool.connect();
  let watcher: NodeJS.Timeout | undefined;
  try {
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid, set_config('vacuum_cost_delay', '2', false), set_config('vacuum_cost_limit', '200', false)");
    watcher = setInterval(() => {
      if (isStopping()) void db.pool.query("SELECT pg_cancel_backend($1)", [rows[0]!.pid]).catch(() => undefined);
    }, 200);
    await client.query(statement);
  } catch (error) {
    if (!(isStopping() && (error as { code?: string }).code === "57014")) throw error; // 57014: cancelled on shutdown
  } finally {
    clearInterval(watcher);
    await client.query("RESET vacuum_cost_delay; RESET vacuum_cost_limit").catch(() => undefined);
    client.release();
  }
}
