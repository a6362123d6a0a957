import { afterAll, describe, expect, it } from "vitest";
import { insertSpans } from "../../../server/db/bulk/insert-spans.ts";
import type { Db } from "../../../server/db/client.ts";
import { hex, span } from "../../fixtures/spans.ts";
import { callerFor, createTestOrg } from "../../fixtures/factories.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

const HOUR = 3_600_000;

async function insertTask(db: Db, orgId: string, o: { key: string; feature: string; costUsd: string; outcome?: string; calls?: number; unpriced?: number; loop?: boolean; retries?: number; agoMs?: number }) {
  const start = new Date(Date.now() - (o.agoMs ?? 2 * HOUR));
  await db.prisma.task.create({
    data: {
      orgId, taskKey: o.key, feature: o.feature, outcome: o.outcome ?? "success", startTime: start, endTime: new Date(start.getTime() + 1000),
      calls: o.calls ?? 1, failedCalls: 0, retryCalls: o.retries ?? 0, unpricedCalls: o.unpriced ?? 0, inputTokens: 100n, outputTokens: 10n,
      costUsd: o.costUsd, retryCostUsd: "0", failedCostUsd: "0", isLoop: o.loop ?? false, traceIds: [o.key],
    },
  });
}

describe("feature detail: cost per task distribution and task shape", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("gives exact percentiles, 1–2–5 buckets split by outcome, loops and retries; unpriced tasks stay out of the distribution", async () => {
    const { org, user } = await createTestOrg(db);
    const costs = ["0.0011", "0.0012", "0.0015", "0.0031", "0.0042", "0.0055", "0.012", "0.013", "0.021", "0.35"];
    for (const [i, c] of costs.entries()) await insertTask(db, org.id, { key: `t${i}`, feature: "support-bot", costUsd: c, outcome: i === 9 ? "failure" : "success", calls: i === 9 ? 40 : 2, loop: i === 9, retries: i === 8 ? 1 : 0 });
    await insertTask(db, org.id, { key: "unpriced", feature: "support-bot", costUsd: "0.001", unpriced: 1 });
    await insertTask(db, org.id, { key: "other-feature", feature: "search", costUsd: "9" });
    await insertTask(db, org.id, { key: "too-old", feature: "support-bot", costUsd: "9", agoMs: 40 * 24 * HOUR });
    const other = await createTestOrg(db);
    await insertTask(db, other.org.id, { key: "b1", feature: "support-bot", costUsd: "77" });

    const d = await callerFor(db, user).costs.featureDetail({ orgSlug: org.slug, period: "30d", feature: "support-bot" });
    expect(d.distribution).toMatchObject({ pricedTasks: 10, tasksWithUnpricedCalls: 1, maxUsd: "0.350000000000" });
    // percentile_disc: the smallest cost with cumulative share ≥ p (10 tasks: p50 → 5th, p90 → 9th, p99 → 10th).
    expect(d.distribution.p50Usd).toBe("0.004200000000");
    expect(d.distribution.p90Usd).toBe("0.021000000000");
    expect(d.distribution.p99Usd).toBe("0.350000000000");
    const bars = d.distribution.buckets.map((b) => [b.fromUsd, b.successfulTasks, b.otherTasks]);
    // 1–1.5–2–3–5–7 per decade: the finest round series that fits the 18-bucket budget for $0.0011–0.35.
    expect(bars).toEqual([
      ["0.001", 2, 0], ["0.0015", 1, 0], ["0.002", 0, 0], ["0.003", 2, 0], ["0.005", 1, 0], ["0.007", 0, 0], ["0.01", 2, 0], ["0.015", 0, 0],
      ["0.02", 1, 0], ["0.03", 0, 0], ["0.05", 0, 0], ["0.07", 0, 0], ["0.1", 0, 0], ["0.15", 0, 0], ["0.2", 0, 0], ["0.3", 0, 1],
    ]);
    expect(d.distribution.buckets.at(-1)!.toUsd).toBeNull();
    expect(d.shape).toMatchObject({ tasks: 11, successfulTasks: 10, loopTasks: 1, maxCallsPerTask: 40, retryCalls: 1 });
    expect(d.shape.meanCallsPerTask).toBeCloseTo((9 * 2 + 40 + 1) / 11, 6);
  });

  it("an unknown feature (or one only another org has) is empty, not an error", async () => {
    const { org, user } = await createTestOrg(db);
    const other = await createTestOrg(db);
    await insertTask(db, other.org.id, { key: "b1", feature: "secret-feature", costUsd: "5" });
    const d = await callerFor(db, user).costs.featureDetail({ orgSlug: org.slug, period: "7d", feature: "secret-feature" });
    expect(d.distribution).toMatchObject({ pricedTasks: 0, buckets: [], p50Usd: null });
    expect(d.shape.tasks).toBe(0);
    expect(d.totals.calls).toBe(0);
  });

  it("lists only this feature's prompts, with their growth over the last 7 days vs the 28 before", async () => {
    const { org, user } = await createTestOrg(db);
    const day = 86_400_000;
    const today = Math.floor(Date.now() / day) * day;
    const call = (feature: string, promptName: string, daysAgo: number, inputTokens: number) => ({
      orgId: org.id, costUsd: "0.001000000000", priceRef: "test",
      span: span({ traceId: hex(16), startMs: today - daysAgo * day + 3_600_000, attribution: { feature, promptName }, llm: { inputTokens, outputTokens: 10 } }),
    });
    await insertSpans(db.pool, [
      ...[20, 15, 10].map((d) => call("support-bot", "triage", d, 1000)),
      ...[5, 3, 2].map((d) => call("support-bot", "triage", d, 1200)),
      ...[20, 3].map((d) => call("search", "rank", d, 500)),
    ]);
    const d = await callerFor(db, user).costs.featureDetail({ orgSlug: org.slug, period: "30d", feature: "support-bot" });
    expect(d.prompts.map((g) => [g.feature, g.promptName, g.baselineInputTokens, g.recentInputTokens])).toEqual([["support-bot", "triage", 1000, 1200]]);
    expect(d.prompts[0]!.growthRatio).toBeCloseTo(0.2, 6);
  });
});
