import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { attributeBusyGpuCost, splitExactly } from "../../../../../server/domain/costs/busy-gpu-cost.ts";
import { catalogModelFor, estimateGpuSeconds, replicaLayout } from "../../../../../server/domain/gpu-model/call-gpu-seconds.ts";
import { findModel } from "../../../../../server/domain/gpu-model/catalog.ts";
import { DEFAULT_EFFICIENCY, type Efficiency } from "../../../../../server/domain/gpu-model/efficiency.ts";

// Plain roofline (max of compute and memory), peak FLOPS and bandwidth, no overhead: the terms can be written out.
const PLAIN: Efficiency = { ...DEFAULT_EFFICIENCY, computeFp16: 1, computeLowPrecision: 1, bandwidth: 1, rooflineExponent: 1000, iterationOverheadMs: 0 };
const call = (o: Partial<{ model: string; input: number; cacheRead: number; output: number; durationMs: number }>) => ({
  model: o.model ?? "llama-3.1-8b", requestModel: null, inputTokens: o.input ?? 1000, cacheReadTokens: o.cacheRead ?? 0, outputTokens: o.output ?? 100, durationMs: o.durationMs ?? 1000,
});

describe("estimateGpuSeconds (throughput model per call)", () => {
  it("is prefill + decode time × GPUs, checked term by term for Llama 3.1 8B on one H100 (bf16)", () => {
    // Llama 3.1 8B: 8.03e9 params, 32 layers, hidden 4096, 32 heads, 8 KV heads, head dim 128, vocab 128256, untied.
    // H100 SXM: 989.5 TFLOPS (bf16), 3350 GB/s.
    const F = 989.5e12, BW = 3350e9;
    const embed = 128256 * 4096 * 2; // input embedding + LM head = 1,050,673,152
    const body = 8.03e9 - embed; // 6,979,326,848 non-embedding params
    const weightBytesRead = body * 2 + 128256 * 4096 * 2; // 15,009,326,848 B read per forward pass
    const kvPerToken = 2 * 32 * 8 * 128 * 2; // 131,072 B
    const attnPerTokenCtx = 4 * 32 * 32 * 128; // 524,288 FLOPs per query token per context token
    // Prefill of 1000 tokens: GEMMs compute-bound (13.96 TFLOP / 989.5 TFLOPS = 14.11 ms > 4.48 ms of weight reads),
    // causal attention 1000²/2 × 524,288 FLOPs, plus writing 1000 tokens of KV.
    const prefillS = Math.max((2 * body * 1000 + 2 * 128256 * 4096) / F, weightBytesRead / BW) + (1000 * kvPerToken) / BW + (attnPerTokenCtx * 1000 * 1000) / 2 / F;
    // 100 decode steps alone (batch 1) at mean context 1000 + 101/2: GEMMs memory-bound (all weights once per step),
    // attention reads the context's KV and writes one token.
    const ctx = 1000 + 101 / 2;
    const stepS = Math.max((2 * body + 2 * 128256 * 4096) / F, weightBytesRead / BW) + Math.max((ctx * kvPerToken + kvPerToken) / BW, (attnPerTokenCtx * ctx) / F);
    expect(prefillS * 1000).toBeCloseTo(14.412, 2); // ≈ 14.11 + 0.04 + 0.26 ms
    expect(stepS * 1000).toBeCloseTo(4.522, 2); // ≈ 4.48 + 0.04 ms
    // 1000 call-seconds in the hour on a 1-GPU pool: mean concurrency 1000/3600 → batch 1.
    const r = estimateGpuSeconds({ gpuType: "h100-sxm", gpuCount: 1 }, [call({})], { efficiency: PLAIN });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.replicas).toEqual([{ modelId: "llama-3.1-8b", tp: 1, precision: "bf16", replicas: 1, batch: 1 }]);
    expect(r.gpuSeconds[0]).toBeCloseTo(prefillS + 100 * stepS, 9); // ≈ 0.4666 GPU-seconds
  });

  it("skips prefill for prefix-cache reads and shares decode steps with the batch in flight", () => {
    const one = estimateGpuSeconds({ gpuType: "h100-sxm", gpuCount: 1 }, [call({ cacheRead: 1000 })], { efficiency: PLAIN });
    // 3600 × 8 call-seconds in the hour = 8 sequences in flight: every decode step is shared by 8.
    const busy = estimateGpuSeconds({ gpuType: "h100-sxm", gpuCount: 1 }, [call({ cacheRead: 1000, durationMs: 3600 * 8 * 1000 })], { efficiency: PLAIN });
    if (!one.ok || !busy.ok) throw new Error("expected estimates");
    const BW = 3350e9, F = 989.5e12, body = 8.03e9 - 128256 * 4096 * 2, kv = 131072, ctx = 1050.5;
    const gemm = (tokens: number) => Math.max((2 * body * tokens + 2 * 128256 * 4096 * tokens) / F, (body * 2 + 128256 * 4096 * 2) / BW);
    const attn = (b: number) => Math.max((b * ctx * kv + b * kv) / BW, (524288 * b * ctx) / F);
    expect(one.gpuSeconds[0]).toBeCloseTo(100 * (gemm(1) + attn(1)), 9); // no prefill at all
    expect(busy.replicas[0]!.batch).toBe(8);
    expect(busy.gpuSeconds[0]).toBeCloseTo((100 * (gemm(8) + attn(8))) / 8, 9);
  });

  it("counts every GPU of a tensor-parallel replica and picks the smallest layout that fits", () => {
    // Llama 3.1 70B in bf16 (141 GB) needs two 80 GB H100s; a 4-GPU pool runs two such replicas.
    expect(replicaLayout("h100-sxm", 4, findModel("llama-3.1-70b")!)).toEqual({ tp: 2, precision: "bf16", replicas: 2 });
    // On one A100 40GB it fits neither in bf16 nor in fp8 (70.5 GB); 405B fits on no layout of 2 × A10G.
    expect(replicaLayout("a100-40gb", 1, findModel("llama-3.1-70b")!)).toBeNull();
    const r = estimateGpuSeconds({ gpuType: "a10g", gpuCount: 2 }, [call({ model: "llama-3.1-405b" })]);
    expect(r).toEqual({ ok: false, reason: "model llama-3.1-405b does not fit on 2 × a10g" });
  });

  it("maps served names to the catalog and says why it cannot estimate", () => {
    expect(catalogModelFor("meta-llama/Llama-3.1-70B-Instruct")?.id).toBe("llama-3.1-70b");
    expect(catalogModelFor("Mistral-7B")?.id).toBe("mistral-7b");
    expect(catalogModelFor("my-finetune")).toBeUndefined();
    expect(estimateGpuSeconds({ gpuType: "h100-sxm", gpuCount: 1 }, [call({}), call({ model: "my-finetune" })])).toEqual({ ok: false, reason: "model my-finetune is not in the GPU model catalog" });
    expect(estimateGpuSeconds({ gpuType: "tpu-v5", gpuCount: 1 }, [call({})])).toEqual({ ok: false, reason: "GPU type tpu-v5 is not in the GPU catalog" });
  });
});

