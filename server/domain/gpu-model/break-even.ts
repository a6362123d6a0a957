/**
 * Self-host vs API break-even on output volume: the API costs `apiUsdPerMillionOutput` per 1M output tokens (blended
 * with the input tokens that come with them); a self-hosted pool costs GPUs × $/h × 730 h + ops per month for every
 * replica needed to serve the volume at `targetUtilization` of its modelled throughput.
 */
export type BreakEvenInput = {
  apiUsdPerMillionOutput: number;
  gpusPerReplica: number;
  usdPerGpuHour: number;
  replicaOutputTokensPerSecond: number;
  monthlyOpsUsd: number;
  targetUtilization: number; // 0..1: traffic is not flat, so a replica cannot run at its offline maximum all month
};

export type BreakEvenPoint = { millionOutputTokensPerMonth: number; apiUsd: number; selfHostUsd: number; replicas: number };

const HOURS_PER_MONTH = 730;

/** Monthly USD of a self-hosted pool serving `millionOutputTokens` a month (float helper for the what-if page). */
export function selfHostMonthlyUsd(input: BreakEvenInput, millionOutputTokens: number): { usd: number; replicas: number } {
  const capacityM = (input.replicaOutputTokensPerSecond * input.targetUtilization * 3600 * HOURS_PER_MONTH) / 1e6;
  const replicas = Math.max(1, Math.ceil(millionOutputTokens / Math.max(capacityM, 1e-9)));
  return { usd: replicas * input.gpusPerReplica * input.usdPerGpuHour * HOURS_PER_MONTH + input.monthlyOpsUsd, replicas };
}

/** API vs self-host monthly USD at `points`+1 evenly spaced volumes up to the maximum (million output tokens/month). */
export function breakEvenCurve(input: BreakEvenInput, maxMillionOutputTokens: number, points = 40): BreakEvenPoint[] {
  return Array.from({ length: points + 1 }, (_, i) => {
    const volume = (maxMillionOutputTokens * i) / points;
    const self = selfHostMonthlyUsd(input, volume);
    return { millionOutputTokensPerMonth: volume, apiUsd: volume * input.apiUsdPerMillionOutput, selfHostUsd: self.usd, replicas: self.replicas };
  });
}

/** Smallest monthly volume (million output tokens) from which self-hosting is cheaper; null if never within range. */
export function breakEvenVolume(input: BreakEvenInput, maxMillionOutputTokens: number): number | null {
  const curve = breakEvenCurve(input, maxMillionOutputTokens, 400);
  return curve.find((p) => p.millionOutputTokensPerMonth > 0 && p.selfHostUsd <= p.apiUsd)?.millionOutputTokensPerMonth ?? null;
}
