/**
 * The cost facts every number in InferLedger is summed from, as SQL over spans + tasks + GPU pool hours
 * for one org and a half-open time range [$2, $3). The same SELECT fills hourly rollups and answers the
 * partial edge hours of a query exactly (rollups hold whole hours only).
 *
 * - One row per LLM call: tokens, API cost (calls without a pool), GPU busy cost (pooled calls),
 *   failed-call cost, retry waste (superseded attempts), and their union once (a failed attempt that was retried
 *   is both failed and retry waste, but wasted money only once).
 * - One row per task: counted under its primary model, so totals add up over any grouping.
 * - Idle GPU cost of each pool-hour starting in the range, allocated to features by their share of that hour's busy cost
 *   (an hour with no pooled calls keeps its idle cost under the pool's model with no feature).
 */
export const DIMENSIONS = ["feature", "task_type", "provider", "model", "customer_id"] as const;

/** The dimensions of the tables summed over customers (what queries that neither group nor filter by customer read). */
export const FEATURE_DIMENSIONS = DIMENSIONS.filter((d) => d !== "customer_id");

export const MEASURES = [
  "calls", "failed_calls", "retry_calls", "unpriced_calls", "input_tokens", "cached_input_tokens", "cache_write_tokens",
  "output_tokens", "reasoning_tokens", "api_cost_usd", "gpu_cost_usd", "idle_gpu_cost_usd", "retry_cost_usd",
  "failed_cost_usd", "waste_cost_usd", "tasks", "successful_tasks", "loop_tasks", "system_prompt_tokens",
] as const;

export type Measure = (typeof MEASURES)[number];

export function costFactsSql(p: { org: string; from: string; to: string } = { org: "$1", from: "$2", to: "$3" }): string {
  return `${spanFactsSql(`s.org_id = ${p.org} AND s.start_time >= ${p.from} AND s.start_time < ${p.to}`)}
  UNION ALL
${taskFactsSql(`t.org_id = ${p.org} AND t.start_time >= ${p.from} AND t.start_time < ${p.to}`)}
  UNION ALL
${idleGpuFactsSql(p)}`;
}

/**
 * One fact row per LLM call (`spans s`, or another FROM that yields `s`) matching `where`.
 * Also defined in memory for the calls ingest settles (server/domain/costs/ingest-rollup-deltas.ts, the same for
 * taskFactsSql): a change here changes it there too; test/integration/costs/rollup-deltas.test.ts checks they agree.
 */
export function spanFactsSql(where: string, from = "spans s"): string {
  return `
  SELECT s.org_id, date_trunc('hour', s.start_time, 'UTC') AS hour,
    coalesce(s.resolved_feature, s.feature, s.service_name, '') AS feature,
    coalesce(s.resolved_task_type, s.task_type, '') AS task_type,
    coalesce(s.provider, '') AS provider, coalesce(s.model, '') AS model,
    coalesce(s.resolved_customer_id, s.customer_id, '') AS customer_id,
    1 AS calls, (s.status = 'error')::int AS failed_calls, s.is_retry::int AS retry_calls,
    -- Unpriced: no API price, or priced by a pool whose hour has no telemetry yet (its GPU cost is unknown, not $0).
    (CASE WHEN s.pool_id IS NULL THEN s.cost_usd IS NULL ELSE s.gpu_cost_usd IS NULL END)::int AS unpriced_calls,
    coalesce(s.input_tokens, 0) AS input_tokens, coalesce(s.cache_read_tokens, 0) AS cached_input_tokens,
    coalesce(s.cache_write_tokens, 0) AS cache_write_tokens, coalesce(s.output_tokens, 0) AS output_tokens,
    coalesce(s.reasoning_tokens, 0) AS reasoning_tokens,
    CASE WHEN s.pool_id IS NULL THEN coalesce(s.cost_usd, 0) ELSE 0 END AS api_cost_usd,
    coalesce(s.gpu_cost_usd, 0) AS gpu_cost_usd, 0::numeric AS idle_gpu_cost_usd,
    CASE WHEN s.is_retry_waste THEN coalesce(s.cost_usd, s.gpu_cost_usd, 0) ELSE 0 END AS retry_cost_usd,
    CASE WHEN s.status = 'error' THEN coalesce(s.cost_usd, s.gpu_cost_usd, 0) ELSE 0 END AS failed_cost_usd,
    CASE WHEN s.status = 'error' OR s.is_retry_waste THEN coalesce(s.cost_usd, s.gpu_cost_usd, 0) ELSE 0 END AS waste_cost_usd,
    0 AS tasks, 0 AS successful_tasks, 0 AS loop_tasks, coalesce(s.prompt_system_tokens, 0) AS system_prompt_tokens
  FROM ${from}
  WHERE s.is_llm_call AND ${where}`;
}

/** One fact row per task (`tasks t`, or another FROM that yields `t`) matching `where`. */
export function taskFactsSql(where: string, from = "tasks t"): string {
  return `
  SELECT t.org_id, date_trunc('hour', t.start_time, 'UTC'), coalesce(t.feature, ''), coalesce(t.task_type, ''),
    coalesce(t.primary_provider, ''), coalesce(t.primary_model, ''), coalesce(t.customer_id, ''),
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, (t.outcome = 'success')::int, t.is_loop::int, 0
  FROM ${from}
  WHERE ${where}`;
}

/** The idle GPU cost rows of the org's pool-hours in the range. */
function idleGpuFactsSql(p: { org: string; from: string; to: string }): string {
  return `
  SELECT ph.org_id, ph.hour, coalesce(share.feature, ''), '', coalesce(share.provider, 'self-hosted'),
    coalesce(share.model, p.name), '',
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    CASE WHEN share.busy_total > 0 THEN ph.idle_cost_usd * share.busy / share.busy_total ELSE ph.idle_cost_usd END,
    0, 0, 0, 0, 0, 0, 0
  FROM gpu_pool_hours ph
  JOIN gpu_pools p ON p.id = ph.pool_id AND p.org_id = ph.org_id
  LEFT JOIN LATERAL (
    SELECT coalesce(s.resolved_feature, s.feature, s.service_name, '') AS feature, s.provider, s.model,
      sum(s.gpu_cost_usd) AS busy, sum(sum(s.gpu_cost_usd)) OVER () AS busy_total
    FROM spans s
    WHERE s.org_id = ph.org_id AND s.pool_id = ph.pool_id AND s.is_llm_call
      AND s.start_time >= ph.hour AND s.start_time < ph.hour + interval '1 hour'
    GROUP BY 1, 2, 3
  ) share ON true
  WHERE ph.org_id = ${p.org} AND ph.hour >= ${p.from} AND ph.hour < ${p.to}`;
}

/** Sums of the facts grouped by the given SQL expressions. */
export function sumMeasuresSql(alias = "f"): string {
  return MEASURES.map((m) => `sum(${alias}.${m}) AS ${m}`).join(", ");
}
