import { describe, expect, it } from "vitest";
import { decideDelivery, nextSlotMs } from "../../../../../server/domain/alerts/delivery-policy.ts";
import { evaluateBudget, evaluateIdleGpu, evaluatePromptCreep, evaluateWaste, likelyCauses, type FeatureWindow } from "../../../../../server/domain/alerts/evaluate.ts";
import { escapeMrkdwn, slackPayload } from "../../../../../server/domain/alerts/format.ts";
import { parseRuleConfig } from "../../../../../server/domain/alerts/rules.ts";
import { transitions } from "../../../../../server/domain/alerts/state.ts";
import type { PromptGrowth } from "../../../../../server/domain/costs/prompt-growth.ts";

const growth = (g: Partial<PromptGrowth>): PromptGrowth => ({
  feature: "code-review", promptName: "review", baselineInputTokens: 10_000, recentInputTokens: 14_000, growthRatio: 0.4, baselineSystemTokens: 3600,
  recentSystemTokens: 5200, recentCallsPerDay: 100, versionsBefore: ["v7"], versionsNow: ["v8"], monthlyImpactUsd: "36.00", series: [], ...g,
});

describe("alert rules", () => {
  it("config defaults and validation", () => {
    expect(parseRuleConfig("prompt_creep", {})).toEqual({ ok: true, value: expect.objectContaining({ threshold: 0.2, recentDays: 7, baselineDays: 28 }) });
    expect(parseRuleConfig("budget", {})).toMatchObject({ ok: false });
  });

  it("prompt creep fires above the threshold with old/new tokens, version change and $ impact; not on tiny volume", () => {
    const [f] = evaluatePromptCreep({ threshold: 0.2, minCallsPerDay: 5 }, [growth({})]);
    expect(f).toMatchObject({ dedupeKey: "prompt:code-review:review", monthlyImpactUsd: "36.00" });
    expect(f!.summary).toContain("10000 → 14000");
    expect(f!.summary).toContain("v7 → v8");
    expect(evaluatePromptCreep({ threshold: 0.5 }, [growth({})])).toEqual([]);
    expect(evaluatePromptCreep({ threshold: 0.2, minCallsPerDay: 500 }, [growth({})])).toEqual([]);
  });

  it("waste fires on retry/failed/idle share or on runaway loops", () => {
    // $10 retry waste and $5 failed overlap in $3 (failed attempts that were retried): $12 wasted on calls, once.
    const base = { scopeLabel: "Acme", days: 7, costUsd: "100", retryCostUsd: "10", failedCostUsd: "5", wastedCallCostUsd: "12", idleGpuCostUsd: "5", tasks: 1000, loopTasks: 0 };
    expect(evaluateWaste({ threshold: 0.15 }, base)[0]).toMatchObject({ monthlyImpactUsd: "72.86", evidence: expect.objectContaining({ wasteShare: 0.17 }) });
    expect(evaluateWaste({ threshold: 0.2 }, base)).toEqual([]);
    expect(evaluateWaste({ threshold: 0.25, maxLoopTaskShare: 0.05 }, { ...base, loopTasks: 80 })).toHaveLength(1);
    expect(evaluateWaste({ threshold: 0.01, minCostUsd: 1000 }, base)).toEqual([]);
  });

  it("budget: forecast from month-to-date and the recent run rate", () => {
    const now = Date.UTC(2026, 10, 20, 12);
    const days = Array.from({ length: 19 }, (_, i) => ({ day: new Date(Date.UTC(2026, 10, i + 1)).toISOString(), costUsd: "10" }));
    const [f] = evaluateBudget({ monthlyBudgetUsd: 300, forecastRatio: 0.8, actualRatio: 1 }, { nowMs: now, dailySpendUsd: days, scopeLabel: "Acme" });
    // MTD $190 + $10/day × 10.5 days left = $295 ≥ 80% of $300
    expect(f!.evidence).toMatchObject({ monthToDateUsd: "190.00", forecastUsd: "295.00" });
    expect(evaluateBudget({ monthlyBudgetUsd: 1000, forecastRatio: 0.8, actualRatio: 1 }, { nowMs: now, dailySpendUsd: days, scopeLabel: "Acme" })).toEqual([]);
  });

  it("idle GPU share per pool", () => {
    expect(evaluateIdleGpu({ threshold: 0.5 }, [{ name: "p", costUsd: "100", idleCostUsd: "60", days: 1 }])[0]).toMatchObject({ dedupeKey: "idle:p", monthlyImpactUsd: "1800.00" });
    expect(evaluateIdleGpu({ threshold: 0.5 }, [{ name: "p", costUsd: "100", idleCostUsd: "40", days: 1 }])).toEqual([]);
  });

  it("cost regression names the likely cause", () => {
    const w = (o: Partial<FeatureWindow>): FeatureWindow => ({ feature: "f", costUsd: "10", calls: 1000, successfulTasks: 900, inputTokens: 1_000_000, cachedInputTokens: 500_000, retryCalls: 10, days: 7, modelShares: { a: 1 }, ...o });
    expect(likelyCauses(w({ inputTokens: 1_500_000 }), w({}))[0]!.cause).toBe("prompt_growth");
    expect(likelyCauses(w({ modelShares: { a: 0.2, b: 0.8 } }), w({}))[0]!.cause).toBe("model_mix");
    expect(likelyCauses(w({ retryCalls: 300 }), w({}))[0]!.cause).toBe("retry_rate");
    expect(likelyCauses(w({ cachedInputTokens: 0 }), w({}))[0]!.cause).toBe("cache_hits");
  });
});

