import { defaultKvPrecision, findGpu, findModel, GPUS, MODELS, type ModelSpec } from "../gpu-model/catalog.ts";
import type { Efficiency } from "../gpu-model/efficiency.ts";
import { operatingPoint, type LatencySlo } from "../gpu-model/frontier.ts";
import { predict, type Prediction, type Workload } from "../gpu-model/model.ts";
import type { SelfHostScenario } from "./types.ts";

/** Hourly demand routed to one pool (tokens per hour slot). */
export type PoolDemand = { hourlyCalls: Float64Array; hourlyInput: Float64Array; hourlyOutput: Float64Array };

export type PoolPlan = {
  modelId: string;
  workload: Workload;
  prediction: Prediction;
  meetsSlo: boolean;
  replicas: number;
  hourlyUtilization: number[]; // demand / full capacity, unclipped
  servedFraction: Float64Array; // share of each hour's demand the pool serves (the rest overflows or is unserved)
  servedOutputTokens: number;
  excessOutputTokens: number;
  meanUtilization: number;
  peakUtilization: number;
  idleGpuHours: number;
  warnings: string[];
};

const DEFAULT_AUTO_SLO: LatencySlo = { tpotMs: 50 };

function resolveModel(model: string | ModelSpec, userModels: readonly ModelSpec[]): ModelSpec {
  if (typeof model !== "string") return model;
  const found = findModel(model, userModels);
  if (!found) throw new Error(`unknown model ${model}; valid: ${[...MODELS, ...userModels].map((m) => m.id).join(", ")}`);
  return found;
}

function percentileOf(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Sizes and replays one self-hosted pool over the period's hours. Replica capacity = the model's output tokens/s at
 * the operating point (fixed batch, else the largest batch meeting the SLO, else offline max) for the pool's mean
 * ISL/OSL. Auto sizing: peak-hour demand (hybrid: the `baselinePercentile` hour) ÷ (capacity × target utilization).
 * Each hour the pool serves up to its full capacity (hybrid: up to capacity × target utilization); the rest is excess.
 * Utilization is time-weighted busy share; idle GPU-hours = Σ (1 − utilization) × GPUs.
 */
export function planPool(s: SelfHostScenario, demand: PoolDemand, hours: number, userModels: readonly ModelSpec[], eff: Efficiency): PoolPlan {
  const gpu = findGpu(s.gpuId);
  if (!gpu) throw new Error(`unknown GPU ${s.gpuId}; valid: ${GPUS.map((g) => g.id).join(", ")}`);
  const model = resolveModel(s.model, userModels);
  const warnings: string[] = [];
  let calls = 0;
  let input = 0;
  let output = 0;
  for (let h = 0; h < hours; h++) {
    calls += demand.hourlyCalls[h]!;
    input += demand.hourlyInput[h]!;
    output += demand.hourlyOutput[h]!;
  }
  if (calls <= 0) warnings.push(`self-host ${model.id} on ${gpu.id}: no matched traffic in the period`);
  const isl = calls > 0 ? Math.max(1, input / calls) : 1;
  const osl = calls > 0 ? Math.max(1, output / calls) : 1;
  const workload: Workload = { gpu, model, gpus: s.gpusPerReplica, precision: s.precision, kvPrecision: s.kvPrecision ?? defaultKvPrecision(gpu, s.precision), inputTokens: isl, outputTokens: osl };
  let prediction: Prediction;
  let meetsSlo = true;
  if (s.batch !== undefined) prediction = predict({ ...workload, concurrency: s.batch }, eff);
  else if (s.slo !== undefined || s.replicas === "auto") ({ prediction, meetsSlo } = operatingPoint(workload, s.slo ?? DEFAULT_AUTO_SLO, eff));
  else prediction = predict(workload, eff);
  if (!prediction.fitsInMemory) throw new Error(`${model.id} at ${s.precision} does not fit on ${s.gpusPerReplica} × ${gpu.id} (${prediction.weightsGBPerGpu.toFixed(1)} GB of weights per GPU)`);
  if (!meetsSlo) warnings.push(`${model.id} on ${s.gpusPerReplica} × ${gpu.id} misses the latency SLO even at batch 1`);
  warnings.push(...prediction.warnings.map((w) => `${model.id} on ${gpu.id}: ${w}`));
  const capacityPerHour = prediction.outputTokensPerSecond * 3600;
  const target = s.targetUtilization ?? 0.8;
  const hybrid = s.overflow === "api";
  let replicas: number;
  if (s.replicas === "auto") {
    const sizing = hybrid ? percentileOf(demand.hourlyOutput, s.baselinePercentile ?? 80) : percentileOf(demand.hourlyOutput, 100);
    replicas = sizing > 0 ? Math.max(1, Math.ceil(sizing / (capacityPerHour * target))) : 0;
    if (replicas === 0 && output > 0) warnings.push(`${model.id} on ${gpu.id}: the p${hybrid ? (s.baselinePercentile ?? 80) : 100} hour has no demand, so auto-sizing gives no replicas (everything stays on the API)`);
  } else replicas = s.replicas;
  const full = capacityPerHour * replicas;
  const ceiling = hybrid ? full * target : full;
  const hourlyUtilization = new Array<number>(hours);
  const servedFraction = new Float64Array(hours);
  let served = 0;
  let excess = 0;
  let busy = 0;
  let peak = 0;
  for (let h = 0; h < hours; h++) {
    const out = demand.hourlyOutput[h]!;
    const util = full > 0 ? out / full : out > 0 ? Infinity : 0;
    hourlyUtilization[h] = util;
    const servedOut = Math.min(out, ceiling);
    servedFraction[h] = out > 0 ? servedOut / out : 1;
    served += servedOut;
    excess += out - servedOut;
    const busyShare = full > 0 ? servedOut / full : 0;
    busy += busyShare;
    if (busyShare > peak) peak = busyShare;
  }
  if (!hybrid && excess > 0) warnings.push(`${model.id} pool saturated: ${Math.round(excess)} output tokens over capacity (latency would degrade); add replicas or use overflow`);
  return {
    modelId: model.id, workload, prediction, meetsSlo, replicas, hourlyUtilization, servedFraction,
    servedOutputTokens: served, excessOutputTokens: excess,
    meanUtilization: busy / hours, peakUtilization: peak,
    idleGpuHours: (hours - busy) * replicas * s.gpusPerReplica,
    warnings,
  };
}
