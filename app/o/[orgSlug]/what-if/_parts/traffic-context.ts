import type { ApiPrice, HourlyTrafficRow, Scenario, TrafficMatch } from "~/server/domain/whatif/types.ts";

/** What the scenario editors offer as choices, derived once from the period's traffic and prices. */
export type TrafficChoices = {
  features: string[];
  apiProviders: string[];
  prices: readonly ApiPrice[];
  meanInputTokensPerCall: number;
  meanOutputTokensPerCall: number;
  poolUsdPerGpuHour: string | null;
};

export function trafficChoices(rows: readonly HourlyTrafficRow[], prices: readonly ApiPrice[], pools: readonly { usdPerGpuHour: string }[]): TrafficChoices {
  const features = new Set<string>();
  const providers = new Set<string>();
  let calls = 0;
  let input = 0;
  let output = 0;
  for (const r of rows) {
    if (r.calls > 0 && r.feature) features.add(r.feature);
    if (r.isSelfHosted) continue;
    if (r.provider) providers.add(r.provider);
    calls += r.calls;
    input += r.inputTokens;
    output += r.outputTokens;
  }
  return {
    features: [...features].sort(),
    apiProviders: [...providers].sort(),
    prices,
    meanInputTokensPerCall: calls > 0 ? Math.round(input / calls) : 1000,
    meanOutputTokensPerCall: calls > 0 ? Math.round(output / calls) : 250,
    poolUsdPerGpuHour: pools[0]?.usdPerGpuHour ?? null,
  };
}

export type ScenarioKindOption = { key: string; label: string };

/** The eight what-ifs of the builder (break-even is a chart of the self-host scenario, hybrid a self-host with overflow). */
export const SCENARIO_OPTIONS: ScenarioKindOption[] = [
  { key: "self-host", label: "Self-host a model on GPUs" },
  { key: "quantization", label: "Quantization / operating point" },
  { key: "hybrid", label: "Hybrid: self-host baseline, API overflow" },
  { key: "cascade", label: "Cascade to a cheaper model" },
  { key: "cache", label: "Caching (semantic / prompt cache)" },
  { key: "trim-input", label: "Prompt trimming" },
  { key: "reprice", label: "Price change / other provider" },
];

const API_TRAFFIC: TrafficMatch = { selfHosted: false };

export function defaultScenario(key: string, c: TrafficChoices): Scenario {
  const selfHost: Scenario = {
    kind: "self-host", match: { ...API_TRAFFIC }, gpuId: "h100-sxm", model: "llama-3.1-70b", gpusPerReplica: 2, precision: "fp8",
    usdPerGpuHour: c.poolUsdPerGpuHour ?? "2.49", replicas: "auto", slo: { tpotMs: 50 }, monthlyOpsUsd: "2000", targetUtilization: 0.8,
  };
  const cheapest = [...c.prices].sort((a, b) => Number(a.outputUsdPerMTok) - Number(b.outputUsdPerMTok))[0];
  switch (key) {
    case "self-host": return selfHost;
    case "hybrid": return { ...selfHost, overflow: "api", baselinePercentile: 80 };
    case "quantization": return { kind: "quantization", precision: "int4" };
    case "cascade": return { kind: "cascade", match: { ...API_TRAFFIC }, share: 0.5, escalationRate: 0.1, target: { provider: cheapest?.provider ?? "openai", model: cheapest?.model ?? "gpt-4o-mini" } };
    case "cache": return { kind: "cache", match: { ...API_TRAFFIC }, semanticHitRate: 0.1, promptCacheHitRate: 0.3 };
    case "trim-input": return { kind: "trim-input", match: { ...API_TRAFFIC }, reductionPct: 20 };
    default: return { kind: "reprice", match: { providers: c.apiProviders.slice(0, 1) }, changePct: -10 };
  }
}

export function scenarioTitle(s: Scenario): string {
  switch (s.kind) {
    case "self-host": return s.overflow === "api" ? "Hybrid: self-host baseline, API overflow" : "Self-host on GPUs";
    case "quantization": return "Quantization / operating point";
    case "cascade": return "Cascade to a cheaper model";
    case "cache": return "Caching";
    case "trim-input": return "Prompt trimming";
    case "reprice": return "Price change / other provider";
  }
}
