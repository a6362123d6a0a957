import Decimal from "decimal.js";
import { resolvePeriod, type PeriodPreset } from "../../domain/costs/period.ts";
import { encodeTrafficColumns, type TrafficColumns } from "../../domain/whatif/traffic-columns.ts";
import type { HourlyTrafficRow } from "../../domain/whatif/types.ts";
import { ALTERNATIVES } from "../costs/get-pricing-review.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";
import { effectiveApiPrices, type EffectivePrice, type PriceQuery } from "../pricing/effective-prices.ts";

export type WhatIfPool = { name: string; gpuType: string; gpuCount: number; usdPerGpuHour: string; servesModels: string[] };

export type WhatIfTraffic = {
  period: { preset: PeriodPreset; startMs: number; endMs: number; hours: number };
  rows: HourlyTrafficRow[];
  /** Effective prices of the period's API models plus common alternatives (cascade and reprice targets). */
  prices: EffectivePrice[];
  unpricedCalls: number; // API calls with no price: in the call counts, not in any cost
  pools: WhatIfPool[];
  /** The org's existing GPU pools in the period (the rollups carry their cost, not their size or utilization). */
  actualGpus: { gpuCount: number; meanUtilization: number | null };
};

type RollupRow = {
  hour: Date; feature: string; provider: string; model: string; calls: string; unpriced_calls: string; input_tokens: string;
  cached_input_tokens: string; cache_write_tokens: string; output_tokens: string; cost_usd: string; gpu_cost_usd: string; tasks: string; successful_tasks: string;
};

const HOUR_MS = 3_600_000;
const key = (feature: string, provider: string, model: string): string => `${feature}\u0000${provider}\u0000${model}`;

/**
 * The org's hourly traffic of a period for the what-if engine, from the customer-summed hourly rollups (task type
 * collapsed too): per hour × feature × provider × model, cost = API + GPU busy + idle GPU cost. A feature × provider ×
 * model is self-hosted when a GPU pool served its calls in the period (or it carries GPU cost). Prices are the org's
 * effective ones now (overrides, else the catalog) for its API models and the alternatives of the pricing review.
 */
