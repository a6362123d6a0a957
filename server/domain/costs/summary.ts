import Decimal from "decimal.js";

/** Sums as they come from SQL: integers as numbers/strings, money as exact decimal strings. */
export type CostSums = Record<
  | "calls" | "failed_calls" | "retry_calls" | "unpriced_calls" | "input_tokens" | "cached_input_tokens" | "cache_write_tokens"
  | "output_tokens" | "reasoning_tokens" | "tasks" | "successful_tasks" | "loop_tasks" | "system_prompt_tokens",
  number | string | null
> &
  Record<"api_cost_usd" | "gpu_cost_usd" | "idle_gpu_cost_usd" | "retry_cost_usd" | "failed_cost_usd" | "waste_cost_usd", string | null>;

/** The read API's Summary: money as decimal strings (12 places), counts as integers. */
export type Summary = {
  costUsd: string;
  apiCostUsd: string;
  gpuCostUsd: string;
  idleGpuCostUsd: string;
  retryCostUsd: string;
  failedCostUsd: string;
  /** Failed calls and superseded attempts, each counted once (retry and failed cost overlap). */
  wastedCallCostUsd: string;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  calls: number;
  retryCalls: number;
  failedCalls: number;
  unpricedCalls: number;
  tasks: number;
  successfulTasks: number;
  costPerSuccessfulTaskUsd: string | null;
  ipd: number | null;
  /** Total cost (API + GPU busy + idle) per 1,000 input+output tokens; null without tokens. */
  costPer1kTokensUsd: string | null;
};

export const MONEY_DECIMALS = 12;

const dec = (v: string | null | undefined): Decimal => new Decimal(v ?? 0);
const int = (v: number | string | null | undefined): number => Number(v ?? 0);
export const money = (d: Decimal): string => d.toFixed(MONEY_DECIMALS);

/**
 * Folds summed cost facts into a Summary. Total cost = API + GPU busy + idle GPU. IPD = successful tasks per
 * USD; null when there is no cost (a free or entirely unpriced period has no meaningful IPD).
 */
export function toSummary(sums: CostSums): Summary {
  const api = dec(sums.api_cost_usd);
  const gpu = dec(sums.gpu_cost_usd);
  const idle = dec(sums.idle_gpu_cost_usd);
  const total = api.plus(gpu).plus(idle);
  const successful = int(sums.successful_tasks);
  const tokens = int(sums.input_tokens) + int(sums.output_tokens);
  return {
    costUsd: money(total),
    apiCostUsd: money(api),
    gpuCostUsd: money(gpu),
    idleGpuCostUsd: money(idle),
    retryCostUsd: money(dec(sums.retry_cost_usd)),
    failedCostUsd: money(dec(sums.failed_cost_usd)),
    wastedCallCostUsd: money(dec(sums.waste_cost_usd)),
    inputTokens: int(sums.input_tokens),
    cachedInputTokens: int(sums.cached_input_tokens),
    cacheWriteTokens: int(sums.cache_write_tokens),
    outputTokens: int(sums.output_tokens),
    reasoningTokens: int(sums.reasoning_tokens),
    calls: int(sums.calls),
    retryCalls: int(sums.retry_calls),
    failedCalls: int(sums.failed_calls),
    unpricedCalls: int(sums.unpriced_calls),
    tasks: int(sums.tasks),
    successfulTasks: successful,
    costPerSuccessfulTaskUsd: successful > 0 ? money(total.div(successful)) : null,
    ipd: total.gt(0) ? new Decimal(successful).div(total).toDecimalPlaces(6).toNumber() : null,
    costPer1kTokensUsd: tokens > 0 ? money(total.mul(1000).div(tokens)) : null,
  };
}

/** Waste share = (retry waste ∪ failed calls, counted once, + idle GPU) / total cost; null without cost. */
export function wasteShare(summary: Summary): number | null {
  const total = new Decimal(summary.costUsd);
  if (total.lte(0)) return null;
  const waste = new Decimal(summary.wastedCallCostUsd).plus(summary.idleGpuCostUsd);
  return waste.div(total).toDecimalPlaces(6).toNumber();
}
