import type { GpuSample } from "../ingest/types.ts";
import { GPU_METRICS } from "./gpu-metric-map.ts";
import { pointsToGpuSamples, type GpuPoint } from "./normalize-gpu-metrics.ts";
import type { Attributes } from "./raw-types.ts";

export type PromSample = { name: string; labels: Record<string, string>; value: number; timestampMs: number | null };

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+(-?\d+))?\s*$/;

/** Label set body `a="x",b="y\"z"` → record, honouring the exposition format's escapes (\\, \", \n). */
function parseLabels(body: string): Record<string, string> | null {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    while (body[i] === " " || body[i] === ",") i++;
    if (i >= body.length) break;
    const eq = body.indexOf("=", i);
    if (eq < 0 || body[eq + 1] !== '"') return null;
    const key = body.slice(i, eq).trim();
    let value = "";
    let j = eq + 2;
    for (; j < body.length && body[j] !== '"'; j++) {
      if (body[j] === "\\" && j + 1 < body.length) {
        j++;
        value += body[j] === "n" ? "\n" : body[j];
      } else {
        value += body[j];
      }
    }
    if (j >= body.length) return null;
    labels[key] = value;
    i = j + 1;
  }
  return labels;
}

/**
 * Prometheus text exposition format → samples; comments, blank and malformed lines are skipped (and counted).
 * NUL becomes U+FFFD: PostgreSQL text cannot hold it, and one in a label would fail the whole scrape's insert.
 */
export function parsePrometheusText(text: string): { samples: PromSample[]; skippedLines: number } {
  const samples: PromSample[] = [];
  let skippedLines = 0;
  const storable = text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text;
  for (const raw of storable.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = LINE.exec(line);
    const labels = m?.[3] !== undefined ? parseLabels(m[3]) : {};
    const value = m ? Number(m[4]) : NaN;
    if (!m || !labels || Number.isNaN(value)) {
      skippedLines++;
      continue;
    }
    samples.push({ name: m[1]!, labels, value, timestampMs: m[6] !== undefined ? Number(m[6]) : null });
  }
  return { samples, skippedLines };
}

/**
 * GPU samples from a scrape of dcgm-exporter, AMD device-metrics-exporter or nvidia_gpu_exporter: the same metric
 * map and grouping as OTLP metrics. Samples without their own timestamp take the scrape time.
 */
export function gpuSamplesFromScrape(text: string, scrapeTimeMs: number, target: { host: string | null }): { samples: GpuSample[]; skippedLines: number } {
  const parsed = parsePrometheusText(text);
  const resource: Attributes = target.host ? { "host.name": target.host } : {};
  const points: GpuPoint[] = parsed.samples
    .filter((s) => GPU_METRICS[s.name])
    .map((s) => ({ metric: s.name, labels: s.labels, resource, timeUnixMs: s.timestampMs ?? scrapeTimeMs, value: s.value }));
  return { samples: pointsToGpuSamples(points), skippedLines: parsed.skippedLines };
}
