import { toCsv } from "./csv.ts";

/** One task of a feature as exported; costUsd is PostgreSQL NUMERIC text (exact), never a float. */
export type FeatureTaskCsvRow = {
  taskKey: string; taskType: string | null; customerId: string | null; outcome: string; calls: number; retryCalls: number;
  failedCalls: number; unpricedCalls: number; inputTokens: number; cachedInputTokens: number; cacheWriteTokens: number;
  outputTokens: number; costUsd: string; startTime: Date;
};

export const FEATURE_TASKS_CSV_HEADER = [
  "task_id", "task_type", "customer_id", "outcome", "calls", "retry_calls", "failed_calls", "unpriced_calls",
  "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "cost_usd", "started_at_utc",
];

/** Exact decimal text without padding zeros: "0.001200000000" → "0.0012", "2.000000000000" → "2". */
export function trimDecimal(numeric: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(numeric)) throw new Error(`not a decimal: ${numeric}`);
  if (!numeric.includes(".")) return numeric;
  const trimmed = numeric.replace(/0+$/, "").replace(/\.$/, "");
  return trimmed === "-0" ? "0" : trimmed;
}

/**
 * A feature's tasks as CSV, one row per task. A task with any unpriced call has cost "unpriced" — its stored cost
 * is only the priced calls' share, and writing it (or 0) would pass a lower bound off as the cost.
 * input_tokens is the total input, cache reads and writes included (the OTel convention).
 */
export function featureTasksCsv(rows: FeatureTaskCsvRow[]): string {
  return toCsv(
    FEATURE_TASKS_CSV_HEADER,
    rows.map((r) => [
      r.taskKey, r.taskType ?? "", r.customerId ?? "", r.outcome, r.calls, r.retryCalls, r.failedCalls, r.unpricedCalls,
      r.inputTokens, r.cachedInputTokens, r.cacheWriteTokens, r.outputTokens,
      r.unpricedCalls > 0 ? "unpriced" : trimDecimal(r.costUsd), r.startTime.toISOString(),
    ]),
  );
}

/** A safe file name: feature-<name>-<period>-<YYYY-MM-DD of the period's end>.csv */
export function featureTasksCsvFilename({ feature, period, to }: { feature: string; period: string; to: Date }): string {
  const name = feature.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "feature";
  return `feature-${name}-${period}-${to.toISOString().slice(0, 10)}.csv`;
}
