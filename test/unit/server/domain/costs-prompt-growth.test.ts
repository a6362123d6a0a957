import { describe, expect, it } from "vitest";
import { analyzePromptGrowth, type PromptDay } from "../../../../server/domain/costs/prompt-growth.ts";

const NOW = Date.UTC(2026, 10, 23);
const day = (daysAgo: number, p50: number, sys: number | null, version: string): PromptDay => ({
  day: new Date(NOW - daysAgo * 86_400_000).toISOString(), feature: "code-review", promptName: "review", calls: 100, p50InputTokens: p50, p50SystemTokens: sys, versions: [version],
});

describe("prompt growth", () => {
  it("compares the last 7 days with the 28 before and prices the growth per month", () => {
    const days = [...Array.from({ length: 28 }, (_, i) => day(35 - i, 10_000, 3600, "v7")), ...Array.from({ length: 7 }, (_, i) => day(7 - i, 14_000, 5200, "v8"))];
    const [g] = analyzePromptGrowth(days, { nowMs: NOW, inputUsdPerMTok: () => "3" });
    expect(g).toMatchObject({ baselineInputTokens: 10_000, recentInputTokens: 14_000, growthRatio: 0.4, baselineSystemTokens: 3600, recentSystemTokens: 5200, recentCallsPerDay: 100, versionsBefore: ["v7"], versionsNow: ["v8"] });
    // 4,000 more tokens × 100 calls/day × 30 days × $3 / 1M = $36.00 per month
    expect(g!.monthlyImpactUsd).toBe("36.00");
  });

  it("no baseline → no growth and no impact (never a made-up number)", () => {
    const [g] = analyzePromptGrowth([day(2, 5000, null, "v1")], { nowMs: NOW, inputUsdPerMTok: () => "3" });
    expect(g).toMatchObject({ growthRatio: null, monthlyImpactUsd: null, baselineInputTokens: null });
  });

  it("unknown price → growth shown, impact null", () => {
    const [g] = analyzePromptGrowth([day(20, 1000, null, "a"), day(2, 1500, null, "a")], { nowMs: NOW, inputUsdPerMTok: () => null });
    expect(g).toMatchObject({ growthRatio: 0.5, monthlyImpactUsd: null });
  });
});
