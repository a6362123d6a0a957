import { DEFAULT_EFFICIENCY, type Efficiency } from "./efficiency.ts";
import { predict, type Bound, type Prediction, type Workload } from "./model.ts";

export type FrontierPoint = {
  batch: number;
  outputTokensPerSecond: number;
  outputTokensPerSecondPerGpu: number;
  tpotMs: number;
  ttftMs: number;
  usdPerMillionOutputTokens: number | null;
  bound: Bound;
};

/**
 * Throughput–latency frontier: the prediction at batch sizes 1, 2, 4, … and the replica's maximum concurrency
 * (the last point). Throughput and TPOT both rise with batch size until memory caps the batch.
 */
export function frontier(w: Workload, eff: Efficiency = DEFAULT_EFFICIENCY): FrontierPoint[] {
  const max = Math.max(1, predict({ ...w, concurrency: undefined }, eff).maxConcurrency);
  const batches: number[] = [];
  for (let b = 1; b < max; b *= 2) batches.push(b);
  batches.push(max);
  return batches.map((b) => {
    const p = predict({ ...w, concurrency: b }, eff);
    return {
      batch: p.batch, outputTokensPerSecond: p.outputTokensPerSecond, outputTokensPerSecondPerGpu: p.outputTokensPerSecondPerGpu,
      tpotMs: p.tpotMs, ttftMs: p.ttftMs, usdPerMillionOutputTokens: p.usdPerMillionOutputTokens, bound: p.bound,
    };
  });
}

export type LatencySlo = { tpotMs?: number; ttftMs?: number };

/**
 * Operating point for a latency SLO: the largest batch whose TPOT and TTFT stay within the SLO (both rise
 * monotonically with batch, so a binary search over 1..max concurrency). `meetsSlo` is false when even batch 1
 * misses it (the prediction is then the batch-1 point).
 */
export function operatingPoint(w: Workload, slo: LatencySlo, eff: Efficiency = DEFAULT_EFFICIENCY): { prediction: Prediction; meetsSlo: boolean } {
  const ok = (p: Prediction): boolean => (slo.tpotMs === undefined || p.tpotMs <= slo.tpotMs) && (slo.ttftMs === undefined || p.ttftMs <= slo.ttftMs);
  const max = Math.max(1, predict({ ...w, concurrency: undefined }, eff).maxConcurrency);
  let lo = 1;
  let hi = max;
  const first = predict({ ...w, concurrency: 1 }, eff);
  if (!ok(first)) return { prediction: first, meetsSlo: false };
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(predict({ ...w, concurrency: mid }, eff))) lo = mid;
    else hi = mid - 1;
  }
  return { prediction: predict({ ...w, concurrency: lo }, eff), meetsSlo: true };
}
