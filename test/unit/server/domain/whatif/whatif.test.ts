import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { findGpu, findModel } from "../../../../../server/domain/gpu-model/catalog.ts";
import { operatingPoint } from "../../../../../server/domain/gpu-model/frontier.ts";
import { blendedApiUsdPerMOutputTokens, breakEvenChart, indexTraffic, priceTokens, runWhatIf, type ApiPrice, type HourlyTrafficRow, type SelfHostScenario } from "../../../../../server/domain/whatif/index.ts";

const T0 = Date.UTC(2026, 0, 1);
const H = 3_600_000;
const HOURS = 48;
const period = { startMs: T0, endMs: T0 + HOURS * H };
const prices: ApiPrice[] = [
  { provider: "openai", model: "gpt-4o", inputUsdPerMTok: "2.50", cachedInputUsdPerMTok: "1.25", cacheWriteUsdPerMTok: null, outputUsdPerMTok: "10.00" },
  { provider: "openai", model: "gpt-4o-mini", inputUsdPerMTok: "0.15", cachedInputUsdPerMTok: "0.075", cacheWriteUsdPerMTok: null, outputUsdPerMTok: "0.60" },
  { provider: "anthropic", model: "claude-sonnet", inputUsdPerMTok: "3", cachedInputUsdPerMTok: "0.30", cacheWriteUsdPerMTok: "3.75", outputUsdPerMTok: "15" },
  { provider: "groq", model: "llama-3.3-70b", inputUsdPerMTok: "0.59", cachedInputUsdPerMTok: null, cacheWriteUsdPerMTok: null, outputUsdPerMTok: "0.79" },
];

/** chat: every hour 100 calls, 100k input (20k cached), 20k output = $0.425/h; summarize: first 24 h, 200k in / 5k out = $0.675/h. */
function traffic(): HourlyTrafficRow[] {
  const rows: HourlyTrafficRow[] = [];
  for (let h = 0; h < HOURS; h++) {
    rows.push({ hourStartMs: T0 + h * H, feature: "chat", provider: "openai", model: "gpt-4o", calls: 100, inputTokens: 100_000, cachedInputTokens: 20_000, cacheWriteTokens: 0, outputTokens: 20_000, costUsd: "0.425", tasks: 50, successfulTasks: 45, isSelfHosted: false });
    if (h < 24) rows.push({ hourStartMs: T0 + h * H, feature: "summarize", provider: "anthropic", model: "claude-sonnet", calls: 10, inputTokens: 200_000, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5_000, costUsd: "0.675", tasks: 10, successfulTasks: 9, isSelfHosted: false });
  }
  rows.push({ hourStartMs: T0 + HOURS * H, feature: "chat", provider: "openai", model: "gpt-4o", calls: 1, inputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1, costUsd: "9", tasks: 1, successfulTasks: 1, isSelfHosted: false });
  return rows;
}
const index = indexTraffic(traffic(), period);
const run = (scenarios: Parameters<typeof runWhatIf>[1]) => runWhatIf(index, scenarios, { prices });
const usd = (s: string): number => new Decimal(s).toNumber();

describe("what-if: traffic index and the actual period", () => {
  it("sums the period exactly and drops rows outside it", () => {
    expect(index.actualCostUsd.toString()).toBe("36.6");
    expect(index.droppedRows).toBe(1);
    const r = run([]);
    expect(r.actual.periodCostUsd).toBe("36.6");
    expect(r.scenario.periodCostUsd).toBe("36.6");
    expect(r.actual.monthlyCostUsd).toBe("556.625"); // 36.6 × 730 / 48
    expect(r.actual.successfulTasks).toBe(45 * 48 + 9 * 24);
    expect(r.actual.costPerSuccessfulTaskUsd).toBe(new Decimal("36.6").div(2376).toDecimalPlaces(9).toString());
    expect(r.actual.ipd).toBeCloseTo(2376 / 36.6, 9);
    expect(r.delta.monthlyUsd).toBe("0");
  });

  it("prices tokens: uncached input + cached + output per 1M", () => {
    expect(priceTokens(prices[0]!, { inputTokens: 100_000, cachedInputTokens: 20_000, cacheWriteTokens: 0, outputTokens: 20_000 }).toString()).toBe("0.425");
  });
});

