import Decimal from "decimal.js";

// Round-number series per decade, finest first; the finest that fits in maxBuckets is used, so a narrow range
// ($0.01–0.06) still gets a readable shape and a wide one ($0.0001–$50) stays within the bucket budget.
const SERIES_BY_FINENESS = [
  [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8],
  [1, 1.5, 2, 3, 5, 7],
  [1, 2, 5],
];

/**
 * Bucket edges for a histogram of cost per task. Task costs span orders of magnitude (a cached lookup at $0.0002,
 * an agent run at $3), so the edges follow a 1–2–5 series per decade from the cheapest to the most expensive task —
 * every bar is readable, and the edges are round dollar amounts. Tasks that cost exactly $0 (all cache hits, or a
 * failure before any billed token) get their own first bucket starting at 0.
 * Returns ascending plain decimal strings; bucket i holds costs in [edges[i], edges[i+1]), the last one [edges[n-1], ∞).
 */
export function costBucketEdges({ minPositiveUsd, maxUsd, hasZero, maxBuckets = 24 }: { minPositiveUsd: string | null; maxUsd: string; hasZero: boolean; maxBuckets?: number }): string[] {
  let edges: Decimal[] = [];
  for (const series of SERIES_BY_FINENESS) {
    edges = [...(hasZero ? [new Decimal(0)] : []), ...(minPositiveUsd === null ? [] : seriesEdges(series, new Decimal(minPositiveUsd), new Decimal(maxUsd)))];
    if (edges.length <= maxBuckets) break;
  }
  return thin(edges, maxBuckets).map((e) => e.toFixed());
}

function seriesEdges(series: number[], low: Decimal, maxUsd: Decimal): Decimal[] {
  const max = Decimal.max(maxUsd, low);
  const value = (exponent: number, i: number) => new Decimal(series[i]!).mul(Decimal.pow(10, exponent));
  let exponent = Math.floor(Decimal.log10(low).toNumber());
  // Start at the largest series value ≤ the cheapest cost, so that cost lands in the first positive bucket.
  let start = 0;
  for (let i = 0; i < series.length; i++) if (value(exponent, i).lte(low)) start = i;
  const edges: Decimal[] = [];
  for (let i = start; ; i++) {
    if (i === series.length) { i = 0; exponent++; }
    const edge = value(exponent, i);
    if (edge.gt(max)) return edges;
    edges.push(edge);
  }
}

/** Too many buckets for a wide range: keep every k-th edge (the first always stays, so no cost falls below it). */
function thin(edges: Decimal[], maxBuckets: number): Decimal[] {
  if (edges.length <= maxBuckets) return edges;
  const step = Math.ceil(edges.length / maxBuckets);
  return edges.filter((_, i) => i % step === 0);
}

/** "$0.002–0.005"-style label of bucket i. */
export function bucketLabel(edges: string[], i: number): string {
  const lo = edges[i]!;
  const hi = edges[i + 1];
  return hi === undefined ? `≥ $${lo}` : `$${lo}–${hi}`;
}
