import Decimal from "decimal.js";
import type { PromptGrowth } from "../costs/prompt-growth.ts";
import type { Finding, RuleConfig } from "./rules.ts";

const pct = (r: number) => `${r >= 0 ? "+" : ""}${(r * 100).toFixed(0)}%`;
const usd = (v: Decimal.Value) => `$${new Decimal(v).toFixed(2)}`;
const num = (v: unknown, fallback: number) => (typeof v === "number" ? v : fallback);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/** Prompt creep: input tokens per call of a feature × prompt grew more than the threshold vs. the baseline window. */
export function evaluatePromptCreep(config: RuleConfig, growth: PromptGrowth[]): Finding[] {
  const threshold = num(config.threshold, 0.2);
  return growth
    .filter((g) => (!str(config.feature) || g.feature === config.feature) && (!str(config.promptName) || g.promptName === config.promptName))
    .filter((g) => g.growthRatio !== null && g.growthRatio > threshold && g.recentCallsPerDay >= num(config.minCallsPerDay, 5))
    .map((g) => {
      const versionChange = g.versionsBefore.join(",") !== g.versionsNow.join(",") ? ` Prompt version ${g.versionsBefore.join(", ") || "—"} → ${g.versionsNow.join(", ") || "—"}.` : "";
      const system = g.recentSystemTokens !== null ? ` System prompt ${g.baselineSystemTokens ?? "—"} → ${g.recentSystemTokens} tokens.` : "";
      return {
        dedupeKey: `prompt:${g.feature}:${g.promptName}`,
        title: `Prompt creep: ${g.feature} · ${g.promptName} ${pct(g.growthRatio!)} input tokens/call`,
        summary: `Input tokens per call ${g.baselineInputTokens} → ${g.recentInputTokens} (${pct(g.growthRatio!)}) at ${g.recentCallsPerDay} calls/day.${system}${versionChange}${g.monthlyImpactUsd !== null ? ` Costs ${usd(g.monthlyImpactUsd)} more per month.` : ""}`,
        evidence: { feature: g.feature, promptName: g.promptName, baselineInputTokens: g.baselineInputTokens, recentInputTokens: g.recentInputTokens, growthRatio: g.growthRatio, baselineSystemTokens: g.baselineSystemTokens, recentSystemTokens: g.recentSystemTokens, versionsBefore: g.versionsBefore, versionsNow: g.versionsNow, recentCallsPerDay: g.recentCallsPerDay, query: "daily p50 gen_ai.usage.input_tokens per feature × prompt name; recent vs baseline window" },
        monthlyImpactUsd: g.monthlyImpactUsd,
      };
    });
}

/** Window stats of one feature for cost regression and its likely causes. */
export type FeatureWindow = {
  feature: string;
  costUsd: string;
  calls: number;
  successfulTasks: number;
  inputTokens: number;
  cachedInputTokens: number;
  retryCalls: number;
  days: number;
  modelShares: Record<string, number>; // share of calls per model
};

/**
 * Cost regression: cost per successful task (or per call) rose more than the threshold. Likely causes are ranked by
 * comparing the windows: model mix, prompt growth (input tokens/call), retry rate, cache hit rate, price/usage per call.
 */
export function evaluateCostRegression(config: RuleConfig, pairs: { recent: FeatureWindow; baseline: FeatureWindow }[]): Finding[] {
  const perTask = config.metric !== "per_call";
  const out: Finding[] = [];
  for (const { recent, baseline } of pairs) {
    if (str(config.feature) && recent.feature !== config.feature) continue;
    const volumeR = perTask ? recent.successfulTasks : recent.calls;
    const volumeB = perTask ? baseline.successfulTasks : baseline.calls;
    if (volumeR < num(config.minVolume, 50) || volumeB < num(config.minVolume, 50)) continue;
    const unitR = new Decimal(recent.costUsd).div(volumeR);
    const unitB = new Decimal(baseline.costUsd).div(volumeB);
    if (unitB.lte(0)) continue;
    const change = unitR.minus(unitB).div(unitB).toNumber();
    if (change <= num(config.threshold, 0.25)) continue;
    const causes = likelyCauses(recent, baseline);
    const monthlyVolume = (volumeR / recent.days) * 30;
    out.push({
      dedupeKey: `regression:${recent.feature}`,
      title: `Cost regression: ${recent.feature} cost per ${perTask ? "successful task" : "call"} ${pct(change)}`,
      summary: `${usd(unitB.toFixed(6))} → ${usd(unitR.toFixed(6))} per ${perTask ? "successful task" : "call"}. Likely cause: ${causes[0]?.label ?? "traffic mix"}.`,
      evidence: { feature: recent.feature, baselineUnitCostUsd: unitB.toFixed(6), recentUnitCostUsd: unitR.toFixed(6), change, causes, query: "rollups: cost / successful tasks per feature, recent vs baseline window" },
      monthlyImpactUsd: unitR.minus(unitB).mul(monthlyVolume).toFixed(2),
    });
  }
  return out;
}

