import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processDirtyHours } from "../../../server/services/costs/recompute-rollups.ts";
import { getGpuUsage } from "../../../server/services/gpu-pools/get-gpu-usage.ts";
import { createGpuPool } from "../../../server/services/gpu-pools/gpu-pools.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { startTestCollector } from "../../helpers/collector.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
const kv = (attrs: [string, string][]) => attrs.map(([key, v]) => ({ key, value: { stringValue: v } }));

/**
 * Two pools of one H100 each at $2/GPU-hour, 50% busy, for the previous whole UTC hour; their DCGM energy counters
 * (millijoules) rise 1,000,000,000 → 2,800,000,000 → 4,600,000,000 mJ: 3.6 MJ = 1 kWh in the hour.
 * Pool "priced" pays $0.10/kWh: $2.00 + $0.10 = $2.10 (busy $1.05, idle $1.05); pool "unpriced" shows 1 kWh, costs $2.00.
 */
describe("GPU energy per pool-hour from DCGM energy counters", () => {
  const db = testDb();
  let org: Awaited<ReturnType<typeof createTestOrg>>;
  let collector: Awaited<ReturnType<typeof startTestCollector>>;
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;

  beforeAll(async () => {
    org = await createTestOrg(db);
    collector = await startTestCollector(db);
    await createGpuPool({ ctx: org.systemCtx, input: { name: "priced", gpuType: "h100-sxm", gpuCount: 1, usdPerGpuHour: "2.00", usdPerKwh: "0.10", matchHosts: ["node-e1"] } });
    await createGpuPool({ ctx: org.systemCtx, input: { name: "unpriced", gpuType: "h100-sxm", gpuCount: 1, usdPerGpuHour: "2.00", matchHosts: ["node-e2"] } });
    const at = [0, 30, 59];
    const energyMj = [1_000_000_000, 2_800_000_000, 4_600_000_000];
    const points = (metric: "util" | "energy") => ["node-e1", "node-e2"].flatMap((host) => at.map((m, i) => ({
      timeUnixNano: ns(hour + m * 60_000), asDouble: metric === "util" ? 0.5 : energyMj[i],
      attributes: kv([["UUID", `GPU-${host}`], ["Hostname", host]]),
    })));
    const res = await fetch(`${collector.httpUrl}/v1/metrics`, {
      method: "POST",
      headers: { authorization: `Bearer ${org.ingestKey.key}`, "content-type": "application/json" },
      body: JSON.stringify({ resourceMetrics: [{ resource: {}, scopeMetrics: [{ metrics: [
        { name: "DCGM_FI_PROF_GR_ENGINE_ACTIVE", gauge: { dataPoints: points("util") } },
        { name: "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", sum: { dataPoints: points("energy"), aggregationTemporality: 2, isMonotonic: true } },
      ] }] }] }),
    });
    expect(res.status).toBe(200);
    await processDirtyHours({ db });
  });
  afterAll(async () => {
    await collector.stop();
    await closeTestDb();
  });

  it("records kWh per pool-hour and adds its cost only where the pool has a $/kWh", async () => {
    const hours = await db.prisma.gpuPoolHour.findMany({ where: { orgId: org.org.id }, orderBy: { poolId: "asc" } });
    const pools = await db.prisma.gpuPool.findMany({ where: { orgId: org.org.id } });
    const byName = Object.fromEntries(hours.map((h) => [pools.find((p) => p.id === h.poolId)!.name, h]));
    expect(byName.priced!.energyKwh).toBeCloseTo(1, 9);
    expect([byName.priced!.energyCostUsd?.toFixed(12), byName.priced!.costUsd.toFixed(12), byName.priced!.busyCostUsd.toFixed(12), byName.priced!.idleCostUsd.toFixed(12)])
      .toEqual(["0.100000000000", "2.100000000000", "1.050000000000", "1.050000000000"]);
    expect(byName.unpriced!.energyKwh).toBeCloseTo(1, 9);
    expect([byName.unpriced!.energyCostUsd, byName.unpriced!.costUsd.toFixed(12)]).toEqual([null, "2.000000000000"]);
  });

  it("the GPUs usage shows the energy per pool and per hour", async () => {
    const usage = await getGpuUsage({ ctx: org.systemCtx, preset: "24h", nowMs: Date.now() });
    const priced = usage.find((p) => p.name === "priced")!;
    expect(priced.energy).toMatchObject({ hoursMeasured: 1, costUsd: "0.100000000000" });
    expect(priced.energy!.kwh).toBeCloseTo(1, 9);
    expect(priced.hours[0]!.energyKwh).toBeCloseTo(1, 9);
    expect(usage.find((p) => p.name === "unpriced")!.energy).toMatchObject({ hoursMeasured: 1, costUsd: null });
  });
});
