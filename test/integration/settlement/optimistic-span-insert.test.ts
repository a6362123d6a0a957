import { afterAll, describe, expect, it } from "vitest";
import { isSpanKeyConflict, type SpanRow } from "../../../server/db/bulk/insert-spans.ts";
import { InsertModePolicy } from "../../../server/domain/ingest/insert-mode-policy.ts";
import { getEnv } from "../../../server/env.ts";
import { storeSpanBatchDurably } from "../../../server/services/settlement/store-span-batch.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { hex, span } from "../../fixtures/spans.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

const usage = { inputTokens: 1000, outputTokens: 100 };
const loopCallThreshold = getEnv().INFERLEDGER_LOOP_CALL_THRESHOLD;

/** A root with two model calls under it: settled at ingest when its batch holds it whole. */
function traceRows(orgId: string, atMs: number): SpanRow[] {
  const traceId = hex(16);
  const root = span({ traceId, startMs: atMs, attribution: { feature: "support", taskType: "ticket" } });
  const calls = [0, 1].map((i) => span({ traceId, parentSpanId: root.spanId, startMs: atMs + 10 + i * 100, llm: usage }));
  return [root, ...calls].map((s) => ({ orgId, span: s, costUsd: s.llm ? "0.000210000000" : null, priceRef: s.llm ? "catalog" : null }));
}

/**
 * The collector inserts spans without ON CONFLICT first (one btree descent per span instead of two) and, when a span
 * was stored before, rolls the whole transaction back and runs it again deduplicating: nothing of the failed attempt
 * may survive, and a re-sent span is still stored once.
 */
describe("optimistic span insert: fresh first, dedupe after a conflict", () => {
  const db = testDb();
  afterAll(closeTestDb);
  const at = Date.now() - 3_600_000;

  const counts = async (orgId: string) =>
    (await db.pool.query<{ spans: number; tasks: number; dirty: number; cost: string | null }>(
      `SELECT (SELECT count(*)::int FROM spans WHERE org_id = $1) AS spans, (SELECT count(*)::int FROM tasks WHERE org_id = $1) AS tasks,
         (SELECT count(*)::int FROM dirty_traces WHERE org_id = $1) AS dirty, (SELECT sum(cost_usd)::text FROM tasks WHERE org_id = $1) AS cost`,
      [orgId],
    )).rows[0]!;

  it("a batch partly re-sent is stored once, settled once, and switches the policy to dedupe", async () => {
    const { org } = await createTestOrg(db);
    const policy = new InsertModePolicy(2);
    const first = traceRows(org.id, at);
    expect(await storeSpanBatchDurably(db.pool, first, { loopCallThreshold, insertPolicy: policy })).toEqual({ insertedSpans: 3, settledTraces: 1, dirtyTraces: 0 });
    expect(policy.next()).toBe("fresh"); // no conflict so far

    // A re-send of the first trace together with a new one: the fresh attempt conflicts, the retry stores the new trace.
    const second = traceRows(org.id, at + 1000);
    const result = await storeSpanBatchDurably(db.pool, [...first, ...second], { loopCallThreshold, insertPolicy: policy });
    expect(result.insertedSpans).toBe(3);
    expect(await counts(org.id)).toEqual({ spans: 6, tasks: 2, dirty: 0, cost: "0.000840000000" });
    // The re-sent trace had history, so it is not settled at ingest again; it is not
    // double counted: nothing of it was new, so nothing is marked either, and the cost is two tasks' worth.
    expect(policy.next()).toBe("dedupe");
  });

  it("a batch holding the same span twice is stored once", async () => {
    const { org } = await createTestOrg(db);
    const rows = traceRows(org.id, at);
    const result = await storeSpanBatchDurably(db.pool, [...rows, rows[1]!], { loopCallThreshold, insertPolicy: new InsertModePolicy() });
    expect(result.insertedSpans).toBe(3);
    expect((await counts(org.id)).spans).toBe(3);
  });

  it("only the primary key's unique violation counts as a conflict", () => {
    expect(isSpanKeyConflict({ code: "23505", constraint: "spans_pkey" })).toBe(true);
    expect(isSpanKeyConflict({ code: "23505", constraint: "tasks_pkey" })).toBe(false);
    expect(isSpanKeyConflict({ code: "40P01" })).toBe(false);
    expect(isSpanKeyConflict(null)).toBe(false);
  });
});
