import { describe, expect, it } from "vitest";
import { findGpu, findModel } from "../../../../../server/domain/gpu-model/catalog.ts";
import { calibratePool, fitEfficiency, percentile, type PoolObservation } from "../../../../../server/domain/gpu-model/calibration.ts";
import { DEFAULT_EFFICIENCY, PRIOR_EFFICIENCY } from "../../../../../server/domain/gpu-model/efficiency.ts";
import { frontier, operatingPoint } from "../../../../../server/domain/gpu-model/frontier.ts";
import { predict, type Workload } from "../../../../../server/domain/gpu-model/model.ts";
import { breakEvenVolume, selfHostMonthlyUsd } from "../../../../../server/domain/gpu-model/break-even.ts";

const w: Workload = { gpu: findGpu("h100-sxm")!, model: findModel("llama-3.1-8b")!, gpus: 1, precision: "fp8", inputTokens: 1024, outputTokens: 256 };

describe("frontier and operating point", () => {
  it("frontier runs from batch 1 to max concurrency with rising throughput and TPOT", () => {
    const f = frontier(w);
    expect(f[0]!.batch).toBe(1);
    expect(f.at(-1)!.batch).toBe(predict(w).maxConcurrency);
    for (let i = 1; i < f.length; i++) {
      expect(f[i]!.outputTokensPerSecond).toBeGreaterThanOrEqual(f[i - 1]!.outputTokensPerSecond);
      expect(f[i]!.tpotMs).toBeGreaterThanOrEqual(f[i - 1]!.tpotMs);
    }
  });

  it("operating point is the largest batch meeting the SLO; a looser SLO never gives a smaller batch", () => {
    const tight = operatingPoint(w, { tpotMs: 20 });
    const loose = operatingPoint(w, { tpotMs: 60 });
    expect(tight.meetsSlo).toBe(true);
    expect(tight.prediction.tpotMs).toBeLessThanOrEqual(20);
    expect(predict({ ...w, concurrency: tight.prediction.batch + 1 }).tpotMs).toBeGreaterThan(20);
    expect(loose.prediction.batch).toBeGreaterThanOrEqual(tight.prediction.batch);
    expect(operatingPoint(w, { tpotMs: 0.1 }).meetsSlo).toBe(false);
  });
});

describe("calibration", () => {
  it("fitEfficiency recovers factors that reproduce synthetic measurements", () => {
    const truth = { ...DEFAULT_EFFICIENCY, computeLowPrecision: 0.4, bandwidth: 0.6 };
    const cases: Workload[] = [128, 512, 2048].flatMap((isl) => [128, 1024].flatMap((osl) => ["h100-sxm", "l40s", "h200"].map((g) => ({ ...w, gpu: findGpu(g)!, inputTokens: isl, outputTokens: osl }))));
    const ms = cases.map((workload) => ({ workload, measuredTokensPerSecond: predict(workload, truth).outputTokensPerSecond }));
    const fit = fitEfficiency(ms, { prior: PRIOR_EFFICIENCY, priorWeight: 0 });
    const errors = ms.map((m) => Math.abs(predict(m.workload, fit.efficiency).outputTokensPerSecond / m.measuredTokensPerSecond - 1) * 100);
    expect(percentile(errors, 50)).toBeLessThan(2);
  });

  it("calibratePool learns a pool running at 70 % of the modelled efficiency and shows predicted vs observed", () => {
    const slower = { ...DEFAULT_EFFICIENCY, computeFp16: DEFAULT_EFFICIENCY.computeFp16 * 0.7, computeLowPrecision: DEFAULT_EFFICIENCY.computeLowPrecision * 0.7, bandwidth: DEFAULT_EFFICIENCY.bandwidth * 0.7, interconnect: DEFAULT_EFFICIENCY.interconnect * 0.7 };
    const config = { gpu: w.gpu, model: w.model, gpus: 1, precision: "fp8" as const };
    const capacity = predict({ ...config, inputTokens: 1024, outputTokens: 256 }, slower).outputTokensPerSecond;
    const obs: PoolObservation[] = [0.2, 0.5, 0.8, 0.95, 0.01].map((u, i) => {
      const calls = (u * capacity * 3600) / 256; // each call: 1024 in, 256 out
      return { hourStartMs: i * 3_600_000, calls, inputTokens: calls * 1024, outputTokens: calls * 256, gpuUtilization: u };
    });
    const cal = calibratePool(config, 1, obs);
    expect(cal.usedHours).toBe(4);
    expect(cal.skippedHours).toBe(1);
    expect(cal.scale).toBeCloseTo(0.7, 1);
    expect(cal.medianAbsErrorPctAfter).toBeLessThan(cal.medianAbsErrorPctBefore);
    expect(cal.medianAbsErrorPctAfter).toBeLessThan(3);
    expect(cal.points).toHaveLength(4);
  });
});

describe("break-even (float helper used by the what-if page)", () => {
  const input = { apiUsdPerMillionOutput: 10, gpusPerReplica: 2, usdPerGpuHour: 2.5, replicaOutputTokensPerSecond: 1000, monthlyOpsUsd: 500, targetUtilization: 0.5 };
  it("one replica costs GPUs × $/h × 730 h + ops; volume adds replicas", () => {
    expect(selfHostMonthlyUsd(input, 100)).toEqual({ usd: 2 * 2.5 * 730 + 500, replicas: 1 });
    expect(selfHostMonthlyUsd(input, 1500).replicas).toBe(2);
  });
  it("break-even where the API bill reaches the pool's fixed cost ($4,150 / $10 per 1M = 415M tokens)", () => {
    expect(breakEvenVolume(input, 2000)).toBeCloseTo(415, -1);
    expect(breakEvenVolume({ ...input, apiUsdPerMillionOutput: 0.1 }, 2000)).toBeNull();
  });
});
