import { afterAll, describe, expect, it } from "vitest";
import { RollupPacer } from "../../../server/domain/costs/rollup-pacing.ts";
import { storeSpanBatchDurably } from "../../../server/services/settlement/store-span-batch.ts";
import { processDirtyHours } from "../../../server/services/costs/recompute-rollups.ts";
import { createGpuPool } from "../../../server/services/gpu-pools/gpu-pools.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { hex, span } from "../../fixtures/spans.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

describe("rollup pacing: a hot hour waits its turn and is still rolled up", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("holds back an hour recomputed a moment ago, keeps it marked, and recomputes it once due", async () => {
    const { org, systemCtx } = await createTestOrg(db);
    // Calls a GPU pool may serve are rolled up by a full recompute of their hour (what is paced); every other call
    // settled at ingest arrives as a rollup delta, folded on every tick (rollup-deltas.test.ts).
    await createGpuPool({ ctx: systemCtx, input: { name: "mini", gpuType: "h100-sxm", gpuCount: 1, usdPerGpuHour: "2.00", servesModels: ["gpt-4o-mini"] } });
    const hourMs = Math.floor((Date.now() - 2 * 3_600_000) / 3_600_000) * 3_600_000;
    const send = async () => {
      const traceId = hex(16);
      const root = span({ traceId, startMs: hourMs + 60_000, attribution: { feature: "support" } });
      const call = span({ traceId, parentSpanId: root.spanId, startMs: hourMs + 60_010, llm: { inputTokens: 1000, outputTokens: 100 } });
      await storeSpanBatchDurably(db.pool, [root, call].map((s) => ({ orgId: org.id, span: s, costUsd: s.llm ? "0.001000000000" : null, priceRef: null })), { loopCallThreshold: 25 });
    };
    const tasksRolledUp = async () =>
      Number((await db.pool.query("SELECT coalesce(sum(tasks), 0) AS n FROM hourly_rollups WHERE org_id = $1", [org.id])).rows[0].n);
    const marked = async () => Number((await db.pool.query("SELECT count(*) AS n FROM dirty_hours WHERE org_id = $1", [org.id])).rows[0].n);
    // Each reading of this clock moves it 0.5 s on: a recompute "takes" 0.5 s, so its hour is then held back 4.5 s.
    let clockMs = 1_000_000;
    const pacer = new RollupPacer({ maxCostShare: 0.1, maxDelayMs: 60_000 });
    const nowMs = () => (clockMs += 500);

    while ((await processDirtyHours({ db, limit: 500 })) > 0); // earlier tests' hours (the queue is shared by all orgs)
    await send();
    expect(await processDirtyHours({ db, pacer, nowMs })).toBe(1);
    expect(await tasksRolledUp()).toBe(1);

    await send(); // more spans for the same hour, a moment later
    expect(await processDirtyHours({ db, pacer, nowMs })).toBe(0);
    expect(await marked()).toBe(1);
    expect(await tasksRolledUp()).toBe(1);

    clockMs += 10_000;
    expect(await processDirtyHours({ db, pacer, nowMs })).toBe(1);
    expect(await marked()).toBe(0);
    expect(await tasksRolledUp()).toBe(2);
  });
});
