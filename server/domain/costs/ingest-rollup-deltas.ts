import type { NormalizedSpan } from "../ingest/types.ts";
import type { SettledTask, SpanResolution } from "../settlement/settle-traces.ts";
import { parsePlainPicoUsd } from "./pico-usd.ts";

/**
 * The rollup deltas of traces settled at ingest, summed in memory from the rows the batch is storing — the same
 * numbers `spanFactsSql` / `taskFactsSql` (server/db/sql/cost-facts.ts) give when summed over those rows once
 * stored, without reading them back (re-reading them by primary key was ~18 % of the database's CPU per ingested
 * span, bench/RESULTS.md). Valid only where those facts reduce to what is known at ingest: no GPU pool can serve
 * the calls (pool_id and gpu_cost_usd are null), so an org with a pool takes the SQL path (rollup-deltas.ts).
 *
 * Money is exact: costs are the pricer's 12-decimal strings (numeric(24,12) in the database), summed as integers
 * of 10^-12 USD in Numbers. Every addend is a non-negative integer, so the sums only grow and are exact if the final
 * ones are safe integers; when one is not (or an amount is outside the pricer's plain form), this returns null and
 * the caller sums in the database instead (numeric, exact at any size).
 */

export type DeltaSpan = { span: NormalizedSpan; costUsd: string | null; resolution: SpanResolution };

/** One row of rollup_deltas without its org: an hour, the five dimensions, and the measures (costs in 10^-12 USD). */
export type RollupDeltaRow = {
  hourMs: number;
  feature: string;
  taskType: string;
  provider: string;
  model: string;
  customerId: string;
  calls: number;
  failedCalls: number;
  retryCalls: number;
  unpricedCalls: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  apiCostPico: number;
  retryCostPico: number;
  failedCostPico: number;
  wasteCostPico: number;
  tasks: number;
  successfulTasks: number;
  loopTasks: number;
  systemPromptTokens: number;
};

const SUMS = [
  "calls", "failedCalls", "retryCalls", "unpricedCalls", "inputTokens", "cachedInputTokens", "cacheWriteTokens", "outputTokens",
  "reasoningTokens", "apiCostPico", "retryCostPico", "failedCostPico", "wasteCostPico", "tasks", "successfulTasks", "loopTasks",
  "systemPromptTokens",
] as const satisfies readonly (keyof RollupDeltaRow)[];

const HOUR_MS = 3_600_000;
const NANOS_PER_HOUR = 3_600_000_000_000n;

/** The hour (UTC) a span starts in, as epoch milliseconds: date_trunc('hour', start_time, 'UTC'). */
function spanHourMs(startTimeUnixNano: bigint): number {
  return Number(startTimeUnixNano / NANOS_PER_HOUR) * HOUR_MS; // times are after 1970
}

export function ingestRollupDeltas(spans: DeltaSpan[], tasks: SettledTask[]): RollupDeltaRow[] | null {
  const rows = new Map<string, RollupDeltaRow>();
  const rowFor = (hourMs: number, feature: string, taskType: string, provider: string, model: string, customerId: string) => {
    const key = `${hourMs}\u0000${feature}\u0000${taskType}\u0000${provider}\u0000${model}\u0000${customerId}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        hourMs, feature, taskType, provider, model, customerId, calls: 0, failedCalls: 0, retryCalls: 0, unpricedCalls: 0,
        inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, apiCostPico: 0,
        retryCostPico: 0, failedCostPico: 0, wasteCostPico: 0, tasks: 0, successfulTasks: 0, loopTasks: 0, systemPromptTokens: 0,
      };
      rows.set(key, row);
    }
    return row;
  };

  for (const { span: s, costUsd, resolution: res } of spans) {
    const llm = s.llm;
    if (llm === null) continue; // spanFactsSql: WHERE s.is_llm_call
    const a = s.attribution;
    const row = rowFor(
      spanHourMs(s.startTimeUnixNano),
      res.feature ?? a.feature ?? s.serviceName ?? "",
      res.taskType ?? a.taskType ?? "",
      llm.provider ?? "",
      llm.model ?? "",
      res.customerId ?? a.customerId ?? "",
    );
    const cost = costUsd === null ? 0 : parsePlainPicoUsd(costUsd);
    if (cost === null) return null;
    const failed = s.status === "error";
    row.calls += 1;
    if (failed) row.failedCalls += 1;
    if (res.isRetry) row.retryCalls += 1;
    if (costUsd === null) row.unpricedCalls += 1; // unknown price: counted as unpriced, never as $0 of cost
    row.inputTokens += llm.inputTokens;
    row.cachedInputTokens += llm.cacheReadTokens;
    row.cacheWriteTokens += llm.cacheWriteTokens;
    row.outputTokens += llm.outputTokens;
    row.reasoningTokens += llm.reasoningTokens;
    row.apiCostPico += cost;
    if (res.isRetryWaste) row.retryCostPico += cost;
    if (failed) row.failedCostPico += cost;
    if (failed || res.isRetryWaste) row.wasteCostPico += cost; // wasted once, even when both
    row.systemPromptTokens += a.promptSystemTokens ?? 0;
  }

  for (const t of tasks) {
    const row = rowFor(Math.floor(t.startMs / HOUR_MS) * HOUR_MS, t.feature ?? "", t.taskType ?? "", t.primaryProvider ?? "", t.primaryModel ?? "", t.customerId ?? "");
    row.tasks += 1;
    if (t.outcome === "success") row.successfulTasks += 1;
    if (t.isLoop) row.loopTasks += 1;
  }

  const result = [...rows.values()];
  for (const row of result) for (const m of SUMS) if (!Number.isSafeInteger(row[m]) || row[m] < 0) return null;
  return result;
}
