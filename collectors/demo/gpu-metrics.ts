import type { Rng } from "./rng.ts";

export const DEMO_GPUS = [
  { uuid: "GPU-5f2c9a10-7d3e-4b8a-9c11-000000000001", gpu: "0", host: "gpu-node-1" },
  { uuid: "GPU-5f2c9a10-7d3e-4b8a-9c11-000000000002", gpu: "1", host: "gpu-node-1" },
] as const;

const GIB = 1024 ** 3;

/**
 * DCGM exporter metrics as the OpenTelemetry Collector's prometheus receiver forwards them (gauges named
 * DCGM_FI_*, labels UUID/gpu/Hostname/modelName), as an OTLP/JSON ExportMetricsServiceRequest.
 */
export function dcgmMetricsRequest(rng: Rng, timesMs: number[]): object {
  const gauge = (name: string, unit: string, value: (t: number, g: (typeof DEMO_GPUS)[number]) => number) => ({
    name,
    unit,
    gauge: {
      dataPoints: timesMs.flatMap((t) =>
        DEMO_GPUS.map((g) => ({
          timeUnixNano: String(BigInt(t) * 1_000_000n),
          asDouble: value(t, g),
          attributes: [
            { key: "UUID", value: { stringValue: g.uuid } },
            { key: "gpu", value: { stringValue: g.gpu } },
            { key: "Hostname", value: { stringValue: g.host } },
            { key: "modelName", value: { stringValue: "NVIDIA H100 80GB HBM3" } },
          ],
        })),
      ),
    },
  });
  const utilization = (t: number) => {
    const hour = new Date(t).getUTCHours();
    const base = hour >= 8 && hour <= 20 ? 0.62 : 0.07; // the pool idles at night: idle cost
    return Math.min(1, Math.max(0, base + (rng.next() - 0.5) * 0.2));
  };
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "dcgm-exporter" } }] },
        scopeMetrics: [
          {
            scope: { name: "otelcol/prometheusreceiver" },
            metrics: [
              gauge("DCGM_FI_PROF_GR_ENGINE_ACTIVE", "1", (t) => utilization(t)),
              gauge("DCGM_FI_DEV_FB_USED", "MiB", () => (60 + rng.next() * 10) * (GIB / 1024 ** 2)),
              gauge("DCGM_FI_DEV_POWER_USAGE", "W", (t) => 120 + utilization(t) * 500),
            ],
          },
        ],
      },
    ],
  };
}
