import crypto from "node:crypto";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getCosts } from "../../../app/api/v1/costs/route.ts";
import { createGpuPool, deleteGpuPool, updateGpuPool, type GpuPoolInput } from "../../../server/services/gpu-pools/gpu-pools.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { startPricedTestCollector } from "../../helpers/collector.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { runWorkerUntilIdle } from "../../helpers/worker.ts";

const HOUR = Date.UTC(2026, 9, 7, 9); // 2026-10-07T09:00Z
const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
const hex = (bytes: number) => crypto.randomBytes(bytes).toString("hex");
const kv = (attrs: [string, string | number][]) => attrs.map(([key, v]) => ({ key, value: typeof v === "number" ? { intValue: String(v) } : { stringValue: v } }));
const LLAMA = "meta-llama/Llama-3.1-8B-Instruct";

function call(atMin: number) {
  return {
    traceId: hex(16), spanId: hex(8), name: "chat llama", kind: 3,
    startTimeUnixNano: ns(HOUR + atMin * 60_000), endTimeUnixNano: ns(HOUR + atMin * 60_000 + 2000),
    attributes: kv([["gen_ai.operation.name", "chat"], ["gen_ai.provider.name", "vllm"], ["gen_ai.request.model", LLAMA],
      ["gen_ai.usage.input_tokens", 500], ["gen_ai.usage.output_tokens", 200], ["inferledger.feature", "summarize"], ["inferledger.task.outcome", "success"]]),
  };
}

/**
 * Pool edits re-cost the history already stored: the worker recomputes every hour the pool touched under its old or
 * new rules, so the pool-hours, the calls' GPU prices, the tasks and the rollups never keep a deleted pool's or an
 * old price's money. One H100 at 50 % utilization serving two Llama calls in one hour.
 */
