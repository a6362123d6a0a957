import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketLabel, costBucketEdges } from "../../../../server/domain/costs/cost-distribution.ts";

describe("cost-per-task histogram edges", () => {
  it("follows a 1–2–5 series when the range is wide for the bucket budget", () => {
    expect(costBucketEdges({ minPositiveUsd: "0.0013", maxUsd: "0.04", hasZero: false, maxBuckets: 6 })).toEqual(["0.001", "0.002", "0.005", "0.01", "0.02"]);
    expect(costBucketEdges({ minPositiveUsd: "0.0031", maxUsd: "0.0031", hasZero: false, maxBuckets: 1 })).toEqual(["0.003"]);
    expect(costBucketEdges({ minPositiveUsd: "1", maxUsd: "12", hasZero: false, maxBuckets: 4 })).toEqual(["1", "2", "5", "10"]);
  });

  it("uses a finer round series for a narrow range", () => {
    expect(costBucketEdges({ minPositiveUsd: "0.011", maxUsd: "0.057", hasZero: false })).toEqual(["0.01", "0.012", "0.015", "0.02", "0.025", "0.03", "0.04", "0.05"]);
    expect(costBucketEdges({ minPositiveUsd: "0.0011", maxUsd: "0.35", hasZero: false, maxBuckets: 18 })).toEqual(
      ["0.001", "0.0015", "0.002", "0.003", "0.005", "0.007", "0.01", "0.015", "0.02", "0.03", "0.05", "0.07", "0.1", "0.15", "0.2", "0.3"],
    );
  });

  it("gives $0 tasks their own first bucket", () => {
    expect(costBucketEdges({ minPositiveUsd: "0.006", maxUsd: "0.03", hasZero: true, maxBuckets: 4 })).toEqual(["0", "0.005", "0.01", "0.02"]);
    expect(costBucketEdges({ minPositiveUsd: null, maxUsd: "0", hasZero: true })).toEqual(["0"]);
    expect(costBucketEdges({ minPositiveUsd: null, maxUsd: "0", hasZero: false })).toEqual([]);
  });

  it("every cost falls in exactly one bucket: at or above the first edge; at most maxBuckets, ascending", () => {
    const cost = fc.double({ min: 1e-9, max: 1e4, noNaN: true }).map((x) => new Decimal(x).toSignificantDigits(6));
    fc.assert(
      fc.property(fc.array(cost, { minLength: 1, maxLength: 20 }), fc.boolean(), fc.integer({ min: 2, max: 30 }), (costs, hasZero, maxBuckets) => {
        const sorted = [...costs].sort((a, b) => a.cmp(b));
        const edges = costBucketEdges({ minPositiveUsd: sorted[0]!.toFixed(), maxUsd: sorted.at(-1)!.toFixed(), hasZero, maxBuckets }).map((e) => new Decimal(e));
        expect(edges.length).toBeLessThanOrEqual(maxBuckets);
        for (let i = 1; i < edges.length; i++) expect(edges[i]!.gt(edges[i - 1]!)).toBe(true);
        for (const c of sorted) expect(c.gte(edges[0]!)).toBe(true);
        if (hasZero) expect(edges[0]!.isZero()).toBe(true);
        else expect(edges[0]!.gt(sorted[0]!.div(10))).toBe(true); // no empty decades below the cheapest task
      }),
    );
  });

  it("labels buckets in dollars, the last one open-ended", () => {
    const edges = ["0.001", "0.002", "0.005"];
    expect(bucketLabel(edges, 0)).toBe("$0.001–0.002");
    expect(bucketLabel(edges, 2)).toBe("≥ $0.005");
  });
});