describe("what-if scenarios, hand-checked", () => {
  it("7. trimming 50 % of summarize input: $0.375/h × 24", () => {
    expect(run([{ kind: "trim-input", match: { features: ["summarize"] }, reductionPct: 50 }]).scenario.periodCostUsd).toBe("29.4");
  });

  it("6. caching: 10 % semantic hits remove calls; 50 % prompt-cache hits move uncached input to the cached rate", () => {
    expect(run([{ kind: "cache", match: { features: ["chat"] }, semanticHitRate: 0.1 }]).scenario.periodCostUsd).toBe("34.56");
    const prompt = run([{ kind: "cache", match: { features: ["chat"] }, promptCacheHitRate: 0.5 }]);
    expect(prompt.scenario.periodCostUsd).toBe("34.2"); // chat: 40k·2.5 + 60k·1.25 + 20k·10 per 1M = $0.375/h
    expect(prompt.scenario.successfulTasks).toBe(2376);
  });

  it("5. cascade: 60 % to gpt-4o-mini, 10 % of those escalate back", () => {
    const r = run([{ kind: "cascade", match: { features: ["chat"] }, share: 0.6, target: { provider: "openai", model: "gpt-4o-mini" }, escalationRate: 0.1 }]);
    // gpt-4o keeps 40 % + 6 % = 46 % of $20.40; mini: 0.6 × (48k·0.15 + 12k·0.075 + 12k·0.6) per 1M × 48 h = $0.7344
    expect(r.scenario.periodCostUsd).toBe("26.3184");
    expect(r.scenario.calls).toBeCloseTo(100 * 48 * 1.06 + 240, 6);
    expect(r.destinations.find((d) => d.destination === "openai/gpt-4o-mini (cascade)")?.periodCostUsd).toBe("0.7344");
  });

  it("8. price change and another provider's price book", () => {
    expect(run([{ kind: "reprice", match: { providers: ["anthropic"] }, changePct: -20 }]).scenario.periodCostUsd).toBe("33.36");
    const groq = run([{ kind: "reprice", match: { features: ["summarize"] }, targetProvider: "groq", modelMap: { "claude-sonnet": "llama-3.3-70b" } }]);
    expect(groq.scenario.periodCostUsd).toBe("23.3268"); // 20.4 + 24 × (200k·0.59 + 5k·0.79) per 1M
    const missing = run([{ kind: "reprice", match: { features: ["summarize"] }, targetProvider: "nobody" }]);
    expect(missing.scenario.periodCostUsd).toBe("36.6");
    expect(missing.warnings.join()).toMatch(/no price for nobody/);
  });

  it("golden: prompt cache + trim + price change combined", () => {
    const r = run([
      { kind: "reprice", match: { providers: ["anthropic"] }, changePct: -20 },
      { kind: "trim-input", match: { features: ["summarize"] }, reductionPct: 50 },
      { kind: "cache", match: { features: ["chat"] }, promptCacheHitRate: 0.5 },
    ]);
    expect({ period: r.scenario.periodCostUsd, monthly: r.scenario.monthlyCostUsd, perTask: r.scenario.costPerSuccessfulTaskUsd, delta: r.delta.monthlyUsd, pct: r.delta.pct!.toFixed(4), ipd: r.scenario.ipd!.toFixed(4) }).toEqual({
      period: "25.2", // chat 18.0 + summarize 9.0 × 0.8
      monthly: "383.25",
      perTask: "0.010606061",
      delta: "-173.375", // 383.25 − 556.625
      pct: "-31.1475",
      ipd: "94.2857",
    });
  });
});

