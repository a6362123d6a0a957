import Decimal from "decimal.js";
import { wasteShare, type Summary } from "../../domain/costs/summary.ts";
import { resolvePeriod, type PeriodPreset } from "../../domain/costs/period.ts";
import type { OrgContext } from "../org-context.ts";
import { queryCosts, type CostRow } from "./query-costs.ts";

export type SeriesPoint = { bucket: string; feature: string; apiCostUsd: string; gpuCostUsd: string; idleGpuCostUsd: string; costUsd: string; successfulTasks: number };
export type Mover = { feature: string; costUsd: string; previousCostUsd: string; deltaUsd: string };

export type Overview = {
  period: { from: string; to: string; previousFrom: string; previousTo: string; bucket: "hour" | "day" };
  current: Summary & { wasteShare: number | null };
  previous: Summary & { wasteShare: number | null };
  series: SeriesPoint[];
  topMovers: Mover[];
  unpricedModels: { provider: string; model: string; calls: number }[];
};

/** Everything the Overview page shows, from rollups, in four queries run in parallel (no waterfall). */
export async function getOverview({ ctx, preset, nowMs }: { ctx: OrgContext; preset: PeriodPreset; nowMs: number }): Promise<Overview> {
  const p = resolvePeriod(preset, nowMs);
  const range = { from: p.from, to: p.to, filters: {} };
  const [current, previous, series, byModel] = await Promise.all([
    queryCosts({ ctx, query: { ...range, groupBy: ["feature"] } }),
    queryCosts({ ctx, query: { from: p.previousFrom, to: p.previousTo, groupBy: ["feature"], filters: {} } }),
    queryCosts({ ctx, query: { ...range, groupBy: [p.bucket, "feature"] } }),
    queryCosts({ ctx, query: { ...range, groupBy: ["provider", "model"] } }),
  ]);
  const previousByFeature = new Map(previous.rows.map((r) => [r.key.feature ?? "", r]));
  const features = new Set([...current.rows.map((r) => r.key.feature ?? ""), ...previousByFeature.keys()]);
  const currentByFeature = new Map(current.rows.map((r) => [r.key.feature ?? "", r]));
  const topMovers = [...features]
    .map((feature) => {
      const now = new Decimal(currentByFeature.get(feature)?.costUsd ?? 0);
      const before = new Decimal(previousByFeature.get(feature)?.costUsd ?? 0);
      return { feature, costUsd: now.toFixed(12), previousCostUsd: before.toFixed(12), deltaUsd: now.minus(before).toFixed(12) };
    })
    .sort((a, b) => new Decimal(b.deltaUsd).abs().cmp(new Decimal(a.deltaUsd).abs()))
    .slice(0, 5);
  return {
    period: { from: p.from.toISOString(), to: p.to.toISOString(), previousFrom: p.previousFrom.toISOString(), previousTo: p.previousTo.toISOString(), bucket: p.bucket },
    current: { ...current.totals, wasteShare: wasteShare(current.totals) },
    previous: { ...previous.totals, wasteShare: wasteShare(previous.totals) },
    series: series.rows.map((r: CostRow) => ({
      bucket: r.key[p.bucket] ?? "",
      feature: r.key.feature ?? "",
      apiCostUsd: r.apiCostUsd,
      gpuCostUsd: r.gpuCostUsd,
      idleGpuCostUsd: r.idleGpuCostUsd,
      costUsd: r.costUsd,
      successfulTasks: r.successfulTasks,
    })),
    topMovers,
    unpricedModels: byModel.rows
      .filter((r) => r.unpricedCalls > 0)
      .map((r) => ({ provider: r.key.provider ?? "", model: r.key.model ?? "", calls: r.unpricedCalls })),
  };
}
