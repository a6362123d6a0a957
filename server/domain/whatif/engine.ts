import Decimal from "decimal.js";
import { DEFAULT_EFFICIENCY, type Efficiency } from "../gpu-model/efficiency.ts";
import type { ModelSpec } from "../gpu-model/catalog-models.ts";
import { planPool, type PoolDemand, type PoolPlan } from "./pool.ts";
import { findPrice, priceTokens, type TokenCounts } from "./pricing.ts";
import { matches, type TrafficGroup, type TrafficIndex } from "./traffic-index.ts";
import { groupCost, periodTotals, type Counts } from "./totals.ts";
import type { ApiPrice, DestinationCost, PoolResult, RepriceScenario, Scenario, SelfHostScenario, WhatIfResult } from "./types.ts";

export type WhatIfOptions = { prices: readonly ApiPrice[]; userModels?: readonly ModelSpec[]; efficiency?: Efficiency };

type Portion = { share: number; target: { provider: string; model: string } | null }; // null = the group's own destination
type GroupState = { g: TrafficGroup; callF: number; inputF: number; extraCached: number; portions: Portion[]; reprice: RepriceScenario | null; pool: number };

const HOURS_PER_MONTH = 730;

/** Token counts of a group after cache / trim modifiers, scaled by `share`. */
function modifiedTokens(s: GroupState, share: number): TokenCounts {
  const { g } = s;
  const f = s.callF * s.inputF * share;
  const uncached = Math.max(0, g.inputTokens - g.cachedInputTokens - g.cacheWriteTokens);
  return {
    inputTokens: g.inputTokens * f,
    cachedInputTokens: (g.cachedInputTokens + uncached * s.extraCached) * f,
    cacheWriteTokens: g.cacheWriteTokens * f,
    outputTokens: g.outputTokens * s.callF * share,
  };
}

/**
 * Replays a period's traffic under scenarios combined, in a fixed order whatever the list order: cache and trim
 * (demand), cascade (routing), reprice (prices), self-host / hybrid (the first matching self-host scenario captures
 * a group's traffic on its own destination), quantization (the pools' precision and operating point). API cost of
 * changed usage = actual cost + price(new tokens) − price(old tokens) when the caller passed the price (so an
 * unchanged group costs exactly its actual cost), else the actual cost scaled by input + 4 × output tokens.
 * Self-hosted pools cost replicas × GPUs × $/GPU-hour for every hour of the period (idle included) + prorated ops.
 * Task counts and success rates are assumed unchanged. Linear in groups × hours of the pooled traffic.
 */
