import crypto from "node:crypto";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getCosts } from "../../../app/api/v1/costs/route.ts";
import { estimateGpuSeconds } from "../../../server/domain/gpu-model/call-gpu-seconds.ts";
import { createGpuPool } from "../../../server/services/gpu-pools/gpu-pools.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { startPricedTestCollector } from "../../helpers/collector.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { runWorkerUntilIdle } from "../../helpers/worker.ts";

const HOUR = Date.UTC(2026, 9, 6, 9); // 2026-10-06T09:00Z
const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
const hex = (bytes: number) => crypto.randomBytes(bytes).toString("hex");
type Attr = [string, string | number];
const kv = (attrs: Attr[]) => attrs.map(([key, v]) => ({ key, value: typeof v === "number" ? { intValue: String(v) } : { stringValue: v } }));

function call(atMin: number, durationS: number, input: number, output: number) {
  return {
    traceId: hex(16), spanId: hex(8), name: "chat llama", kind: 3,
    startTimeUnixNano: ns(HOUR + atMin * 60_000), endTimeUnixNano: ns(HOUR + atMin * 60_000 + durationS * 1000),
    attributes: kv([["gen_ai.operation.name", "chat"], ["gen_ai.provider.name", "vllm"], ["gen_ai.request.model", "meta-llama/Llama-3.1-8B-Instruct"],
      ["gen_ai.usage.input_tokens", input], ["gen_ai.usage.output_tokens", output], ["inferledger.feature", "summarize"]]),
  };
}

/**
 * One H100 at $2/GPU-hour, 50% utilized: $2.00 for the hour, $1.00 busy, $1.00 idle. Two calls with the same
 * 1,100 tokens — prefill-heavy P (1000 in / 100 out) and decode-heavy D (100 in / 1000 out) — would get $0.50
 * each by tokens; by modelled GPU-seconds D (≈1000 memory-bound decode steps of ≈4.5 ms) costs ~10× more than P.
 */
describe("busy GPU cost by modelled GPU-seconds, through the collector and the read API", () => {
  const db = testDb();
  let org: Awaited<ReturnType<typeof createTestOrg>>;
  let collector: Awaited<ReturnType<typeof startPricedTestCollector>>;

  beforeAll(async () => {
    org = await createTestOrg(db);
    collector = await startPricedTestCollector(db);
    await createGpuPool({ ctx: org.systemCtx, input: { name: "pool-8b", gpuType: "h100-sxm", gpuCount: 1, usdPerGpuHour: "2.00", matchHosts: ["node-b"], servesModels: ["meta-llama/Llama-3.1-8B-Instruct"] } });
    const traces = await collector.postJson("/v1/traces", org.ingestKey.key, { resourceSpans: [{ resource: { attributes: kv([["service.name", "selfhost-app"]]) }, scopeSpans: [{ spans: [call(10, 2, 1000, 100), call(20, 6, 100, 1000)] }] }] });
    expect(traces.status).toBe(200);
    const points = [5, 50].map((m) => ({ timeUnixNano: ns(HOUR + m * 60_000), asDouble: 0.5, attributes: kv([["UUID", "GPU-B1"], ["Hostname", "node-b"]]) }));
    const metrics = await collector.postJson("/v1/metrics", org.ingestKey.key, { resourceMetrics: [{ resource: {}, scopeMetrics: [{ metrics: [{ name: "DCGM_FI_PROF_GR_ENGINE_ACTIVE", gauge: { dataPoints: points } }] }] }] });
    expect(metrics.status).toBe(200);
    await runWorkerUntilIdle(db);
  });
  afterAll(async () => {
    await collector.stop();
    await closeTestDb();
  });

  it("splits the busy $1.00 by GPU-seconds, exactly, and records the basis on the pool-hour", async () => {
    const [p, d] = await db.prisma.span.findMany({ where: { orgId: org.org.id, isLlmCall: true }, orderBy: { startTime: "asc" } });
    // The stored seconds are the throughput model's (its terms are checked by hand in the unit test), batch 1:
    // 8 call-seconds in the hour is far below one sequence in flight.
    const model = estimateGpuSeconds({ gpuType: "h100-sxm", gpuCount: 1 }, [
      { model: p!.model, requestModel: p!.requestModel, inputTokens: 1000, cacheReadTokens: 0, outputTokens: 100, durationMs: 2000 },
      { model: d!.model, requestModel: d!.requestModel, inputTokens: 100, cacheReadTokens: 0, outputTokens: 1000, durationMs: 6000 },
    ]);
    if (!model.ok) throw new Error(model.reason);
    expect([p!.gpuSeconds, d!.gpuSeconds]).toEqual(model.gpuSeconds);
    const share = new Decimal(p!.gpuSeconds!).div(new Decimal(p!.gpuSeconds!).plus(d!.gpuSeconds!));
    expect(share.toNumber()).toBeGreaterThan(0.05); // ≈ 0.094: P ≈ 0.47 GPU-s, D ≈ 4.5 GPU-s
    expect(share.toNumber()).toBeLessThan(0.15); // by tokens it would be 0.5
    // $1.00 × share, to the 1e-12 unit; the two parts add up to exactly $1.00.
    expect(new Decimal(p!.gpuCostUsd!.toString()).minus(share).abs().lte("1e-12")).toBe(true);
    expect(new Decimal(p!.gpuCostUsd!.toString()).plus(d!.gpuCostUsd!.toString()).toFixed(12)).toBe("1.000000000000");
    const [hour] = await db.prisma.gpuPoolHour.findMany({ where: { orgId: org.org.id } });
    expect([hour!.busyBasis, hour!.busyBasisNote, hour!.costUsd.toFixed(12), hour!.busyCostUsd.toFixed(12)]).toEqual(["gpu_seconds", null, "2.000000000000", "1.000000000000"]);
    expect(hour!.modelledGpuSeconds).toBeCloseTo(p!.gpuSeconds! + d!.gpuSeconds!, 9);
  });

  it("the read API reports the same money per call and the idle rest", async () => {
    const res = await getCosts(new Request("http://t/api/v1/costs?from=2026-10-06T00:00:00Z&to=2026-10-07T00:00:00Z&groupBy=feature", { headers: { authorization: `Bearer ${org.readKey.key}` } }));
    const body = (await res.json()) as { totals: Record<string, unknown>; rows: { key: { feature: string }; gpuCostUsd: string; idleGpuCostUsd: string }[] };
    expect(body.totals).toMatchObject({ gpuCostUsd: "1.000000000000", idleGpuCostUsd: "1.000000000000", costUsd: "2.000000000000", calls: 2, apiCostUsd: "0.000000000000" });
    expect(body.rows.map((r) => [r.key.feature, r.gpuCostUsd, r.idleGpuCostUsd])).toEqual([["summarize", "1.000000000000", "1.000000000000"]]);
  });
});
