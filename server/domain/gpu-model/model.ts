import { BYTES_PER_ELEMENT, computePrecision, defaultKvPrecision, type GpuSpec, type ModelSpec, type Precision } from "./catalog.ts";
import { DEFAULT_EFFICIENCY, type Efficiency } from "./efficiency.ts";

export { DEFAULT_EFFICIENCY, type Efficiency };

/** One serving replica: `gpus` GPUs in one tensor-parallel group running `model`. */
export type Workload = {
  gpu: GpuSpec;
  model: ModelSpec;
  gpus: number; // tensor-parallel degree
  precision: Precision; // weights
  kvPrecision?: Precision; // default: defaultKvPrecision(gpu, precision)
  inputTokens: number; // per request (ISL)
  outputTokens: number; // per request (OSL)
  concurrency?: number; // sequences in flight; omitted → offline max (as many as memory and the engine allow)
  usdPerGpuHour?: number;
};

export type Bound = "compute" | "bandwidth" | "kv-capacity" | "interconnect";

export type Prediction = {
  outputTokensPerSecond: number; // whole TP group
  outputTokensPerSecondPerGpu: number;
  maxConcurrency: number; // sequences that fit (KV capacity, engine caps)
  batch: number; // sequences in flight used for this prediction
  ttftMs: number;
  tpotMs: number; // one continuous-batching iteration = time between a sequence's output tokens
  bound: Bound;
  usdPerMillionOutputTokens: number | null;
  weightsGBPerGpu: number;
  kvBytesPerToken: number; // whole model, all GPUs
  kvCapacityTokens: number; // whole TP group
  fitsInMemory: boolean;
  memoryBandwidthUtilization: number; // bytes read per iteration / (iteration time × peak bandwidth)
  modelFlopsUtilization: number; // FLOPs per iteration / (iteration time × peak FLOPS at the GEMM precision)
  iterationMs: { gemm: number; attention: number; communication: number; overhead: number };
  warnings: string[];
};

const GB = 1e9;
const GIB = 2 ** 30;

/** KV-cache bytes per token for the whole model: 2 (K and V) × layers × KV heads × head dim × bytes per element. */
export function kvBytesPerToken(model: ModelSpec, kvPrecision: Precision): number {
  return 2 * model.layers * model.kvHeads * model.headDim * BYTES_PER_ELEMENT[kvPrecision];
}

/** Embedding-table parameters (input embedding, plus the LM head when untied); quantizers keep them in 16-bit. */
export function embeddingParams(model: ModelSpec): number {
  return model.vocabSize * model.hiddenSize * (model.tiedEmbeddings ? 1 : 2);
}

/** Stored weight bytes: transformer body at `precision`, embeddings and LM head at 2 bytes. */
export function weightBytes(model: ModelSpec, precision: Precision): number {
  const embed = embeddingParams(model);
  return (model.paramsB * GB - embed) * BYTES_PER_ELEMENT[precision] + embed * 2;
}

/**
 * Weight bytes one forward pass over `tokens` tokens reads: the body (for MoE: shared weights plus the expected
 * number of distinct experts the tokens route to, E·(1−(1−k/E)^tokens) per layer) and the LM head (not the
 * input embedding table, of which only the looked-up rows are read).
 */
export function weightBytesRead(model: ModelSpec, precision: Precision, tokens: number): number {
  const lmHead = model.vocabSize * model.hiddenSize * 2;
  const body = model.paramsB * GB - embeddingParams(model);
  if (model.moe === null) return body * BYTES_PER_ELEMENT[precision] + lmHead;
  const { experts, expertsPerToken } = model.moe;
  const perExpert = ((model.paramsB - model.activeParamsB) * GB) / (experts - expertsPerToken);
  const touched = experts * (1 - Math.pow(1 - expertsPerToken / experts, Math.max(tokens, 1)));
  return (body - experts * perExpert + touched * perExpert) * BYTES_PER_ELEMENT[precision] + lmHead;
}

type Ctx = {
  w: Workload; eff: Efficiency; tp: number; kvPerTokenPerGpu: number; gemmFlopsPerSec: number; fp16FlopsPerSec: number;
  bytesPerSec: number; activeBody: number; attnFlopsPerTokenCtx: number;
};

function context(w: Workload, eff: Efficiency): Ctx {
  const tp = w.gpus;
  const kvPrecision = w.kvPrecision ?? defaultKvPrecision(w.gpu, w.precision);
  const kvHeadsPerGpu = Math.max(w.model.kvHeads / tp, 1);
  const cp = computePrecision(w.gpu, w.precision);
  const gemmEff = cp === "fp16" ? eff.computeFp16 : eff.computeLowPrecision;
  return {
    w, eff, tp,
    kvPerTokenPerGpu: 2 * w.model.layers * kvHeadsPerGpu * w.model.headDim * BYTES_PER_ELEMENT[kvPrecision],
    gemmFlopsPerSec: (w.gpu.tflops[cp] ?? w.gpu.tflops.fp16) * 1e12 * gemmEff,
    fp16FlopsPerSec: w.gpu.tflops.fp16 * 1e12 * eff.computeFp16,
    bytesPerSec: w.gpu.bandwidthGBs * GB * eff.bandwidth,
    activeBody: w.model.activeParamsB * GB - embeddingParams(w.model),
    attnFlopsPerTokenCtx: 4 * w.model.layers * w.model.heads * w.model.headDim, // QKᵀ and PV, per query token per context token
  };
}

