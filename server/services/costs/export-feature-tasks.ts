import { featureTasksCsv, featureTasksCsvFilename, type FeatureTaskCsvRow } from "../../domain/costs/feature-tasks-csv.ts";
import { resolvePeriod, type PeriodPreset } from "../../domain/costs/period.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";

/** Enough for any period a person opens in a spreadsheet; beyond it the read API is the tool (the UI says so). */
export const MAX_EXPORT_TASKS = 50_000;

export type FeatureTasksCsv = { filename: string; csv: string; rows: number; truncated: boolean };

/**
 * A feature's tasks in the period as CSV, newest first. Cost stays NUMERIC text end to end.
 */
export async function exportFeatureTasks({ ctx, feature, preset, nowMs }: { ctx: OrgContext; feature: string; preset: PeriodPreset; nowMs: number }): Promise<FeatureTasksCsv> {
  requirePermission(ctx, "costs:read");
  const p = resolvePeriod(preset, nowMs);
  const { rows } = await ctx.db.pool.query(
    `SELECT t.task_key, t.task_type, t.customer_id, t.outcome, t.calls, t.retry_calls, t.failed_calls, t.unpriced_calls,
       t.input_tokens, t.output_tokens, t.cost_usd::text AS cost_usd, t.start_time,
       t.cached_input_tokens AS cache_read, t.cache_write_tokens AS cache_write
     FROM tasks t
     WHERE t.org_id = $1 AND t.feature = $2 AND t.start_time >= $3 AND t.start_time < $4
     ORDER BY t.start_time DESC, t.task_key
     LIMIT $5`,
    [ctx.org.id, feature, p.from, p.to, MAX_EXPORT_TASKS + 1],
  );
  const tasks: FeatureTaskCsvRow[] = rows.slice(0, MAX_EXPORT_TASKS).map((r) => ({
    taskKey: r.task_key, taskType: r.task_type, customerId: r.customer_id, outcome: r.outcome, calls: r.calls,
    retryCalls: r.retry_calls, failedCalls: r.failed_calls, unpricedCalls: r.unpriced_calls, inputTokens: r.input_tokens,
    cachedInputTokens: r.cache_read, cacheWriteTokens: r.cache_write, outputTokens: r.output_tokens, costUsd: r.cost_usd, startTime: r.start_time,
  }));
  return { filename: featureTasksCsvFilename({ feature, period: preset, to: p.to }), csv: featureTasksCsv(tasks), rows: tasks.length, truncated: rows.length > MAX_EXPORT_TASKS };
}
