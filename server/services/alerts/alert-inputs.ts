import type { FeatureWindow } from "../../domain/alerts/evaluate.ts";
import type { OrgContext } from "../org-context.ts";
import { queryCosts } from "../costs/query-costs.ts";

const DAY_MS = 86_400_000;

/** Per-feature windows (cost, volume, tokens, retries, model mix) for cost-regression evaluation, from rollups. */
export async function featureWindows(ctx: OrgContext, from: Date, to: Date): Promise<FeatureWindow[]> {
  const [byFeature, byModel] = await Promise.all([
    queryCosts({ ctx, query: { from, to, groupBy: ["feature"], filters: {} } }),
    queryCosts({ ctx, query: { from, to, groupBy: ["feature", "model"], filters: {} } }),
  ]);
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  return byFeature.rows.map((r) => {
    const feature = r.key.feature ?? "";
    const models = byModel.rows.filter((m) => m.key.feature === feature);
    const calls = models.reduce((n, m) => n + m.calls, 0);
    return {
      feature, costUsd: r.costUsd, calls: r.calls, successfulTasks: r.successfulTasks, inputTokens: r.inputTokens, cachedInputTokens: r.cachedInputTokens,
      retryCalls: r.retryCalls, days, modelShares: Object.fromEntries(models.map((m) => [m.key.model ?? "", calls ? m.calls / calls : 0])),
    };
  });
}

export async function loopTasks(ctx: OrgContext, from: Date, to: Date, feature?: string): Promise<number> {
  const { rows } = await ctx.db.pool.query<{ n: string | null }>(
    `SELECT sum(loop_tasks) AS n FROM hourly_feature_rollups WHERE org_id = $1 AND hour >= $2 AND hour < $3 AND ($4::text IS NULL OR feature = $4)`,
    [ctx.org.id, from, to, feature ?? null],
  );
  return Number(rows[0]?.n ?? 0);
}

export async function poolCosts(ctx: OrgContext, from: Date, to: Date): Promise<{ name: string; costUsd: string; idleCostUsd: string }[]> {
  const { rows } = await ctx.db.pool.query<{ name: string; cost: string; idle: string }>(
    `SELECT p.name, sum(h.cost_usd)::text AS cost, sum(h.idle_cost_usd)::text AS idle FROM gpu_pool_hours h JOIN gpu_pools p ON p.id = h.pool_id AND p.org_id = h.org_id
     WHERE h.org_id = $1 AND h.hour >= $2 AND h.hour < $3 GROUP BY p.name`,
    [ctx.org.id, from, to],
  );
  return rows.map((r) => ({ name: r.name, costUsd: r.cost, idleCostUsd: r.idle }));
}
