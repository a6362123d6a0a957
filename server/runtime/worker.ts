import type { Db } from "../db/client.ts";
import { processPromptDays } from "../services/costs/prompt-day-stats.ts";
import { processDirtyHours } from "../services/costs/recompute-rollups.ts";
import { settleDirtyTraces } from "../services/settlement/settle-dirty-traces.ts";
import { deliverOutbox } from "../services/alerts/deliver-outbox.ts";
import { evaluateAllOrgs } from "../services/alerts/evaluate-all-orgs.ts";
import { pruneDeliveryLog } from "../services/alerts/prune-delivery-log.ts";
import { queueWeeklyDigests } from "../services/alerts/weekly-digest.ts";
import { RollupPacer } from "../domain/costs/rollup-pacing.ts";
import { getEnv } from "../env.ts";
import { scrapeDueTargets } from "../services/gpu-pools/scrape-targets.ts";
import { createEmbeddedMaintenance } from "../services/maintenance/maintain-embedded-database.ts";
import { createServerMaintenance } from "../services/maintenance/maintain-server-database.ts";

/** `isStopping` turns true on shutdown: a job that loops over a backlog checks it between batches. */
export type WorkerJob = { name: string; intervalMs: number; run: (db: Db, isStopping: () => boolean) => Promise<unknown> };

export const STAGE_BUDGET_MS = 10_000;

/** Runs `batch` until it reports 0 items, the worker stops, or `budgetMs` has passed; returns the items done. */
export async function drainFor(batch: () => Promise<number>, isStopping: () => boolean, budgetMs: number, nowMs: () => number = Date.now): Promise<number> {
  const until = nowMs() + budgetMs;
  let done = 0;
  while (!isStopping() && nowMs() < until) {
    const n = await batch();
    done += n;
    if (n === 0) break;
  }
  return done;
}

// One per process: it remembers how long each hot hour's last recompute took (rollup-pacing.ts).
const rollupPacer = new RollupPacer();

/** Background jobs of the worker role: settle traces into tasks and roll hours up; evaluate alerts; deliver them. */
export const DEFAULT_JOBS: WorkerJob[] = [
  {
    name: "settle+rollup",
    intervalMs: 1_000,
    // Work through the backlog, but stop between batches on shutdown: the queue lives in PostgreSQL, so the next
    // start continues where this one stopped (a soak left 800k dirty traces; draining them blocked SIGTERM).
    // Each stage gets a time budget per tick: under sustained ingest the settle queue never empties, and an
    // unbounded settle loop kept the rollups (what every dashboard reads) from ever being recomputed.
    run: async (db, isStopping) => {
      await drainFor(() => settleDirtyTraces({ db }), isStopping, STAGE_BUDGET_MS);
      await drainFor(() => processDirtyHours({ db, pacer: rollupPacer }), isStopping, STAGE_BUDGET_MS);
    },
  },
  // Closed days' prompt medians (readers take any day not yet computed from the raw spans, so a slow pace only costs
  // read time; the sweep reads the daily rollups of every org, so not every second).
  { name: "prompts:daily", intervalMs: 30_000, run: (db, isStopping) => drainFor(() => processPromptDays({ db }), isStopping, STAGE_BUDGET_MS) },
  { name: "alerts:evaluate", intervalMs: 60_000, run: (db) => evaluateAllOrgs({ db }) },
  { name: "alerts:deliver", intervalMs: 1_000, run: (db) => deliverOutbox({ db }) },
  { name: "gpu:scrape", intervalMs: 5_000, run: (db) => scrapeDueTargets({ db }) },
  {
    name: "alerts:prune-log",
    intervalMs: 3_600_000,
    run: (db, isStopping) => drainFor(() => pruneDeliveryLog({ db, retentionDays: getEnv().INFERLEDGER_DELIVERY_LOG_DAYS }), isStopping, STAGE_BUDGET_MS),
  },
  { name: "alerts:weekly-digest", intervalMs: 3_600_000, run: (db) => queueWeeklyDigests({ db }) },
];

/**
 * Embedded PGlite only: what autovacuum does on a real server (statistics, dead rows), one short step per tick
 * because each step stalls the whole process (plan-embedded-maintenance.ts).
 */
export function embeddedMaintenanceJob(db: Db): WorkerJob {
  const maintenance = createEmbeddedMaintenance({ db });
  return { name: "db:maintain", intervalMs: 5_000, run: () => maintenance.runOnce() };
}

/** A PostgreSQL server with autovacuum off: the worker vacuums and analyzes itself (maintain-server-database.ts). */
export function serverMaintenanceJob(db: Db, log: (line: string) => void): WorkerJob {
  const maintenance = createServerMaintenance({ db, log });
  return { name: "db:maintain", intervalMs: 5_000, run: (_db, isStopping) => maintenance.runOnce(isStopping) };
}

/** Runs each job on its interval, never overlapping itself; errors are logged and retried next tick. */
export function startWorker({ db, jobs = DEFAULT_JOBS, log }: { db: Db; jobs?: WorkerJob[]; log: (line: string) => void }): { stop: () => Promise<void> } {
  let stopped = false;
  const running = new Set<Promise<void>>();
  const timers: NodeJS.Timeout[] = [];
  for (const job of jobs) {
    let busy = false;
    const tick = () => {
      if (busy || stopped) return;
      busy = true;
      const p = job
        .run(db, () => stopped)
        .then(() => undefined)
        .catch((error: unknown) => log(`worker ${job.name}: ${(error as Error).message}`))
        .finally(() => {
          busy = false;
          running.delete(p);
        });
      running.add(p);
    };
    timers.push(setInterval(tick, job.intervalMs));
  }
  return {
    stop: async () => {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await Promise.all(running);
    },
  };
}
