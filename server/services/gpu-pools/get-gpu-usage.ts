import Decimal from "decimal.js";
import { resolvePeriod, type PeriodPreset } from "../../domain/costs/period.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";

export type PoolUsage = {
  poolId: string;
  name: string;
  gpuType: string;
  gpuCount: number;
  usdPerGpuHour: string;
  costUsd: string;
  busyCostUsd: string;
  idleCostUsd: string;
  meanUtilization: number | null;
  outputTokens: number;
  calls: number;
  /** What the pool's output tokens actually cost, idle time included; null without output. */
  usdPerMillionOutputTokens: string | null;
  hours: { hour: string; utilization: number; costUsd: string; idleCostUsd: string; energyKwh: number | null }[];
  /** GPU energy from the energy counters (null: no counters); its cost only when the pool has a $/kWh. */
  energy: { kwh: number; hoursMeasured: number; costUsd: string | null } | null;
  /** How busy cost was split over calls: pool-hours by modelled GPU-seconds vs by tokens, and why tokens. */
  busyBasis: { gpuSecondsHours: number; tokenHours: number; fallbackReasons: string[] };
};

/** Per pool over the period: GPU-hour cost split into busy and idle, utilization by hour, $/M output tokens achieved. */
export async function getGpuUsage({ ctx, preset, nowMs }: { ctx: OrgContext; preset: PeriodPreset; nowMs: number }): Promise<PoolUsage[]> {
  requirePermission(ctx, "costs:read");
  const p = resolvePeriod(preset, nowMs);
  const [pools, hours] = await Promise.all([
    ctx.db.prisma.gpuPool.findMany({ where: { orgId: ctx.org.id }, orderBy: { name: "asc" } }),
    ctx.db.prisma.gpuPoolHour.findMany({ where: { orgId: ctx.org.id, hour: { gte: p.from, lt: p.to } }, orderBy: { hour: "asc" } }),
  ]);
  return pools.map((pool) => {
    const mine = hours.filter((h) => h.poolId === pool.id);
    const sum = (f: (h: (typeof mine)[number]) => Decimal.Value) => mine.reduce((acc, h) => acc.plus(f(h)), new Decimal(0));
    const cost = sum((h) => h.costUsd.toString());
    const outputTokens = mine.reduce((n, h) => n + Number(h.outputTokens), 0);
    return {
      poolId: pool.id,
      name: pool.name,
      gpuType: pool.gpuType,
      gpuCount: pool.gpuCount,
      usdPerGpuHour: pool.usdPerGpuHour.toString(),
      costUsd: cost.toFixed(12),
      busyCostUsd: sum((h) => h.busyCostUsd.toString()).toFixed(12),
      idleCostUsd: sum((h) => h.idleCostUsd.toString()).toFixed(12),
      meanUtilization: mine.length ? mine.reduce((n, h) => n + h.meanUtilization, 0) / mine.length : null,
      outputTokens,
      calls: mine.reduce((n, h) => n + Number(h.calls), 0),
      usdPerMillionOutputTokens: outputTokens > 0 ? cost.div(outputTokens).mul(1_000_000).toFixed(6) : null,
      hours: mine.map((h) => ({ hour: h.hour.toISOString(), utilization: h.meanUtilization, costUsd: h.costUsd.toFixed(12), idleCostUsd: h.idleCostUsd.toFixed(12), energyKwh: h.energyKwh })),
      energy: energyOf(mine),
      busyBasis: {
        gpuSecondsHours: mine.filter((h) => h.busyBasis === "gpu_seconds").length,
        tokenHours: mine.filter((h) => h.busyBasis === "tokens" && Number(h.calls) > 0).length,
        fallbackReasons: [...new Set(mine.map((h) => h.busyBasisNote).filter((n): n is string => n !== null))],
      },
    };
  });
}

function energyOf(hours: { energyKwh: number | null; energyCostUsd: { toString(): string } | null }[]): PoolUsage["energy"] {
  const measured = hours.filter((h) => h.energyKwh !== null);
  if (measured.length === 0) return null;
  const priced = measured.filter((h) => h.energyCostUsd !== null);
  return {
    kwh: measured.reduce((n, h) => n + h.energyKwh!, 0),
    hoursMeasured: measured.length,
    costUsd: priced.length ? priced.reduce((acc, h) => acc.plus(h.energyCostUsd!.toString()), new Decimal(0)).toFixed(12) : null,
  };
}
