import Decimal from "decimal.js";
import { findPrice, priceTokens } from "./pricing.ts";
import type { TrafficGroup } from "./traffic-index.ts";
import type { ApiPrice, PeriodTotals, PoolResult, RepriceScenario } from "./types.ts";

export type Counts = { calls: number; inputTokens: number; outputTokens: number; tasks: number; successfulTasks: number };

type State = { g: TrafficGroup; callF: number; inputF: number; extraCached: number; reprice: RepriceScenario | null };

const HOURS_PER_MONTH = 730;

/**
 * Cost of a whole group on its own destination after demand modifiers (share 1). Self-hosted actual traffic: its
 * actual cost scaled by (input + 4·output) tokens. API: repriced to the target provider if asked; else actual +
 * price(new) − price(old) with the caller's price, or the token-scaled actual cost without one; then ± changePct.
 */
export function groupCost(s: State, prices: readonly ApiPrice[], warnings: string[]): Decimal {
  const { g } = s;
  const uncached = Math.max(0, g.inputTokens - g.cachedInputTokens - g.cacheWriteTokens);
  const before = { inputTokens: g.inputTokens, cachedInputTokens: g.cachedInputTokens, cacheWriteTokens: g.cacheWriteTokens, outputTokens: g.outputTokens };
  const f = s.callF * s.inputF;
  const after = { inputTokens: g.inputTokens * f, cachedInputTokens: (g.cachedInputTokens + uncached * s.extraCached) * f, cacheWriteTokens: g.cacheWriteTokens * f, outputTokens: g.outputTokens * s.callF };
  const unchanged = s.callF === 1 && s.inputF === 1 && s.extraCached === 0;
  const weight = (t: typeof before): number => t.inputTokens + 4 * t.outputTokens;
  const scaled = (): Decimal => (unchanged || weight(before) === 0 ? g.costUsd : g.costUsd.mul((weight(after) / weight(before)).toFixed(12)));
  if (g.isSelfHosted) return scaled();
  let usd: Decimal;
  if (s.reprice?.targetProvider !== undefined) {
    const targetModel = (g.model !== null ? s.reprice.modelMap?.[g.model] : undefined) ?? g.model;
    const price = findPrice(prices, s.reprice.targetProvider, targetModel);
    if (price) return applyChange(priceTokens(price, after), s.reprice);
    warnings.push(`no price for ${s.reprice.targetProvider}/${targetModel ?? "?"}: ${g.feature} kept at its current price`);
  }
  const own = findPrice(prices, g.provider, g.model);
  if (unchanged) usd = g.costUsd;
  else if (own) usd = Decimal.max(0, g.costUsd.plus(priceTokens(own, after)).minus(priceTokens(own, before)));
  else {
    usd = scaled();
    warnings.push(`no price for ${g.provider ?? "?"}/${g.model ?? "?"}: cost scaled by tokens`);
  }
  return applyChange(usd, s.reprice);
}

function applyChange(usd: Decimal, r: RepriceScenario | null): Decimal {
  return r?.changePct !== undefined ? usd.mul(new Decimal(1).plus(new Decimal(r.changePct).div(100))) : usd;
}

/** Period totals and unit economics: monthly = period × 730 h / period hours; IPD = successful tasks per USD. */
export function periodTotals(cost: Decimal, c: Counts, hours: number, pools: readonly PoolResult[]): PeriodTotals {
  const gpuCount = pools.reduce((a, p) => a + p.gpuCount, 0);
  const utilization = gpuCount > 0 ? pools.reduce((a, p) => a + p.meanUtilization * p.gpuCount, 0) / gpuCount : null;
  const withPools = pools.filter((p) => p.replicas > 0);
  return {
    periodCostUsd: cost.toDecimalPlaces(9).toString(),
    monthlyCostUsd: cost.mul(HOURS_PER_MONTH).div(hours).toDecimalPlaces(6).toString(),
    calls: c.calls,
    inputTokens: c.inputTokens,
    outputTokens: c.outputTokens,
    tasks: c.tasks,
    successfulTasks: c.successfulTasks,
    costPerSuccessfulTaskUsd: c.successfulTasks > 0 ? cost.div(c.successfulTasks).toDecimalPlaces(9).toString() : null,
    ipd: cost.isZero() ? null : new Decimal(c.successfulTasks).div(cost).toNumber(),
    gpuCount,
    gpuUtilization: utilization,
    latency: {
      ttftMs: withPools.length > 0 ? Math.max(...withPools.map((p) => p.ttftMs)) : null,
      tpotMs: withPools.length > 0 ? Math.max(...withPools.map((p) => p.tpotMs)) : null,
    },
  };
}