export function runWhatIf(index: TrafficIndex, scenarios: readonly Scenario[], options: WhatIfOptions): WhatIfResult {
  const eff = options.efficiency ?? DEFAULT_EFFICIENCY;
  const warnings: string[] = [];
  if (index.droppedRows > 0) warnings.push(`${index.droppedRows} rows outside the period were ignored`);
  const states: GroupState[] = index.groups.map((g) => ({ g, callF: 1, inputF: 1, extraCached: 0, portions: [{ share: 1, target: null }], reprice: null, pool: -1 }));
  const quant = scenarios.filter((s) => s.kind === "quantization");
  const pools: SelfHostScenario[] = scenarios.filter((s) => s.kind === "self-host").map((s) => quant.reduce<SelfHostScenario>((acc, q) => ({
    ...acc, precision: q.precision ?? acc.precision, kvPrecision: q.kvPrecision ?? (q.precision ? undefined : acc.kvPrecision),
    ...(q.batch !== undefined ? { batch: q.batch, slo: undefined } : {}), ...(q.slo !== undefined ? { slo: q.slo, batch: undefined } : {}),
  }), s));
  if (quant.length > 0 && pools.length === 0) warnings.push("quantization applies to self-hosted pools: add a self-host scenario");
  for (const sc of scenarios) {
    for (const st of states) {
      if (sc.kind === "cache" && matches(st.g, sc.match)) {
        st.callF *= 1 - clamp01(sc.semanticHitRate ?? 0);
        st.extraCached = 1 - (1 - st.extraCached) * (1 - clamp01(sc.promptCacheHitRate ?? 0));
      } else if (sc.kind === "trim-input" && matches(st.g, sc.match)) st.inputF *= 1 - clamp01(sc.reductionPct / 100);
    }
  }
  for (const sc of scenarios) {
    if (sc.kind !== "cascade") continue;
    if (!findPrice(options.prices, sc.target.provider, sc.target.model)) throw new Error(`cascade target ${sc.target.provider}/${sc.target.model} has no price in the price list`);
    for (const st of states) {
      if (!matches(st.g, sc.match)) continue;
      const own = st.portions.filter((p) => p.target === null).reduce((a, p) => a + p.share, 0);
      const share = clamp01(sc.share);
      st.portions = [...st.portions.filter((p) => p.target !== null), { share: own * (1 - share + share * clamp01(sc.escalationRate)), target: null }, { share: own * share, target: sc.target }];
    }
  }
  for (const sc of scenarios) if (sc.kind === "reprice") for (const st of states) if (!st.g.isSelfHosted && matches(st.g, sc.match)) st.reprice = sc;
  for (const st of states) st.pool = pools.findIndex((p) => matches(st.g, p.match));

  let cost = new Decimal(0);
  const counts: Counts = { calls: 0, inputTokens: 0, outputTokens: 0, tasks: 0, successfulTasks: 0 };
  const dest = new Map<string, DestinationCost>();
  const addDest = (destination: string, kind: DestinationCost["kind"], usd: Decimal, t: TokenCounts): void => {
    const d = dest.get(destination) ?? { destination, kind, periodCostUsd: "0", inputTokens: 0, outputTokens: 0 };
    d.periodCostUsd = usd.plus(d.periodCostUsd).toString();
    d.inputTokens += t.inputTokens;
    d.outputTokens += t.outputTokens;
    dest.set(destination, d);
  };
  const demands: PoolDemand[] = pools.map(() => ({ hourlyCalls: new Float64Array(index.hours), hourlyInput: new Float64Array(index.hours), hourlyOutput: new Float64Array(index.hours) }));
  const pooled: { st: GroupState; share: number; ownCost: Decimal }[] = [];
  for (const st of states) {
    const { g } = st;
    counts.tasks += g.tasks;
    counts.successfulTasks += g.successfulTasks;
    let ownFull: Decimal | null = null;
    for (const p of st.portions) {
      const t = modifiedTokens(st, p.share);
      counts.calls += g.calls * st.callF * p.share;
      counts.inputTokens += t.inputTokens;
      counts.outputTokens += t.outputTokens;
      if (p.target !== null) {
        const usd = priceTokens(findPrice(options.prices, p.target.provider, p.target.model)!, t);
        cost = cost.plus(usd);
        addDest(`${p.target.provider}/${p.target.model} (cascade)`, "api", usd, t);
        continue;
      }
      ownFull ??= groupCost(st, options.prices, warnings);
      const own = p.share === 1 ? ownFull : ownFull.mul(p.share.toFixed(12));
      if (st.pool >= 0) {
        const d = demands[st.pool]!;
        const f = st.callF * p.share;
        for (let h = 0; h < index.hours; h++) {
          d.hourlyCalls[h]! += g.hourlyCalls[h]! * f;
          d.hourlyInput[h]! += g.hourlyInput[h]! * f * st.inputF;
          d.hourlyOutput[h]! += g.hourlyOutput[h]! * f;
        }
        pooled.push({ st, share: p.share, ownCost: own });
        continue;
      }
      cost = cost.plus(own);
      addDest(g.isSelfHosted ? `self-hosted ${g.model ?? "?"} (actual)` : `${g.provider ?? "?"}/${g.model ?? "?"}`, g.isSelfHosted ? "self-hosted-actual" : "api", own, t);
    }
  }
  const plans: PoolPlan[] = pools.map((p, i) => planPool(p, demands[i]!, index.hours, options.userModels ?? [], eff));
  const poolResults: PoolResult[] = plans.map((plan, i) => {
    const s = pools[i]!;
    const gpuCost = new Decimal(s.usdPerGpuHour).mul(plan.replicas * s.gpusPerReplica).mul(index.hours);
    // A pool sized to zero replicas does not exist: no GPUs and no operations cost.
    const opsCost = plan.replicas > 0 ? new Decimal(s.monthlyOpsUsd ?? "0").mul(index.hours).div(HOURS_PER_MONTH).toDecimalPlaces(6) : new Decimal(0);
    let overflowCost = new Decimal(0);
    if (s.overflow === "api") {
      for (const { st, ownCost } of pooled.filter((x) => x.st.pool === i)) {
        const usd = ownCost.mul(overflowShare(st.g, plan.servedFraction)).toDecimalPlaces(9);
        overflowCost = overflowCost.plus(usd);
        if (!usd.isZero()) addDest(`${st.g.provider ?? "?"}/${st.g.model ?? "?"} (overflow)`, "api", usd, { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0 });
      }
    }
    warnings.push(...plan.warnings);
    const total = gpuCost.plus(opsCost).plus(overflowCost);
    cost = cost.plus(total);
    addDest(`pool ${plan.modelId} on ${plan.replicas}×${s.gpusPerReplica} ${s.gpuId}`, "pool", gpuCost.plus(opsCost), { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: plan.servedOutputTokens });
    return {
      gpuId: s.gpuId, modelId: plan.modelId, precision: s.precision, kvPrecision: plan.workload.kvPrecision ?? null, gpusPerReplica: s.gpusPerReplica,
      replicas: plan.replicas, gpuCount: plan.replicas * s.gpusPerReplica, usdPerGpuHour: s.usdPerGpuHour,
      batch: plan.prediction.batch, meetsSlo: plan.meetsSlo, ttftMs: plan.prediction.ttftMs, tpotMs: plan.prediction.tpotMs,
      replicaOutputTokensPerSecond: plan.prediction.outputTokensPerSecond,
      workload: { inputTokensPerCall: plan.workload.inputTokens, outputTokensPerCall: plan.workload.outputTokens },
      meanUtilization: plan.meanUtilization, peakUtilization: plan.peakUtilization, idleGpuHours: plan.idleGpuHours,
      servedOutputTokens: plan.servedOutputTokens,
      overflowOutputTokens: s.overflow === "api" ? plan.excessOutputTokens : 0,
      unservedOutputTokens: s.overflow === "api" ? 0 : plan.excessOutputTokens,
      gpuCostUsd: gpuCost.toString(), opsCostUsd: opsCost.toString(), overflowCostUsd: overflowCost.toString(),
      hourlyUtilization: plan.hourlyUtilization,
    };
  });
  const actualCounts: Counts = index.groups.reduce<Counts>((a, g) => ({ calls: a.calls + g.calls, inputTokens: a.inputTokens + g.inputTokens, outputTokens: a.outputTokens + g.outputTokens, tasks: a.tasks + g.tasks, successfulTasks: a.successfulTasks + g.successfulTasks }), { calls: 0, inputTokens: 0, outputTokens: 0, tasks: 0, successfulTasks: 0 });
  const actual = periodTotals(index.actualCostUsd, actualCounts, index.hours, []);
  const scenario = periodTotals(cost, counts, index.hours, poolResults);
  const deltaMonthly = new Decimal(scenario.monthlyCostUsd).minus(actual.monthlyCostUsd);
  return {
    period: { startMs: index.startMs, endMs: index.endMs, hours: index.hours },
    actual, scenario,
    delta: { monthlyUsd: deltaMonthly.toString(), pct: new Decimal(actual.monthlyCostUsd).isZero() ? null : deltaMonthly.div(actual.monthlyCostUsd).mul(100).toNumber() },
    pools: poolResults,
    destinations: [...dest.values()],
    warnings: [...new Set(warnings)],
  };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** Share of a group's cost in the hours (weighted by its hourly cost, else output tokens) a pool did not serve. */
function overflowShare(g: TrafficGroup, served: Float64Array): Decimal {
  let num = new Decimal(0);
  let outShare = 0;
  for (let h = 0; h < served.length; h++) {
    const miss = 1 - served[h]!;
    if (miss <= 0) continue;
    const c = g.hourlyCostUsd[h];
    if (c) num = num.plus(c.mul(miss.toFixed(12)));
    outShare += g.hourlyOutput[h]! * miss;
  }
  if (!g.costUsd.isZero()) return num.div(g.costUsd);
  return new Decimal(g.outputTokens > 0 ? (outShare / g.outputTokens).toFixed(12) : 0);
}
