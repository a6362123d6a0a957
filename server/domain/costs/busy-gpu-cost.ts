import Decimal from "decimal.js";
import { estimateGpuSeconds, type PooledCall } from "../gpu-model/call-gpu-seconds.ts";
import type { Efficiency } from "../gpu-model/efficiency.ts";

// Enough significant digits for 24-digit amounts times weights without rounding before the final step.
const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_DOWN });
const SCALE = new D(10).pow(12); // money is stored with 12 decimals

export type BusyCostBasis = "gpu_seconds" | "tokens";

export type BusyCostAttribution = {
  basis: BusyCostBasis;
  /** Why GPU-seconds could not be used (null when they were). */
  fallbackReason: string | null;
  /** Per call, in input order: modelled GPU-seconds (null on the token basis) and its share of the busy cost. */
  calls: { gpuSeconds: number | null; gpuCostUsd: string | null }[];
};

/**
 * Splits one pool-hour's busy cost over the calls it served, in proportion to each call's modelled GPU-seconds
 * (prefill + decode, from the throughput model), or — when the model cannot estimate every call — to its tokens
 * (input + output), with the reason. The split is exact: shares are whole 1e-12 USD units that add up to the busy
 * cost (largest remainders get the leftover units, ties to the earlier call). No busy cost (no GPU samples in
 * the hour) leaves the calls' cost unknown (null), never $0; zero total weight gives every call $0.
 */
export function attributeBusyGpuCost(input: {
  pool: { gpuType: string; gpuCount: number };
  busyCostUsd: string | null;
  calls: readonly PooledCall[];
  efficiency?: Efficiency;
}): BusyCostAttribution {
  const estimate = estimateGpuSeconds(input.pool, input.calls, { efficiency: input.efficiency });
  const basis: BusyCostBasis = estimate.ok ? "gpu_seconds" : "tokens";
  const weights = estimate.ok
    ? estimate.gpuSeconds.map((s) => new D(s))
    : input.calls.map((c) => new D(Math.max(0, c.inputTokens) + Math.max(0, c.outputTokens)));
  const costs = input.busyCostUsd === null ? input.calls.map(() => null) : splitExactly(new D(input.busyCostUsd), weights);
  return {
    basis,
    fallbackReason: estimate.ok ? null : estimate.reason,
    calls: input.calls.map((_, i) => ({ gpuSeconds: estimate.ok ? estimate.gpuSeconds[i]! : null, gpuCostUsd: costs[i] ?? null })),
  };
}

/** total × wᵢ / Σw in whole 1e-12 units, largest-remainder rounded so the parts add up to total exactly. */
export function splitExactly(total: Decimal, weights: readonly Decimal[]): string[] {
  const sum = weights.reduce((a: Decimal, w) => a.plus(w), new D(0));
  if (weights.length === 0) return [];
  if (sum.isZero()) return weights.map(() => new D(0).toFixed(12));
  const units = new D(total).times(SCALE).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  const exact = weights.map((w) => units.times(w).div(sum));
  const floors = exact.map((e) => e.floor());
  let left = units.minus(floors.reduce((a: Decimal, f) => a.plus(f), new D(0))).toNumber();
  const order = exact.map((e, i) => ({ i, frac: e.minus(floors[i]!) })).sort((a, b) => b.frac.cmp(a.frac) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = floors[i]!.plus(1);
    left -= 1;
  }
  return floors.map((f) => f.div(SCALE).toFixed(12));
}