type Iteration = { gemmMs: number; attnMs: number; commMs: number; overheadMs: number; computeMs: number; memoryMs: number; bytes: number; flops: number };

/** Per-GPU time of a forward pass over `decode` decode tokens (mean context `ctxTokens`) and `prefill` prompt tokens. */
function forward(c: Ctx, decode: number, ctxTokens: number, prefill: number, prefillSeqs: number): Iteration {
  const { w, tp } = c;
  const tokens = decode + prefill;
  const lmHeadTokens = decode + prefillSeqs;
  const gemmFlops = (2 * c.activeBody * tokens + 2 * w.model.vocabSize * w.model.hiddenSize * lmHeadTokens) / tp;
  const gemmBytes = weightBytesRead(w.model, w.precision, tokens) / tp;
  const gemmCompute = gemmFlops / c.gemmFlopsPerSec;
  const gemmMemory = gemmBytes / c.bytesPerSec;
  const kvBytes = decode * ctxTokens * c.kvPerTokenPerGpu + tokens * c.kvPerTokenPerGpu; // read context, write new
  const decodeAttnFlops = (c.attnFlopsPerTokenCtx * decode * ctxTokens) / tp;
  const decodeAttnMemory = kvBytes / c.bytesPerSec;
  const decodeAttnCompute = decodeAttnFlops / c.fp16FlopsPerSec;
  const isl = prefillSeqs > 0 ? prefill / prefillSeqs : 0;
  const prefillAttnFlops = (c.attnFlopsPerTokenCtx * prefillSeqs * isl * isl) / 2 / tp; // causal: half the square
  const prefillAttn = prefillAttnFlops / c.fp16FlopsPerSec;
  const linkBytesPerSec = w.gpu.interconnect.perGpuGBs * GB * c.eff.interconnect;
  const commSec = tp > 1 ? 2 * w.model.layers * (w.gpu.interconnect.allReduceLatencyUs * 1e-6 + ((2 * (tp - 1)) / tp) * (tokens * w.model.hiddenSize * 2) / linkBytesPerSec) : 0;
  const gemm = softMax(gemmCompute, gemmMemory, c.eff.rooflineExponent);
  const attn = Math.max(decodeAttnMemory, decodeAttnCompute) + prefillAttn;
  return {
    gemmMs: gemm * 1e3, attnMs: attn * 1e3, commMs: commSec * 1e3, overheadMs: c.eff.iterationOverheadMs,
    computeMs: ((gemmCompute >= gemmMemory ? gemm : 0) + (decodeAttnCompute > decodeAttnMemory ? decodeAttnCompute : 0) + prefillAttn) * 1e3,
    memoryMs: ((gemmMemory > gemmCompute ? gemm : 0) + (decodeAttnMemory >= decodeAttnCompute ? decodeAttnMemory : 0)) * 1e3,
    bytes: gemmBytes + kvBytes, flops: gemmFlops + decodeAttnFlops + prefillAttnFlops,
  };
}

/** Smooth roofline: (a^p + b^p)^(1/p) → max(a, b) as p → ∞; near the ridge point real kernels reach neither roof. */
function softMax(a: number, b: number, p: number): number {
  const m = Math.max(a, b);
  return m === 0 ? 0 : m * Math.pow(Math.pow(a / m, p) + Math.pow(b / m, p), 1 / p);
}

const totalMs = (it: Iteration): number => it.gemmMs + it.attnMs + it.commMs + it.overheadMs;

/** Memory plan of a replica: weights per GPU, KV-cache tokens that fit, and the sequences in flight it allows. */
export function memoryPlan(w: Workload, eff: Efficiency = DEFAULT_EFFICIENCY): { weightsGBPerGpu: number; kvCapacityTokens: number; maxByKv: number; maxConcurrency: number } {
  const c = context(w, eff);
  const weightsPerGpu = weightBytes(w.model, w.precision) / c.tp;
  const free = w.gpu.usableMemoryGiB * GIB - weightsPerGpu - eff.memoryReserveGiB * GIB;
  const kvCapacityTokens = Math.max(0, Math.floor((free * eff.kvMemoryFraction) / c.kvPerTokenPerGpu));
  // Guaranteed-no-evict scheduling (TensorRT-LLM's default) reserves a sequence's full ISL + OSL up front.
  const maxByKv = Math.floor(kvCapacityTokens / (w.inputTokens + w.outputTokens));
  const byTokens = Math.max(1, Math.floor(eff.maxTokensPerIteration / (1 + w.inputTokens / w.outputTokens)));
  return { weightsGBPerGpu: weightsPerGpu / GB, kvCapacityTokens, maxByKv, maxConcurrency: Math.max(0, Math.min(maxByKv, eff.maxBatch, byTokens)) };
}

