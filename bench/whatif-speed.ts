/**
 * What-if engine speed: one scenario over 90 days of hourly traffic (target ≤ 20 ms).
 *   npx tsx bench/whatif-speed.ts [features=20] [runs=15]
 * Synthetic traffic: `features` features × 2 API models × 2,160 hours (diurnal curve, 1k–9k calls/h, deterministic PRNG).
 * indexTraffic (grouping + exact decimal sums, done once per period and reused) is timed separately from each
 * scenario run (runWhatIf against the index). Prints median and max per scenario over `runs` runs.
 */
import { indexTraffic, runWhatIf, type ApiPrice, type HourlyTrafficRow, type Scenario } from "../server/domain/whatif/index.ts";

const features = Number(process.argv[2] ?? 20);
const runs = Number(process.argv[3] ?? 15);
const HOURS = 90 * 24;
const T0 = Date.UTC(2026, 7, 1);
let seed = 42;
const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const prices: ApiPrice[] = [
  { provider: "openai", model: "gpt-4o", inputUsdPerMTok: "2.50", cachedInputUsdPerMTok: "1.25", cacheWriteUsdPerMTok: null, outputUsdPerMTok: "10.00" },
  { provider: "openai", model: "gpt-4o-mini", inputUsdPerMTok: "0.15", cachedInputUsdPerMTok: "0.075", cacheWriteUsdPerMTok: null, outputUsdPerMTok: "0.60" },
  { provider: "anthropic", model: "claude-sonnet", inputUsdPerMTok: "3", cachedInputUsdPerMTok: "0.30", cacheWriteUsdPerMTok: "3.75", outputUsdPerMTok: "15" },
  { provider: "groq", model: "gpt-4o", inputUsdPerMTok: "0.59", cachedInputUsdPerMTok: null, cacheWriteUsdPerMTok: null, outputUsdPerMTok: "0.79" },
];
const rows: HourlyTrafficRow[] = [];
for (let h = 0; h < HOURS; h++) {
  const diurnal = 0.3 + 0.7 * Math.max(0, Math.sin(((h % 24) / 24) * Math.PI * 2 - Math.PI / 2) + 0.5);
  for (let f = 0; f < features; f++) {
    for (const [provider, model] of [["openai", "gpt-4o"], ["anthropic", "claude-sonnet"]] as const) {
      const calls = Math.round(20 * (50 + 400 * diurnal * rand()));
      const inputTokens = calls * (800 + f * 50);
      const cachedInputTokens = Math.round(inputTokens * 0.2);
      const outputTokens = calls * (150 + f * 10);
      const p = prices.find((x) => x.model === model)!;
      const cost = ((inputTokens - cachedInputTokens) * Number(p.inputUsdPerMTok) + cachedInputTokens * Number(p.cachedInputUsdPerMTok) + outputTokens * Number(p.outputUsdPerMTok)) / 1e6;
      const tasks = Math.round(calls / 2);
      rows.push({ hourStartMs: T0 + h * 3_600_000, feature: `feature-${f}`, provider, model, calls, inputTokens, cachedInputTokens, cacheWriteTokens: 0, outputTokens, costUsd: cost.toFixed(8), tasks, successfulTasks: Math.round(tasks * 0.9), isSelfHosted: false });
    }
  }
}
const period = { startMs: T0, endMs: T0 + HOURS * 3_600_000 };
const selfHost: Scenario = { kind: "self-host", match: { features: ["feature-0", "feature-1", "feature-2"] }, gpuId: "h100-sxm", model: "llama-3.1-70b", gpusPerReplica: 2, precision: "fp8", usdPerGpuHour: "2.49", replicas: "auto", slo: { tpotMs: 50 }, monthlyOpsUsd: "5000" };
const scenarios: Record<string, Scenario[]> = {
  "1 self-host (auto, SLO)": [selfHost],
  "2 quantization fp8→int4 + SLO": [selfHost, { kind: "quantization", precision: "int4", slo: { tpotMs: 30 } }],
  "4 hybrid (p80 baseline + overflow)": [{ ...selfHost, overflow: "api" }],
  "5 cascade": [{ kind: "cascade", match: { providers: ["openai"] }, share: 0.6, target: { provider: "openai", model: "gpt-4o-mini" }, escalationRate: 0.1 }],
  "6 caching": [{ kind: "cache", match: {}, semanticHitRate: 0.1, promptCacheHitRate: 0.5 }],
  "7 prompt trimming": [{ kind: "trim-input", match: { features: ["feature-3"] }, reductionPct: 30 }],
  "8 reprice (other provider)": [{ kind: "reprice", match: { providers: ["openai"] }, targetProvider: "groq" }],
  "all combined": [
    { ...selfHost, overflow: "api" }, { kind: "quantization", precision: "int4" },
    { kind: "cascade", match: { providers: ["openai"] }, share: 0.6, target: { provider: "openai", model: "gpt-4o-mini" }, escalationRate: 0.1 },
    { kind: "cache", match: {}, semanticHitRate: 0.1, promptCacheHitRate: 0.5 }, { kind: "trim-input", match: { features: ["feature-3"] }, reductionPct: 30 },
    { kind: "reprice", match: { providers: ["anthropic"] }, changePct: -10 },
  ],
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
let t = performance.now();
const index = indexTraffic(rows, period);
const indexMs = performance.now() - t;
const results: Record<string, { medianMs: number; maxMs: number; monthlyUsd: string }> = {};
for (const [name, sc] of Object.entries(scenarios)) {
  runWhatIf(index, sc, { prices }); // warm-up
  const times: number[] = [];
  let monthly = "";
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    monthly = runWhatIf(index, sc, { prices }).scenario.monthlyCostUsd;
    times.push(performance.now() - t);
  }
  results[name] = { medianMs: +median(times).toFixed(2), maxMs: +Math.max(...times).toFixed(2), monthlyUsd: monthly };
}
console.log(JSON.stringify({ date: new Date().toISOString(), node: process.version, rows: rows.length, groups: index.groups.length, hours: index.hours, indexTrafficMs: +indexMs.toFixed(1), runs, scenarios: results }, null, 2));
