import Decimal from "decimal.js";

/** Daily p50 tokens per call for one feature × prompt name (from SQL percentile_cont). */
export type PromptDay = { day: string; feature: string; promptName: string; calls: number; p50InputTokens: number; p50SystemTokens: number | null; versions: string[] };

export type PromptGrowth = {
  feature: string;
  promptName: string;
  baselineInputTokens: number | null; // mean of daily p50s in the baseline window
  recentInputTokens: number | null;
  growthRatio: number | null; // 0.4 = +40%
  baselineSystemTokens: number | null;
  recentSystemTokens: number | null;
  recentCallsPerDay: number;
  versionsBefore: string[];
  versionsNow: string[];
  /** Δ input tokens/call × calls/month × input price; null when the price or a baseline is unknown. */
  monthlyImpactUsd: string | null;
  series: { day: string; p50InputTokens: number; p50SystemTokens: number | null }[];
};

const DAY_MS = 86_400_000;
const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/**
 * Prompt growth: recent window (the last 7 complete UTC days) vs baseline window (the 28 days before), per feature × prompt,
 * on daily median input (and system-prompt) tokens per call. $ impact uses the input price per 1M tokens of the
 * prompt's model, supplied by the caller (inputUsdPerMTok), for the recent call volume over 30 days.
 */
export function analyzePromptGrowth(
  days: PromptDay[],
  options: { nowMs: number; recentDays?: number; baselineDays?: number; inputUsdPerMTok: (feature: string, promptName: string) => string | null },
): PromptGrowth[] {
  const recentDays = options.recentDays ?? 7;
  const baselineDays = options.baselineDays ?? 28;
  // Whole UTC days only: today's partial median is noisy, and day buckets must not straddle a window edge.
  const today = Math.floor(options.nowMs / DAY_MS) * DAY_MS;
  const recentStart = today - recentDays * DAY_MS;
  const baselineStart = recentStart - baselineDays * DAY_MS;
  const groups = new Map<string, PromptDay[]>();
  for (const d of days) groups.set(`${d.feature}\u0000${d.promptName}`, [...(groups.get(`${d.feature}\u0000${d.promptName}`) ?? []), d]);
  const out: PromptGrowth[] = [];
  for (const rows of groups.values()) {
    rows.sort((a, b) => a.day.localeCompare(b.day));
    const t = (d: PromptDay) => new Date(d.day).getTime();
    const recent = rows.filter((d) => t(d) >= recentStart && t(d) < today);
    const baseline = rows.filter((d) => t(d) >= baselineStart && t(d) < recentStart);
    const baselineInput = mean(baseline.map((d) => d.p50InputTokens));
    const recentInput = mean(recent.map((d) => d.p50InputTokens));
    const sys = (xs: PromptDay[]) => mean(xs.flatMap((d) => (d.p50SystemTokens === null ? [] : [d.p50SystemTokens])));
    const recentCallsPerDay = recent.length ? recent.reduce((n, d) => n + d.calls, 0) / recentDays : 0;
    const growth = baselineInput && recentInput !== null ? (recentInput - baselineInput) / baselineInput : null;
    const price = options.inputUsdPerMTok(rows[0]!.feature, rows[0]!.promptName);
    const impact =
      price !== null && baselineInput !== null && recentInput !== null
        ? new Decimal(recentInput - baselineInput).mul(recentCallsPerDay * 30).mul(price).div(1_000_000).toFixed(2)
        : null;
    out.push({
      feature: rows[0]!.feature,
      promptName: rows[0]!.promptName,
      baselineInputTokens: baselineInput === null ? null : Math.round(baselineInput),
      recentInputTokens: recentInput === null ? null : Math.round(recentInput),
      growthRatio: growth === null ? null : Number(growth.toFixed(4)),
      baselineSystemTokens: sys(baseline) === null ? null : Math.round(sys(baseline)!),
      recentSystemTokens: sys(recent) === null ? null : Math.round(sys(recent)!),
      recentCallsPerDay: Math.round(recentCallsPerDay * 10) / 10,
      versionsBefore: [...new Set(baseline.flatMap((d) => d.versions))].sort(),
      versionsNow: [...new Set(recent.flatMap((d) => d.versions))].sort(),
      monthlyImpactUsd: impact,
      series: rows.map((d) => ({ day: d.day, p50InputTokens: d.p50InputTokens, p50SystemTokens: d.p50SystemTokens })),
    });
  }
  return out.sort((a, b) => Math.abs(Number(b.monthlyImpactUsd ?? 0)) - Math.abs(Number(a.monthlyImpactUsd ?? 0)) || (b.growthRatio ?? 0) - (a.growthRatio ?? 0));
}
