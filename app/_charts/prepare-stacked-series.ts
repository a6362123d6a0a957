/** Turns long rows (bucket × series) into recharts rows, keeping the top N series and folding the rest into "other". */
export type LongPoint = { bucket: string; series: string; value: number };
export type StackedChart = { rows: Record<string, number | string>[]; keys: string[]; colors: Record<string, string> };

const PALETTE = ["#1f5fbf", "#e07b00", "#2a9d5c", "#b83280", "#6b46c1", "#0f8b8d", "#c53030", "#718096"];
export const OTHER = "other";

export function prepareStackedSeries(points: LongPoint[], options: { topN: number; buckets?: string[] }): StackedChart {
  const totals = new Map<string, number>();
  for (const p of points) totals.set(p.series, (totals.get(p.series) ?? 0) + p.value);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([s]) => s);
  const kept = ranked.slice(0, options.topN);
  const keys = ranked.length > options.topN ? [...kept, OTHER] : kept;
  const byBucket = new Map<string, Record<string, number | string>>();
  for (const b of options.buckets ?? []) byBucket.set(b, { bucket: b });
  for (const p of points) {
    const row = byBucket.get(p.bucket) ?? { bucket: p.bucket };
    const key = kept.includes(p.series) ? p.series : OTHER;
    row[key] = ((row[key] as number | undefined) ?? 0) + p.value;
    byBucket.set(p.bucket, row);
  }
  const rows = [...byBucket.values()].sort((a, b) => String(a.bucket).localeCompare(String(b.bucket)));
  const colors = Object.fromEntries(keys.map((k, i) => [k, k === OTHER ? "#a0aec0" : PALETTE[i % PALETTE.length]!]));
  return { rows, keys, colors };
}

/** Every bucket start in [from, to): missing buckets render as gaps of zero spend, not as skipped days. */
export function bucketStarts(fromIso: string, toIso: string, bucket: "hour" | "day"): string[] {
  const step = bucket === "hour" ? 3_600_000 : 86_400_000;
  const out: string[] = [];
  let t = new Date(fromIso).getTime();
  if (bucket === "day") t = Date.UTC(new Date(t).getUTCFullYear(), new Date(t).getUTCMonth(), new Date(t).getUTCDate());
  for (; t < new Date(toIso).getTime(); t += step) out.push(new Date(t).toISOString());
  return out;
}

export function bucketLabel(iso: string, bucket: "hour" | "day"): string {
  const d = new Date(iso);
  return bucket === "hour" ? `${String(d.getUTCHours()).padStart(2, "0")}:00` : `${d.toLocaleString("en-US", { month: "short", timeZone: "UTC" })} ${d.getUTCDate()}`;
}
