import type pg from "pg";

/**
 * GPU cost of one org-hour, per pool: cost = GPUs × $/GPU-hour when the pool reported samples in that hour;
 * busy = cost × mean utilization, attributed to the pool's calls in the hour by tokens (until the throughput
 * model supplies GPU-seconds); idle = the rest. Calls belong to a pool when it serves their model or address.
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
         AND (s.model = ANY(p.serves_models) OR s.request_model = ANY(p.serves_models) OR s.server_address = ANY(p.serves_addresses))
     ) c ON true
     WHERE p.org_id = $1`,
    [orgId, hour, end],
  );
  const { rows } = await client.query<{ trace_id: string }>(
    `WITH matched AS (
       SELECT s.trace_id, s.span_id, p.id AS pool_id,
         coalesce(s.input_tokens, 0) + coalesce(s.output_tokens, 0) AS tokens
       FROM spans s JOIN gpu_pools p ON p.org_id = s.org_id
         AND (s.model = ANY(p.serves_models) OR s.request_model = ANY(p.serves_models) OR s.server_address = ANY(p.serves_addresses))
       WHERE s.org_id = $1 AND s.is_llm_call AND s.start_time >= $2 AND s.start_time < $3
     ), shares AS (
       SELECT m.trace_id, m.span_id, m.pool_id,
         CASE WHEN ph.busy_cost_usd IS NULL THEN NULL
              WHEN sum(m.tokens) OVER (PARTITION BY m.pool_id) = 0 THEN 0
              ELSE ph.busy_cost_usd * m.tokens / sum(m.tokens) OVER (PARTITION BY m.pool_id) END AS gpu_cost
       FROM matched m LEFT JOIN gpu_pool_hours ph ON ph.org_id = $1 AND ph.pool_id = m.pool_id AND ph.hour = $2
     )
     UPDATE spans s SET pool_id = sh.pool_id, gpu_cost_usd = round(sh.gpu_cost, 12)
     FROM shares sh
     WHERE s.org_id = $1 AND s.trace_id = sh.trace_id AND s.span_id = sh.span_id
       AND (s.pool_id IS DISTINCT FROM sh.pool_id OR s.gpu_cost_usd IS DISTINCT FROM round(sh.gpu_cost, 12))
     RETURNING s.trace_id`,
    [orgId, hour, end],
  );
  return [...new Set(rows.map((r) => r.trace_id))];
}
