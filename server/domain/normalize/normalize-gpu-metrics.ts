import type { GpuSample } from "../ingest/types.ts";
import { GPU_METRICS, HOST_LABELS, KEPT_LABELS, MODEL_LABELS, UUID_LABELS, type GpuField } from "./gpu-metric-map.ts";
import type { Attributes, AttrValue, RawResourceMetrics } from "./raw-types.ts";

export type GpuPoint = { metric: string; labels: Attributes; resource: Attributes; timeUnixMs: number; value: number };

const text = (v: AttrValue | undefined): string | null => (typeof v === "string" && v.trim() ? v.trim() : typeof v === "number" ? String(v) : null);
const firstOf = (keys: readonly string[], ...sources: Attributes[]): string | null => {
  for (const s of sources) for (const k of keys) if (text(s[k])) return text(s[k]);
  return null;
};

/**
 * Groups GPU metric points into one sample per (GPU, timestamp), converting units (ratio, bytes, W, J).
 * Points without a GPU identity or of unknown metrics are ignored; when a GPU reports several utilization
 * metrics the best-ranked one wins.
 */
export function pointsToGpuSamples(points: GpuPoint[]): GpuSample[] {
  const samples = new Map<string, GpuSample & { ranks: Partial<Record<GpuField, number>> }>();
  for (const p of points) {
    const spec = GPU_METRICS[p.metric];
    if (!spec || !Number.isFinite(p.value)) continue;
    const host = firstOf(HOST_LABELS, p.labels, p.resource);
    const uuid = firstOf(UUID_LABELS, p.labels) ?? (host && text(p.labels.gpu) ? `${host}:gpu${text(p.labels.gpu)}` : null);
    if (!uuid) continue;
    const timeUnixMs = Math.round(p.timeUnixMs);
    const key = `${uuid}@${timeUnixMs}`;
    let sample = samples.get(key);
    if (!sample) {
      const labels: Record<string, string> = {};
      for (const k of KEPT_LABELS) {
        const v = text(p.labels[k]) ?? text(p.resource[k]) ?? text(p.resource[`k8s.${k}.name`]);
        if (v) labels[k] = v.slice(0, 200);
      }
      sample = {
        gpuUuid: uuid.slice(0, 200), host, gpuModelName: firstOf(MODEL_LABELS, p.labels, p.resource), timeUnixMs,
        utilizationRatio: null, memoryUsedBytes: null, powerWatts: null, energyJoulesTotal: null, labels, ranks: {},
      };
      samples.set(key, sample);
    }
    const previousRank = sample.ranks[spec.field];
    if (previousRank !== undefined && previousRank <= spec.rank) continue;
    sample.ranks[spec.field] = spec.rank;
    const value = p.value * spec.factor;
    if (spec.field === "utilization") sample.utilizationRatio = Math.min(1, Math.max(0, value));
    else if (spec.field === "memoryUsedBytes") sample.memoryUsedBytes = Math.max(0, value);
    else if (spec.field === "powerWatts") sample.powerWatts = Math.max(0, value);
    else sample.energyJoulesTotal = Math.max(0, value);
  }
  return [...samples.values()].map(({ ranks: _ranks, ...s }) => s);
}

/** OTLP metrics (e.g. forwarded by the OTel Collector's prometheus receiver, or hw.gpu.*) → GPU samples. */
export function normalizeGpuMetrics(resourceMetrics: RawResourceMetrics[]): GpuSample[] {
  const points: GpuPoint[] = [];
  for (const rm of resourceMetrics) {
    for (const m of rm.metrics) {
      if (!GPU_METRICS[m.name]) continue;
      for (const p of m.points) {
        points.push({ metric: m.name, labels: p.attributes, resource: rm.resource, timeUnixMs: Number(p.timeUnixNano / 1_000_000n), value: p.value });
      }
    }
  }
  return pointsToGpuSamples(points);
}

/** Cumulative counter delta with reset handling: a value below the previous one means the counter restarted. */
export function counterDelta(previous: number | null, next: number): number {
  if (previous === null || !Number.isFinite(previous)) return 0;
  return next >= previous ? next - previous : next;
}