describe("event state and delivery policy", () => {
  const finding = (key: string) => ({ dedupeKey: key, title: key, summary: "", evidence: {}, monthlyImpactUsd: null });
  it("opens new subjects, updates open ones, resolves cleared ones, respects cooldown", () => {
    const now = 10_000_000;
    const t = transitions({ findings: [finding("a"), finding("b"), finding("c")], open: [{ id: "e1", dedupeKey: "a" }, { id: "e2", dedupeKey: "z" }], recentlyResolved: [{ dedupeKey: "c", resolvedAtMs: now - 60_000 }], cooldownMinutes: 60, nowMs: now });
    expect(t.map((x) => x.action === "open" ? `open:${x.finding.dedupeKey}` : `${x.action}:${x.eventId}`)).toEqual(["update:e1", "open:b", "resolve:e2"]);
  });

  it("2xx done; 429 honours Retry-After; 5xx backs off; 404/410 disable; 400 dead", () => {
    expect(decideDelivery({ status: 200, retryAfterHeader: null, attempts: 1, nowMs: 0, jitter: 0.5 })).toEqual({ action: "done" });
    expect(decideDelivery({ status: 429, retryAfterHeader: "7", attempts: 1, nowMs: 0, jitter: 0.5 })).toMatchObject({ action: "retry", atMs: 7000 });
    expect(decideDelivery({ status: 500, retryAfterHeader: null, attempts: 3, nowMs: 0, jitter: 1 })).toMatchObject({ action: "retry", atMs: 8000 });
    expect(decideDelivery({ status: null, retryAfterHeader: null, attempts: 8, nowMs: 0, jitter: 0 })).toMatchObject({ action: "dead" });
    expect(decideDelivery({ status: 410, retryAfterHeader: null, attempts: 1, nowMs: 0, jitter: 0 })).toMatchObject({ action: "disable" });
    expect(decideDelivery({ status: 400, retryAfterHeader: null, attempts: 1, nowMs: 0, jitter: 0 })).toMatchObject({ action: "dead" });
    expect(decideDelivery({ status: 302, retryAfterHeader: null, attempts: 1, nowMs: 0, jitter: 0 })).toMatchObject({ action: "disable", reason: "webhook redirected (302); redirects are not followed: use the final URL" });
    expect(decideDelivery({ status: null, retryAfterHeader: null, attempts: 1, nowMs: 0, jitter: 0, refused: true })).toEqual({ action: "disable", reason: "the channel's URL is not allowed" });
    expect(nextSlotMs(1000, 1500)).toBe(2000);
  });

  it("Slack payload: header, escaped mrkdwn, $ impact field, evidence link, text fallback, limits", () => {
    const p = slackPayload({ kind: "fired", severity: "warning", title: "T".repeat(200), summary: "a <b> & c", monthlyImpactUsd: "36", fields: Array.from({ length: 20 }, (_, i) => [`k${i}`, "v"] as [string, string]), evidenceUrl: "http://x/e", orgName: "Acme" });
    const blocks = p.blocks as { type: string; text?: { text: string }; fields?: unknown[]; elements?: { url?: string }[] }[];
    expect(blocks[0]!.text!.text.length).toBeLessThanOrEqual(150);
    expect(blocks[1]!.text!.text).toContain("a &lt;b&gt; &amp; c");
    expect(blocks[1]!.fields).toHaveLength(10);
    expect(blocks[2]!.elements![0]!.url).toBe("http://x/e");
    expect(p.text).toContain("+$36.00/month");
    expect(escapeMrkdwn("<@U1>")).toBe("&lt;@U1&gt;");
  });
});

describe("weekly digest", async () => {
  const { isoWeek, weeklyDigestPayload } = await import("../../../../../server/domain/alerts/digest.ts");
  it("ISO week keys (UTC)", () => {
    expect(isoWeek(Date.UTC(2026, 10, 23))).toBe("2026-W48");
    expect(isoWeek(Date.UTC(2025, 11, 29))).toBe("2026-W01");
    expect(isoWeek(Date.UTC(2026, 0, 4))).toBe("2026-W01");
    expect(isoWeek(Date.UTC(2027, 0, 1))).toBe("2026-W53");
  });
  it("spend and IPD vs the week before, top movers and open alerts, escaped", () => {
    const p = weeklyDigestPayload({ orgName: "Acme", weekLabel: "2026-W48", spendUsd: "120", previousSpendUsd: "100", ipd: 5, previousIpd: 4, costPerSuccessfulTaskUsd: "0.2", topMovers: [{ feature: "<bot>", deltaUsd: "20" }], openAlerts: [{ title: "Prompt creep", monthlyImpactUsd: "36" }], url: "http://x" });
    expect(p.text).toContain("spend $120.00 (+20%)");
    expect(JSON.stringify(p.blocks)).toContain("&lt;bot&gt;: +$20.00");
    expect(JSON.stringify(p.blocks)).toContain("Prompt creep ($36.00/month)");
  });
});
