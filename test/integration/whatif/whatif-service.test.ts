import crypto from "node:crypto";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryCosts } from "../../../server/services/costs/query-costs.ts";
import { createGpuPool } from "../../../server/services/gpu-pools/gpu-pools.ts";
import { loadWhatIfTraffic } from "../../../server/services/whatif/load-traffic.ts";
import { decodeTrafficColumns } from "../../../server/domain/whatif/traffic-columns.ts";
import { addTestMember, callerFor, createTestOrg } from "../../fixtures/factories.ts";
import { startPricedTestCollector } from "../../helpers/collector.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { runWorkerUntilIdle } from "../../helpers/worker.ts";

const H = 3_600_000;
const HOUR = Math.floor(Date.now() / H) * H - 3 * H; // inside the 24h period
const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
const hex = (bytes: number) => crypto.randomBytes(bytes).toString("hex");
type Attr = [string, string | number];
const kv = (attrs: Attr[]) => attrs.map(([key, v]) => ({ key, value: typeof v === "number" ? { intValue: String(v) } : { stringValue: v } }));

function call(o: { atMin: number; feature: string; provider: string; model: string; input: number; output: number; cacheRead?: number }) {
  return {
    traceId: hex(16), spanId: hex(8), parentSpanId: "", name: `chat ${o.model}`, kind: 3,
    startTimeUnixNano: ns(HOUR + o.atMin * 60_000), endTimeUnixNano: ns(HOUR + o.atMin * 60_000 + 1000), status: {},
    attributes: kv([
      ["gen_ai.operation.name", "chat"], ["gen_ai.provider.name", o.provider], ["gen_ai.request.model", o.model],
      ["gen_ai.usage.input_tokens", o.input], ["gen_ai.usage.output_tokens", o.output], ["inferledger.feature", o.feature],
      ...(o.cacheRead ? ([["gen_ai.usage.cache_read.input_tokens", o.cacheRead]] as Attr[]) : []),
    ]),
  };
}

/**
 * Hand-computed, USD per 1M tokens (catalog @pydantic/genai-prices 0.1.8, org contract price for gpt-4o-mini 0.10/0.40):
 * support gpt-4o-mini 10k in / 1k out, in hours 0 and 1: 10000×0.10 + 1000×0.40 = 1400 → 0.0014 each
 * support acme-ai/mystery-1: unpriced
 * review claude-sonnet-4 20k in (10k cached) / 2k out: 10000×3 + 10000×0.3 + 2000×15 = 63000 → 0.063
 * summarize on a 2-GPU pool at $2/GPU-h, 25 % busy in hour 0: busy 1.00 + idle 3.00 = 4.00 (self-hosted)
 * period total 0.0028 + 0.063 + 4 = 4.0658
 */
