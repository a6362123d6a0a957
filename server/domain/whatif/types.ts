import type { Precision } from "../gpu-model/catalog.ts";
import type { ModelSpec } from "../gpu-model/catalog-models.ts";
import type { LatencySlo } from "../gpu-model/frontier.ts";

/** One hour of one feature × provider × model, from the hourly rollups (money as decimal strings). */
export type HourlyTrafficRow = {
  hourStartMs: number;
  feature: string;
  provider: string | null;
  model: string | null;
  calls: number;
  inputTokens: number; // all input tokens, cached reads and cache writes included (OTel semantics)
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  costUsd: string /* decimal */;
  tasks: number;
  successfulTasks: number;
  isSelfHosted: boolean;
};

/** An API price in USD per 1M tokens (null cached/write rates → billed as input). Passed in by the caller. */
export type ApiPrice = {
  provider: string;
  model: string;
  inputUsdPerMTok: string;
  cachedInputUsdPerMTok: string | null;
  cacheWriteUsdPerMTok: string | null;
  outputUsdPerMTok: string;
};

/** Which traffic a scenario applies to; an omitted list matches everything. */
export type TrafficMatch = { features?: string[]; providers?: string[]; models?: string[]; selfHosted?: boolean };

/** 1 (and 4 with `overflow: "api"`): serve the matched traffic from a self-hosted pool of `model` on `gpuId`. */
export type SelfHostScenario = {
  kind: "self-host";
  match: TrafficMatch;
  gpuId: string;
  model: string | ModelSpec; // catalog id, or a user-defined model
  gpusPerReplica: number; // tensor-parallel degree
  precision: Precision;
  kvPrecision?: Precision;
  usdPerGpuHour: string;
  replicas: number | "auto"; // auto: enough for the peak hour at `targetUtilization` (or the hybrid baseline)
  slo?: LatencySlo; // operating point: the largest batch meeting it (default with auto sizing: TPOT ≤ 50 ms)
  batch?: number; // fixed operating batch instead of an SLO
  targetUtilization?: number; // 0..1, headroom for peaks inside an hour (default 0.8)
  monthlyOpsUsd?: string; // engineering / operations cost of running the pool
  overflow?: "api" | "none"; // hybrid: traffic above the pool's capacity stays on its current API (default none)
  baselinePercentile?: number; // hybrid + auto: size the pool for this percentile of hourly demand (default 80)
};

/** 2: quantize the self-hosted pools and/or move their operating point (batch or SLO). */
export type QuantizationScenario = { kind: "quantization"; precision?: Precision; kvPrecision?: Precision; batch?: number; slo?: LatencySlo };

/** 5: send `share` of the matched traffic to a cheaper model; `escalationRate` of those calls are redone on the original. */
export type CascadeScenario = { kind: "cascade"; match: TrafficMatch; share: number; target: { provider: string; model: string }; escalationRate: number };

/** 6: semantic cache answers `semanticHitRate` of calls outright; prompt caching turns `promptCacheHitRate` of uncached input into cached reads. */
export type CacheScenario = { kind: "cache"; match: TrafficMatch; semanticHitRate?: number; promptCacheHitRate?: number };

/** 7: trim `reductionPct` % of the input tokens of the matched traffic. */
export type TrimScenario = { kind: "trim-input"; match: TrafficMatch; reductionPct: number };

/**
 * 8: reprice the matched API traffic: either a price change of `changePct` % on its current price, or the price book
 * of `targetProvider` (same model id unless `modelMap` maps it) for the same token usage.
 */
export type RepriceScenario = { kind: "reprice"; match: TrafficMatch; changePct?: number; targetProvider?: string; modelMap?: Record<string, string> };

export type Scenario = SelfHostScenario | QuantizationScenario | CascadeScenario | CacheScenario | TrimScenario | RepriceScenario;

/** Totals of a period, actual or simulated. Money as decimal strings. */
export type PeriodTotals = {
  periodCostUsd: string;
  monthlyCostUsd: string; // period cost scaled to 730 hours
  calls: number;
  inputTokens: number;
  outputTokens: number;
  tasks: number;
  successfulTasks: number;
  costPerSuccessfulTaskUsd: string | null;
  ipd: number | null; // successful tasks per USD
  gpuCount: number; // self-hosted GPUs the scenario runs (0 for the actual period: pools are not in the rollups)
  gpuUtilization: number | null; // time-weighted mean over the scenario's pools
  latency: { ttftMs: number | null; tpotMs: number | null }; // self-hosted pools at their operating point (worst pool)
};

export type PoolResult = {
  gpuId: string;
  modelId: string;
  precision: Precision;
  kvPrecision: Precision | null;
  gpusPerReplica: number;
  replicas: number;
  gpuCount: number;
  usdPerGpuHour: string;
  batch: number;
  meetsSlo: boolean;
  ttftMs: number;
  tpotMs: number;
  replicaOutputTokensPerSecond: number;
  workload: { inputTokensPerCall: number; outputTokensPerCall: number };
  meanUtilization: number;
  peakUtilization: number;
  idleGpuHours: number;
  servedOutputTokens: number;
  overflowOutputTokens: number; // hybrid: sent to the API
  unservedOutputTokens: number; // over capacity with no overflow (latency would degrade)
  gpuCostUsd: string;
  opsCostUsd: string;
  overflowCostUsd: string;
  hourlyUtilization: number[]; // one value per hour of the period (may exceed 1 when saturated)
};

export type DestinationCost = { destination: string; kind: "api" | "self-hosted-actual" | "pool"; periodCostUsd: string; inputTokens: number; outputTokens: number };

export type WhatIfResult = {
  period: { startMs: number; endMs: number; hours: number };
  actual: PeriodTotals;
  scenario: PeriodTotals;
  delta: { monthlyUsd: string; pct: number | null };
  pools: PoolResult[];
  destinations: DestinationCost[];
  warnings: string[];
};
