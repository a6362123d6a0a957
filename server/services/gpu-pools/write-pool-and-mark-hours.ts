import type { Prisma } from "../../db/generated/client.ts";
import type { Db } from "../../db/client.ts";
import { MARK_DIRTY_HOURS_SQL } from "../../db/bulk/mark-dirty.ts";
import { SETTLER_LOCK_SQL } from "../../db/settlement-lock.ts";
import { POOL_SERVES_CALL_SQL } from "../../db/sql/pool-match.ts";

export type PoolRules = { matchHosts: string[]; matchGpuUuids: string[]; servesModels: string[]; servesAddresses: string[] };

export type PoolReach = {
  /** The pool's GPU match rules may select samples it has not costed yet (a new pool, or changed hosts/UUIDs). */
  samples: boolean;
  /** The pool may serve calls it has not priced yet (a new pool, changed serves rules, or a rename, which reorders overlapping pools). */
  servedCalls: boolean;
};

// Live traffic arriving while the history scan ran lands in the last hours: those are scanned again under the lock.
const RESCAN_MS = 2 * 3_600_000;

/** Hours of the org's GPU samples and LLM calls that `rules` reach, from `$6` on (params: org, rules…, since). */
function reachedHoursSql(reach: PoolReach): string | null {
  const rules = "(SELECT $2::text[] AS match_hosts, $3::text[] AS match_gpu_uuids, $4::text[] AS serves_models, $5::text[] AS serves_addresses) p";
  const parts: string[] = [];
  if (reach.samples) {
    parts.push(`SELECT date_trunc('hour', gs.time, 'UTC') AS hour FROM gpu_samples gs, ${rules}
      WHERE gs.org_id = $1 AND gs.time >= $6 AND (gs.gpu_uuid = ANY(p.match_gpu_uuids) OR gs.host = ANY(p.match_hosts))`);
  }
  if (reach.servedCalls) {
    parts.push(`SELECT date_trunc('hour', s.start_time, 'UTC') AS hour FROM spans s, ${rules}
      WHERE s.org_id = $1 AND s.start_time >= $6 AND s.is_llm_call AND ${POOL_SERVES_CALL_SQL}`);
  }
  return parts.length ? `SELECT DISTINCT hour FROM (${parts.join(" UNION ")}) h` : null;
}
const params = (orgId: string, rules: PoolRules, since: Date) => [orgId, rules.matchHosts, rules.matchGpuUuids, rules.servesModels, rules.servesAddresses, since];

/**
 * Writes a GPU pool (create, update, delete) so that every org-hour it touches is re-costed by the worker: the hours it
 * has costed, the hours of the calls it priced and, as `reach` asks, the hours of samples its GPU rules and of calls its
 * serves rules match under the new `rules`. The history scan (the org's whole history: seconds on a large org) runs
 * before the transaction, holding no lock; the transaction is short: the org's settlement lock taken exclusively
 * (ingest batches of the org that started before the pool existed finish first, later ones see it), the write, the
 * last hours scanned again for calls that arrived meanwhile, and the marks in the order every dirty_hours writer takes.
 * A late span with an old start time stored during the scan is the one case left to the hour's next recompute.
 */
export async function writePoolAndMarkHours<T>(
  db: Db, orgId: string, poolId: string, change: { rules: PoolRules | null; reach: PoolReach },
  write: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  const sql = change.rules ? reachedHoursSql(change.reach) : null;
  const scanStartMs = Date.now();
  const history = sql ? (await db.pool.query<{ hour: Date }>(sql, params(orgId, change.rules!, new Date(0)))).rows.map((r) => r.hour) : [];
  return db.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(SETTLER_LOCK_SQL, orgId);
    const recent = sql ? (await tx.$queryRawUnsafe<{ hour: Date }[]>(sql, ...params(orgId, change.rules!, new Date(scanStartMs - RESCAN_MS)))).map((r) => r.hour) : [];
    // Before the write: a delete takes the pool's costed hours with it (the pool-hours stay until recomputed).
    const costed = await tx.$queryRawUnsafe<{ hour: Date }[]>(
      `SELECT hour FROM gpu_pool_hours WHERE org_id = $1 AND pool_id = $2
       UNION SELECT date_trunc('hour', start_time, 'UTC') FROM spans WHERE org_id = $1 AND pool_id IS NOT NULL AND pool_id = $2`, // partial index
      orgId, poolId,
    );
    const result = await write(tx);
    const hours = [...history, ...recent, ...costed.map((r) => r.hour)].map((h) => h.getTime());
    if (hours.length) await tx.$executeRawUnsafe(MARK_DIRTY_HOURS_SQL, orgId, hours); // the shared writer: distinct, sorted
    return result;
  }, { maxWait: 10_000, timeout: 30_000 });
}
