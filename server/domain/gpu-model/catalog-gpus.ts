import { z } from "zod";

/**
 * GPU catalog: vendor datasheet peaks per GPU (dense tensor TFLOPS, no 2:4 sparsity), from shared/reference/FACTS.md §E.
 * `usableMemoryGiB` is what the driver reports (nvidia-smi / rocm-smi), which is what an engine can allocate;
 * `memoryGB` is the marketing capacity. Interconnect is per GPU and per direction (NVLink 900 GB/s bidirectional
 * = 450 GB/s each way); `allReduceLatencyUs` is the fixed cost of one small all-reduce over that link.
 */
export const GpuSpecSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  vendor: z.enum(["nvidia", "amd"]),
  memoryGB: z.number().positive(),
  usableMemoryGiB: z.number().positive(),
  bandwidthGBs: z.number().positive(),
  tflops: z.object({
    fp16: z.number().positive(),
    bf16: z.number().positive(),
    fp8: z.number().positive().nullable(),
    int8: z.number().positive().nullable(),
    int4: z.number().positive().nullable(),
    fp4: z.number().positive().nullable(),
  }),
  interconnect: z.object({ kind: z.enum(["nvlink", "pcie", "infinity-fabric"]), perGpuGBs: z.number().positive(), allReduceLatencyUs: z.number().positive() }),
  tdpW: z.number().positive(),
});
export type GpuSpec = z.infer<typeof GpuSpecSchema>;

type Tf = [fp16: number, fp8: number | null, int8: number | null, int4: number | null, fp4: number | null];
type Link = GpuSpec["interconnect"];
const PCIE4: Link = { kind: "pcie", perGpuGBs: 32, allReduceLatencyUs: 25 };
const PCIE5: Link = { kind: "pcie", perGpuGBs: 64, allReduceLatencyUs: 20 };
const NVLINK3: Link = { kind: "nvlink", perGpuGBs: 300, allReduceLatencyUs: 8 };
const NVLINK4: Link = { kind: "nvlink", perGpuGBs: 450, allReduceLatencyUs: 8 };
const NVLINK5: Link = { kind: "nvlink", perGpuGBs: 900, allReduceLatencyUs: 8 };
const XGMI: Link = { kind: "infinity-fabric", perGpuGBs: 448, allReduceLatencyUs: 12 };

function gpu(id: string, name: string, vendor: "nvidia" | "amd", memoryGB: number, usableMemoryGiB: number, bandwidthGBs: number, tf: Tf, interconnect: Link, tdpW: number): GpuSpec {
  const [fp16, fp8, int8, int4, fp4] = tf;
  return GpuSpecSchema.parse({ id, name, vendor, memoryGB, usableMemoryGiB, bandwidthGBs, tflops: { fp16, bf16: fp16, fp8, int8, int4, fp4 }, interconnect, tdpW });
}

/** The built-in GPUs (validated at load). */
export const GPUS: readonly GpuSpec[] = [
  gpu("a10g", "NVIDIA A10G 24GB", "nvidia", 24, 22.49, 600, [70, null, 140, 280, null], PCIE4, 300),
  gpu("l4", "NVIDIA L4 24GB", "nvidia", 24, 22.49, 300, [121, 242.5, 242.5, null, null], PCIE4, 72),
  gpu("l40s", "NVIDIA L40S 48GB", "nvidia", 48, 44.99, 864, [362.05, 733, 733, 733, null], PCIE4, 350),
  gpu("a100-40gb", "NVIDIA A100 40GB SXM", "nvidia", 40, 40, 1555, [312, null, 624, 1248, null], NVLINK3, 400),
  gpu("a100-80gb", "NVIDIA A100 80GB SXM", "nvidia", 80, 80, 2039, [312, null, 624, 1248, null], NVLINK3, 400),
  gpu("h100-sxm", "NVIDIA H100 80GB SXM", "nvidia", 80, 79.65, 3350, [989.5, 1979, 1979, null, null], NVLINK4, 700),
  gpu("h100-pcie", "NVIDIA H100 80GB PCIe", "nvidia", 80, 79.65, 2000, [756, 1513, 1513, null, null], PCIE5, 350),
  gpu("h200", "NVIDIA H200 141GB SXM", "nvidia", 141, 140.4, 4800, [989.5, 1979, 1979, null, null], NVLINK4, 700),
  gpu("gh200", "NVIDIA GH200 96GB (H100 + Grace)", "nvidia", 96, 94.5, 4000, [989.5, 1979, 1979, null, null], NVLINK4, 1000),
  gpu("b200", "NVIDIA B200 180GB", "nvidia", 180, 179.06, 8000, [2250, 4500, 4500, null, 9000], NVLINK5, 1000),
  gpu("mi300x", "AMD Instinct MI300X 192GB", "amd", 192, 191.98, 5300, [1307.4, 2614.9, 2614.9, null, null], XGMI, 750),
  gpu("rtx-4090", "NVIDIA GeForce RTX 4090 24GB", "nvidia", 24, 23.99, 1008, [165.2, 330.3, 660.6, 1321.2, null], { ...PCIE4, allReduceLatencyUs: 40 }, 450),
];
