import type { PeriodTotals, WhatIfResult } from "~/server/domain/whatif/types.ts";

export type ActualGpus = { gpuCount: number; meanUtilization: number | null };

/**
 * The engine counts only the pools a scenario adds; the org's existing pools (sized from its pool definitions,
 * utilization from their telemetry) belong to the actual period, and to the scenario while traffic still runs on them.
 */
export function withExistingPools(r: WhatIfResult, existing: ActualGpus): WhatIfResult {
  if (existing.gpuCount === 0) return r;
  const merge = (t: PeriodTotals): PeriodTotals => {
    const gpuCount = t.gpuCount + existing.gpuCount;
    const candidates: [number | null, number][] = [[t.gpuUtilization, t.gpuCount], [existing.meanUtilization, existing.gpuCount]];
    const parts = candidates.filter((p): p is [number, number] => p[0] !== null && p[1] > 0);
    const weight = parts.reduce((a, [, n]) => a + n, 0);
    return { ...t, gpuCount, gpuUtilization: weight > 0 ? parts.reduce((a, [u, n]) => a + u * n, 0) / weight : null };
  };
  const keepsExisting = r.destinations.some((d) => d.kind === "self-hosted-actual");
  return { ...r, actual: merge(r.actual), scenario: keepsExisting ? merge(r.scenario) : r.scenario };
}
