import Decimal from "decimal.js";
import type pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { SpanRow } from "../../../server/db/bulk/insert-spans.ts";
import { KEY_LOOKUP_PLANS_ONLY } from "../../../server/db/key-lookup-plans.ts";
import { costFactsSql, sumMeasuresSql } from "../../../server/db/sql/cost-facts.ts";
import { getEnv } from "../../../server/env.ts";
import { createGpuPool } from "../../../server/services/gpu-pools/gpu-pools.ts";
import { markHoursDirty, recomputeRollupHour } from "../../../server/services/costs/recompute-rollups.ts";
import { DELTA_PLAN_SETTINGS, foldRollupDeltas, INSERT_INGEST_DELTAS_SQL, RECORD_DELTAS_SQL, taskFactArrays } from "../../../server/services/costs/rollup-deltas.ts";
import { storeSpanBatch, storeSpanBatchDurably } from "../../../server/services/settlement/store-span-batch.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { hex, span } from "../../fixtures/spans.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { runWorkerUntilIdle } from "../../helpers/worker.ts";

const OPTIONS = { loopCallThreshold: getEnv().INFERLEDGER_LOOP_CALL_THRESHOLD };
const HOUR = 3_600_000;
const D = Date.UTC(2026, 10, 20); // 2026-11-20T00:00Z: the traces below straddle the day boundary
const TABLES = [
  ["hourly_rollups", "hour, feature, task_type, provider, model, customer_id"],
  ["hourly_feature_rollups", "hour, feature, task_type, provider, model"],
  ["daily_rollups", "day, feature, task_type, provider, model, customer_id"],
  ["daily_feature_rollups", "day, feature, task_type, provider, model"],
] as const;

/** A whole trace: a root with task context and outcome, and `calls` model calls (the first may fail and be retried). */
/** The test database's pool, recording the text of every statement its clients run (restored on release). */
function countingPool(statements: string[]): pg.Pool {
  const pool = testDb().pool;
  const connect = async () => {
    const client = await pool.connect();
    const query = client.query;
    const release = client.release;
    client.query = ((config: unknown, ...rest: unknown[]) => {
      statements.push(typeof config === "string" ? config : String((config as { text?: string }).text ?? ""));
      return (query as (...args: unknown[]) => unknown).call(client, config, ...rest);
    }) as typeof client.query;
    client.release = (error?: Error | boolean) => {
      client.query = query;
      client.release = release;
      return release.call(client, error);
    };
    return client;
  };
  return new Proxy(pool, {
    get: (target, prop) => {
      if (prop === "connect") return connect;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value; // pool.query etc. on the real pool
    },
  });
}

function trace(orgId: string, i: number, traceId = hex(16)): SpanRow[] {
  const startMs = D - 2 * HOUR + i * 17 * 60_000; // every 17 minutes from 22:00 on, into the next day
  const root = span({
    traceId, startMs, durationMs: 30_000,
    attribution: { feature: ["support", "search", "summarize"][i % 3]!, taskType: i % 2 ? "ticket" : "query", customerId: `c${i % 4}`, taskOutcome: i % 5 === 0 ? "failure" : "success" },
  });
  const spans = [root];
  const calls = 1 + (i % 3);
  for (let c = 0; c < calls; c++) {
    const failed = i % 4 === 0 && c === 0 && calls > 1;
    spans.push(span({
      traceId, parentSpanId: root.spanId, startMs: startMs + 10 + c * 1000, status: failed ? "error" : "ok",
      attribution: c > 0 && i % 4 === 0 ? { retryAttempt: c } : {},
      llm: { inputTokens: 1000 + 37 * i, outputTokens: 50 + c, cacheReadTokens: i % 2 ? 200 : 0, model: i % 6 === 5 ? "mystery-model" : "gpt-4o-mini" },
    }));
  }
  return spans.map((s) => ({
    orgId, span: s,
    // An unknown model stays unpriced (null), never $0.
    costUsd: s.llm ? (s.llm.model === "mystery-model" ? null : `0.000${(210 + i).toString().padStart(3, "0")}123456789`) : null,
    priceRef: s.llm ? "catalog" : null,
  }));
}

