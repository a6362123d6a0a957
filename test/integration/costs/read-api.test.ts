import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getCosts } from "../../../app/api/v1/costs/route.ts";
import { GET as getFocus } from "../../../app/api/v1/costs/focus/route.ts";
import { insertSpans } from "../../../server/db/bulk/insert-spans.ts";
import { markHoursDirty, processDirtyHours } from "../../../server/services/costs/recompute-rollups.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { hex, span } from "../../fixtures/spans.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

const H = Date.UTC(2026, 9, 5, 10); // 2026-10-05T10:00Z

describe("read API GET /api/v1/costs over rollups and raw edge hours", () => {
  const db = testDb();
  let a: Awaited<ReturnType<typeof createTestOrg>>;
  let b: Awaited<ReturnType<typeof createTestOrg>>;

  beforeAll(async () => {
    a = await createTestOrg(db);
    b = await createTestOrg(db);
    const t1 = hex(16);
    const t2 = hex(16);
    await insertSpans(db.pool, [
      // org A: two calls at 10:15 (support-bot) and one at 11:30 (search), one failed
      { orgId: a.org.id, costUsd: "0.001500000000", priceRef: "test", span: span({ traceId: t1, startMs: H + 15 * 60_000, attribution: { feature: "support-bot", customerId: "acme" }, llm: { inputTokens: 1000, cacheReadTokens: 200, outputTokens: 100 } }) },
      { orgId: a.org.id, costUsd: "0.000250000000", priceRef: "test", span: span({ traceId: t1, startMs: H + 20 * 60_000, status: "error", attribution: { feature: "support-bot", customerId: "acme" }, llm: { inputTokens: 500 } }) },
      { orgId: a.org.id, costUsd: "0.010000000000", priceRef: "test", span: span({ traceId: t2, startMs: H + 90 * 60_000, attribution: { feature: "search" }, llm: { model: "gpt-4.1", inputTokens: 3000, outputTokens: 500 } }) },
      // an unpriced call: counted, no cost
      { orgId: a.org.id, costUsd: null, priceRef: null, span: span({ traceId: t2, startMs: H + 91 * 60_000, attribution: { feature: "search" }, llm: { model: "mystery-model", inputTokens: 10 } }) },
      // org B: must never show up in A's numbers
      { orgId: b.org.id, costUsd: "5.000000000000", priceRef: "test", span: span({ traceId: hex(16), startMs: H + 15 * 60_000, attribution: { feature: "support-bot" }, llm: { inputTokens: 99999 } }) },
    ]);
    await db.pool.query(
      `INSERT INTO tasks (org_id, task_key, feature, outcome, start_time, end_time, calls, failed_calls, retry_calls, unpriced_calls, input_tokens, output_tokens, cost_usd, retry_cost_usd, failed_cost_usd, primary_provider, primary_model, is_loop, trace_ids)
       VALUES ($1, $2, 'support-bot', 'success', $3, $3, 2, 1, 0, 0, 1500, 100, 0.00175, 0, 0.00025, 'openai', 'gpt-4o-mini', false, ARRAY[$2]),
              ($1, $4, 'search', 'failure', $5, $5, 2, 0, 0, 1, 3010, 500, 0.01, 0, 0, 'openai', 'gpt-4.1', false, ARRAY[$4])`,
      [a.org.id, t1, new Date(H + 15 * 60_000), t2, new Date(H + 90 * 60_000)],
    );
    await markHoursDirty({ db, orgId: a.org.id, hours: [new Date(H), new Date(H + 3_600_000)] });
    await markHoursDirty({ db, orgId: b.org.id, hours: [new Date(H)] });
    while ((await processDirtyHours({ db })) > 0);
  });
  afterAll(closeTestDb);

  const call = (query: string, key = a.readKey.key) =>
    getCosts(new Request(`http://test/api/v1/costs?${query}`, { headers: { authorization: `Bearer ${key}` } }));

  it("totals: exact decimal money, tokens with OTel semantics, unpriced counted but not priced", async () => {
    const res = await call(`from=2026-10-05T00:00:00Z&to=2026-10-06T00:00:00Z`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { currency: string; totals: Record<string, unknown>; rows: unknown[] };
    expect(body.currency).toBe("USD");
    expect(body.rows).toEqual([]);
    expect(body.totals).toMatchObject({
      costUsd: "0.011750000000",
      apiCostUsd: "0.011750000000",
      failedCostUsd: "0.000250000000",
      inputTokens: 4510,
      cachedInputTokens: 200,
      outputTokens: 600,
      calls: 4,
      failedCalls: 1,
      unpricedCalls: 1,
      tasks: 2,
      successfulTasks: 1,
      costPerSuccessfulTaskUsd: "0.011750000000",
    });
    expect(body.totals.ipd).toBeCloseTo(1 / 0.01175, 4);
  });

  it("groups by feature and hour, and filters by model", async () => {
    const res = await call(`from=2026-10-05T00:00:00Z&to=2026-10-06T00:00:00Z&groupBy=feature,hour`);
    const body = (await res.json()) as { rows: { key: Record<string, string>; costUsd: string; calls: number }[] };
    expect(body.rows.map((r) => [r.key.feature, r.key.hour, r.costUsd, r.calls])).toEqual([
      ["search", "2026-10-05T11:00:00.000Z", "0.010000000000", 2],
      ["support-bot", "2026-10-05T10:00:00.000Z", "0.001750000000", 2],
    ]);
    const filtered = (await (await call(`from=2026-10-05T00:00:00Z&to=2026-10-06T00:00:00Z&model=gpt-4.1`)).json()) as { totals: { calls: number } };
    expect(filtered.totals.calls).toBe(1);
  });

  it("answers partial hours exactly from raw facts (half-open [from, to) on call start)", async () => {
    const body = (await (await call(`from=2026-10-05T10:16:00Z&to=2026-10-05T11:30:00Z`)).json()) as { totals: { calls: number; costUsd: string } };
    expect(body.totals).toMatchObject({ calls: 1, costUsd: "0.000250000000" });
    const edge = (await (await call(`from=2026-10-05T10:20:00Z&to=2026-10-05T11:31:00Z`)).json()) as { totals: { calls: number } };
    expect(edge.totals.calls).toBe(2); // 10:20 and 11:30 included; the call at 11:31 is excluded (half-open)
    const past = (await (await call(`from=2026-10-05T10:20:00Z&to=2026-10-05T11:31:00.001Z`)).json()) as { totals: { calls: number } };
    expect(past.totals.calls).toBe(3);
  });

  it("isolates orgs by key: org B's key sees only B", async () => {
    const body = (await (await call(`from=2026-10-05T00:00:00Z&to=2026-10-06T00:00:00Z`, b.readKey.key)).json()) as { totals: { costUsd: string; calls: number } };
    expect(body.totals).toMatchObject({ costUsd: "5.000000000000", calls: 1 });
  });

  it("400 with a message for bad parameters, 401 for bad or ingest keys", async () => {
    for (const q of ["to=2026-10-06T00:00:00Z", "from=yesterday&to=2026-10-06T00:00:00Z", "from=2026-10-06T00:00:00Z&to=2026-10-05T00:00:00Z", "from=2026-10-05T00:00:00Z&to=2026-10-06T00:00:00Z&groupBy=planet"]) {
      const res = await call(q);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(5);
    }
    expect((await call(`from=2026-10-05T00:00:00Z&to=2026-10-06T00:00:00Z`, a.ingestKey.key)).status).toBe(401);
    expect((await call(`from=2026-10-05T00:00:00Z&to=2026-10-06T00:00:00Z`, "il_read_nope")).status).toBe(401);
  });

  it("exports CSV and FOCUS CSV", async () => {
    const csv = await (await call(`from=2026-10-05T00:00:00Z&to=2026-10-06T00:00:00Z&groupBy=feature&format=csv`)).text();
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toMatch(/^feature,costUsd,apiCostUsd/);
    expect(lines).toHaveLength(3);
    const focus = await (await getFocus(new Request(`http://test/api/v1/costs/focus?from=2026-10-05T00:00:00Z&to=2026-10-06T00:00:00Z`, { headers: { authorization: `Bearer ${a.readKey.key}` } }))).text();
    expect(focus.split("\r\n")[0]).toContain("BilledCost");
    expect(focus).toContain("2026-10-05T00:00:00.000Z");
  });
});