describe("what-if: self-hosting", () => {
  const selfHost: SelfHostScenario = { kind: "self-host", match: { features: ["chat"] }, gpuId: "h100-sxm", model: "llama-3.1-8b", gpusPerReplica: 1, precision: "fp8", usdPerGpuHour: "2.49", replicas: 1, monthlyOpsUsd: "730" };

  it("1. a fixed pool costs GPUs × $/h × every hour of the period (idle included) + prorated ops", () => {
    const r = run([selfHost]);
    const pool = r.pools[0]!;
    expect(pool.gpuCostUsd).toBe("119.52"); // 2.49 × 48
    expect(pool.opsCostUsd).toBe("48"); // 730 × 48 / 730
    expect(r.scenario.periodCostUsd).toBe(new Decimal("119.52").plus(48).plus("16.2").toString());
    expect(pool.workload).toEqual({ inputTokensPerCall: 1000, outputTokensPerCall: 200 });
    const capacity = pool.replicaOutputTokensPerSecond;
    expect(pool.meanUtilization).toBeCloseTo(20_000 / 3600 / capacity, 9);
    expect(pool.idleGpuHours).toBeCloseTo(48 * (1 - pool.meanUtilization), 6);
    expect(r.scenario.gpuCount).toBe(1);
    expect(r.scenario.latency.tpotMs).toBeCloseTo(pool.tpotMs, 9);
    expect(pool.unservedOutputTokens).toBe(0);
  });

  it("auto-sizing meets a latency SLO with the fewest replicas for the peak hour", () => {
    const big = indexTraffic(traffic().map((r) => (r.feature === "chat" ? { ...r, outputTokens: 150_000_000, calls: 500_000, inputTokens: 250_000_000, cachedInputTokens: 0 } : r)), period);
    const r = runWhatIf(big, [{ ...selfHost, replicas: "auto", slo: { tpotMs: 40 } }], { prices });
    const pool = r.pools[0]!;
    const op = operatingPoint({ gpu: findGpu("h100-sxm")!, model: findModel("llama-3.1-8b")!, gpus: 1, precision: "fp8", kvPrecision: "fp8", inputTokens: 500, outputTokens: 300 }, { tpotMs: 40 });
    expect(pool.tpotMs).toBeLessThanOrEqual(40);
    expect(pool.batch).toBe(op.prediction.batch);
    expect(pool.replicas).toBe(Math.ceil(150_000_000 / (op.prediction.outputTokensPerSecond * 3600 * 0.8)));
    expect(pool.peakUtilization).toBeLessThanOrEqual(0.8);
  });

  it("hybrid auto-sizing to a baseline hour with no demand gives no pool: no GPU or ops cost, all traffic stays on the API", () => {
    // summarize only runs in the first 24 of 48 hours: its p40 hour has no demand
    const r = run([{ ...selfHost, match: { features: ["summarize"] }, replicas: "auto", overflow: "api", baselinePercentile: 40 }]);
    const pool = r.pools[0]!;
    expect([pool.replicas, pool.gpuCostUsd, pool.opsCostUsd]).toEqual([0, "0", "0"]);
    expect(r.scenario.periodCostUsd).toBe("36.6"); // everything overflows at its actual cost
    expect(r.warnings.join()).toMatch(/no replicas/);
  });

  it("2. quantization fp16 → fp8 raises replica capacity and never needs more GPUs", () => {
    const big = indexTraffic(traffic().map((r) => (r.feature === "chat" ? { ...r, outputTokens: 50_000_000, calls: 200_000, inputTokens: 100_000_000, cachedInputTokens: 0 } : r)), period);
    const fp16 = runWhatIf(big, [{ ...selfHost, precision: "fp16", replicas: "auto" }], { prices });
    const fp8 = runWhatIf(big, [{ ...selfHost, precision: "fp16", replicas: "auto" }, { kind: "quantization", precision: "fp8" }], { prices });
    expect(fp8.pools[0]!.precision).toBe("fp8");
    expect(fp8.pools[0]!.replicaOutputTokensPerSecond).toBeGreaterThan(fp16.pools[0]!.replicaOutputTokensPerSecond);
    expect(fp8.scenario.gpuCount).toBeLessThanOrEqual(fp16.scenario.gpuCount);
    expect(run([{ kind: "quantization", precision: "int4" }]).warnings.join()).toMatch(/add a self-host scenario/);
  });

  it("4. hybrid: a fixed baseline pool overflows peaks to the API, billed at those hours' cost", () => {
    const peaky = indexTraffic(traffic().map((r) => (r.feature === "chat" && (r.hourStartMs - T0) / H < 4 ? { ...r, outputTokens: 400_000_000, calls: 2_000_000, inputTokens: 800_000_000, cachedInputTokens: 0, costUsd: "6000" } : r)), period);
    const r = runWhatIf(peaky, [{ ...selfHost, replicas: 1, overflow: "api", targetUtilization: 0.8 }], { prices });
    const pool = r.pools[0]!;
    expect(pool.overflowOutputTokens).toBeGreaterThan(0);
    expect(pool.unservedOutputTokens).toBe(0);
    const ceiling = pool.replicaOutputTokensPerSecond * 3600 * 0.8;
    expect(pool.overflowOutputTokens).toBeCloseTo(4 * (400_000_000 - ceiling), -2);
    // overflow $ = Σ over the 4 peak hours of (unserved share × that hour's $6000)
    expect(usd(pool.overflowCostUsd)).toBeCloseTo(4 * 6000 * (1 - ceiling / 400_000_000), 4);
    expect(r.scenario.periodCostUsd).toBe(new Decimal(pool.gpuCostUsd).plus(pool.opsCostUsd).plus(pool.overflowCostUsd).plus("16.2").toDecimalPlaces(9).toString());
    const noOverflow = runWhatIf(peaky, [{ ...selfHost, replicas: 1 }], { prices });
    expect(noOverflow.pools[0]!.unservedOutputTokens).toBeGreaterThan(0);
    expect(noOverflow.warnings.join()).toMatch(/saturated/);
  });

  it("unknown GPU or model is a clear error", () => {
    expect(() => run([{ ...selfHost, gpuId: "tpu-v9" }])).toThrow(/valid: .*h100-sxm/);
    expect(() => run([{ ...selfHost, model: "gpt-9" }])).toThrow(/valid: .*llama-3.1-8b/);
  });
});

