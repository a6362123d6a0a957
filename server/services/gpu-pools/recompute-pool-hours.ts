import type pg from "pg";
import { attributeBusyGpuCost } from "../../domain/costs/busy-gpu-cost.ts";
import { POOL_SERVES_CALL_SQL } from "../../db/sql/pool-match.ts";
import { energyCostUsd, energyKwh, type EnergyReading } from "../../domain/costs/gpu-energy.ts";

type MatchedCall = {
  trace_id: string; span_id: string; pool_id: string; model: string | null; request_model: string | null;
  input_tokens: number; cache_read_tokens: number; output_tokens: number; duration_ms: number;
};
type PoolHour = { pool_id: string; gpu_type: string; gpu_count: number; busy_cost_usd: string | null };

/**
 * GPU cost of one org-hour, per pool: cost = GPUs × $/GPU-hour when the pool reported samples in that hour;
 * busy = cost × mean utilization, attributed to the pool's calls in the hour by modelled GPU-seconds (throughput
 * model: prefill + decode on the pool's GPU type), or by tokens with the reason recorded on the pool-hour when the
 * model cannot estimate every call; idle = the rest. Calls belong to a pool when it serves their model or
 * address (the first such pool by name when several do); a call no pool serves any more loses its pool price.
 * Returns the traces whose calls changed, so their tasks are re-settled.
 */
export async function recomputePoolHours(client: pg.PoolClient, orgId: string, hour: Date): Promise<string[]> {
  const end = new Date(hour.getTime() + 3_600_000);
  await client.query("DELETE FROM gpu_pool_hours WHERE org_id = $1 AND hour = $2", [orgId, hour]);
  await client.query(
    `INSERT INTO gpu_pool_hours (org_id, pool_id, hour, gpus_reporting, mean_utilization, cost_usd, busy_cost_usd, idle_cost_usd, calls, output_tokens)
     SELECT p.org_id, p.id, $2, g.gpus, g.util, p.gpu_count * p.usd_per_gpu_hour,
       p.gpu_count * p.usd_per_gpu_hour * g.util::numeric, p.gpu_count * p.usd_per_gpu_hour * (1 - g.util::numeric),
       coalesce(c.calls, 0), coalesce(c.output_tokens, 0)
     FROM gpu_pools p
     JOIN LATERAL (
       SELECT count(DISTINCT gs.gpu_uuid) AS gpus, least(1, greatest(0, avg(gs.utilization_ratio))) AS util
       FROM gpu_samples gs
       WHERE gs.org_id = p.org_id AND gs.time >= $2 AND gs.time < $3 AND gs.utilization_ratio IS NOT NULL
         AND (gs.gpu_uuid = ANY(p.match_gpu_uuids) OR gs.host = ANY(p.match_hosts))
     ) g ON g.gpus > 0
     LEFT JOIN LATERAL (
       SELECT count(*) AS calls, sum(coalesce(s.output_tokens, 0)) AS output_tokens FROM spans s
       WHERE s.org_id = p.org_id AND s.is_llm_call AND s.start_time >= $2 AND s.start_time < $3
         AND ${POOL_SERVES_CALL_SQL}
     ) c ON true
     WHERE p.org_id = $1`,
    [orgId, hour, end],
  );
  await recordEnergy(client, orgId, hour, end);
  const { rows: calls } = await client.query<MatchedCall>(
    `SELECT DISTINCT ON (s.trace_id, s.span_id) s.trace_id, s.span_id, p.id AS pool_id, s.model, s.request_model,
       coalesce(s.input_tokens, 0) AS input_tokens, coalesce(s.cache_read_tokens, 0) AS cache_read_tokens,
       coalesce(s.output_tokens, 0) AS output_tokens, extract(epoch FROM s.end_time - s.start_time)::float8 * 1000 AS duration_ms
     FROM spans s JOIN gpu_pools p ON p.org_id = s.org_id
       AND ${POOL_SERVES_CALL_SQL}
     WHERE s.org_id = $1 AND s.is_llm_call AND s.start_time >= $2 AND s.start_time < $3
     ORDER BY s.trace_id, s.span_id, p.name, p.id`,
    [orgId, hour, end],
  );
  // Calls priced by a pool that no longer serves them (the pool was deleted or its rules changed) lose that price;
  // the facts then price them by API price, or show them unpriced.
  const { rows: released } = await client.query<{ trace_id: string }>(
    `UPDATE spans s SET pool_id = NULL, gpu_cost_usd = NULL, gpu_seconds = NULL
     WHERE s.org_id = $1 AND s.pool_id IS NOT NULL AND s.start_time >= $2 AND s.start_time < $3
       AND NOT (s.trace_id, s.span_id, s.pool_id) IN (SELECT * FROM unnest($4::text[], $5::text[], $6::text[]))
     RETURNING s.trace_id`,
    [orgId, hour, end, calls.map((c) => c.trace_id), calls.map((c) => c.span_id), calls.map((c) => c.pool_id)],
  );
  const releasedTraces = released.map((r) => r.trace_id);
  if (calls.length === 0) return [...new Set(releasedTraces)];
  const { rows: pools } = await client.query<PoolHour>(
    `SELECT p.id AS pool_id, p.gpu_type, p.gpu_count, ph.busy_cost_usd::text AS busy_cost_usd
     FROM gpu_pools p LEFT JOIN gpu_pool_hours ph ON ph.org_id = p.org_id AND ph.pool_id = p.id AND ph.hour = $2
     WHERE p.org_id = $1`,
    [orgId, hour],
  );
  const updates = { trace: [] as string[], span: [] as string[], pool: [] as string[], cost: [] as (string | null)[], seconds: [] as (number | null)[] };
  for (const pool of pools) {
    const mine = calls.filter((c) => c.pool_id === pool.pool_id);
    if (mine.length === 0) continue;
    const attribution = attributeBusyGpuCost({
      pool: { gpuType: pool.gpu_type, gpuCount: pool.gpu_count },
      busyCostUsd: pool.busy_cost_usd,
      calls: mine.map((c) => ({ model: c.model, requestModel: c.request_model, inputTokens: Number(c.input_tokens), cacheReadTokens: Number(c.cache_read_tokens), outputTokens: Number(c.output_tokens), durationMs: c.duration_ms })),
    });
    mine.forEach((c, i) => {
      updates.trace.push(c.trace_id);
      updates.span.push(c.span_id);
      updates.pool.push(pool.pool_id);
      updates.cost.push(attribution.calls[i]!.gpuCostUsd);
      updates.seconds.push(attribution.calls[i]!.gpuSeconds);
    });
    await client.query(
      `UPDATE gpu_pool_hours SET busy_basis = $4, busy_basis_note = $5, modelled_gpu_seconds = $6
       WHERE org_id = $1 AND pool_id = $2 AND hour = $3`,
      [orgId, pool.pool_id, hour, attribution.basis, attribution.fallbackReason,
        attribution.basis === "gpu_seconds" ? attribution.calls.reduce((a, c) => a + (c.gpuSeconds ?? 0), 0) : null],
    );
  }
  const { rows } = await client.query<{ trace_id: string }>(
    `UPDATE spans s SET pool_id = u.pool_id, gpu_cost_usd = u.cost, gpu_seconds = u.seconds
     FROM unnest($2::text[], $3::text[], $4::text[], $5::numeric[], $6::float8[]) AS u(trace_id, span_id, pool_id, cost, seconds)
     WHERE s.org_id = $1 AND s.trace_id = u.trace_id AND s.span_id = u.span_id
       AND (s.pool_id IS DISTINCT FROM u.pool_id OR s.gpu_cost_usd IS DISTINCT FROM u.cost OR s.gpu_seconds IS DISTINCT FROM u.seconds)
     RETURNING s.trace_id`,
    [orgId, updates.trace, updates.span, updates.pool, updates.cost, updates.seconds],
  );
  return [...new Set([...releasedTraces, ...rows.map((r) => r.trace_id)])];
}

