/**
 * Efficiency factors: how far a real serving engine gets from datasheet peaks, plus the engine's memory and batching
 * settings. The same constants apply to every GPU and model (no per-row or per-GPU fudge); the fitted values come from
 * bench/model-accuracy.ts (see bench/RESULTS.md) and can be refitted to an org's own measurements (calibration.ts).
 */
export type Efficiency = {
  computeFp16: number; // achieved / peak FLOPS, 16-bit GEMMs and attention
  computeLowPrecision: number; // achieved / peak FLOPS, 8-bit and 4-bit GEMMs
  bandwidth: number; // achieved / peak HBM bandwidth
  interconnect: number; // achieved / peak per-GPU link bandwidth in all-reduce
  rooflineExponent: number; // GEMM time = (compute^p + memory^p)^(1/p): p → ∞ is the plain roofline max
  iterationOverheadMs: number; // fixed per-iteration cost (scheduling, kernel launches, sampling)
  kvMemoryFraction: number; // share of the memory left after weights and reserve given to the KV cache
  memoryReserveGiB: number; // activations, workspace and runtime per GPU
  maxBatch: number; // engine cap on sequences in flight
  maxTokensPerIteration: number; // engine cap on tokens per forward pass (max_num_tokens)
};

/** Literature priors (FACTS §E notes, §G.5/G.6): ~0.7 FLOPs and ~0.8–0.9 bandwidth; engine defaults for the rest. */
export const PRIOR_EFFICIENCY: Efficiency = {
  computeFp16: 0.7,
  computeLowPrecision: 0.6,
  bandwidth: 0.8,
  interconnect: 0.7,
  rooflineExponent: 3,
  iterationOverheadMs: 1,
  kvMemoryFraction: 0.9,
  memoryReserveGiB: 3,
  maxBatch: 2048,
  maxTokensPerIteration: 8192,
};

/**
 * Factors fitted on all 36 TensorRT-LLM v0.17 offline rows by bench/model-accuracy.ts (rounded; the bench sets the
 * measurement's own engine setting kvMemoryFraction 0.95, the shipped default keeps the engines' usual 0.9).
 */
export const DEFAULT_EFFICIENCY: Efficiency = {
  ...PRIOR_EFFICIENCY,
  computeFp16: 0.65,
  computeLowPrecision: 0.52,
  bandwidth: 0.8,
  interconnect: 0.54,
  rooflineExponent: 1.45,
  iterationOverheadMs: 1,
};
