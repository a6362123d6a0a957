import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calibratePool } from "../../../server/domain/gpu-model/calibration.ts";
import { findGpu, findModel } from "../../../server/domain/gpu-model/catalog.ts";
import { createGpuPool } from "../../../server/services/gpu-pools/gpu-pools.ts";
import { addTestMember, callerFor, createTestOrg } from "../../fixtures/factories.ts";
import { startTestCollector } from "../../helpers/collector.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { runWorkerUntilIdle } from "../../helpers/worker.ts";

const H = 3_600_000;
const HOUR = Math.floor(Date.now() / H) * H - 5 * H;
const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
const hex = (bytes: number) => crypto.randomBytes(bytes).toString("hex");
const kv = (attrs: [string, string | number][]) => attrs.map(([key, v]) => ({ key, value: typeof v === "number" ? { intValue: String(v) } : { stringValue: v } }));

/** Two telemetry hours of a 2×H100 pool serving Llama 3.1 8B (50 % and 25 % busy), a third hour with telemetry but no calls. */
describe("pool calibration: the GPU model against a real pool's telemetry", () => {
  const db = testDb();
  let org: Awaited<ReturnType<typeof createTestOrg>>;
  let collector: Awaited<ReturnType<typeof startTestCollector>>;
  let poolId: string;

  beforeAll(async () => {
    org = await createTestOrg(db);
    collector = await startTestCollector(db);
    poolId = (await createGpuPool({ ctx: org.systemCtx, input: { name: "llama-8b", gpuType: "h100-sxm", gpuCount: 2, usdPerGpuHour: "2.00", matchHosts: ["node-a"], servesModels: ["meta-llama/Llama-3.1-8B-Instruct"] } })).id;
    const spans = [
      ...Array.from({ length: 4 }, (_, i) => ({ h: 0, min: 5 + i, input: 2000, output: 500 })),
      ...Array.from({ length: 2 }, (_, i) => ({ h: 1, min: 5 + i, input: 1000, output: 300 })),
    ].map((c) => ({
      traceId: hex(16), spanId: hex(8), name: "chat", kind: 3, startTimeUnixNano: ns(HOUR + c.h * H + c.min * 60_000), endTimeUnixNano: ns(HOUR + c.h * H + c.min * 60_000 + 1000),
      attributes: kv([["gen_ai.operation.name", "chat"], ["gen_ai.provider.name", "vllm"], ["gen_ai.request.model", "meta-llama/Llama-3.1-8B-Instruct"], ["gen_ai.usage.input_tokens", c.input], ["gen_ai.usage.output_tokens", c.output]]),
    }));
    const post = (path: "/v1/traces" | "/v1/metrics", body: unknown) => collector.postJson(path, org.ingestKey.key, body);
    expect((await post("/v1/traces", { resourceSpans: [{ resource: { attributes: kv([["service.name", "app"]]) }, scopeSpans: [{ spans }] }] })).status).toBe(200);
    const points = [[0, 0.5], [1, 0.25], [2, 0.4]].flatMap(([h, u]) => ["GPU-1", "GPU-2"].map((uuid) => ({ timeUnixNano: ns(HOUR + h! * H + 10 * 60_000), asDouble: u, attributes: kv([["UUID", uuid], ["Hostname", "node-a"]]) })));
    expect((await post("/v1/metrics", { resourceMetrics: [{ resource: {}, scopeMetrics: [{ metrics: [{ name: "DCGM_FI_PROF_GR_ENGINE_ACTIVE", gauge: { dataPoints: points } }] }] }] })).status).toBe(200);
    await runWorkerUntilIdle(db);
  });
  afterAll(async () => {
    await collector.stop();
    await closeTestDb();
  });

  it("feeds each telemetry hour's utilization and served tokens to the calibration (predicted vs observed per hour)", async () => {
    const viewer = callerFor(db, await addTestMember(db, org.org.id, "viewer"));
    const report = await viewer.gpuPools.calibration({ orgSlug: org.org.slug, id: poolId, period: "24h", precision: "bf16" });
    expect(report).toMatchObject({ modelId: "llama-3.1-8b", gpuId: "h100-sxm", replicas: 1, tensorParallel: 2, reason: null });
    const expected = calibratePool({ gpu: findGpu("h100-sxm")!, model: findModel("llama-3.1-8b")!, gpus: 2, precision: "bf16" }, 1, [
      { hourStartMs: HOUR, gpuUtilization: 0.5, calls: 4, inputTokens: 8000, outputTokens: 2000 },
      { hourStartMs: HOUR + H, gpuUtilization: 0.25, calls: 2, inputTokens: 2000, outputTokens: 600 },
      { hourStartMs: HOUR + 2 * H, gpuUtilization: 0.4, calls: 0, inputTokens: 0, outputTokens: 0 },
    ]);
    const c = report.calibration!;
    expect(c.usedHours).toBe(2);
    expect(c.skippedHours).toBe(1);
    expect(c.points.map((p) => [p.hourStartMs - HOUR, p.observedTokensPerSecond])).toEqual([[0, 2000 / 3600], [H, 600 / 3600]]);
    expect(c.scale).toBeCloseTo(expected.scale, 9);
    expect(c.points.map((p) => p.predictedTokensPerSecond)).toEqual(expected.points.map((p) => p.predictedTokensPerSecond));
    const split = await viewer.gpuPools.calibration({ orgSlug: org.org.slug, id: poolId, period: "24h", precision: "bf16", tensorParallel: 1 });
    expect([split.replicas, split.tensorParallel]).toEqual([2, 1]);
  });

  it("says why a pool cannot be calibrated", async () => {
    const other = await createGpuPool({ ctx: org.systemCtx, input: { name: "mystery", gpuType: "h100-sxm", gpuCount: 1, usdPerGpuHour: "1", servesModels: ["acme/secret-model"] } });
    const caller = callerFor(db, org.user);
    expect((await caller.gpuPools.calibration({ orgSlug: org.org.slug, id: other.id })).reason).toMatch(/is in the model catalog/);
    await expect(caller.gpuPools.calibration({ orgSlug: org.org.slug, id: poolId, tensorParallel: 4 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.gpuPools.calibration({ orgSlug: org.org.slug, id: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