export function likelyCauses(recent: FeatureWindow, baseline: FeatureWindow): { cause: string; label: string; score: number }[] {
  const per = (a: number, b: number) => (b > 0 ? a / b : 0);
  const rel = (a: number, b: number) => (b > 0 ? (a - b) / b : a > 0 ? 1 : 0);
  const inR = per(recent.inputTokens, recent.calls);
  const inB = per(baseline.inputTokens, baseline.calls);
  const cacheR = per(recent.cachedInputTokens, recent.inputTokens);
  const cacheB = per(baseline.cachedInputTokens, baseline.inputTokens);
  const retryR = per(recent.retryCalls, recent.calls);
  const retryB = per(baseline.retryCalls, baseline.calls);
  const callsPerTaskR = per(recent.calls, recent.successfulTasks);
  const callsPerTaskB = per(baseline.calls, baseline.successfulTasks);
  const models = new Set([...Object.keys(recent.modelShares), ...Object.keys(baseline.modelShares)]);
  let mixShift = 0;
  for (const m of models) mixShift += Math.abs((recent.modelShares[m] ?? 0) - (baseline.modelShares[m] ?? 0));
  const costPerTokenR = per(Number(recent.costUsd), recent.inputTokens);
  const costPerTokenB = per(Number(baseline.costUsd), baseline.inputTokens);
  const causes = [
    { cause: "model_mix", label: `model mix changed (${(mixShift * 50).toFixed(0)}% of calls moved)`, score: mixShift / 2 },
    { cause: "prompt_growth", label: `prompt growth (${inB.toFixed(0)} → ${inR.toFixed(0)} input tokens/call)`, score: Math.max(0, rel(inR, inB)) },
    { cause: "retry_rate", label: `retry rate ${(retryB * 100).toFixed(1)}% → ${(retryR * 100).toFixed(1)}%`, score: Math.max(0, retryR - retryB) * 5 },
    { cause: "cache_hits", label: `cache hit rate ${(cacheB * 100).toFixed(0)}% → ${(cacheR * 100).toFixed(0)}%`, score: Math.max(0, cacheB - cacheR) },
    { cause: "traffic_mix", label: `calls per task ${callsPerTaskB.toFixed(1)} → ${callsPerTaskR.toFixed(1)}`, score: Math.max(0, rel(callsPerTaskR, callsPerTaskB)) },
    { cause: "price", label: "price per token changed", score: mixShift < 0.05 ? Math.max(0, rel(costPerTokenR, costPerTokenB) - Math.max(0, rel(inR, inB))) : 0 },
  ];
  return causes.filter((c) => c.score > 0.01).sort((a, b) => b.score - a.score);
}

