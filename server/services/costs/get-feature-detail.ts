import { costBucketEdges } from "../../domain/costs/cost-distribution.ts";
import { resolvePeriod, type PeriodPreset } from "../../domain/costs/period.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";
import { getPromptGrowth } from "./get-prompt-growth.ts";
import { queryCosts } from "./query-costs.ts";

export type CostDistribution = {
  /** Fully priced tasks in the histogram; tasks with an unpriced call have only a lower bound, so they stay out. */
  pricedTasks: number;
  tasksWithUnpricedCalls: number;
  p50Usd: string | null;
  p90Usd: string | null;
  p99Usd: string | null;
  maxUsd: string | null;
  buckets: { fromUsd: string; toUsd: string | null; successfulTasks: number; otherTasks: number }[];
};

export type TaskShape = { tasks: number; successfulTasks: number; loopTasks: number; meanCallsPerTask: number | null; maxCallsPerTask: number | null; retryCalls: number; failedCalls: number };

/**
 * One feature's page: the distribution of cost per task (percentiles exact — percentile_disc picks a real task's
 * cost), task shape (calls per task, loops, retries), token mix from the rollups, and its prompts' growth.
 */
export async function getFeatureDetail({ ctx, feature, preset, nowMs }: { ctx: OrgContext; feature: string; preset: PeriodPreset; nowMs: number }) {
  requirePermission(ctx, "costs:read");
  const p = resolvePeriod(preset, nowMs);
  const args = [ctx.org.id, feature, p.from, p.to];
  const where = `org_id = $1 AND feature = $2 AND start_time >= $3 AND start_time < $4`;
  const [{ rows: [stats] }, totals, prompts] = await Promise.all([
    ctx.db.pool.query(
      `SELECT count(*)::int AS tasks, (count(*) FILTER (WHERE outcome = 'success'))::int AS successful,
         (count(*) FILTER (WHERE is_loop))::int AS loops, avg(calls)::float8 AS mean_calls, max(calls) AS max_calls,
         coalesce(sum(retry_calls), 0)::int AS retry_calls, coalesce(sum(failed_calls), 0)::int AS failed_calls,
         (count(*) FILTER (WHERE unpriced_calls > 0))::int AS unpriced_tasks,
         (count(*) FILTER (WHERE unpriced_calls = 0))::int AS priced_tasks,
         min(cost_usd) FILTER (WHERE unpriced_calls = 0 AND cost_usd > 0)::text AS min_positive,
         max(cost_usd) FILTER (WHERE unpriced_calls = 0)::text AS max_cost,
         coalesce(bool_or(cost_usd = 0) FILTER (WHERE unpriced_calls = 0), false) AS has_zero,
         (percentile_disc(0.5) WITHIN GROUP (ORDER BY cost_usd) FILTER (WHERE unpriced_calls = 0))::text AS p50,
         (percentile_disc(0.9) WITHIN GROUP (ORDER BY cost_usd) FILTER (WHERE unpriced_calls = 0))::text AS p90,
         (percentile_disc(0.99) WITHIN GROUP (ORDER BY cost_usd) FILTER (WHERE unpriced_calls = 0))::text AS p99
       FROM tasks WHERE ${where}`,
      args,
    ),
    queryCosts({ ctx, query: { from: p.from, to: p.to, groupBy: [], filters: { feature } } }),
    getPromptGrowth({ ctx, nowMs, feature }),
  ]);
  const edges = stats.priced_tasks > 0 ? costBucketEdges({ minPositiveUsd: stats.min_positive, maxUsd: stats.max_cost ?? "0", hasZero: stats.has_zero, maxBuckets: 18 }) : [];
  const counts = new Map<number, { successful: number; other: number }>();
  if (edges.length > 0) {
    // width_bucket(x, thresholds) is 1 for [t1, t2), …, n for [tn, ∞); 0 below t1 cannot happen (t1 ≤ min).
    const { rows } = await ctx.db.pool.query(
      `SELECT width_bucket(cost_usd, $5::numeric[]) AS b, (count(*) FILTER (WHERE outcome = 'success'))::int AS successful,
         (count(*) FILTER (WHERE outcome <> 'success'))::int AS other
       FROM tasks WHERE ${where} AND unpriced_calls = 0 GROUP BY 1`,
      [...args, edges],
    );
    for (const r of rows) counts.set(r.b, { successful: r.successful, other: r.other });
  }
  const distribution: CostDistribution = {
    pricedTasks: stats.priced_tasks,
    tasksWithUnpricedCalls: stats.unpriced_tasks,
    p50Usd: stats.p50, p90Usd: stats.p90, p99Usd: stats.p99, maxUsd: stats.max_cost,
    buckets: edges.map((fromUsd, i) => ({ fromUsd, toUsd: edges[i + 1] ?? null, successfulTasks: counts.get(i + 1)?.successful ?? 0, otherTasks: counts.get(i + 1)?.other ?? 0 })),
  };
  const shape: TaskShape = {
    tasks: stats.tasks, successfulTasks: stats.successful, loopTasks: stats.loops,
    meanCallsPerTask: stats.mean_calls, maxCallsPerTask: stats.max_calls, retryCalls: stats.retry_calls, failedCalls: stats.failed_calls,
  };
  return { feature, period: { from: p.from, to: p.to }, distribution, shape, totals: totals.totals, prompts };
}
