import { describe, expect, it } from "vitest";
import { withExistingPools } from "../../../../app/o/[orgSlug]/what-if/_parts/with-existing-pools.ts";
import type { PeriodTotals, WhatIfResult } from "../../../../server/domain/whatif/types.ts";

const totals = (gpuCount: number, gpuUtilization: number | null): PeriodTotals => ({
  periodCostUsd: "1", monthlyCostUsd: "1", calls: 1, inputTokens: 1, outputTokens: 1, tasks: 1, successfulTasks: 1, costPerSuccessfulTaskUsd: "1", ipd: 1,
  gpuCount, gpuUtilization, latency: { ttftMs: null, tpotMs: null },
});
const result = (scenario: PeriodTotals, existingTrafficLeft: boolean): WhatIfResult => ({
  period: { startMs: 0, endMs: 3_600_000, hours: 1 }, actual: totals(0, null), scenario, delta: { monthlyUsd: "0", pct: 0 }, pools: [], warnings: [],
  destinations: existingTrafficLeft ? [{ destination: "self-hosted x (actual)", kind: "self-hosted-actual", periodCostUsd: "1", inputTokens: 0, outputTokens: 0 }] : [],
});

describe("existing GPU pools in the what-if totals", () => {
  it("adds the org's pools to the actual period, and to the scenario while its traffic stays on them (GPU-weighted utilization)", () => {
    const r = withExistingPools(result(totals(2, 0.5), true), { gpuCount: 2, meanUtilization: 0.25 });
    expect([r.actual.gpuCount, r.actual.gpuUtilization]).toEqual([2, 0.25]);
    expect(r.scenario.gpuCount).toBe(4);
    expect(r.scenario.gpuUtilization).toBeCloseTo(0.375, 12);
  });

  it("leaves the scenario alone when a self-host scenario moved that traffic off the existing pools, and everything alone without pools", () => {
    const r = withExistingPools(result(totals(4, 0.6), false), { gpuCount: 2, meanUtilization: 0.25 });
    expect([r.scenario.gpuCount, r.scenario.gpuUtilization]).toEqual([4, 0.6]);
    const none = result(totals(0, null), false);
    expect(withExistingPools(none, { gpuCount: 0, meanUtilization: null })).toBe(none);
  });
});
