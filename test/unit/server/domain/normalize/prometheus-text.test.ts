import { describe, expect, it } from "vitest";
import { gpuSamplesFromScrape, parsePrometheusText } from "../../../../../server/domain/normalize/prometheus-text.ts";

const DCGM = `# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).
# TYPE DCGM_FI_DEV_GPU_UTIL gauge
DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52",pci_bus_id="00000000:00:1E.0",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="node-a",DCGM_FI_DRIVER_VERSION="550.54.15",container="vllm",namespace="llm",pod="vllm-0"} 87
DCGM_FI_PROF_GR_ENGINE_ACTIVE{gpu="0",UUID="GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52",modelName="NVIDIA H100 80GB HBM3",Hostname="node-a"} 0.61
DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52",Hostname="node-a"} 71234
DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52",Hostname="node-a"} 512.25
DCGM_FI_DEV_SM_CLOCK{gpu="0",UUID="GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52"} 1980
`;

describe("Prometheus text format", () => {
  it("parses labels with escapes, optional timestamps, and skips malformed lines", () => {
    const { samples, skippedLines } = parsePrometheusText('a{x="q\\"uote",y="line\\nbreak"} 1.5 1700000000000\nb 2\nc{broken 3\n# comment\n');
    expect(samples).toEqual([
      { name: "a", labels: { x: 'q"uote', y: "line\nbreak" }, value: 1.5, timestampMs: 1700000000000 },
      { name: "b", labels: {}, value: 2, timestampMs: null },
    ]);
    expect(skippedLines).toBe(1);
  });

  it("NUL in a label (unstorable in PostgreSQL text) becomes U+FFFD; the sample is kept", () => {
    const { samples } = gpuSamplesFromScrape('DCGM_FI_DEV_GPU_UTIL{UUID="GPU-\u00001",Hostname="n\u0000ode",pod="p\u0000"} 50\n', 1, { host: null });
    expect(samples).toHaveLength(1);
    expect(samples[0]).toMatchObject({ gpuUuid: "GPU-\uFFFD1", host: "n\uFFFDode", utilizationRatio: 0.5, labels: { pod: "p\uFFFD" } });
  });

  it("dcgm-exporter: engine-active ratio wins over GPU_UTIL %, MiB → bytes, W, k8s labels kept", () => {
    const { samples } = gpuSamplesFromScrape(DCGM, 1_760_000_000_000, { host: null });
    expect(samples).toEqual([
      {
        gpuUuid: "GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52", host: "node-a", gpuModelName: "NVIDIA H100 80GB HBM3", timeUnixMs: 1_760_000_000_000,
        utilizationRatio: 0.61, memoryUsedBytes: 71234 * 1024 * 1024, powerWatts: 512.25, energyJoulesTotal: null,
        labels: { pod: "vllm-0", namespace: "llm", container: "vllm", gpu: "0" },
      },
    ]);
  });

  it("nvidia_gpu_exporter (uuid label, ratios and bytes) and AMD (hostname, %)", () => {
    const nvsmi = gpuSamplesFromScrape('nvidia_smi_utilization_gpu_ratio{uuid="GPU-1",name="NVIDIA L4"} 0.25\nnvidia_smi_memory_used_bytes{uuid="GPU-1"} 1.2e+10\n', 1, { host: "box" });
    expect(nvsmi.samples[0]).toMatchObject({ gpuUuid: "GPU-1", host: "box", utilizationRatio: 0.25, memoryUsedBytes: 1.2e10, gpuModelName: "NVIDIA L4" });
    const amd = gpuSamplesFromScrape('gpu_gfx_activity{gpu_uuid="AMD-9",hostname="mi-1",card_series="AMD Instinct MI300X OAM"} 40\ngpu_power_usage{gpu_uuid="AMD-9"} 600\n', 1, { host: null });
    expect(amd.samples[0]).toMatchObject({ gpuUuid: "AMD-9", host: "mi-1", utilizationRatio: 0.4, powerWatts: 600 });
  });
});