export async function loadWhatIfTraffic({ ctx, preset, nowMs }: { ctx: OrgContext; preset: PeriodPreset; nowMs: number }): Promise<WhatIfTraffic> {
  requirePermission(ctx, "costs:read");
  const p = resolvePeriod(preset, nowMs);
  const [rollups, pooled, pools, poolHours] = await Promise.all([
    ctx.db.pool.query<RollupRow>(
      `SELECT hour, feature, provider, model, sum(calls) AS calls, sum(unpriced_calls) AS unpriced_calls, sum(input_tokens) AS input_tokens,
         sum(cached_input_tokens) AS cached_input_tokens, sum(cache_write_tokens) AS cache_write_tokens, sum(output_tokens) AS output_tokens,
         sum(api_cost_usd + gpu_cost_usd + idle_gpu_cost_usd)::text AS cost_usd, sum(gpu_cost_usd + idle_gpu_cost_usd)::text AS gpu_cost_usd,
         sum(tasks) AS tasks, sum(successful_tasks) AS successful_tasks
       FROM hourly_feature_rollups WHERE org_id = $1 AND hour >= $2 AND hour < $3
       GROUP BY hour, feature, provider, model ORDER BY hour`,
      [ctx.org.id, p.from, p.to],
    ),
    ctx.db.pool.query<{ feature: string; provider: string; model: string }>(
      `SELECT DISTINCT coalesce(resolved_feature, feature, service_name, '') AS feature, coalesce(provider, '') AS provider, coalesce(model, '') AS model
       FROM spans WHERE org_id = $1 AND is_llm_call AND pool_id IS NOT NULL AND start_time >= $2 AND start_time < $3`,
      [ctx.org.id, p.from, p.to],
    ),
    ctx.db.prisma.gpuPool.findMany({ where: { orgId: ctx.org.id }, orderBy: { name: "asc" } }),
    ctx.db.pool.query<{ gpus: number | null; util: number | null }>(
      `SELECT (SELECT sum(p.gpu_count) FROM gpu_pools p WHERE p.org_id = $1 AND EXISTS (
                SELECT 1 FROM gpu_pool_hours h WHERE h.org_id = $1 AND h.pool_id = p.id AND h.hour >= $2 AND h.hour < $3))::int AS gpus,
              (SELECT sum(h.mean_utilization * p.gpu_count) / nullif(sum(p.gpu_count), 0) FROM gpu_pool_hours h JOIN gpu_pools p ON p.id = h.pool_id AND p.org_id = h.org_id
                WHERE h.org_id = $1 AND h.hour >= $2 AND h.hour < $3)::float8 AS util`,
      [ctx.org.id, p.from, p.to],
    ),
  ]);
  const selfHosted = new Set(pooled.rows.map((r) => key(r.feature, r.provider, r.model)));
  for (const r of rollups.rows) if (!new Decimal(r.gpu_cost_usd).isZero()) selfHosted.add(key(r.feature, r.provider, r.model));

  let unpricedCalls = 0;
  const apiUsage = new Map<string, { provider: string; model: string; calls: number; input: number }>();
  const rows: HourlyTrafficRow[] = rollups.rows.map((r) => {
    const isSelfHosted = selfHosted.has(key(r.feature, r.provider, r.model));
    const calls = Number(r.calls);
    if (!isSelfHosted) {
      unpricedCalls += Number(r.unpriced_calls);
      if (r.provider && r.model && calls > 0) {
        const u = apiUsage.get(key("", r.provider, r.model)) ?? { provider: r.provider, model: r.model, calls: 0, input: 0 };
        u.calls += calls;
        u.input += Number(r.input_tokens);
        apiUsage.set(key("", r.provider, r.model), u);
      }
    }
    return {
      hourStartMs: r.hour.getTime(), feature: r.feature, provider: r.provider || null, model: r.model || null, calls,
      inputTokens: Number(r.input_tokens), cachedInputTokens: Number(r.cached_input_tokens), cacheWriteTokens: Number(r.cache_write_tokens),
      outputTokens: Number(r.output_tokens), costUsd: new Decimal(r.cost_usd).toString(), tasks: Number(r.tasks), successfulTasks: Number(r.successful_tasks), isSelfHosted,
    };
  });
  const usage = [...apiUsage.values()];
  const totalCalls = usage.reduce((a, u) => a + u.calls, 0);
  const avgInput = totalCalls > 0 ? usage.reduce((a, u) => a + u.input, 0) / totalCalls : 0;
  const queries: PriceQuery[] = [
    ...usage.map((u) => ({ provider: u.provider, model: u.model, avgInputTokensPerCall: u.input / u.calls })),
    ...ALTERNATIVES.map((a) => ({ ...a, avgInputTokensPerCall: avgInput })),
  ];
  const prices = await effectiveApiPrices({ ctx, queries, at: new Date(nowMs) });
  return {
    period: { preset, startMs: p.from.getTime(), endMs: p.to.getTime(), hours: Math.round((p.to.getTime() - p.from.getTime()) / HOUR_MS) },
    rows, prices, unpricedCalls,
    pools: pools.map((x) => ({ name: x.name, gpuType: x.gpuType, gpuCount: x.gpuCount, usdPerGpuHour: x.usdPerGpuHour.toString(), servesModels: x.servesModels })),
    actualGpus: { gpuCount: poolHours.rows[0]?.gpus ?? 0, meanUtilization: poolHours.rows[0]?.util ?? null },
  };
}

export type WhatIfTrafficWire = Omit<WhatIfTraffic, "rows"> & { columns: TrafficColumns };

/** The same traffic for the browser, in columns (the page decodes it and runs the engine itself). */
export async function loadWhatIfTrafficColumns(options: { ctx: OrgContext; preset: PeriodPreset; nowMs: number }): Promise<WhatIfTrafficWire> {
  const { rows, ...rest } = await loadWhatIfTraffic(options);
  return { ...rest, columns: encodeTrafficColumns(rows, rest.period.startMs) };
}