describe("GPU pool create, update and delete re-cost stored history", () => {
  const db = testDb();
  let org: Awaited<ReturnType<typeof createTestOrg>>;
  let collector: Awaited<ReturnType<typeof startPricedTestCollector>>;
  const pool: GpuPoolInput = { name: "pool-8b", gpuType: "h100-sxm", gpuCount: 1, usdPerGpuHour: "2.00", matchHosts: ["node-c"], servesModels: [LLAMA] };
  let poolId: string;

  const totals = async () => {
    const res = await getCosts(new Request("http://t/api/v1/costs?from=2026-10-07T00:00:00Z&to=2026-10-08T00:00:00Z&groupBy=feature", { headers: { authorization: `Bearer ${org.readKey.key}` } }));
    expect(res.status).toBe(200);
    return ((await res.json()) as { totals: Record<string, unknown> }).totals;
  };
  const calls = () => db.prisma.span.findMany({ where: { orgId: org.org.id, isLlmCall: true }, orderBy: { startTime: "asc" } });
  const poolHours = () => db.prisma.gpuPoolHour.findMany({ where: { orgId: org.org.id } });
  const taskCostsUsd = async () => (await db.prisma.task.findMany({ where: { orgId: org.org.id } })).map((t) => t.costUsd.toFixed(12)).sort();

  beforeAll(async () => {
    org = await createTestOrg(db);
    collector = await startPricedTestCollector(db);
    // Telemetry first, the pool afterwards: creating it must cost what is stored already.
    expect((await collector.postJson("/v1/traces", org.ingestKey.key, { resourceSpans: [{ resource: { attributes: kv([["service.name", "app"]]) }, scopeSpans: [{ spans: [call(10), call(20)] }] }] })).status).toBe(200);
    const points = [5, 50].map((m) => ({ timeUnixNano: ns(HOUR + m * 60_000), asDouble: 0.5, attributes: kv([["UUID", "GPU-C1"], ["Hostname", "node-c"]]) }));
    expect((await collector.postJson("/v1/metrics", org.ingestKey.key, { resourceMetrics: [{ resource: {}, scopeMetrics: [{ metrics: [{ name: "DCGM_FI_PROF_GR_ENGINE_ACTIVE", gauge: { dataPoints: points } }] }] }] })).status).toBe(200);
    await runWorkerUntilIdle(db);
  });
  afterAll(async () => {
    await collector.stop();
    await closeTestDb();
  });

  it("before any pool the self-hosted calls are unpriced, not $0", async () => {
    expect(await totals()).toMatchObject({ calls: 2, unpricedCalls: 2, gpuCostUsd: "0.000000000000" });
    expect(await poolHours()).toEqual([]);
  });

  it("a pool created afterwards costs the stored hour and prices its calls", async () => {
    poolId = (await createGpuPool({ ctx: org.systemCtx, input: pool })).id;
    await runWorkerUntilIdle(db);
    const hours = await poolHours();
    expect(hours.map((h) => [h.poolId, h.costUsd.toFixed(2), h.busyCostUsd.toFixed(2)])).toEqual([[poolId, "2.00", "1.00"]]);
    const [a, b] = await calls();
    expect([a!.poolId, b!.poolId]).toEqual([poolId, poolId]);
    expect(a!.gpuCostUsd!.plus(b!.gpuCostUsd!).toFixed(12)).toBe("1.000000000000");
    expect(await totals()).toMatchObject({ calls: 2, unpricedCalls: 0, gpuCostUsd: "1.000000000000", idleGpuCostUsd: "1.000000000000", costUsd: "2.000000000000" });
  });

  it("a new price re-costs the hour, the calls and their tasks", async () => {
    await updateGpuPool({ ctx: org.systemCtx, id: poolId, input: { ...pool, usdPerGpuHour: "3.00" } });
    await runWorkerUntilIdle(db);
    expect((await poolHours()).map((h) => h.costUsd.toFixed(2))).toEqual(["3.00"]);
    const [a, b] = await calls();
    expect(a!.gpuCostUsd!.plus(b!.gpuCostUsd!).toFixed(12)).toBe("1.500000000000");
    const tasks = await taskCostsUsd();
    expect(tasks).toHaveLength(2);
    expect(tasks.reduce((sum, t) => sum.plus(t), new Decimal(0)).toFixed(12)).toBe("1.500000000000");
    expect(await totals()).toMatchObject({ gpuCostUsd: "1.500000000000", idleGpuCostUsd: "1.500000000000", costUsd: "3.000000000000" });
  });

  it("a pool whose GPUs report nothing in the hour leaves its calls unpriced, not $0", async () => {
    const blind = await createGpuPool({ ctx: org.systemCtx, input: { ...pool, name: "a-blind-pool", matchHosts: ["no-such-host"] } }); // first by name: it serves the calls
    await runWorkerUntilIdle(db);
    expect((await calls()).map((c) => [c.poolId, c.gpuCostUsd])).toEqual([[blind.id, null], [blind.id, null]]);
    expect(await totals()).toMatchObject({ calls: 2, unpricedCalls: 2, gpuCostUsd: "0.000000000000" });
    await deleteGpuPool({ ctx: org.systemCtx, id: blind.id });
    await runWorkerUntilIdle(db);
    expect((await calls()).map((c) => c.poolId)).toEqual([poolId, poolId]);
    expect(await totals()).toMatchObject({ unpricedCalls: 0, gpuCostUsd: "1.500000000000" });
  });

  it("renaming a pool to another pool's name is a conflict, and changes nothing", async () => {
    const other = await createGpuPool({ ctx: org.systemCtx, input: { ...pool, name: "pool-other", matchHosts: ["node-x"], servesModels: ["x"] } });
    await expect(updateGpuPool({ ctx: org.systemCtx, id: poolId, input: { ...pool, name: "pool-other" } })).rejects.toMatchObject({ code: "CONFLICT" });
    await deleteGpuPool({ ctx: org.systemCtx, id: other.id });
    await runWorkerUntilIdle(db);
    expect((await poolHours()).map((h) => [h.poolId, h.costUsd.toFixed(2)])).toEqual([[poolId, "3.00"]]);
  });

  it("serving another model releases the calls: unpriced again, the GPU-hour all idle", async () => {
    await updateGpuPool({ ctx: org.systemCtx, id: poolId, input: { ...pool, usdPerGpuHour: "3.00", servesModels: ["other-model"] } });
    await runWorkerUntilIdle(db);
    expect((await calls()).map((c) => [c.poolId, c.gpuCostUsd, c.gpuSeconds])).toEqual([[null, null, null], [null, null, null]]);
    expect(await taskCostsUsd()).toEqual(["0.000000000000", "0.000000000000"]);
    expect(await totals()).toMatchObject({ calls: 2, unpricedCalls: 2, gpuCostUsd: "0.000000000000" });
  });

  it("serving the model again, then deleting the pool, leaves no pool money behind", async () => {
    await updateGpuPool({ ctx: org.systemCtx, id: poolId, input: pool });
    await runWorkerUntilIdle(db);
    expect((await calls()).map((c) => c.poolId)).toEqual([poolId, poolId]);
    await deleteGpuPool({ ctx: org.systemCtx, id: poolId });
    await runWorkerUntilIdle(db);
    expect(await poolHours()).toEqual([]);
    expect((await calls()).map((c) => [c.poolId, c.gpuCostUsd])).toEqual([[null, null], [null, null]]);
    expect(await totals()).toMatchObject({ calls: 2, unpricedCalls: 2, gpuCostUsd: "0.000000000000", idleGpuCostUsd: "0.000000000000", costUsd: "0.000000000000" });
  });
});
