/** Dashboard periods: a preset ending now, compared with the period of equal length right before it. */
export const PERIOD_PRESETS = ["24h", "7d", "30d", "90d"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export type Period = { from: Date; to: Date; previousFrom: Date; previousTo: Date; bucket: "hour" | "day" };

const HOUR_MS = 3_600_000;
const LENGTH_MS: Record<PeriodPreset, number> = { "24h": 24 * HOUR_MS, "7d": 7 * 24 * HOUR_MS, "30d": 30 * 24 * HOUR_MS, "90d": 90 * 24 * HOUR_MS };

/** Ends at the next whole hour after `nowMs`, so the current hour is included and buckets align with rollups. */
export function resolvePeriod(preset: PeriodPreset, nowMs: number): Period {
  const to = Math.ceil((nowMs + 1) / HOUR_MS) * HOUR_MS;
  const length = LENGTH_MS[preset];
  return {
    from: new Date(to - length),
    to: new Date(to),
    previousFrom: new Date(to - 2 * length),
    previousTo: new Date(to - length),
    bucket: preset === "24h" ? "hour" : "day",
  };
}

export function isPeriodPreset(value: unknown): value is PeriodPreset {
  return typeof value === "string" && (PERIOD_PRESETS as readonly string[]).includes(value);
}

/** Relative change (0.25 = +25%); null when there is no baseline. */
export function relativeChange(current: number, previous: number): number | null {
  if (!Number.isFinite(current) || !Number.isFinite(previous) || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}
