import Decimal from "decimal.js";
import { matches, type TrafficIndex } from "./traffic-index.ts";
import type { TrafficMatch } from "./types.ts";

const HOURS_PER_MONTH = 730;

export type BreakEvenInput = {
  apiUsdPerMOutputTokens: string; // blended: API $ per 1M output tokens, input tokens that come with them included
  replicaOutputTokensPerSecond: number; // model capacity of one replica at its operating point
  gpusPerReplica: number;
  usdPerGpuHour: string;
  monthlyOpsUsd: string;
  targetUtilization: number; // 0..1: traffic is not flat, a replica cannot run at its capacity all month
};

export type BreakEvenPoint = { millionOutputTokensPerMonth: number; apiUsd: string; selfHostUsd: string; replicas: number };
export type BreakEvenChart = { points: BreakEvenPoint[]; breakEvenMillionOutputTokensPerMonth: number | null };

/** Blended API price of matched API traffic: actual cost ÷ output tokens × 1M (null without output tokens). */
export function blendedApiUsdPerMOutputTokens(index: TrafficIndex, match: TrafficMatch = {}): string | null {
  let usd = new Decimal(0);
  let out = 0;
  for (const g of index.groups) {
    if (g.isSelfHosted || !matches(g, match)) continue;
    usd = usd.plus(g.costUsd);
    out += g.outputTokens;
  }
  return out > 0 ? usd.mul(1_000_000).div(out).toDecimalPlaces(6).toString() : null;
}

/**
 * Self-host vs API monthly cost over output volume V (million tokens/month): API = V × blended price; self-host =
 * replicas × GPUs × $/GPU-h × 730 h + ops, replicas = ⌈V / (capacity × utilization × 3600 × 730 / 1e6)⌉ (≥ 1).
 * Break-even: the least V with self-host ≤ API — per replica count r it is max((r−1)·C, (r·fixed + ops)/price)
 * if that is ≤ r·C, so the first feasible r is ⌈ops / (C·price − fixed)⌉ (never when C·price ≤ fixed).
 */
export function breakEvenChart(input: BreakEvenInput, maxMillionOutputTokensPerMonth: number, points = 40): BreakEvenChart {
  const price = new Decimal(input.apiUsdPerMOutputTokens);
  const fixed = new Decimal(input.usdPerGpuHour).mul(input.gpusPerReplica).mul(HOURS_PER_MONTH);
  const ops = new Decimal(input.monthlyOpsUsd);
  const capacityM = new Decimal(input.replicaOutputTokensPerSecond).mul(input.targetUtilization).mul(3600 * HOURS_PER_MONTH).div(1e6);
  const replicasFor = (v: number): number => (capacityM.isZero() ? Infinity : Math.max(1, Math.ceil(new Decimal(v).div(capacityM).toNumber() - 1e-12)));
  const chart: BreakEvenPoint[] = [];
  for (let i = 0; i <= points; i++) {
    const v = (maxMillionOutputTokensPerMonth * i) / points;
    const r = replicasFor(v);
    chart.push({ millionOutputTokensPerMonth: v, apiUsd: price.mul(v).toDecimalPlaces(2).toString(), selfHostUsd: fixed.mul(r).plus(ops).toDecimalPlaces(2).toString(), replicas: r });
  }
  const margin = capacityM.mul(price).minus(fixed);
  let breakEven: number | null = null;
  if (margin.gt(0) && price.gt(0)) {
    const r = Math.max(1, Math.ceil(ops.div(margin).toNumber()));
    breakEven = Decimal.max(capacityM.mul(r - 1), fixed.mul(r).plus(ops).div(price)).toNumber();
  }
  return { points: chart, breakEvenMillionOutputTokensPerMonth: breakEven };
}
