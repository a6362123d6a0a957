import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertSpans } from "../../../server/db/bulk/insert-spans.ts";
import { costFactsSql, MEASURES, sumMeasuresSql } from "../../../server/db/sql/cost-facts.ts";
import { queryCosts } from "../../../server/services/costs/query-costs.ts";
import { markHoursDirty, processDirtyHours } from "../../../server/services/costs/recompute-rollups.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { hex, span } from "../../fixtures/spans.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

const D = Date.UTC(2026, 9, 10); // 2026-10-10T00:00Z
const HOUR = 3_600_000;

/** Sums of each daily table minus the sums of its hours, per key: empty when they agree exactly. */
const MISMATCH_SQL = (hourly: string, daily: string, dims: string) => `
  (SELECT org_id, date_trunc('day', hour, 'UTC') AS day, ${dims}, ${sumMeasuresSql("h")} FROM ${hourly} h WHERE org_id = $1 GROUP BY 1, 2, ${dims}
   EXCEPT SELECT org_id, day, ${dims}, ${MEASURES.join(", ")} FROM ${daily} WHERE org_id = $1)
  UNION ALL
  (SELECT org_id, day, ${dims}, ${MEASURES.join(", ")} FROM ${daily} WHERE org_id = $1
   EXCEPT SELECT org_id, date_trunc('day', hour, 'UTC'), ${dims}, ${sumMeasuresSql("h")} FROM ${hourly} h WHERE org_id = $1 GROUP BY 1, 2, ${dims})`;

describe("daily rollups stay equal to the sums of their hours; long ranges read them exactly", () => {
  const db = testDb();
  let org: Awaited<ReturnType<typeof createTestOrg>>;
  const calls = [
    { at: D - 2 * HOUR + 5 * 60_000, feature: "a", customer: "c1", cost: "0.100000000001" },
    { at: D + 3 * HOUR, feature: "a", customer: "c1", cost: "0.200000000000" },
    { at: D + 3 * HOUR + 60_000, feature: "a", customer: "c2", cost: "0.300000000000" },
    { at: D + 30 * HOUR, feature: "b", customer: "c2", cost: "0.400000000000" },
    { at: D + 49 * HOUR + 10 * 60_000, feature: "b", customer: "c1", cost: "0.500000000000" },
  ];

  beforeAll(async () => {
    org = await createTestOrg(db);
    await insertSpans(db.pool, calls.map((c) => ({
      orgId: org.org.id, costUsd: c.cost, priceRef: "test",
      span: span({ traceId: hex(16), startMs: c.at, attribution: { feature: c.feature, customerId: c.customer }, llm: { inputTokens: 100, outputTokens: 10 } }),
    })));
    await markHoursDirty({ db, orgId: org.org.id, hours: calls.map((c) => new Date(c.at)) });
    while ((await processDirtyHours({ db })) > 0);
  });
  afterAll(closeTestDb);

  async function mismatches(): Promise<number> {
    const a = await db.pool.query(MISMATCH_SQL("hourly_rollups", "daily_rollups", "feature, task_type, provider, model, customer_id"), [org.org.id]);
    const b = await db.pool.query(MISMATCH_SQL("hourly_feature_rollups", "daily_feature_rollups", "feature, task_type, provider, model"), [org.org.id]);
    return a.rowCount! + b.rowCount!;
  }

  it("after the first roll-up, and after an hour is recomputed with changed, moved and removed calls", async () => {
    expect(await mismatches()).toBe(0);
    const { rows } = await db.pool.query<{ day: Date; n: number }>("SELECT day, sum(calls)::int AS n FROM daily_rollups WHERE org_id = $1 GROUP BY day ORDER BY day", [org.org.id]);
    expect(rows.map((r) => [r.day.toISOString().slice(0, 10), r.n])).toEqual([["2026-10-09", 1], ["2026-10-10", 2], ["2026-10-11", 1], ["2026-10-12", 1]]);
    // Re-price one call, move the customer of another, delete the only call of a day: then recompute those hours.
    await db.pool.query("UPDATE spans SET cost_usd = 0.250000000000 WHERE org_id = $1 AND start_time = $2", [org.org.id, new Date(calls[1]!.at)]);
    await db.pool.query("UPDATE spans SET customer_id = 'c9' WHERE org_id = $1 AND start_time = $2", [org.org.id, new Date(calls[2]!.at)]);
    await db.pool.query("DELETE FROM spans WHERE org_id = $1 AND start_time = $2", [org.org.id, new Date(calls[3]!.at)]);
    await markHoursDirty({ db, orgId: org.org.id, hours: [new Date(calls[1]!.at), new Date(calls[3]!.at)] });
    while ((await processDirtyHours({ db })) > 0);
    expect(await mismatches()).toBe(0);
    // The emptied day has no rows left (not a row of zeros).
    const day11 = await db.pool.query("SELECT 1 FROM daily_rollups WHERE org_id = $1 AND day = $2", [org.org.id, new Date(D + 24 * HOUR)]);
    expect(day11.rowCount).toBe(0);
  });

  it("a range over whole days, edge hours and partial edge hours equals the raw facts, with and without customers", async () => {
    const from = new Date(D - 2 * HOUR + 3 * 60_000); // partial hour, then whole hours of 10-09, whole days, whole hours of 10-12, partial hour
    const to = new Date(D + 49 * HOUR + 30 * 60_000);
    const raw = await db.pool.query<{ api_cost_usd: string; calls: string }>(`SELECT ${sumMeasuresSql()} FROM (${costFactsSql()}) f`, [org.org.id, from, to]);
    for (const groupBy of [[], ["feature"], ["customer"], ["day", "feature"]] as const) {
      const r = await queryCosts({ ctx: org.systemCtx, query: { from, to, groupBy: [...groupBy], filters: {} } });
      expect(new Decimal(r.totals.apiCostUsd).eq(raw.rows[0]!.api_cost_usd), groupBy.join(",")).toBe(true);
      expect(r.totals.calls).toBe(Number(raw.rows[0]!.calls));
    }
    const total = await queryCosts({ ctx: org.systemCtx, query: { from, to, groupBy: [], filters: {} } });
    expect(total.totals.apiCostUsd).toBe("1.150000000001"); // 0.100000000001 + 0.25 + 0.3 + 0.5 (the 10-11 call was deleted)
    const byDay = await queryCosts({ ctx: org.systemCtx, query: { from, to, groupBy: ["day"], filters: {} } });
    expect(byDay.rows.map((r) => [r.key.day?.slice(0, 10), r.apiCostUsd])).toEqual([["2026-10-09", "0.100000000001"], ["2026-10-10", "0.550000000000"], ["2026-10-12", "0.500000000000"]]);
  });
});
