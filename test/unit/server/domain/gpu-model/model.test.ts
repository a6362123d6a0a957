import { describe, expect, it } from "vitest";
import { findGpu, findModel, GPUS, GpuSpecSchema, MODELS, ModelSpecSchema, defineModel, computePrecision } from "../../../../../server/domain/gpu-model/catalog.ts";
import { DEFAULT_EFFICIENCY, type Efficiency } from "../../../../../server/domain/gpu-model/efficiency.ts";
import { kvBytesPerToken, memoryPlan, predict, weightBytes, weightBytesRead, type Workload } from "../../../../../server/domain/gpu-model/model.ts";

const h100 = findGpu("h100-sxm")!;
const llama8 = findModel("llama-3.1-8b")!;
const llama70 = findModel("llama-3.1-70b")!;
const base: Workload = { gpu: h100, model: llama8, gpus: 1, precision: "fp8", inputTokens: 512, outputTokens: 256 };
/** Ideal hardware: full peaks, plain roofline max, no overhead. */
const IDEAL: Efficiency = { ...DEFAULT_EFFICIENCY, computeFp16: 1, computeLowPrecision: 1, bandwidth: 1, interconnect: 1, rooflineExponent: 200, iterationOverheadMs: 0 };

describe("catalogs", () => {
  it("are valid and cover the required ids", () => {
    for (const g of GPUS) GpuSpecSchema.parse(g);
    for (const m of MODELS) ModelSpecSchema.parse(m);
    for (const id of ["a10g", "l4", "l40s", "a100-40gb", "a100-80gb", "h100-sxm", "h100-pcie", "h200", "gh200", "b200", "mi300x", "rtx-4090"]) expect(findGpu(id), id).toBeDefined();
    for (const id of ["llama-3.1-8b", "llama-3.1-70b", "llama-3.3-70b", "llama-3.1-405b", "llama-2-70b", "mistral-7b", "mixtral-8x7b", "qwen3-235b-a22b"]) expect(findModel(id), id).toBeDefined();
  });

  it("user-defined models are validated and found after the built-ins", () => {
    const mine = defineModel({ ...llama8, id: "acme-8b-ft", name: "Acme 8B fine-tune" });
    expect(findModel("acme-8b-ft", [mine])).toBe(mine);
    expect(findModel("acme-8b-ft")).toBeUndefined();
    expect(() => defineModel({ ...llama8, id: "bad", kvHeads: 64 })).toThrow(/kvHeads/);
    expect(() => defineModel({ ...llama8, id: "Bad Id" })).toThrow();
  });

  it("FP8 runs on 8-bit tensor cores where they exist, weight-only on A100; INT4 is weight-only", () => {
    expect(computePrecision(h100, "fp8")).toBe("fp8");
    expect(computePrecision(findGpu("a100-80gb")!, "fp8")).toBe("fp16");
    expect(computePrecision(h100, "int4")).toBe("fp16");
    expect(computePrecision(findGpu("b200")!, "fp4")).toBe("fp4");
  });
});

describe("hand-checked physics", () => {
  it("KV bytes per token: Llama-3 8B FP16 = 2·32·8·128·2 = 128 KiB, 70B = 2·80·8·128·2 = 320 KiB, FP8 half", () => {
    expect(kvBytesPerToken(llama8, "fp16")).toBe(131_072);
    expect(kvBytesPerToken(llama70, "fp16")).toBe(327_680);
    expect(kvBytesPerToken(llama70, "fp8")).toBe(163_840);
  });

  it("weight bytes: 8B FP16 = 8.03e9 × 2; 70B FP8 = body at 1 B + 2 × 1.05e9 embedding/LM-head params at 2 B", () => {
    expect(weightBytes(llama8, "fp16")).toBeCloseTo(16.06e9, -6);
    const embed = 128_256 * 8192;
    expect(weightBytes(llama70, "fp8")).toBeCloseTo(70.55e9 - 2 * embed + 2 * embed * 2, -6);
    expect(weightBytes(llama70, "fp8") / 1e9).toBeCloseTo(72.65, 1);
  });

  it("bandwidth-bound decode at batch 1 (seed article): TPOT = weight bytes read / bandwidth", () => {
    const p = predict({ ...base, precision: "fp16", concurrency: 1, inputTokens: 1, outputTokens: 1 }, IDEAL);
    // LM head + body at FP16 (the input embedding table is not read): (8.03e9 − 0.525e9) × 2 B over 3.35 TB/s ≈ 4.48 ms
    const bytes = (8.03e9 - 128_256 * 4096) * 2;
    expect(p.tpotMs).toBeCloseTo((bytes / 3.35e12) * 1000, 1);
    expect(p.bound).toBe("bandwidth");
    // and twice the bandwidth halves it
    const fast = predict({ ...base, gpu: { ...h100, bandwidthGBs: 6700 }, precision: "fp16", concurrency: 1, inputTokens: 1, outputTokens: 1 }, IDEAL);
    expect(fast.tpotMs).toBeCloseTo(p.tpotMs / 2, 1);
  });

  it("compute-bound prefill (seed article): 70B on 989 TFLOPS ≈ 2·P·tokens / FLOPS, plus causal attention", () => {
    const w: Workload = { ...base, model: llama70, precision: "fp16", gpus: 2, inputTokens: 4096, outputTokens: 1, concurrency: 1 };
    const p = predict(w, IDEAL);
    const prefillMs = p.ttftMs - p.tpotMs;
    const gemmMs = ((2 * (70.55e9 - 2 * 128_256 * 8192) * 4096) / (2 * 989.5e12)) * 1000;
    expect(prefillMs).toBeGreaterThan(gemmMs);
    expect(prefillMs).toBeLessThan(gemmMs * 1.2);
  });

  it("KV capacity: free memory after weights and reserve over KV bytes per token; sequences = tokens / (ISL+OSL)", () => {
    const plan = memoryPlan(base, DEFAULT_EFFICIENCY);
    const free = (79.65 * 2 ** 30 - weightBytes(llama8, "fp8") - 3 * 2 ** 30) * 0.9;
    expect(plan.kvCapacityTokens).toBe(Math.floor(free / kvBytesPerToken(llama8, "fp8")));
    expect(plan.maxByKv).toBe(Math.floor(plan.kvCapacityTokens / 768));
  });

  it("MoE decode reads only the experts its tokens route to", () => {
    const mixtral = findModel("mixtral-8x7b")!;
    const one = weightBytesRead(mixtral, "fp8", 1);
    const many = weightBytesRead(mixtral, "fp8", 4096);
    expect(one).toBeLessThan(many * 0.4);
    expect(many).toBeCloseTo(weightBytes(mixtral, "fp8") - 32_000 * 4096 * 2, -7);
  });

  it("a model that does not fit reports it, with no throughput", () => {
    const p = predict({ ...base, gpu: findGpu("l4")!, model: llama70, precision: "fp16" });
    expect(p.fitsInMemory).toBe(false);
    expect(p.outputTokensPerSecond).toBe(0);
  });

  it("$ per 1M output tokens = GPUs × $/h ÷ tokens per hour", () => {
    const p = predict({ ...base, gpus: 2, model: llama70, usdPerGpuHour: 2.49 });
    expect(p.usdPerMillionOutputTokens!).toBeCloseTo(((2 * 2.49) / 3600 / p.outputTokensPerSecond) * 1e6, 9);
    expect(p.outputTokensPerSecondPerGpu).toBeCloseTo(p.outputTokensPerSecond / 2, 9);
  });

  it("concurrency above KV capacity is capped with a warning", () => {
    const p = predict({ ...base, model: llama70, gpus: 1, inputTokens: 8000, outputTokens: 2000, concurrency: 10_000 });
    expect(p.batch).toBe(memoryPlan({ ...base, model: llama70, gpus: 1, inputTokens: 8000, outputTokens: 2000 }).maxByKv);
    expect(p.warnings.join()).toMatch(/capped/);
  });
});

