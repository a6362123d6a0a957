import type { Prisma } from "../../db/generated/client.ts";
import { POOL_SERVES_CALL_SQL } from "../../db/sql/pool-match.ts";

export type PoolReach = {
  /** The pool's GPU match rules may select samples it has not costed yet (a new pool, or changed hosts/UUIDs). */
  samples: boolean;
  /** The pool may serve calls it has not priced yet (a new pool, changed serves rules, or a rename, which reorders overlapping pools). */
  servedCalls: boolean;
};

/**
 * Marks for rollup every org-hour a GPU pool touches under its rules as stored now: the hours it has costed, the
 * hours of the calls it priced and, as `reach` asks, the hours of samples its GPU rules match and of calls its serves
 * rules match. Called in the transaction that writes the pool, before a change or delete (the old rules) and after a
 * create or change (the new ones), so pool-hours and call prices follow every edit. The sample and call scans read
 * the org's whole history: acceptable for a rare admin action, and skipped when the rules they follow are unchanged.
 */
export async function markPoolHoursDirty(tx: Prisma.TransactionClient, orgId: string, poolId: string, reach: PoolReach): Promise<void> {
  const hours = [
    "SELECT hour FROM gpu_pool_hours WHERE org_id = $1 AND pool_id = $2",
    // spans_pooled_org_id_start_time_idx: only priced-by-pool calls are indexed.
    "SELECT date_trunc('hour', start_time, 'UTC') FROM spans WHERE org_id = $1 AND pool_id IS NOT NULL AND pool_id = $2",
  ];
  if (reach.samples) {
    hours.push(`SELECT date_trunc('hour', gs.time, 'UTC') FROM gpu_samples gs JOIN gpu_pools p ON p.org_id = gs.org_id AND p.id = $2
      WHERE gs.org_id = $1 AND (gs.gpu_uuid = ANY(p.match_gpu_uuids) OR gs.host = ANY(p.match_hosts))`);
  }
  if (reach.servedCalls) {
    hours.push(`SELECT date_trunc('hour', s.start_time, 'UTC') FROM spans s JOIN gpu_pools p ON p.org_id = s.org_id AND p.id = $2
      WHERE s.org_id = $1 AND s.is_llm_call AND ${POOL_SERVES_CALL_SQL}`);
  }
  // Same row order as every dirty_hours writer (mark-dirty.ts): concurrent writers wait instead of deadlocking.
  await tx.$executeRawUnsafe(
    `INSERT INTO dirty_hours (org_id, hour, marked_at)
     SELECT $1, hour, clock_timestamp() FROM (${hours.join(" UNION ")}) h(hour)
     ORDER BY hour
     ON CONFLICT (org_id, hour) DO UPDATE SET marked_at = excluded.marked_at`,
    orgId, poolId,
  );
}