/** Budget: month-to-date spend and a month-end forecast (MTD + recent daily run-rate × days left). */
export function evaluateBudget(config: RuleConfig, input: { nowMs: number; dailySpendUsd: { day: string; costUsd: string }[]; scopeLabel: string }): Finding[] {
  const budget = new Decimal(num(config.monthlyBudgetUsd, 0));
  if (budget.lte(0)) return [];
  const now = new Date(input.nowMs);
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const mtdDays = input.dailySpendUsd.filter((d) => new Date(d.day).getTime() >= monthStart);
  const mtd = mtdDays.reduce((acc, d) => acc.plus(d.costUsd), new Decimal(0));
  const recent = mtdDays.slice(-7);
  const runRate = recent.length ? recent.reduce((acc, d) => acc.plus(d.costUsd), new Decimal(0)).div(recent.length) : new Decimal(0);
  const daysLeft = (monthEnd - input.nowMs) / 86_400_000;
  const forecast = mtd.plus(runRate.mul(daysLeft));
  const overActual = mtd.gte(budget.mul(num(config.actualRatio, 1)));
  const overForecast = forecast.gte(budget.mul(num(config.forecastRatio, 0.8)));
  if (!overActual && !overForecast) return [];
  return [{
    dedupeKey: `budget:${input.scopeLabel}:${new Date(monthStart).toISOString().slice(0, 7)}`,
    title: overActual ? `Budget exceeded: ${input.scopeLabel} spent ${usd(mtd)} of ${usd(budget)}` : `Budget forecast: ${input.scopeLabel} on track for ${usd(forecast)} of ${usd(budget)}`,
    summary: `Month to date ${usd(mtd)}; at the last ${recent.length} days' ${usd(runRate)}/day the month ends near ${usd(forecast)} (budget ${usd(budget)}).`,
    evidence: { scope: input.scopeLabel, monthToDateUsd: mtd.toFixed(2), forecastUsd: forecast.toFixed(2), budgetUsd: budget.toFixed(2), runRateUsdPerDay: runRate.toFixed(2), query: "daily spend from rollups, current UTC month" },
    monthlyImpactUsd: Decimal.max(0, forecast.minus(budget)).toFixed(2),
  }];
}

/**
 * Waste: (failed calls ∪ superseded retry attempts, counted once, + idle GPU) share of spend, or too many runaway
 * agent loops. retryCostUsd and failedCostUsd overlap (a failed attempt that was retried is both), so the share uses
 * wastedCallCostUsd; the two are still reported separately.
 */
export function evaluateWaste(config: RuleConfig, input: { scopeLabel: string; days: number; costUsd: string; retryCostUsd: string; failedCostUsd: string; wastedCallCostUsd: string; idleGpuCostUsd: string; tasks: number; loopTasks: number }): Finding[] {
  const cost = new Decimal(input.costUsd);
  if (cost.lt(num(config.minCostUsd, 1))) return [];
  const waste = new Decimal(input.wastedCallCostUsd).plus(input.idleGpuCostUsd);
  const share = waste.div(cost).toNumber();
  const loopShare = input.tasks > 0 ? input.loopTasks / input.tasks : 0;
  if (share <= num(config.threshold, 0.15) && loopShare <= num(config.maxLoopTaskShare, 0.05)) return [];
  return [{
    dedupeKey: `waste:${input.scopeLabel}`,
    title: `Waste: ${(share * 100).toFixed(0)}% of ${input.scopeLabel} spend is retries, failures and idle GPUs`,
    summary: `Over ${input.days} days: retries ${usd(input.retryCostUsd)}, failed calls ${usd(input.failedCostUsd)}, idle GPU ${usd(input.idleGpuCostUsd)} of ${usd(cost)}; ${input.loopTasks} of ${input.tasks} tasks were runaway agent loops.`,
    evidence: { ...input, wasteShare: share, loopTaskShare: loopShare, query: "rollups: retry, failed and idle GPU cost over the window" },
    monthlyImpactUsd: waste.div(input.days).mul(30).toFixed(2),
  }];
}

/** Idle GPU: a pool's idle share of its cost over the window. */
export function evaluateIdleGpu(config: RuleConfig, pools: { name: string; costUsd: string; idleCostUsd: string; days: number }[]): Finding[] {
  return pools
    .filter((p) => !str(config.poolName) || p.name === config.poolName)
    .filter((p) => new Decimal(p.costUsd).gte(num(config.minCostUsd, 1)))
    .filter((p) => new Decimal(p.idleCostUsd).div(p.costUsd).toNumber() > num(config.threshold, 0.5))
    .map((p) => {
      const share = new Decimal(p.idleCostUsd).div(p.costUsd).toNumber();
      return {
        dedupeKey: `idle:${p.name}`,
        title: `Idle GPUs: pool ${p.name} was idle ${(share * 100).toFixed(0)}% of paid time`,
        summary: `${usd(p.idleCostUsd)} of ${usd(p.costUsd)} over ${p.days} days paid for idle GPUs. Consider scaling down off-peak or overflowing to an API.`,
        evidence: { pool: p.name, costUsd: p.costUsd, idleCostUsd: p.idleCostUsd, idleShare: share, query: "gpu_pool_hours over the window" },
        monthlyImpactUsd: new Decimal(p.idleCostUsd).div(p.days).mul(30).toFixed(2),
      };
    });
}
