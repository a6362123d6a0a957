import { describe, expect, it } from "vitest";
import { main } from "../../../../../server/cli/main.ts";
import { findGpu, findModel, GPUS, GpuSpecSchema, MODELS, ModelSpecSchema } from "../../../../../server/domain/gpu-model/catalog.ts";
import { frontier, kvBytesPerToken, predict, weightBytes, type Workload } from "../../../../../server/domain/gpu-model/throughput.ts";

const h100 = findGpu("h100-sxm")!;
const llama8 = findModel("llama-3.1-8b")!;
const llama70 = findModel("llama-3.1-70b")!;
const base: Workload = { gpu: h100, model: llama8, gpus: 1, precision: "fp8", inputTokens: 512, outputTokens: 256 };

describe("GPU throughput model: hand-checked physics", () => {
  it("catalogs are valid and cover the required ids", () => {
    for (const g of GPUS) GpuSpecSchema.parse(g);
    for (const m of MODELS) ModelSpecSchema.parse(m);
    for (const id of ["a10g", "l4", "l40s", "a100-40gb", "a100-80gb", "h100-sxm", "h100-pcie", "h200", "gh200", "b200", "mi300x", "rtx-4090"]) expect(findGpu(id), id).toBeDefined();
    for (const id of ["llama-3.1-8b", "llama-3.1-70b", "llama-3.3-70b", "llama-3.1-405b", "llama-2-70b", "mistral-7b", "mixtral-8x7b", "qwen3-235b-a22b"]) expect(findModel(id), id).toBeDefined();
  });

  it("KV bytes per token: Llama-3 8B FP16 = 128 KiB, 70B FP16 = 320 KiB (FACTS §G.6)", () => {
    expect(kvBytesPerToken(llama8, "fp16")).toBe(131_072);
    expect(kvBytesPerToken(llama70, "fp16")).toBe(327_680);
    expect(kvBytesPerToken(llama70, "fp8")).toBe(163_840);
  });

  it("weights: 70B at FP16 is ~141 GB, at FP8 ~71 GB", () => {
    expect(weightBytes(llama70, "fp16") / 1e9).toBeCloseTo(141.2, 1);
    expect(weightBytes(llama70, "fp8") / 1e9).toBeCloseTo(70.6, 1);
  });

  it("seed article's bandwidth-bound decode: batch 1 time per token ≈ weight bytes / effective bandwidth", () => {
    const p = predict({ ...base, precision: "fp16", concurrency: 1, inputTokens: 1, outputTokens: 1 }, { compute: 0.5, bandwidth: 1, memoryReserveGB: 4, maxBatch: 2048 });
    // 16.06 GB of FP16 weights over 3.35 TB/s ≈ 4.8 ms per token at batch 1
    expect(p.tpotMs).toBeCloseTo(16.06 / 3350 * 1000, 1);
    expect(p.bound).toBe("bandwidth");
  });

  it("a model that does not fit leaves no KV room", () => {
    expect(predict({ ...base, gpu: findGpu("l4")!, model: llama70, precision: "fp16" }).fitsInMemory).toBe(false);
  });
});

describe("monotonicity", () => {
  it("more memory bandwidth is never slower", () => {
    let previous = 0;
    for (const bw of [1000, 2000, 3350, 4800, 8000]) {
      const t = predict({ ...base, gpu: { ...h100, bandwidthGBs: bw } }).outputTokensPerSecond;
      expect(t).toBeGreaterThanOrEqual(previous);
      previous = t;
    }
  });

  it("larger batches never lower throughput (until memory bounds them) and raise time per token", () => {
    const points = frontier(base);
    expect(points.length).toBeGreaterThan(3);
    for (let i = 1; i < points.length; i++) {
      expect(points[i]!.outputTokensPerSecond).toBeGreaterThanOrEqual(points[i - 1]!.outputTokensPerSecond);
      expect(points[i]!.tpotMs).toBeGreaterThanOrEqual(points[i - 1]!.tpotMs);
    }
  });

  it("quantization frees memory for more concurrent sequences", () => {
    expect(predict({ ...base, model: llama70, gpus: 2, precision: "fp8" }).maxConcurrency).toBeGreaterThan(predict({ ...base, model: llama70, gpus: 2, precision: "fp16" }).maxConcurrency);
  });

  it("$ per 1M output tokens = GPUs × $/h ÷ tokens per hour", () => {
    const p = predict({ ...base, usdPerGpuHour: 2.49 });
    expect(p.usdPerMillionOutputTokens!).toBeCloseTo((2.49 / 3600 / p.outputTokensPerSecond) * 1e6, 9);
  });
});

describe("inferledger simulate (CLI contract)", () => {
  const run = async (argv: string[]) => {
    let out = "";
    let err = "";
    const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  };

  it("prints one JSON object with the contract fields", async () => {
    const { code, out } = await run(["simulate", "--gpu", "h100-sxm", "--gpus", "2", "--model", "llama-3.1-70b", "--precision", "fp8", "--isl", "2048", "--osl", "128", "--gpu-hourly-usd", "2.49", "--json"]);
    expect(code).toBe(0);
    const json = JSON.parse(out) as Record<string, unknown>;
    for (const k of ["outputTokensPerSecond", "outputTokensPerSecondPerGpu", "maxConcurrency", "ttftMs", "tpotMs", "bound", "usdPerMillionOutputTokens"]) expect(json, k).toHaveProperty(k);
    expect(json.outputTokensPerSecond).toBe(Number(json.outputTokensPerSecondPerGpu) * 2);
  });

  it("unknown ids exit 2 listing the valid ones; --concurrency caps the batch", async () => {
    const bad = await run(["simulate", "--gpu", "h999", "--model", "llama-3.1-8b", "--isl", "1", "--osl", "1"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("h100-sxm");
    const badModel = await run(["simulate", "--gpu", "l4", "--model", "gpt-9", "--isl", "1", "--osl", "1"]);
    expect(badModel).toMatchObject({ code: 2 });
    expect(badModel.err).toContain("mixtral-8x7b");
    const c = JSON.parse((await run(["simulate", "--gpu", "l4", "--model", "llama-3.1-8b", "--precision", "fp8", "--isl", "256", "--osl", "64", "--concurrency", "4", "--json"])).out) as { batch: number };
    expect(c.batch).toBe(4);
  });
});

describe("self-host vs API break-even", async () => {
  const { breakEvenVolume, selfHostMonthlyUsd } = await import("../../../../../server/domain/gpu-model/break-even.ts");
  const input = { apiUsdPerMillionOutput: 10, gpusPerReplica: 2, usdPerGpuHour: 2.5, replicaOutputTokensPerSecond: 1000, monthlyOpsUsd: 500, targetUtilization: 0.5 };
  it("one replica costs GPUs × $/h × 730 h + ops; capacity adds replicas", () => {
    expect(selfHostMonthlyUsd(input, 100)).toEqual({ usd: 2 * 2.5 * 730 + 500, replicas: 1 });
    // one replica serves 1000 tok/s × 50% × 3600 × 730 = 1,314M tokens a month
    expect(selfHostMonthlyUsd(input, 1500).replicas).toBe(2);
  });
  it("break-even where the API bill reaches the pool's fixed cost ($4,150 / $10 per 1M = 415M tokens)", () => {
    expect(breakEvenVolume(input, 2000)).toBeCloseTo(415, -1);
    expect(breakEvenVolume({ ...input, apiUsdPerMillionOutput: 0.1 }, 2000)).toBeNull();
  });
});
