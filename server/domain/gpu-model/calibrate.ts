import { DEFAULT_EFFICIENCY, predict, type Efficiency, type Workload } from "./throughput.ts";

export type Measurement = { workload: Workload; measuredTokensPerSecond: number };

export function absPercentError(predicted: number, measured: number): number {
  return (Math.abs(predicted - measured) / measured) * 100;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const idx = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(idx);
  const hi = Math.ceil(idx);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (idx - lo);
}

/**
 * Fits the global efficiency factors (compute, bandwidth, max batch) to measurements by grid search on the median
 * absolute % error — the same constants for every GPU and model, so the model must generalize, not memorize rows.
 */
export function fitEfficiency(measurements: Measurement[], base: Efficiency = DEFAULT_EFFICIENCY): { efficiency: Efficiency; medianApe: number } {
  let best = { efficiency: base, medianApe: Infinity };
  for (let c = 0.2; c <= 0.95; c += 0.05) {
    for (let b = 0.4; b <= 0.95; b += 0.05) {
      for (const maxBatch of [256, 512, 1024, 2048, 4096]) {
        const eff = { ...base, compute: Number(c.toFixed(2)), bandwidth: Number(b.toFixed(2)), maxBatch };
        const errors = measurements.map((m) => absPercentError(predict(m.workload, eff).outputTokensPerSecond, m.measuredTokensPerSecond));
        const med = percentile(errors, 50);
        if (med < best.medianApe) best = { efficiency: eff, medianApe: med };
      }
    }
  }
  return best;
}
