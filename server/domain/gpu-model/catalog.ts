import { z } from "zod";

/** Peak datasheet numbers per GPU (dense, no sparsity), from shared/reference/FACTS.md §E. TFLOPS by precision. */
export const GpuSpecSchema = z.object({
  id: z.string(),
  name: z.string(),
  memoryGB: z.number().positive(),
  bandwidthGBs: z.number().positive(),
  tflops: z.object({ fp16: z.number().positive(), bf16: z.number().positive(), fp8: z.number().positive().nullable(), int8: z.number().positive().nullable(), int4: z.number().positive().nullable(), fp4: z.number().positive().nullable() }),
  interconnectGBs: z.number().positive(), // per-GPU all-reduce bandwidth (NVLink / Infinity Fabric / PCIe)
  tdpW: z.number().positive(),
});
export type GpuSpec = z.infer<typeof GpuSpecSchema>;

const g = (id: string, name: string, memoryGB: number, bandwidthGBs: number, fp16: number, fp8: number | null, int8: number | null, int4: number | null, fp4: number | null, interconnectGBs: number, tdpW: number): GpuSpec => ({
  id, name, memoryGB, bandwidthGBs, tflops: { fp16, bf16: fp16, fp8, int8, int4, fp4 }, interconnectGBs, tdpW,
});

export const GPUS: GpuSpec[] = [
  g("a10g", "NVIDIA A10G 24GB", 24, 600, 70, null, 140, 280, null, 32, 300),
  g("l4", "NVIDIA L4 24GB", 24, 300, 121, 242.5, 242.5, null, null, 32, 72),
  g("l40s", "NVIDIA L40S 48GB", 48, 864, 362, 733, 733, 733, null, 32, 350),
  g("a100-40gb", "NVIDIA A100 40GB SXM", 40, 1555, 312, null, 624, 1248, null, 300, 400),
  g("a100-80gb", "NVIDIA A100 80GB SXM", 80, 2039, 312, null, 624, 1248, null, 300, 400),
  g("h100-sxm", "NVIDIA H100 80GB SXM", 80, 3350, 989.5, 1979, 1979, null, null, 450, 700),
  g("h100-pcie", "NVIDIA H100 80GB PCIe", 80, 2000, 756, 1513, 1513, null, null, 64, 350),
  g("h200", "NVIDIA H200 141GB SXM", 141, 4800, 989.5, 1979, 1979, null, null, 450, 700),
  g("gh200", "NVIDIA GH200 (H100 96GB + Grace)", 96, 4000, 989.5, 1979, 1979, null, null, 450, 1000),
  g("b200", "NVIDIA B200 180GB", 180, 8000, 2250, 4500, 4500, null, 9000, 900, 1000),
  g("mi300x", "AMD Instinct MI300X 192GB", 192, 5300, 1307.4, 2614.9, 2614.9, null, null, 448, 750),
  g("rtx-4090", "NVIDIA GeForce RTX 4090 24GB", 24, 1008, 165.2, 330.3, 660.6, 1321.2, null, 32, 450),
];

/** Transformer shapes (config.json values of the public checkpoints). Params in billions. */
export const ModelSpecSchema = z.object({
  id: z.string(),
  name: z.string(),
  paramsB: z.number().positive(),
  activeParamsB: z.number().positive(), // MoE: parameters used per token
  layers: z.number().int().positive(),
  hiddenSize: z.number().int().positive(),
  heads: z.number().int().positive(),
  kvHeads: z.number().int().positive(),
  headDim: z.number().int().positive(),
  maxContext: z.number().int().positive(),
});
export type ModelSpec = z.infer<typeof ModelSpecSchema>;

const m = (id: string, name: string, paramsB: number, activeParamsB: number, layers: number, hiddenSize: number, heads: number, kvHeads: number, headDim: number, maxContext: number): ModelSpec => ({
  id, name, paramsB, activeParamsB, layers, hiddenSize, heads, kvHeads, headDim, maxContext,
});

export const MODELS: ModelSpec[] = [
  m("llama-3.1-8b", "Llama 3.1 8B", 8.03, 8.03, 32, 4096, 32, 8, 128, 131072),
  m("llama-3.1-70b", "Llama 3.1 70B", 70.6, 70.6, 80, 8192, 64, 8, 128, 131072),
  m("llama-3.3-70b", "Llama 3.3 70B", 70.6, 70.6, 80, 8192, 64, 8, 128, 131072),
  m("llama-3.1-405b", "Llama 3.1 405B", 405.9, 405.9, 126, 16384, 128, 8, 128, 131072),
  m("llama-2-70b", "Llama 2 70B", 69, 69, 80, 8192, 64, 8, 128, 4096),
  m("mistral-7b", "Mistral 7B", 7.24, 7.24, 32, 4096, 32, 8, 128, 32768),
  m("mixtral-8x7b", "Mixtral 8x7B", 46.7, 12.9, 32, 4096, 32, 8, 128, 32768),
  m("qwen3-235b-a22b", "Qwen3 235B-A22B", 235, 22, 94, 4096, 64, 4, 128, 32768),
];

export const PRECISIONS = ["fp16", "bf16", "fp8", "int8", "int4", "fp4"] as const;
export type Precision = (typeof PRECISIONS)[number];

/** Bytes per weight/KV element; 4-bit formats carry ~6% of group scales. */
export const BYTES_PER_ELEMENT: Record<Precision, number> = { fp16: 2, bf16: 2, fp8: 1, int8: 1, int4: 0.53, fp4: 0.53 };

export function findGpu(id: string): GpuSpec | undefined {
  return GPUS.find((x) => x.id === id);
}

export function findModel(id: string, userModels: ModelSpec[] = []): ModelSpec | undefined {
  return [...MODELS, ...userModels].find((x) => x.id === id);
}
