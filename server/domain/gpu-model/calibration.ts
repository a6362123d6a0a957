import { DEFAULT_EFFICIENCY, PRIOR_EFFICIENCY, type Efficiency } from "./efficiency.ts";
import { predict, type Workload } from "./model.ts";
import { nelderMead } from "./nelder-mead.ts";

/** A measured throughput: the workload and the output tokens/s observed for the whole TP group. */
export type Measurement = { workload: Workload; measuredTokensPerSecond: number };

/** |predicted − measured| / measured, in percent. */
export function absPercentError(predicted: number, measured: number): number {
  return (Math.abs(predicted - measured) / measured) * 100;
}

/** Linear-interpolated percentile (p in 0..100) of `values`; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const idx = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(idx);
  const hi = Math.ceil(idx);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (idx - lo);
}

/** The continuous factors a fit may move. */
export const FITTED_KEYS = ["computeFp16", "computeLowPrecision", "bandwidth", "interconnect", "rooflineExponent", "iterationOverheadMs"] as const;
type FittedKey = (typeof FITTED_KEYS)[number];
const UPPER: Record<FittedKey, number> = { computeFp16: 1, computeLowPrecision: 1, bandwidth: 1, interconnect: 1, rooflineExponent: 50, iterationOverheadMs: 20 };

export type FitOptions = { base?: Efficiency; prior?: Efficiency; priorWeight?: number; keys?: readonly FittedKey[] };

/**
 * Fits global efficiency factors to measurements: minimizes Σ ln(predicted/measured)² + w·Σ ln(factor/prior)²
 * (Nelder–Mead over log factors, bounded to (0, 1] for efficiencies). The prior term keeps factors the data cannot
 * identify (e.g. FP16 efficiency when no FP16 rows are in the training set) at literature values.
 */
export function fitEfficiency(measurements: readonly Measurement[], options: FitOptions = {}): { efficiency: Efficiency; rmsLogError: number } {
  const base = options.base ?? DEFAULT_EFFICIENCY;
  const prior = options.prior ?? PRIOR_EFFICIENCY;
  const keys = options.keys ?? FITTED_KEYS;
  const weight = options.priorWeight ?? 0.05;
  const build = (x: readonly number[]): Efficiency => {
    const eff = { ...base };
    keys.forEach((k, i) => (eff[k] = Math.min(UPPER[k], Math.exp(x[i]!))));
    return eff;
  };
  const loss = (x: readonly number[]): number => {
    const eff = build(x);
    let sum = 0;
    for (const m of measurements) {
      const p = predict(m.workload, eff).outputTokensPerSecond;
      sum += p > 0 ? Math.log(p / m.measuredTokensPerSecond) ** 2 : 25;
    }
    keys.forEach((k, i) => (sum += weight * (x[i]! - Math.log(prior[k])) ** 2));
    return sum;
  };
  const start = keys.map((k) => Math.log(base[k]));
  const best = nelderMead(loss, start, { step: 0.2, iterations: 400 });
  const efficiency = build(best);
  const sq = measurements.map((m) => Math.log(predict(m.workload, efficiency).outputTokensPerSecond / m.measuredTokensPerSecond) ** 2);
  return { efficiency, rmsLogError: Math.sqrt(sq.reduce((a, b) => a + b, 0) / Math.max(1, sq.length)) };
}

/** One hour of a self-hosted pool: traffic it served and the mean GPU utilization its telemetry reported (0..1). */
export type PoolObservation = { hourStartMs: number; inputTokens: number; outputTokens: number; calls: number; gpuUtilization: number };
export type PoolConfig = Omit<Workload, "inputTokens" | "outputTokens" | "concurrency">;
export type CalibrationPoint = { hourStartMs: number; observedTokensPerSecond: number; predictedTokensPerSecond: number; absErrorPct: number };
export type PoolCalibration = {
  scale: number; // multiplier applied to the compute, bandwidth and interconnect efficiencies
  efficiency: Efficiency;
  points: CalibrationPoint[]; // predicted (after calibration) vs observed, per usable hour
  medianAbsErrorPctBefore: number;
  medianAbsErrorPctAfter: number;
  usedHours: number;
  skippedHours: number; // utilization < 5 % or no traffic: too noisy to learn from
};

function scaled(eff: Efficiency, s: number): Efficiency {
  const cap = (v: number): number => Math.min(1, v * s);
  return { ...eff, computeFp16: cap(eff.computeFp16), computeLowPrecision: cap(eff.computeLowPrecision), bandwidth: cap(eff.bandwidth), interconnect: cap(eff.interconnect) };
}

/**
 * Calibrates the model to an org's own pool: for each hour, predicted tokens/s = GPU utilization × the replica's
 * offline capacity at that hour's mean ISL/OSL × replicas; observed = output tokens / 3600. Fits one scale on the
 * efficiency factors by golden-section search on Σ ln(pred/obs)², and returns predicted vs observed per hour.
 */
export function calibratePool(config: PoolConfig, replicas: number, observations: readonly PoolObservation[], base: Efficiency = DEFAULT_EFFICIENCY): PoolCalibration {
  const usable = observations.filter((o) => o.gpuUtilization >= 0.05 && o.outputTokens > 0 && o.calls > 0);
  const predictFor = (o: PoolObservation, eff: Efficiency): number => {
    const w: Workload = { ...config, inputTokens: Math.max(1, o.inputTokens / o.calls), outputTokens: Math.max(1, o.outputTokens / o.calls) };
    return Math.min(1, o.gpuUtilization) * predict(w, eff).outputTokensPerSecond * replicas;
  };
  const loss = (logS: number): number => usable.reduce((sum, o) => sum + Math.log(Math.max(1e-9, predictFor(o, scaled(base, Math.exp(logS)))) / (o.outputTokens / 3600)) ** 2, 0);
  let lo = Math.log(0.05);
  let hi = Math.log(1 / Math.min(base.computeFp16, base.computeLowPrecision, base.bandwidth, base.interconnect) + 1e-9);
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60 && usable.length > 0; i++) {
    const a = hi - phi * (hi - lo);
    const b = lo + phi * (hi - lo);
    if (loss(a) < loss(b)) hi = b;
    else lo = a;
  }
  const scale = usable.length > 0 ? Math.exp((lo + hi) / 2) : 1;
  const efficiency = scaled(base, scale);
  const errs = (eff: Efficiency): number[] => usable.map((o) => absPercentError(predictFor(o, eff), o.outputTokens / 3600));
  return {
    scale,
    efficiency,
    points: usable.map((o) => {
      const predicted = predictFor(o, efficiency);
      const observed = o.outputTokens / 3600;
      return { hourStartMs: o.hourStartMs, observedTokensPerSecond: observed, predictedTokensPerSecond: predicted, absErrorPct: absPercentError(predicted, observed) };
    }),
    medianAbsErrorPctBefore: percentile(errs(base), 50),
    medianAbsErrorPctAfter: percentile(errs(efficiency), 50),
    usedHours: usable.length,
    skippedHours: observations.length - usable.length,
  };
}
