import { GPUS, GpuSpecSchema, type GpuSpec } from "./catalog-gpus.ts";
import { defineModel, MODELS, ModelSpecSchema, type ModelSpec } from "./catalog-models.ts";

export { GPUS, GpuSpecSchema, MODELS, ModelSpecSchema, defineModel };
export type { GpuSpec, ModelSpec };

/** Precisions for weights and KV cache. */
export const PRECISIONS = ["fp16", "bf16", "fp8", "int8", "int4", "fp4"] as const;
export type Precision = (typeof PRECISIONS)[number];

/**
 * Bytes per stored element. 4-bit formats carry their scales: INT4 (AWQ/GPTQ, group 128, FP16 scale + zero)
 * 0.5 + 4/128 B; FP4 (NVFP4, 16-element blocks with an FP8 scale) 0.5 + 1/16 B.
 */
export const BYTES_PER_ELEMENT: Record<Precision, number> = { fp16: 2, bf16: 2, fp8: 1, int8: 1, int4: 0.53125, fp4: 0.5625 };

/** Looks a built-in GPU up by id. */
export function findGpu(id: string): GpuSpec | undefined {
  return GPUS.find((x) => x.id === id);
}

/** Looks a model up by id among the built-ins and the org's own (user-defined) models; built-ins win. */
export function findModel(id: string, userModels: readonly ModelSpec[] = []): ModelSpec | undefined {
  return MODELS.find((x) => x.id === id) ?? userModels.find((x) => x.id === id);
}

/** Type guard for a precision string. */
export function isPrecision(value: string): value is Precision {
  return (PRECISIONS as readonly string[]).includes(value);
}

/**
 * Precision the GEMMs run at: FP8/INT8 weights use the GPU's 8-bit tensor cores when it has them (else they are
 * dequantized to FP16, weight-only); INT4 is weight-only (W4A16); FP4 runs natively where supported (Blackwell),
 * else falls back to FP8, else FP16.
 */
export function computePrecision(gpu: GpuSpec, weights: Precision): "fp16" | "fp8" | "int8" | "fp4" {
  if (weights === "fp8") return gpu.tflops.fp8 !== null ? "fp8" : "fp16";
  if (weights === "int8") return gpu.tflops.int8 !== null ? "int8" : "fp16";
  if (weights === "fp4") return gpu.tflops.fp4 !== null ? "fp4" : gpu.tflops.fp8 !== null ? "fp8" : "fp16";
  return "fp16";
}

/** Default KV-cache precision: FP8 when the weights are ≤ 8-bit and the GPU has FP8, else FP16. */
export function defaultKvPrecision(gpu: GpuSpec, weights: Precision): Precision {
  return BYTES_PER_ELEMENT[weights] <= 1 && gpu.tflops.fp8 !== null ? "fp8" : "fp16";
}