describe("rollup deltas: what ingest settles is folded into the rollups, exactly once", () => {
  const db = testDb();
  afterAll(closeTestDb);

  const snapshot = async (orgId: string) => {
    const out: Record<string, unknown[]> = {};
    for (const [table, order] of TABLES) {
      out[table] = (await db.pool.query(`SELECT * FROM ${table} WHERE org_id = $1 ORDER BY ${order}`, [orgId])).rows;
    }
    return out;
  };
  const pendingDeltas = async (orgId: string) => Number((await db.pool.query("SELECT count(*) AS n FROM rollup_deltas WHERE org_id = $1", [orgId])).rows[0].n);
  const dirtyHours = async (orgId: string) => Number((await db.pool.query("SELECT count(*) AS n FROM dirty_hours WHERE org_id = $1", [orgId])).rows[0].n);
  const hourTotals = async (orgId: string) =>
    (await db.pool.query(`SELECT sum(calls)::int AS calls, sum(tasks)::int AS tasks, sum(api_cost_usd)::text AS api FROM hourly_rollups WHERE org_id = $1`, [orgId])).rows[0];
  const allHours = () => Array.from({ length: 5 }, (_, h) => new Date(D - 2 * HOUR + h * HOUR));

  it("folded deltas equal a full recompute of the same hours, row for row, in all four tables", async () => {
    const { org } = await createTestOrg(db);
    for (let b = 0; b < 4; b++) {
      const batch = [0, 1, 2].flatMap((k) => trace(org.id, b * 3 + k));
      expect(await storeSpanBatchDurably(db.pool, batch, OPTIONS)).toMatchObject({ settledTraces: 3, dirtyTraces: 0 });
    }
    expect(await pendingDeltas(org.id)).toBeGreaterThan(0);
    expect(await dirtyHours(org.id)).toBe(0); // nothing left to re-sum from spans

    await runWorkerUntilIdle(db);
    expect(await pendingDeltas(org.id)).toBe(0);
    const folded = await snapshot(org.id);
    const facts = (await db.pool.query(`SELECT ${sumMeasuresSql()} FROM (${costFactsSql()}) f`, [org.id, new Date(D - 3 * HOUR), new Date(D + 3 * HOUR)])).rows[0];
    const hourly = (await db.pool.query(`SELECT ${sumMeasuresSql("h")} FROM hourly_rollups h WHERE org_id = $1`, [org.id])).rows[0];
    const exact = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, new Decimal(String(v)).toFixed()]));
    expect(exact(hourly)).toEqual(exact(facts));
    expect(Number(hourly.tasks)).toBe(12);
    expect(Number(hourly.unpriced_calls)).toBeGreaterThan(0);

    await markHoursDirty({ db, orgId: org.id, hours: allHours() });
    await runWorkerUntilIdle(db);
    expect(await snapshot(org.id)).toEqual(folded);
  });

  it("deltas summed in memory (12-decimal prices) and in the database (any other amount) both equal the stored facts", async () => {
    const factsByGroup = (orgId: string) => db.pool.query(
      `SELECT f.hour, f.feature, f.task_type, f.provider, f.model, f.customer_id, ${sumMeasuresSql()}
       FROM (${costFactsSql()}) f GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`,
      [orgId, new Date(D - 3 * HOUR), new Date(D + 3 * HOUR)],
    );
    const deltasByGroup = (orgId: string) => db.pool.query(
      `SELECT hour, feature, task_type, provider, model, customer_id, ${sumMeasuresSql("d")}
       FROM rollup_deltas d WHERE org_id = $1 GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`,
      [orgId],
    );
    const exact = (rows: Record<string, unknown>[]) =>
      rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : /_usd$|tokens|calls|tasks/.test(k) ? new Decimal(String(v)).toFixed() : v])));
    // The pricer's form (12 decimals, below $1,000) is summed in memory; $1,000 or a longer fraction goes to the database.
    const cents = (i: number) => `0.${String(i + 1).padStart(4, "0")}00000001`;
    for (const [costOf, label] of [[cents, "in memory"], [(i: number) => (i === 4 ? "1234.500000000001" : cents(i)), "in the database"]] as const) {
      const { org } = await createTestOrg(db);
      const batch = [0, 1, 2, 3, 4, 5].flatMap((k) => trace(org.id, k)).map((row, i) => ({ ...row, costUsd: row.costUsd === null ? null : costOf(i) }));
      expect(await storeSpanBatchDurably(db.pool, batch, OPTIONS), label).toMatchObject({ settledTraces: 6, dirtyTraces: 0 });
      const facts = exact((await factsByGroup(org.id)).rows);
      expect(facts.length, label).toBeGreaterThan(3);
      expect(exact((await deltasByGroup(org.id)).rows), label).toEqual(facts);
    }
  });

  it("a re-sent batch adds no delta; another org's identical trace ids roll up into that org only", async () => {
    const a = (await createTestOrg(db)).org.id;
    const b = (await createTestOrg(db)).org.id;
    const ids = [hex(16), hex(16)];
    const batchA = ids.flatMap((id, k) => trace(a, k, id));
    await storeSpanBatchDurably(db.pool, batchA, OPTIONS);
    const deltasAfterFirst = await pendingDeltas(a);
    expect(await storeSpanBatchDurably(db.pool, batchA, OPTIONS)).toMatchObject({ insertedSpans: 0 });
    expect(await pendingDeltas(a)).toBe(deltasAfterFirst);
    await storeSpanBatchDurably(db.pool, [trace(b, 1, ids[0])].flat(), OPTIONS);
    await runWorkerUntilIdle(db);
    expect(await hourTotals(a)).toMatchObject({ calls: 3, tasks: 2 }); // trace 0: 1 call, trace 1: 2 calls
    expect(await hourTotals(b)).toMatchObject({ calls: 2, tasks: 1 });
  });

  it("an org whose GPU pool may serve a call gets its hours recomputed instead (GPU cost is known only then)", async () => {
    const { org, systemCtx } = await createTestOrg(db);
    await createGpuPool({ ctx: systemCtx, input: { name: "mini", gpuType: "h100-sxm", gpuCount: 1, usdPerGpuHour: "2.00", servesModels: ["gpt-4o-mini"] } });
    await storeSpanBatchDurably(db.pool, trace(org.id, 1), OPTIONS);
    expect(await pendingDeltas(org.id)).toBe(0);
    expect(await dirtyHours(org.id)).toBe(1);
    await runWorkerUntilIdle(db);
    expect(await hourTotals(org.id)).toMatchObject({ calls: 2, tasks: 1 });

    // The next batch of the org goes to the recompute at once: no INSERT of in-memory sums that finds the pool first.
    const statements: string[] = [];
    await storeSpanBatchDurably(countingPool(statements), trace(org.id, 2), OPTIONS);
    expect(statements.filter((sql) => sql === INSERT_INGEST_DELTAS_SQL)).toHaveLength(0);
    expect(statements.filter((sql) => sql === RECORD_DELTAS_SQL)).toHaveLength(1);
    expect(statements.some((sql) => sql.includes("COPY spans") || sql.includes("INSERT INTO spans"))).toBe(true); // it went through this pool
    expect(await pendingDeltas(org.id)).toBe(0);
    expect(await dirtyHours(org.id)).toBe(1);
    await runWorkerUntilIdle(db);
    expect(await hourTotals(org.id)).toMatchObject({ calls: 2 + 3, tasks: 2 }); // trace i has 1 + i % 3 calls
  });

  it("a recompute absorbs the pending deltas it counted: a later fold adds nothing twice", async () => {
    const { org } = await createTestOrg(db);
    const hour = new Date(D - 2 * HOUR);
    await storeSpanBatchDurably(db.pool, trace(org.id, 0), OPTIONS); // pending delta: 1 call, 1 task
    await recomputeRollupHour({ db, orgId: org.id, hour });
    expect(await pendingDeltas(org.id)).toBe(0);
    expect(await hourTotals(org.id)).toMatchObject({ calls: 1, tasks: 1 });
    expect(await foldRollupDeltas({ db })).toBeGreaterThanOrEqual(0);
    expect(await hourTotals(org.id)).toMatchObject({ calls: 1, tasks: 1 });
  });

  // Needs a second session holding a transaction open; embedded PGlite serves one.
  it.runIf(inject("databaseKind") === "postgresql")("a batch committed after a recompute's snapshot keeps its delta for the next fold", async () => {
    const { org } = await createTestOrg(db);
    const hour = new Date(D - 2 * HOUR);
    await storeSpanBatchDurably(db.pool, trace(org.id, 0), OPTIONS);
    const open = await db.pool.connect();
    try {
      await open.query(`BEGIN; ${KEY_LOOKUP_PLANS_ONLY}`);
      await storeSpanBatch(open, trace(org.id, 3), OPTIONS); // same hour, 1 call, settled, not yet committed
      await recomputeRollupHour({ db, orgId: org.id, hour }); // sees neither its spans nor its delta
      expect(await hourTotals(org.id)).toMatchObject({ calls: 1, tasks: 1 });
      await open.query("COMMIT");
    } finally {
      open.release();
    }
    expect(await pendingDeltas(org.id)).toBeGreaterThan(0);
    await runWorkerUntilIdle(db);
    expect(await hourTotals(org.id)).toMatchObject({ calls: 2, tasks: 2 });
    const folded = await snapshot(org.id);
    await markHoursDirty({ db, orgId: org.id, hours: [hour] });
    await runWorkerUntilIdle(db);
    expect(await snapshot(org.id)).toEqual(folded);
  });

  it("finds the batch's spans by primary key, whatever the statistics say about the org", async () => {
    const { org } = await createTestOrg(db);
    const batch = [0, 1, 2, 3].flatMap((k) => trace(org.id, k));
    await storeSpanBatchDurably(db.pool, batch, OPTIONS);
    const traceIds = [...new Set(batch.map((r) => r.span.traceId))];
    const client = await db.pool.connect();
    try {
      await client.query(`BEGIN; ${KEY_LOOKUP_PLANS_ONLY}; ${DELTA_PLAN_SETTINGS}`);
      const plan = (await client.query(`EXPLAIN ${RECORD_DELTAS_SQL}`, [org.id, traceIds, ...taskFactArrays([])])).rows.map((r) => r["QUERY PLAN"] as string).join("\n");
      await client.query("ROLLBACK");
      // One probe per trace id through the primary key (what `= ANY` was not: a walk over the org's spans by time);
      // the claimed tasks come as parameters, not from the table.
      expect(plan.match(/Index Scan using (\w+) on spans/g)).toEqual(["Index Scan using spans_pkey on spans", "Index Scan using spans_pkey on spans"]);
      expect(plan).not.toMatch(/on tasks/);
    } finally {
      client.release();
    }
  });
});