describe("attributeBusyGpuCost", () => {
  it("splits exactly: parts are whole 1e-12 USD and add up to the busy cost (largest remainder)", () => {
    // 1.00 × 1/3 = 0.333333333333|33…, × 2/3 = 0.666666666666|67…: the one leftover unit goes to the larger remainder.
    expect(splitExactly(new Decimal("1.00"), [new Decimal(1), new Decimal(2)])).toEqual(["0.333333333333", "0.666666666667"]);
    // Three equal thirds of 1.00: remainders tie, the earlier call gets the leftover unit.
    expect(splitExactly(new Decimal("1"), [1, 1, 1].map((n) => new Decimal(n)))).toEqual(["0.333333333334", "0.333333333333", "0.333333333333"]);
    expect(splitExactly(new Decimal("2.5"), [new Decimal(0), new Decimal(0)])).toEqual(["0.000000000000", "0.000000000000"]);
  });

  it("uses GPU-seconds when every call is estimable: a decode-heavy call costs more than a prefill-heavy one with the same tokens", () => {
    const prefillHeavy = call({ input: 1000, output: 100 });
    const decodeHeavy = call({ input: 100, output: 1000 });
    const r = attributeBusyGpuCost({ pool: { gpuType: "h100-sxm", gpuCount: 1 }, busyCostUsd: "1.000000000000", calls: [prefillHeavy, decodeHeavy], efficiency: PLAIN });
    expect(r.basis).toBe("gpu_seconds");
    expect(r.fallbackReason).toBeNull();
    const [a, b] = r.calls as [{ gpuSeconds: number; gpuCostUsd: string }, { gpuSeconds: number; gpuCostUsd: string }];
    // ≈ 0.4666 s vs 14.11 + 0.03 + 0.003 ms prefill + 1000 steps × ≈ 4.50 ms ≈ 4.52 s: about 9.4% / 90.6%.
    expect(b.gpuSeconds / a.gpuSeconds).toBeGreaterThan(9);
    expect(new Decimal(a.gpuCostUsd).plus(b.gpuCostUsd).toFixed(12)).toBe("1.000000000000");
    const expectedA = new Decimal(a.gpuSeconds).div(new Decimal(a.gpuSeconds).plus(b.gpuSeconds));
    expect(new Decimal(a.gpuCostUsd).minus(expectedA).abs().lte("1e-12")).toBe(true);
  });

  it("falls back to tokens for the whole pool-hour, with the reason, when one call's model is unknown", () => {
    const r = attributeBusyGpuCost({
      pool: { gpuType: "h100-sxm", gpuCount: 1 }, busyCostUsd: "3.000000000000",
      calls: [call({ input: 1000, output: 100 }), call({ model: "my-finetune", input: 100, output: 1000 }), call({ input: 1100, output: 1100 })],
    });
    expect(r).toEqual({
      basis: "tokens", fallbackReason: "model my-finetune is not in the GPU model catalog",
      // tokens 1100 : 1100 : 2200 of 4400 → 0.75, 0.75, 1.50
      calls: [{ gpuSeconds: null, gpuCostUsd: "0.750000000000" }, { gpuSeconds: null, gpuCostUsd: "0.750000000000" }, { gpuSeconds: null, gpuCostUsd: "1.500000000000" }],
    });
  });

  it("leaves calls unpriced (null, not $0) in an hour without GPU samples", () => {
    const r = attributeBusyGpuCost({ pool: { gpuType: "h100-sxm", gpuCount: 1 }, busyCostUsd: null, calls: [call({})] });
    expect(r.calls[0]!.gpuCostUsd).toBeNull();
  });
});
