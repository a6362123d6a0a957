import { findGpu, findModel, type ModelSpec, type Precision } from "./catalog.ts";
import { DEFAULT_EFFICIENCY, type Efficiency } from "./efficiency.ts";
import { callTimeMs, memoryPlan } from "./model.ts";

/** A self-hosted call as stored: the model names it reported, its token counts and how long it ran. */
export type PooledCall = {
  model: string | null;
  requestModel: string | null;
  inputTokens: number; // all input, prefix-cache reads included (OTel semantics)
  cacheReadTokens: number;
  outputTokens: number;
  durationMs: number;
};

export type Replica = { modelId: string; tp: number; precision: Precision; replicas: number; batch: number };

export type GpuSecondsEstimate =
  | { ok: true; gpuSeconds: number[]; replicas: Replica[] }
  | { ok: false; reason: string };

const HOUR_S = 3600;
// A representative request for choosing the replica layout (the pool does not record how it is deployed).
const LAYOUT_ISL = 2048;
const LAYOUT_OSL = 256;

/**
 * Maps a served model name to the GPU model catalog: lower-case, without an org prefix ("meta-llama/") and
 * without instruction-tuning suffixes, e.g. "meta-llama/Llama-3.1-70B-Instruct" → "llama-3.1-70b".
 */
export function catalogModelFor(name: string | null, userModels: readonly ModelSpec[] = []): ModelSpec | undefined {
  if (!name) return undefined;
  const base = name.trim().toLowerCase().split("/").pop() ?? "";
  const candidates = [base, base.replace(/-(instruct|chat|hf|it)$/g, ""), base.replace(/^meta-/, "").replace(/-(instruct|chat|hf|it)$/g, "")];
  for (const id of candidates) {
    const spec = findModel(id, userModels);
    if (spec) return spec;
  }
  return undefined;
}

/**
 * The replica layout a pool most plausibly runs a model with (pools record GPUs, not deployments): 16-bit
 * weights on the fewest GPUs (a power of two up to the pool's count) that hold a representative request,
 * else 8-bit weights; null when the model fits on neither.
 */
export function replicaLayout(gpuType: string, gpuCount: number, model: ModelSpec, eff: Efficiency = DEFAULT_EFFICIENCY): { tp: number; precision: Precision; replicas: number } | null {
  const gpu = findGpu(gpuType);
  if (!gpu) return null;
  for (const precision of ["bf16", "fp8"] as const) {
    for (let tp = 1; tp <= gpuCount; tp *= 2) {
      const plan = memoryPlan({ gpu, model, gpus: tp, precision, inputTokens: LAYOUT_ISL, outputTokens: LAYOUT_OSL }, eff);
      if (plan.maxByKv >= 1) return { tp, precision, replicas: Math.floor(gpuCount / tp) };
    }
  }
  return null;
}

/**
 * Modelled GPU-seconds of each call a pool served in one hour: (prefill + decode time per GPU) × the replica's
 * GPUs, from the throughput model for the pool's GPU type and the call's model. Decode iterations are shared by
 * the sequences in flight, so the batch is the hour's observed mean concurrency per replica (Σ call durations /
 * 3600 s / replicas, at least 1, at most what the KV cache holds). Not ok — with the reason — when the GPU type
 * or any call's model is not in the catalog, or a model fits on no layout of the pool: a partial estimate
 * cannot be mixed with token shares, so the caller falls back to tokens for the whole pool-hour.
 */
export function estimateGpuSeconds(
  pool: { gpuType: string; gpuCount: number },
  calls: readonly PooledCall[],
  options: { efficiency?: Efficiency; userModels?: readonly ModelSpec[] } = {},
): GpuSecondsEstimate {
  const eff = options.efficiency ?? DEFAULT_EFFICIENCY;
  const gpu = findGpu(pool.gpuType);
  if (!gpu) return { ok: false, reason: `GPU type ${pool.gpuType} is not in the GPU catalog` };
  const specs: ModelSpec[] = [];
  for (const call of calls) {
    const spec = catalogModelFor(call.model, options.userModels) ?? catalogModelFor(call.requestModel, options.userModels);
    if (!spec) return { ok: false, reason: `model ${call.model ?? call.requestModel ?? "(none)"} is not in the GPU model catalog` };
    specs.push(spec);
  }
  const replicas = new Map<string, Replica>();
  for (const [i, spec] of specs.entries()) {
    let r = replicas.get(spec.id);
    if (!r) {
      const layout = replicaLayout(pool.gpuType, pool.gpuCount, spec, eff);
      if (!layout || layout.replicas < 1) return { ok: false, reason: `model ${spec.id} does not fit on ${pool.gpuCount} × ${pool.gpuType}` };
      r = { modelId: spec.id, ...layout, batch: 0 };
      replicas.set(spec.id, r);
    }
    r.batch += Math.max(0, calls[i]!.durationMs) / 1000 / HOUR_S; // summed call-seconds / hour = mean sequences in flight
  }
  for (const r of replicas.values()) r.batch = Math.max(1, r.batch / r.replicas);
  const gpuSeconds = calls.map((call, i) => {
    const spec = specs[i]!;
    const r = replicas.get(spec.id)!;
    const inputTokens = Math.max(0, call.inputTokens);
    const outputTokens = Math.max(0, call.outputTokens);
    const w = { gpu, model: spec, gpus: r.tp, precision: r.precision, inputTokens: Math.max(1, inputTokens), outputTokens: Math.max(1, outputTokens) };
    const maxByKv = Math.max(1, memoryPlan(w, eff).maxByKv);
    const t = callTimeMs({ ...w, outputTokens, prefillTokens: Math.max(0, inputTokens - Math.max(0, call.cacheReadTokens)), batch: Math.min(r.batch, maxByKv) }, eff);
    return ((t.prefillMs + t.decodeMs) / 1000) * r.tp;
  });
  return { ok: true, gpuSeconds, replicas: [...replicas.values()] };
}
