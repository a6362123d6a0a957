import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getCosts } from "../../../app/api/v1/costs/route.ts";
import { createGpuPool } from "../../../server/services/gpu-pools/gpu-pools.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { startPricedTestCollector } from "../../helpers/collector.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { runWorkerUntilIdle } from "../../helpers/worker.ts";

const HOUR = Date.UTC(2026, 9, 5, 12); // 2026-10-05T12:00Z
const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
const hex = (bytes: number) => crypto.randomBytes(bytes).toString("hex");
type Attr = [string, string | number];
const kv = (attrs: Attr[]) => attrs.map(([key, v]) => ({ key, value: typeof v === "number" ? { intValue: String(v) } : { stringValue: v } }));

function call(o: { traceId?: string; parent?: string; atMin: number; provider: string; model: string; input: number; output: number; cacheRead?: number; cacheWrite?: number; error?: boolean; extra?: Attr[] }) {
  return {
    traceId: o.traceId ?? hex(16), spanId: hex(8), parentSpanId: o.parent ?? "", name: `chat ${o.model}`, kind: 3,
    startTimeUnixNano: ns(HOUR + o.atMin * 60_000), endTimeUnixNano: ns(HOUR + o.atMin * 60_000 + 1000),
    status: o.error ? { code: 2 } : {},
    attributes: kv([
      ["gen_ai.operation.name", "chat"], ["gen_ai.provider.name", o.provider], ["gen_ai.request.model", o.model],
      ["gen_ai.usage.input_tokens", o.input], ["gen_ai.usage.output_tokens", o.output],
      ...(o.cacheRead ? ([["gen_ai.usage.cache_read.input_tokens", o.cacheRead]] as Attr[]) : []),
      ...(o.cacheWrite ? ([["gen_ai.usage.cache_write.input_tokens", o.cacheWrite]] as Attr[]) : []),
      ...(o.extra ?? []),
    ]),
  };
}

/**
 * Hand-computed (USD per 1M tokens from @pydantic/genai-prices 0.1.8):
 * A gpt-4o-mini 10k in (4k cached) / 1k out: 6000×0.15 + 4000×0.075 + 1000×0.6 = 1800 → 0.0018
 * B claude-sonnet-4 20k in (10k read, 5k write) / 2k out: 5000×3 + 10000×0.3 + 5000×3.75 + 2000×15 = 66750 → 0.06675
 * G gemini-2.5-pro 300k in / 1k out, long-context tier (>200k): 300000×2.5 + 1000×15 = 765000 → 0.765
 * R1 failed gpt-4o-mini 1k in: 150 → 0.00015 (failed + retry waste); R2 retry 1k in / 100 out: 210 → 0.00021
 * U unknown model: unpriced, counted, no cost
 * D gpt-4o-mini after the org's contract price (0.10 / 0.40, no cache rate) 10k in / 1k out: 1400 → 0.0014
 * S self-hosted on a 2-GPU pool at $2/GPU-h, 25% busy: pool $4.00, busy $1.00 (all to S), idle $3.00
 * API 0.83531 + GPU 1.00 + idle 3.00 = 4.83531; 7 tasks, 6 successful.
 */