describe("3. self-host vs API break-even chart", () => {
  it("blended API price of the traffic and the analytic break-even volume", () => {
    expect(blendedApiUsdPerMOutputTokens(index)).toBe(new Decimal("36.6").mul(1e6).div(48 * 20_000 + 24 * 5_000).toDecimalPlaces(6).toString());
    const chart = breakEvenChart({ apiUsdPerMOutputTokens: "10", replicaOutputTokensPerSecond: 1000, gpusPerReplica: 2, usdPerGpuHour: "2.5", monthlyOpsUsd: "500", targetUtilization: 0.5 }, 4000, 40);
    // one replica = 2 × 2.5 × 730 + 500 = $4,150 → 415M tokens at $10/M; capacity 1,314M/month so one replica suffices
    expect(chart.breakEvenMillionOutputTokensPerMonth).toBeCloseTo(415, 6);
    expect(chart.points).toHaveLength(41);
    expect(chart.points[40]).toEqual({ millionOutputTokensPerMonth: 4000, apiUsd: "40000", selfHostUsd: String(4 * 3650 + 500), replicas: 4 });
    expect(breakEvenChart({ apiUsdPerMOutputTokens: "0.1", replicaOutputTokensPerSecond: 1000, gpusPerReplica: 2, usdPerGpuHour: "2.5", monthlyOpsUsd: "500", targetUtilization: 0.5 }, 4000).breakEvenMillionOutputTokensPerMonth).toBeNull();
  });
});