/**
 * Analytical continuous-batching model (operator-level roofline in the manner of GenZ / LLM-Viewer, with fitted
 * efficiency factors). In steady state a replica keeps B sequences in flight; every iteration emits one token per
 * sequence and prefills B·ISL/OSL prompt tokens (each sequence needs ISL prompt tokens per OSL iterations).
 * Iteration time (per GPU, TP shards everything) = GEMMs softmax_p(2·active params·tokens / FLOPS, weight bytes / BW)
 * + decode attention max(KV bytes read / BW, attention FLOPs) + causal prefill attention FLOPs
 * + 2 all-reduces per layer (latency + 2(t−1)/t · tokens · hidden · 2 B / link BW) + a fixed overhead.
 * Output tokens/s = B / iteration time; TPOT = iteration time; TTFT = a lone prefill of ISL tokens + one iteration.
 * Offline max: B = min(KV capacity / (ISL+OSL), engine batch cap, max tokens per iteration / (1+ISL/OSL)).
 */
export function predict(w: Workload, eff: Efficiency = DEFAULT_EFFICIENCY): Prediction {
  const c = context(w, eff);
  const plan = memoryPlan(w, eff);
  const warnings: string[] = [];
  if (w.inputTokens + w.outputTokens > w.model.maxContext) warnings.push(`ISL + OSL exceeds ${w.model.id}'s context of ${w.model.maxContext} tokens`);
  if (w.gpus > w.model.kvHeads) warnings.push(`TP ${w.gpus} > ${w.model.kvHeads} KV heads: KV heads are replicated`);
  const fits = plan.maxByKv >= 1;
  const offline = w.concurrency === undefined;
  const batch = offline ? Math.max(1, plan.maxConcurrency) : Math.max(1, fits ? Math.min(w.concurrency!, plan.maxByKv) : 1);
  if (!offline && fits && w.concurrency! > plan.maxByKv) warnings.push(`concurrency ${w.concurrency} exceeds the ${plan.maxByKv} sequences the KV cache holds; capped`);
  const ctxTokens = w.inputTokens + (w.outputTokens + 1) / 2;
  const it = forward(c, batch, ctxTokens, (batch * w.inputTokens) / w.outputTokens, batch / w.outputTokens);
  const iterationMs = totalMs(it);
  const lone = forward(c, 0, 0, w.inputTokens, 1);
  const throughput = fits ? (batch / iterationMs) * 1e3 : 0;
  const kvLimited = offline && plan.maxByKv < Math.min(eff.maxBatch, Math.floor(eff.maxTokensPerIteration / (1 + w.inputTokens / w.outputTokens)));
  const bound: Bound = !fits ? "kv-capacity"
    : it.commMs > Math.max(it.computeMs, it.memoryMs) ? "interconnect"
    : it.memoryMs > it.computeMs ? (kvLimited ? "kv-capacity" : "bandwidth")
    : "compute";
  const gemmPeak = (w.gpu.tflops[computePrecision(w.gpu, w.precision)] ?? w.gpu.tflops.fp16) * 1e12;
  return {
    outputTokensPerSecond: throughput,
    outputTokensPerSecondPerGpu: throughput / c.tp,
    maxConcurrency: plan.maxConcurrency,
    batch,
    ttftMs: totalMs(lone) + iterationMs,
    tpotMs: iterationMs,
    bound,
    usdPerMillionOutputTokens: w.usdPerGpuHour !== undefined && throughput > 0 ? ((w.usdPerGpuHour * c.tp) / 3600 / throughput) * 1e6 : null,
    weightsGBPerGpu: plan.weightsGBPerGpu,
    kvBytesPerToken: kvBytesPerToken(w.model, w.kvPrecision ?? defaultKvPrecision(w.gpu, w.precision)),
    kvCapacityTokens: plan.kvCapacityTokens,
    fitsInMemory: fits,
    memoryBandwidthUtilization: it.bytes / (iterationMs * 1e-3) / (w.gpu.bandwidthGBs * GB),
    modelFlopsUtilization: it.flops / (iterationMs * 1e-3) / gemmPeak,
    iterationMs: { gemm: it.gemmMs, attention: it.attnMs, communication: it.commMs, overhead: it.overheadMs },
    warnings,
  };
}

/**
 * One call's share of a replica's time, per GPU: its prompt prefill (a lone forward pass over the prompt tokens
 * not served from the prefix cache) and its decode (each output token is one iteration of a decode batch of
 * `batch` sequences at the call's context, shared equally by the sequences in it).
 */
export function callTimeMs(w: Workload & { prefillTokens: number; batch: number }, eff: Efficiency = DEFAULT_EFFICIENCY): { prefillMs: number; decodeMs: number } {
  const c = context(w, eff);
  const prefillMs = w.prefillTokens > 0 ? totalMs(forward(c, 0, 0, w.prefillTokens, 1)) : 0;
  const batch = Math.max(1, w.batch);
  const ctxTokens = w.inputTokens + (w.outputTokens + 1) / 2;
  const decodeMs = w.outputTokens > 0 ? (w.outputTokens * totalMs(forward(c, batch, ctxTokens, 0, 0))) / batch : 0;
  return { prefillMs, decodeMs };
}