describe("golden: spans → collector → prices → settlement → rollups → read API", () => {
  const db = testDb();
  let org: Awaited<ReturnType<typeof createTestOrg>>;
  let collector: Awaited<ReturnType<typeof startPricedTestCollector>>;

  beforeAll(async () => {
    org = await createTestOrg(db);
    collector = await startPricedTestCollector(db);
    await db.prisma.priceRow.create({
      data: { id: crypto.randomUUID(), orgId: org.org.id, source: "override", provider: "openai", model: "gpt-4o-mini", inputUsdPerMTok: "0.10", outputUsdPerMTok: "0.40", validFrom: new Date(HOUR + 30 * 60_000) },
    });
    await collector.reloadPrices();
    await createGpuPool({ ctx: org.systemCtx, input: { name: "pool-a", gpuType: "h100-sxm", gpuCount: 2, usdPerGpuHour: "2.00", matchHosts: ["node-a"], servesModels: ["llama-selfhost"] } });

    const retryTrace = hex(16);
    const retryRoot = hex(8);
    const unpricedTrace = hex(16);
    const spans = [
      call({ atMin: 5, provider: "openai", model: "gpt-4o-mini", input: 10000, cacheRead: 4000, output: 1000 }),
      call({ atMin: 6, provider: "anthropic", model: "claude-sonnet-4-20250514", input: 20000, cacheRead: 10000, cacheWrite: 5000, output: 2000 }),
      call({ atMin: 7, provider: "gcp.gemini", model: "gemini-2.5-pro", input: 300000, output: 1000 }),
      { traceId: retryTrace, spanId: retryRoot, name: "task", startTimeUnixNano: ns(HOUR + 8 * 60_000), endTimeUnixNano: ns(HOUR + 9 * 60_000), attributes: kv([["inferledger.feature", "support"]]) },
      call({ traceId: retryTrace, parent: retryRoot, atMin: 8, provider: "openai", model: "gpt-4o-mini", input: 1000, output: 0, error: true }),
      call({ traceId: retryTrace, parent: retryRoot, atMin: 8.5, provider: "openai", model: "gpt-4o-mini", input: 1000, output: 100 }),
      call({ traceId: unpricedTrace, atMin: 10, provider: "acme-ai", model: "mystery-1", input: 500, output: 50, extra: [["inferledger.task.outcome", "failure"]] }),
      call({ atMin: 40, provider: "openai", model: "gpt-4o-mini", input: 10000, output: 1000 }),
      call({ atMin: 20, provider: "vllm", model: "llama-selfhost", input: 4000, output: 500 }),
    ];
    const res = await collector.postJson("/v1/traces", org.ingestKey.key, { resourceSpans: [{ resource: { attributes: kv([["service.name", "golden-app"]]) }, scopeSpans: [{ spans }] }] });
    expect(res.status).toBe(200);
    const gpuPoints = [5, 35].flatMap((m) => ["GPU-1", "GPU-2"].map((uuid) => ({
      timeUnixNano: ns(HOUR + m * 60_000), asDouble: 0.25,
      attributes: kv([["UUID", uuid], ["Hostname", "node-a"], ["modelName", "NVIDIA H100 80GB HBM3"]]),
    })));
    const metrics = await collector.postJson("/v1/metrics", org.ingestKey.key, { resourceMetrics: [{ resource: {}, scopeMetrics: [{ metrics: [{ name: "DCGM_FI_PROF_GR_ENGINE_ACTIVE", gauge: { dataPoints: gpuPoints } }] }] }] });
    expect(metrics.status).toBe(200);
    await runWorkerUntilIdle(db);
  });
  afterAll(async () => {
    await collector.stop();
    await closeTestDb();
  });

  it("prices each call exactly, with tiers, cache rates, contract prices and unpriced calls", async () => {
    const rows = await db.prisma.span.findMany({ where: { orgId: org.org.id, isLlmCall: true }, orderBy: { startTime: "asc" } });
    expect(rows.map((r) => [r.model, r.costUsd?.toFixed(12) ?? null, r.gpuCostUsd?.toFixed(12) ?? null])).toEqual([
      ["gpt-4o-mini", "0.001800000000", null],
      ["claude-sonnet-4-20250514", "0.066750000000", null],
      ["gemini-2.5-pro", "0.765000000000", null],
      ["gpt-4o-mini", "0.000150000000", null],
      ["gpt-4o-mini", "0.000210000000", null],
      ["mystery-1", null, null],
      ["llama-selfhost", null, "1.000000000000"],
      ["gpt-4o-mini", "0.001400000000", null],
    ]);
    expect(rows.at(-1)!.priceRef).toMatch(/^override:/);
    // llama-selfhost is not in the GPU model catalog: its pool-hour is split by tokens, and says why.
    const poolHours = await db.prisma.gpuPoolHour.findMany({ where: { orgId: org.org.id } });
    expect(poolHours.map((h) => [h.busyBasis, h.busyBasisNote, h.modelledGpuSeconds])).toEqual([["tokens", "model llama-selfhost is not in the GPU model catalog", null]]);
    expect(rows[0]!.priceRef).toBe("@pydantic/genai-prices@0.1.8:openai/gpt-4o-mini");
  });

  it("the read API adds it up: API, GPU busy and idle, retries, failures, unpriced, tasks, IPD", async () => {
    const res = await getCosts(new Request("http://t/api/v1/costs?from=2026-10-05T00:00:00Z&to=2026-10-06T00:00:00Z", { headers: { authorization: `Bearer ${org.readKey.key}` } }));
    const { totals } = (await res.json()) as { totals: Record<string, unknown> };
    expect(totals).toMatchObject({
      apiCostUsd: "0.835310000000",
      gpuCostUsd: "1.000000000000",
      idleGpuCostUsd: "3.000000000000",
      costUsd: "4.835310000000",
      retryCostUsd: "0.000150000000",
      failedCostUsd: "0.000150000000",
      calls: 8,
      retryCalls: 1,
      failedCalls: 1,
      unpricedCalls: 1,
      tasks: 7,
      successfulTasks: 6,
      inputTokens: 346500,
      cachedInputTokens: 14000,
      cacheWriteTokens: 5000,
      outputTokens: 5650,
      costPerSuccessfulTaskUsd: "0.805885000000",
      // 4.83531 USD × 1000 / (346,500 input + 5,650 output tokens), idle GPU included.
      costPer1kTokensUsd: "0.013730824933",
    });
    expect(totals.ipd).toBeCloseTo(6 / 4.83531, 5);
  });
});
