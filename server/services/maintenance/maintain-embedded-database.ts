import type { Db } from "../../db/client.ts";
import { nextMaintenanceAction, type MaintenanceAction, type MaintenancePolicy, type TableMaintenanceState } from "../../domain/maintenance/plan-embedded-maintenance.ts";

// A tenth of PostgreSQL's default sample (3,000 rows instead of 30,000): row counts and rough distributions are all
// our key lookups and rollup reads need, and ANALYZE of the demo's spans drops from ~600 ms to ~100 ms of stall.
const STATISTICS_TARGET = 10;

/**
 * Embedded PGlite's stand-in for autovacuum (see plan-embedded-maintenance.ts). Keeps, per process, when each table
 * was last vacuumed; each call performs at most one ANALYZE or VACUUM and says which.
 */
export function createEmbeddedMaintenance(options: { db: Db; policy?: MaintenancePolicy; nowMs?: () => number }) {
  const { db } = options;
  const now = options.nowMs ?? Date.now;
  const lastVacuumMs = new Map<string, number>();
  return {
    async runOnce(): Promise<MaintenanceAction | null> {
      const { rows } = await db.pool.query<{ table: string; stats_pages: number; current_pages: string }>(
        `SELECT c.relname AS table, c.relpages AS stats_pages,
           pg_relation_size(c.oid) / current_setting('block_size')::int AS current_pages
         FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace`,
      );
      const tables: TableMaintenanceState[] = rows.map((r) => ({
        table: r.table, statsPages: Number(r.stats_pages), currentPages: Number(r.current_pages), lastVacuumMs: lastVacuumMs.get(r.table) ?? null,
      }));
      const action = nextMaintenanceAction(tables, now(), options.policy);
      if (!action) return null;
      const table = `"${action.table.replaceAll('"', '""')}"`; // a name read from pg_class, quoted as an identifier
      if (action.kind === "analyze") {
        await db.pool.query(`SET default_statistics_target = ${STATISTICS_TARGET}; ANALYZE ${table}; RESET default_statistics_target`);
      } else {
        // VACUUM cannot run in a transaction block; it also refreshes relpages/reltuples.
        await db.pool.query(`VACUUM ${table}`);
        lastVacuumMs.set(action.table, now());
      }
      return action;
    },
  };
}
