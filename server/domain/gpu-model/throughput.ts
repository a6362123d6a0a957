import { BYTES_PER_ELEMENT, type GpuSpec, type ModelSpec, type Precision } from "./catalog.ts";

/**
 * Efficiency factors fitted by bench/model-accuracy.ts on the 36 TRT-LLM v0.17 offline-max rows (grid search on
 * the median error): the same constants for every GPU and model. Results and held-out errors: bench/RESULTS.md.
 */
export type Efficiency = { compute: number; bandwidth: number; memoryReserveGB: number; maxBatch: number };
export const DEFAULT_EFFICIENCY: Efficiency = { compute: 0.55, bandwidth: 0.6, memoryReserveGB: 4, maxBatch: 256 };

export type Workload = {
  gpu: GpuSpec;
  model: ModelSpec;
  gpus: number; // tensor-parallel degree
  precision: Precision; // weights
  kvPrecision?: Precision; // default: fp8 when weights are ≤ 8-bit, else fp16
  inputTokens: number;
  outputTokens: number;
  concurrency?: number; // omitted → offline max (batch as large as memory allows)
  usdPerGpuHour?: number;
};

export type Bound = "compute" | "bandwidth" | "kv-capacity";

export type Prediction = {
  outputTokensPerSecond: number;
  outputTokensPerSecondPerGpu: number;
  maxConcurrency: number;
  batch: number;
  ttftMs: number;
  tpotMs: number;
  bound: Bound;
  usdPerMillionOutputTokens: number | null;
  weightsGBPerGpu: number;
  kvBytesPerToken: number;
  fitsInMemory: boolean;
};

/** Peak dense TFLOPS at a precision; formats a GPU lacks (FP8 on A100) run at its FP16 rate. */
export function peakTflops(gpu: GpuSpec, precision: Precision): number {
  return gpu.tflops[precision] ?? gpu.tflops.fp16;
}

/** KV cache bytes per token: 2 (K and V) × layers × KV heads × head dim × bytes per element. */
export function kvBytesPerToken(model: ModelSpec, kvPrecision: Precision): number {
  return 2 * model.layers * model.kvHeads * model.headDim * BYTES_PER_ELEMENT[kvPrecision];
}

export function weightBytes(model: ModelSpec, precision: Precision): number {
  return model.paramsB * 1e9 * BYTES_PER_ELEMENT[precision];
}

/**
 * Analytical model of continuous-batching inference (roofline, after Vidur/GenZ/LLM-Viewer):
 * - decode step: max(bandwidth time of weights + the batch's KV cache, compute time 2·active params·batch), per TP rank,
 *   plus two all-reduces per layer over the interconnect;
 * - prefill: compute-bound 2·active params·input tokens + causal attention, per sequence;
 * - batch: as large as KV-cache memory allows (offline max) or the given concurrency;
 * - steady state: a batch of B sequences produces B·osl tokens in B·prefill + osl·decode-step time.
 */
export function predict(w: Workload, eff: Efficiency = DEFAULT_EFFICIENCY): Prediction {
  const tp = w.gpus;
  const kvPrecision = w.kvPrecision ?? (BYTES_PER_ELEMENT[w.precision] <= 1 ? "fp8" : "fp16");
  const kvPerToken = kvBytesPerToken(w.model, kvPrecision);
  const weights = weightBytes(w.model, w.precision);
  const memory = tp * w.gpu.memoryGB * 1e9;
  const kvMemory = Math.max(0, (memory - weights - tp * eff.memoryReserveGB * 1e9) * 0.9);
  const avgContext = w.inputTokens + w.outputTokens / 2;
  const maxByKv = Math.floor(kvMemory / (kvPerToken * avgContext));
  const maxConcurrency = Math.max(0, Math.min(eff.maxBatch, maxByKv));
  const batch = Math.max(1, w.concurrency !== undefined ? Math.min(w.concurrency, Math.max(1, maxConcurrency)) : maxConcurrency);
  const flops = peakTflops(w.gpu, w.precision) * 1e12 * eff.compute * tp;
  const bandwidth = w.gpu.bandwidthGBs * 1e9 * eff.bandwidth * tp;
  const active = w.model.activeParamsB * 1e9;
  // MoE: a large batch touches every expert, so decode reads all weights once per step.
  const stepBytes = weights + batch * kvPerToken * avgContext;
  const memoryTime = stepBytes / bandwidth;
  const computeTime = (2 * active * batch + 4 * w.model.layers * w.model.hiddenSize * batch * avgContext) / flops;
  const allReduceBytes = tp > 1 ? 2 * w.model.layers * 2 * ((tp - 1) / tp) * batch * w.model.hiddenSize * 2 : 0;
  const allReduceTime = tp > 1 ? allReduceBytes / (w.gpu.interconnectGBs * 1e9 * 0.7) + 2 * w.model.layers * 8e-6 : 0;
  const stepTime = Math.max(memoryTime, computeTime) + allReduceTime;
  const prefillFlops = 2 * active * w.inputTokens + 2 * w.model.layers * w.model.hiddenSize * w.inputTokens * w.inputTokens;
  const prefillTime = prefillFlops / flops;
  const cycle = batch * prefillTime + w.outputTokens * stepTime;
  const throughput = (batch * w.outputTokens) / cycle;
  const bound: Bound = w.concurrency === undefined && maxByKv < eff.maxBatch ? "kv-capacity" : computeTime > memoryTime ? "compute" : "bandwidth";
  const perGpu = throughput / tp;
  return {
    outputTokensPerSecond: throughput,
    outputTokensPerSecondPerGpu: perGpu,
    maxConcurrency,
    batch,
    ttftMs: (prefillTime + stepTime) * 1000,
    tpotMs: stepTime * 1000,
    bound,
    usdPerMillionOutputTokens: w.usdPerGpuHour !== undefined && throughput > 0 ? (w.usdPerGpuHour * tp) / 3600 / throughput * 1e6 : null,
    weightsGBPerGpu: weights / tp / 1e9,
    kvBytesPerToken: kvPerToken,
    fitsInMemory: maxByKv >= 1,
  };
}

/** Throughput–latency frontier: output tokens/s and time per output token over batch sizes up to the memory limit. */
export function frontier(w: Workload, eff: Efficiency = DEFAULT_EFFICIENCY): { batch: number; outputTokensPerSecond: number; tpotMs: number; ttftMs: number }[] {
  const max = Math.max(1, predict(w, eff).maxConcurrency);
  const out = [];
  for (let b = 1; b <= max; b *= 2) {
    const p = predict({ ...w, concurrency: b }, eff);
    out.push({ batch: b, outputTokensPerSecond: p.outputTokensPerSecond, tpotMs: p.tpotMs, ttftMs: p.ttftMs });
  }
  return out;
}