describe("monotonicity", () => {
  const workloads: Workload[] = [
    base,
    { ...base, model: llama70, gpus: 2, inputTokens: 2048, outputTokens: 128 },
    { ...base, gpu: findGpu("l40s")!, inputTokens: 128, outputTokens: 2048 },
    { ...base, model: findModel("mixtral-8x7b")!, concurrency: 16 },
  ];

  it("more memory bandwidth is never slower", () => {
    for (const w of workloads) {
      let previous = 0;
      for (const bw of [500, 1000, 2000, 3350, 4800, 8000]) {
        const t = predict({ ...w, gpu: { ...w.gpu, bandwidthGBs: bw } }).outputTokensPerSecond;
        expect(t).toBeGreaterThanOrEqual(previous);
        previous = t;
      }
    }
  });

  it("more FLOPS and a faster interconnect are never slower", () => {
    for (const w of workloads) {
      const slow = predict(w).outputTokensPerSecond;
      const tf = w.gpu.tflops;
      expect(predict({ ...w, gpu: { ...w.gpu, tflops: { ...tf, fp16: tf.fp16 * 2, bf16: tf.bf16 * 2, fp8: tf.fp8 && tf.fp8 * 2 } } }).outputTokensPerSecond).toBeGreaterThanOrEqual(slow);
      expect(predict({ ...w, gpu: { ...w.gpu, interconnect: { ...w.gpu.interconnect, perGpuGBs: w.gpu.interconnect.perGpuGBs * 4 } } }).outputTokensPerSecond).toBeGreaterThanOrEqual(slow);
    }
  });

  it("a larger batch never lowers throughput and never shortens time per token, up to the memory bound", () => {
    for (const w of workloads) {
      const max = predict({ ...w, concurrency: undefined }).maxConcurrency;
      let prev = predict({ ...w, concurrency: 1 });
      for (let b = 2; b <= max; b = Math.ceil(b * 1.5)) {
        const p = predict({ ...w, concurrency: b });
        expect(p.outputTokensPerSecond).toBeGreaterThanOrEqual(prev.outputTokensPerSecond);
        expect(p.tpotMs).toBeGreaterThanOrEqual(prev.tpotMs);
        prev = p;
      }
    }
  });

  it("quantizing weights or KV cache frees memory for more concurrent sequences", () => {
    const w = { ...base, model: llama70, gpus: 2 };
    expect(predict({ ...w, precision: "fp8" }).maxConcurrency).toBeGreaterThan(predict({ ...w, precision: "fp16" }).maxConcurrency);
    expect(predict({ ...w, precision: "int4", kvPrecision: "fp8" }).maxConcurrency).toBeGreaterThan(predict({ ...w, precision: "int4", kvPrecision: "fp16" }).maxConcurrency);
  });

  it("TP all-reduce: two GPUs give less than twice the one-GPU throughput at the same batch", () => {
    const one = predict({ ...base, concurrency: 64 });
    const two = predict({ ...base, gpus: 2, concurrency: 64 });
    expect(two.outputTokensPerSecond).toBeLessThan(2 * one.outputTokensPerSecond);
    expect(two.iterationMs.communication).toBeGreaterThan(0);
  });
});