describe("what-if service: the org's hourly rollups and effective prices feed the engine", () => {
  const db = testDb();
  let org: Awaited<ReturnType<typeof createTestOrg>>;
  let collector: Awaited<ReturnType<typeof startPricedTestCollector>>;

  beforeAll(async () => {
    org = await createTestOrg(db);
    collector = await startPricedTestCollector(db);
    await db.prisma.priceRow.create({
      data: { id: crypto.randomUUID(), orgId: org.org.id, source: "override", provider: "openai", model: "gpt-4o-mini", inputUsdPerMTok: "0.10", outputUsdPerMTok: "0.40", validFrom: new Date(HOUR - 24 * H) },
    });
    await collector.reloadPrices();
    await createGpuPool({ ctx: org.systemCtx, input: { name: "pool-a", gpuType: "h100-sxm", gpuCount: 2, usdPerGpuHour: "2.00", matchHosts: ["node-a"], servesModels: ["llama-selfhost"] } });
    const spans = [
      call({ atMin: 5, feature: "support", provider: "openai", model: "gpt-4o-mini", input: 10000, output: 1000 }),
      call({ atMin: 65, feature: "support", provider: "openai", model: "gpt-4o-mini", input: 10000, output: 1000 }),
      call({ atMin: 10, feature: "support", provider: "acme-ai", model: "mystery-1", input: 500, output: 50 }),
      call({ atMin: 6, feature: "review", provider: "anthropic", model: "claude-sonnet-4-20250514", input: 20000, cacheRead: 10000, output: 2000 }),
      call({ atMin: 20, feature: "summarize", provider: "vllm", model: "llama-selfhost", input: 4000, output: 500 }),
    ];
    const post = (path: "/v1/traces" | "/v1/metrics", body: unknown) => collector.postJson(path, org.ingestKey.key, body);
    expect((await post("/v1/traces", { resourceSpans: [{ resource: { attributes: kv([["service.name", "whatif-app"]]) }, scopeSpans: [{ spans }] }] })).status).toBe(200);
    const gpuPoints = [5, 35].flatMap((m) => ["GPU-1", "GPU-2"].map((uuid) => ({ timeUnixNano: ns(HOUR + m * 60_000), asDouble: 0.25, attributes: kv([["UUID", uuid], ["Hostname", "node-a"]]) })));
    expect((await post("/v1/metrics", { resourceMetrics: [{ resource: {}, scopeMetrics: [{ metrics: [{ name: "DCGM_FI_PROF_GR_ENGINE_ACTIVE", gauge: { dataPoints: gpuPoints } }] }] }] })).status).toBe(200);
    await runWorkerUntilIdle(db);
  });
  afterAll(async () => {
    await collector.stop();
    await closeTestDb();
  });

  it("loads hourly rows per feature × provider × model with exact costs, self-hosted flags and unpriced calls", async () => {
    const t = await loadWhatIfTraffic({ ctx: org.systemCtx, preset: "24h", nowMs: Date.now() });
    expect(t.period.hours).toBe(24);
    const rows = t.rows.map((r) => [r.hourStartMs - HOUR, r.feature, r.provider, r.model, r.calls, r.inputTokens, r.cachedInputTokens, r.outputTokens, new Decimal(r.costUsd).toString(), r.isSelfHosted]);
    expect(rows).toEqual(expect.arrayContaining([
      [0, "support", "openai", "gpt-4o-mini", 1, 10000, 0, 1000, "0.0014", false],
      [H, "support", "openai", "gpt-4o-mini", 1, 10000, 0, 1000, "0.0014", false],
      [0, "support", "acme-ai", "mystery-1", 1, 500, 0, 50, "0", false],
      [0, "review", "anthropic", "claude-sonnet-4-20250514", 1, 20000, 10000, 2000, "0.063", false],
      [0, "summarize", "vllm", "llama-selfhost", 1, 4000, 0, 500, "4", true],
    ]));
    expect(rows).toHaveLength(5);
    const total = t.rows.reduce((a, r) => a.plus(r.costUsd), new Decimal(0));
    expect(total.toString()).toBe("4.0658");
    const report = await queryCosts({ ctx: org.systemCtx, query: { from: new Date(t.period.startMs), to: new Date(t.period.endMs), groupBy: [], filters: {} } });
    expect(new Decimal(report.totals.costUsd).toString()).toBe("4.0658");
    expect(t.unpricedCalls).toBe(1);
    expect(t.rows.reduce((a, r) => a + r.successfulTasks, 0)).toBe(report.totals.successfulTasks);
    expect(t.pools).toEqual([{ name: "pool-a", gpuType: "h100-sxm", gpuCount: 2, usdPerGpuHour: "2", servesModels: ["llama-selfhost"] }]);
    expect(t.actualGpus.gpuCount).toBe(2);
    expect(t.actualGpus.meanUtilization).toBeCloseTo(0.25, 9);
  });

  it("prices: the org's contract price, the catalog, alternatives; unknown models are left unpriced", async () => {
    const { prices } = await loadWhatIfTraffic({ ctx: org.systemCtx, preset: "24h", nowMs: Date.now() });
    const find = (p: string, m: string) => prices.find((x) => x.provider === p && x.model === m);
    expect(find("openai", "gpt-4o-mini")).toMatchObject({ source: "override", inputUsdPerMTok: "0.1", outputUsdPerMTok: "0.4", cachedInputUsdPerMTok: null });
    expect(find("anthropic", "claude-sonnet-4-20250514")).toMatchObject({ source: "catalog", inputUsdPerMTok: "3", cachedInputUsdPerMTok: "0.3", cacheWriteUsdPerMTok: "3.75", outputUsdPerMTok: "15" });
    expect(find("acme-ai", "mystery-1")).toBeUndefined();
    expect(find("vllm", "llama-selfhost")).toBeUndefined(); // self-hosted: no API price asked for
    expect(find("openai", "gpt-4.1")).toMatchObject({ source: "catalog" });
  });

  it("runs scenarios server-side over the same traffic (tRPC whatif.run), exact to the hand-checked cent", async () => {
    const caller = callerFor(db, org.user);
    const base = { orgSlug: org.org.slug, period: "24h" as const };
    const none = await caller.whatif.run({ ...base, scenarios: [] });
    expect(none.actual.periodCostUsd).toBe("4.0658");
    expect(none.unpricedCalls).toBe(1);
    // trim 50 % of review input: 5k uncached × 3 + 5k cached × 0.3 + 2k × 15 = 46500 → 0.0465
    const trim = await caller.whatif.run({ ...base, scenarios: [{ kind: "trim-input", match: { features: ["review"] }, reductionPct: 50 }] });
    expect(trim.scenario.periodCostUsd).toBe("4.0493");
    const reprice = await caller.whatif.run({ ...base, scenarios: [{ kind: "reprice", match: { providers: ["openai"] }, changePct: -50 }] });
    expect(reprice.scenario.periodCostUsd).toBe("4.0644");
    const selfHost = await caller.whatif.run({ ...base, scenarios: [{ kind: "self-host", match: { features: ["support"] }, gpuId: "l4", model: "llama-3.1-8b", gpusPerReplica: 1, precision: "fp8", usdPerGpuHour: "0.80", replicas: 1 }] });
    expect(selfHost.pools).toHaveLength(1);
    expect(selfHost.pools[0]!.gpuCostUsd).toBe("19.2"); // 1 GPU × $0.80 × 24 h, idle hours included
    await expect(caller.whatif.run({ ...base, scenarios: [{ kind: "self-host", match: {}, gpuId: "tpu-9000", model: "llama-3.1-8b", gpusPerReplica: 1, precision: "fp8", usdPerGpuHour: "1", replicas: 1 }] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("traffic over tRPC is the service's rows in columns", async () => {
    const wire = await callerFor(db, org.user).whatif.traffic({ orgSlug: org.org.slug, period: "24h" });
    const service = await loadWhatIfTraffic({ ctx: org.systemCtx, preset: "24h", nowMs: Date.now() });
    expect(wire.columns.groups).toHaveLength(4);
    expect(decodeTrafficColumns(wire.columns)).toEqual(service.rows);
    expect(wire.prices).toEqual(service.prices);
  });

  it("saves, lists, renames and deletes scenario lists; validates on write and on read; viewers only read", async () => {
    const owner = callerFor(db, org.user);
    const slug = org.org.slug;
    const scenarios = [{ kind: "cache" as const, match: { features: ["support"] }, semanticHitRate: 0.2 }];
    const saved = await owner.whatif.saveScenario({ orgSlug: slug, name: "cache support", scenarios });
    expect(saved).toMatchObject({ name: "cache support", scenarios, createdByUserId: org.user.id, invalid: null });
    await expect(owner.whatif.saveScenario({ orgSlug: slug, name: "cache support", scenarios })).rejects.toMatchObject({ code: "CONFLICT" });
    const raced = await Promise.allSettled([0, 1, 2].map(() => owner.whatif.saveScenario({ orgSlug: slug, name: "raced", scenarios })));
    expect(raced.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected", "rejected"]);
    for (const r of raced) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "CONFLICT" });
    const winner = raced.find((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof owner.whatif.saveScenario>>> => r.status === "fulfilled")!;
    await owner.whatif.deleteScenario({ orgSlug: slug, id: winner.value.id });
    await expect(owner.whatif.saveScenario({ orgSlug: slug, name: "bad", scenarios: [{ kind: "cache", match: {}, semanticHitRate: 2 }] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(owner.whatif.saveScenario({ orgSlug: slug, name: "empty", scenarios: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const renamed = await owner.whatif.saveScenario({ orgSlug: slug, id: saved.id, name: "cache support 20%", scenarios });
    expect(renamed.id).toBe(saved.id);
    // A row the schema rejects (written around the service) is listed with the reason and no scenarios.
    await db.prisma.whatIfScenario.create({ data: { id: crypto.randomUUID(), orgId: org.org.id, name: "tampered", scenarios: [{ kind: "teleport" }] } });
    const viewer = callerFor(db, await addTestMember(db, org.org.id, "viewer"));
    const list = await viewer.whatif.scenarios({ orgSlug: slug });
    expect(list.map((s) => s.name).sort()).toEqual(["cache support 20%", "tampered"]);
    const tampered = list.find((s) => s.name === "tampered")!;
    expect(tampered.scenarios).toEqual([]);
    expect(tampered.invalid).toMatch(/kind|Invalid/);
    await expect(viewer.whatif.saveScenario({ orgSlug: slug, name: "v", scenarios })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.whatif.deleteScenario({ orgSlug: slug, id: saved.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await owner.whatif.deleteScenario({ orgSlug: slug, id: saved.id });
    await expect(owner.whatif.deleteScenario({ orgSlug: slug, id: saved.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await owner.whatif.scenarios({ orgSlug: slug })).map((s) => s.name)).toEqual(["tampered"]);
  });
});
