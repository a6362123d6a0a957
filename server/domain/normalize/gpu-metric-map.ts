/**
 * GPU metric names of the exporters we understand (FACTS.md §C) → our sample field and the factor to our unit
 * (ratio 0–1, bytes, watts, joules). Lower `rank` wins when one GPU reports several utilization metrics: the
 * engine-activity ratios beat NVML's "a kernel ran" percentage, which saturates at 100%.
 */
export type GpuField = "utilization" | "memoryUsedBytes" | "powerWatts" | "energyJoulesTotal";
export type GpuMetricSpec = { field: GpuField; factor: number; rank: number };

const MIB = 1024 * 1024;

export const GPU_METRICS: Record<string, GpuMetricSpec> = {
  DCGM_FI_PROF_GR_ENGINE_ACTIVE: { field: "utilization", factor: 1, rank: 0 },
  "hw.gpu.utilization": { field: "utilization", factor: 1, rank: 1 },
  nvidia_smi_utilization_gpu_ratio: { field: "utilization", factor: 1, rank: 2 },
  DCGM_FI_DEV_GPU_UTIL: { field: "utilization", factor: 0.01, rank: 3 },
  "gpu.utilization": { field: "utilization", factor: 0.01, rank: 3 },
  gpu_gfx_activity: { field: "utilization", factor: 0.01, rank: 3 },
  amd_gpu_gfx_activity: { field: "utilization", factor: 0.01, rank: 3 },
  DCGM_FI_DEV_FB_USED: { field: "memoryUsedBytes", factor: MIB, rank: 0 },
  "hw.gpu.memory.usage": { field: "memoryUsedBytes", factor: 1, rank: 0 },
  nvidia_smi_memory_used_bytes: { field: "memoryUsedBytes", factor: 1, rank: 0 },
  "gpu.memory.used": { field: "memoryUsedBytes", factor: MIB, rank: 1 },
  gpu_used_vram: { field: "memoryUsedBytes", factor: MIB, rank: 1 },
  amd_gpu_used_vram: { field: "memoryUsedBytes", factor: MIB, rank: 1 },
  DCGM_FI_DEV_POWER_USAGE: { field: "powerWatts", factor: 1, rank: 0 },
  "hw.gpu.power.draw": { field: "powerWatts", factor: 1, rank: 0 },
  nvidia_smi_power_draw_watts: { field: "powerWatts", factor: 1, rank: 0 },
  "gpu.power.draw": { field: "powerWatts", factor: 1, rank: 1 },
  gpu_power_usage: { field: "powerWatts", factor: 1, rank: 1 },
  amd_gpu_power_usage: { field: "powerWatts", factor: 1, rank: 1 },
  DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION: { field: "energyJoulesTotal", factor: 1e-3, rank: 0 },
  "hw.gpu.energy.consumed": { field: "energyJoulesTotal", factor: 1, rank: 0 },
  gpu_energy_consumed: { field: "energyJoulesTotal", factor: 1e-6, rank: 1 },
  amd_gpu_energy_consumed: { field: "energyJoulesTotal", factor: 1e-6, rank: 1 },
};

export const UUID_LABELS = ["UUID", "uuid", "gpu_uuid", "hw.id", "gpu.uuid"] as const;
export const HOST_LABELS = ["Hostname", "hostname", "host.name", "host"] as const;
export const MODEL_LABELS = ["modelName", "model_name", "hw.name", "gpu.name", "name", "card_series", "card_model"] as const;
/** Identity labels are not kept as free-form labels (pool match rules use host/UUID and these k8s labels). */
export const KEPT_LABELS = ["pod", "namespace", "container", "gpu", "gpu.index", "gpu_id", "GPU_I_PROFILE", "cluster_name"] as const;
