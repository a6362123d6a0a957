import type pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { SpanRow } from "../../../server/db/bulk/insert-spans.ts";
import { KEY_LOOKUP_PLANS_ONLY } from "../../../server/db/key-lookup-plans.ts";
import { getEnv } from "../../../server/env.ts";
import { storeSpanBatch, storeSpanBatchDurably } from "../../../server/services/settlement/store-span-batch.ts";
import { settleDirtyTraces } from "../../../server/services/settlement/settle-dirty-traces.ts";
import { createGpuPool } from "../../../server/services/gpu-pools/gpu-pools.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { hex, span } from "../../fixtures/spans.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { runWorkerUntilIdle } from "../../helpers/worker.ts";

const OPTIONS = { loopCallThreshold: getEnv().INFERLEDGER_LOOP_CALL_THRESHOLD };
const usage = { inputTokens: 1000, outputTokens: 100 };
const rows = (orgId: string, spans: ReturnType<typeof span>[]): SpanRow[] =>
  spans.map((s) => ({ orgId, span: s, costUsd: s.llm ? "0.000210000000" : null, priceRef: s.llm ? "catalog" : null }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An org with a GPU pool that may serve the fixtures' model: what its batches settle marks their hours for a full
 * recompute (dirty_hours rows shared by concurrent batches) instead of appending rollup deltas.
 */
async function createPooledOrg(db: ReturnType<typeof testDb>): Promise<string> {
  const { org, systemCtx } = await createTestOrg(db);
  await createGpuPool({ ctx: systemCtx, input: { name: "mini", gpuType: "h100-sxm", gpuCount: 1, usdPerGpuHour: "2.00", servesModels: ["gpt-4o-mini"] } });
  return org.id;
}

/** A client whose nth query matching `pattern` waits for `gate` before it is sent (to hold a transaction mid-way). */
function gated(client: pg.PoolClient, pattern: RegExp, nth: number, gate: Promise<void>, reached: () => void): pg.PoolClient {
  let seen = 0;
  const query = client.query.bind(client) as (...a: unknown[]) => Promise<unknown>;
  return new Proxy(client, {
    get(target, prop) {
      if (prop !== "query") return Reflect.get(target, prop);
      return async (...a: unknown[]) => {
        if (typeof a[0] === "string" && pattern.test(a[0]) && ++seen === nth) { reached(); await gate; }
        return query(...a);
      };
    },
  });
}

// Races between concurrent transactions need several database sessions; embedded PGlite serves one.
describe.runIf(inject("databaseKind") === "postgresql")("settlement at ingest vs the worker's settler: concurrent transactions", () => {
  const db = testDb();
  afterAll(closeTestDb);
  const at = Date.now() - 2 * 3_600_000;

  it("the worker settling a trace from a late span waits for the uncommitted batch that settled the rest at ingest", async () => {
    const { org } = await createTestOrg(db);
    const traceId = hex(16);
    const root = span({ traceId, startMs: at, durationMs: 10_000, attribution: { feature: "support", taskType: "ticket" } });
    const c1 = span({ traceId, parentSpanId: root.spanId, startMs: at + 10, llm: usage });
    const c2 = span({ traceId, parentSpanId: root.spanId, startMs: at + 500, llm: usage, serviceName: "worker" });
    const a = await db.pool.connect();
    await a.query(`BEGIN; ${KEY_LOOKUP_PLANS_ONLY}`);
    const resA = await storeSpanBatch(a, rows(org.id, [root, c1]), OPTIONS); // settled at ingest, not committed
    await storeSpanBatchDurably(db.pool, rows(org.id, [c2]), OPTIONS); // not whole: marks the trace
    const settling = settleDirtyTraces({ db, nowMs: Date.now() + 60_000 });
    await sleep(300);
    await a.query("COMMIT");
    a.release();
    await settling;
    await runWorkerUntilIdle(db);
    const dirtyLeft = (await db.pool.query("SELECT 1 FROM dirty_traces WHERE org_id = $1", [org.id])).rowCount;
    const tasks = (await db.pool.query("SELECT task_key, calls, feature FROM tasks WHERE org_id = $1", [org.id])).rows;
    const c2res = (await db.pool.query("SELECT resolved_feature FROM spans WHERE org_id = $1 AND span_id = $2", [org.id, c2.spanId])).rows;
    expect(resA).toMatchObject({ settledTraces: 1 });
    expect(dirtyLeft).toBe(0);
    expect(tasks).toEqual([{ task_key: traceId, calls: 2, feature: "support" }]);
    expect(c2res).toEqual([{ resolved_feature: "support" }]);
  });

  it("batches settling traces of one org-hour do not wait for one another (rollup deltas, no shared row)", async () => {
    const { org } = await createTestOrg(db);
    const whole = () => {
      const traceId = hex(16);
      const root = span({ traceId, startMs: at });
      return rows(org.id, [root, span({ traceId, parentSpanId: root.spanId, startMs: at + 1, llm: usage })]);
    };
    const a = await db.pool.connect();
    try {
      await a.query(`BEGIN; ${KEY_LOOKUP_PLANS_ONLY}`);
      expect(await storeSpanBatch(a, whole(), OPTIONS)).toMatchObject({ settledTraces: 1 }); // open, same hour
      const b = await Promise.race([storeSpanBatchDurably(db.pool, whole(), OPTIONS).then(() => "committed"), sleep(5_000).then(() => "waiting")]);
      expect(b).toBe("committed");
      await a.query("COMMIT");
    } finally {
      a.release();
    }
    await runWorkerUntilIdle(db);
    const hour = (await db.pool.query("SELECT sum(calls)::int AS calls, sum(tasks)::int AS tasks FROM hourly_rollups WHERE org_id = $1", [org.id])).rows[0];
    expect(hour).toEqual({ calls: 2, tasks: 2 });
  });

  it("two batches settling traces of two orgs, listed in opposite orders, do not deadlock", async () => {
    const o1 = await createPooledOrg(db);
    const o2 = await createPooledOrg(db);
    const whole = (orgId: string) => {
      const traceId = hex(16);
      const root = span({ traceId, startMs: at });
      return rows(orgId, [root, span({ traceId, parentSpanId: root.spanId, startMs: at + 1, llm: usage })]);
    };
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let reached!: () => void;
    const atGate = new Promise<void>((r) => (reached = r));
    const run = async (batch: SpanRow[], gateSecondHourMark: boolean) => {
      const c = await db.pool.connect();
      try {
        await c.query(`BEGIN; ${KEY_LOOKUP_PLANS_ONLY}`);
        await storeSpanBatch(gateSecondHourMark ? gated(c, /INSERT INTO dirty_hours/, 2, gate, reached) : c, batch, OPTIONS);
        await c.query("COMMIT");
        return "ok";
      } catch (e) {
        await c.query("ROLLBACK");
        return String(e);
      } finally {
        c.release();
      }
    };
    // X holds its first org's hour row; Y, listing the orgs the other way round, must queue behind it, not take
    // the other org's row first (which X needs next: a deadlock).
    const x = run([...whole(o1), ...whole(o2)], true);
    await atGate;
    const y = run([...whole(o2), ...whole(o1)], false);
    await sleep(300);
    open();
    expect(await Promise.all([x, y])).toEqual(["ok", "ok"]);
  });

  it("the worker and an ingest batch marking the same trace and hour do not deadlock", async () => {
    const org = { id: await createPooledOrg(db) };
    const traceId = hex(16);
    const root = span({ traceId, startMs: at });
    const c1 = span({ traceId, parentSpanId: root.spanId, startMs: at + 1, llm: usage });
    await storeSpanBatchDurably(db.pool, rows(org.id, [c1]), OPTIONS); // orphan: marks T
    const late = span({ traceId, parentSpanId: root.spanId, startMs: at + 2, llm: usage });
    const wId = hex(16);
    const w = span({ traceId: wId, startMs: at });
    const batch = rows(org.id, [late, w, span({ traceId: wId, parentSpanId: w.spanId, startMs: at + 1, llm: usage })]);
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let reached!: () => void;
    const atGate = new Promise<void>((r) => (reached = r));
    const c = await db.pool.connect();
    await c.query(`BEGIN; ${KEY_LOOKUP_PLANS_ONLY}`);
    const ingest = storeSpanBatch(gated(c, /INSERT INTO dirty_hours/, 1, gate, reached), batch, OPTIONS).then(() => c.query("COMMIT")).then(() => "ok", async (e) => { await c.query("ROLLBACK"); return String(e); });
    await atGate; // ingest holds dirty_traces(T)
    const settler = settleDirtyTraces({ db, nowMs: Date.now() + 60_000 }).then(() => "ok", (e) => String(e));
    await sleep(300); // settler: marks hour, then waits on dirty_traces(T)
    open();
    const results = await Promise.all([ingest, settler]);
    c.release();
    expect(results).toEqual(["ok", "ok"]);
  });
});