// A counter reading up to this long before the hour gives the hour its first interval (scrapes run every 15–60 s).
const ENERGY_LOOKBACK_MS = 15 * 60_000;

/**
 * Energy of each pool-hour from its GPUs' cumulative energy counters; a pool with $/kWh adds the energy cost to the
 * hour's cost, split into busy and idle by the same utilization as the GPU-hours.
 */
async function recordEnergy(client: pg.PoolClient, orgId: string, hour: Date, end: Date): Promise<void> {
  const { rows } = await client.query<{ pool_id: string; usd_per_kwh: string | null; mean_utilization: number; gpu_uuid: string; time: Date; joules: number }>(
    `SELECT ph.pool_id, p.usd_per_kwh::text AS usd_per_kwh, ph.mean_utilization, gs.gpu_uuid, gs.time, gs.energy_joules_total AS joules
     FROM gpu_pool_hours ph JOIN gpu_pools p ON p.id = ph.pool_id AND p.org_id = ph.org_id
     JOIN gpu_samples gs ON gs.org_id = ph.org_id AND gs.time >= $3 AND gs.time < $4 AND gs.energy_joules_total IS NOT NULL
       AND (gs.gpu_uuid = ANY(p.match_gpu_uuids) OR gs.host = ANY(p.match_hosts))
     WHERE ph.org_id = $1 AND ph.hour = $2`,
    [orgId, hour, new Date(hour.getTime() - ENERGY_LOOKBACK_MS), end],
  );
  const byPool = new Map<string, { usdPerKwh: string | null; readings: EnergyReading[] }>();
  for (const r of rows) {
    const pool = byPool.get(r.pool_id) ?? { usdPerKwh: r.usd_per_kwh, readings: [] };
    pool.readings.push({ gpuUuid: r.gpu_uuid, timeMs: r.time.getTime(), joulesTotal: r.joules });
    byPool.set(r.pool_id, pool);
  }
  for (const [poolId, pool] of byPool) {
    const energy = energyKwh(pool.readings, hour.getTime(), end.getTime());
    if (!energy) continue;
    const cost = pool.usdPerKwh === null ? null : energyCostUsd(energy.kwh, pool.usdPerKwh);
    await client.query(
      `UPDATE gpu_pool_hours SET energy_kwh = $4, energy_cost_usd = $5::numeric,
         cost_usd = cost_usd + coalesce($5::numeric, 0),
         busy_cost_usd = busy_cost_usd + coalesce($5::numeric, 0) * mean_utilization::numeric,
         idle_cost_usd = idle_cost_usd + coalesce($5::numeric, 0) * (1 - mean_utilization::numeric)
       WHERE org_id = $1 AND pool_id = $2 AND hour = $3`,
      [orgId, poolId, hour, energy.kwh, cost],
    );
  }
}
