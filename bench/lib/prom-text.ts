/** Cumulative histogram buckets read from Prometheus text: upper bound (seconds, Infinity last) → count. */
export type Buckets = { le: number; count: number }[];

/** The buckets of histogram `name` whose labels include every pair in `labels` (summed over the rest). */
export function histogramBuckets(text: string, name: string, labels: Record<string, string> = {}): Buckets {
  const byLe = new Map<number, number>();
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}_bucket{`)) continue;
    const close = line.lastIndexOf("}");
    const labelText = line.slice(name.length + 8, close);
    const pairs = new Map([...labelText.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    if (Object.entries(labels).some(([k, v]) => pairs.get(k) !== v)) continue;
    const le = pairs.get("le") === "+Inf" ? Infinity : Number(pairs.get("le"));
    byLe.set(le, (byLe.get(le) ?? 0) + Number(line.slice(close + 1).trim()));
  }
  return [...byLe].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/** What `later` counted since `earlier` (same histogram, two scrapes). */
export function bucketsSince(later: Buckets, earlier: Buckets | undefined): Buckets {
  const before = new Map((earlier ?? []).map((b) => [b.le, b.count]));
  return later.map((b) => ({ le: b.le, count: b.count - (before.get(b.le) ?? 0) }));
}

/**
 * The q-quantile in milliseconds, interpolated linearly inside its bucket (as PromQL's histogram_quantile does);
 * the last finite bound when it falls in +Inf; null with no observations.
 */
export function quantileMs(buckets: Buckets, q: number): number | null {
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let lowerLe = 0;
  let lowerCount = 0;
  for (const { le, count } of buckets) {
    if (count >= rank) {
      if (le === Infinity) return Math.round(lowerLe * 1000);
      const inBucket = count - lowerCount;
      const fraction = inBucket === 0 ? 1 : (rank - lowerCount) / inBucket;
      return Math.round((lowerLe + (le - lowerLe) * fraction) * 1000);
    }
    lowerLe = le;
    lowerCount = count;
  }
  return Math.round(lowerLe * 1000);
}

/** A gauge's value (first series matching `labels`), or null. */
export function gaugeValue(text: string, name: string): number | null {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : null;
}
