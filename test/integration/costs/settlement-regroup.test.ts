import { afterAll, describe, expect, it } from "vitest";
import { insertSpans } from "../../../server/db/bulk/insert-spans.ts";
import type { Db } from "../../../server/db/client.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { hex, span } from "../../fixtures/spans.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { runWorkerUntilIdle } from "../../helpers/worker.ts";

const usage = { inputTokens: 1000, outputTokens: 100 };

async function ingest(db: Db, orgId: string, spans: ReturnType<typeof span>[]) {
  await insertSpans(db.pool, spans.map((s) => ({ orgId, span: s, costUsd: "0.000210000000", priceRef: "catalog" })));
  await db.pool.query(
    "INSERT INTO dirty_traces (org_id, trace_id, marked_at) SELECT $1, t, now() - interval '1 minute' FROM unnest($2::text[]) t ON CONFLICT (org_id, trace_id) DO UPDATE SET marked_at = excluded.marked_at",
    [orgId, [...new Set(spans.map((s) => s.traceId))]],
  );
  await runWorkerUntilIdle(db);
}

const tasksOf = async (db: Db, orgId: string) =>
  (await db.pool.query<{ task_key: string; trace_ids: string[]; calls: number }>("SELECT task_key, trace_ids, calls FROM tasks WHERE org_id = $1 ORDER BY task_key", [orgId])).rows
    .map((r) => [r.task_key, [...r.trace_ids].sort(), r.calls]);

describe("settlement regroups tasks when late spans change which task a trace belongs to", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("two one-trace tasks become one named task; another org's task over the same trace id is untouched", async () => {
    const a = await createTestOrg(db);
    const b = await createTestOrg(db);
    const [t1, t2] = [hex(16), hex(16)].sort();
    const at = Date.now() - 3_600_000;
    // The LLM calls arrive first; their parent (root) spans, which carry the task id, are exported later.
    const [root1, root2] = [hex(8), hex(8)];
    await ingest(db, a.org.id, [span({ traceId: t1!, parentSpanId: root1, startMs: at, llm: usage }), span({ traceId: t2!, parentSpanId: root2, startMs: at + 1000, llm: usage })]);
    await ingest(db, b.org.id, [span({ traceId: t1!, startMs: at, llm: usage })]);
    expect(await tasksOf(db, a.org.id)).toEqual([[t1, [t1], 1], [t2, [t2], 1]]);

    // Late spans name the task both traces served (inferledger.task.id on a root span of each trace).
    await ingest(db, a.org.id, [
      span({ traceId: t1!, spanId: root1, startMs: at - 10, attribution: { taskId: "checkout-42" } }),
      span({ traceId: t2!, spanId: root2, startMs: at + 990, attribution: { taskId: "checkout-42" } }),
    ]);
    const regrouped = await tasksOf(db, a.org.id);
    expect(regrouped).toHaveLength(1);
    expect(regrouped[0]![1]).toEqual([t1, t2]);
    expect(regrouped[0]![2]).toBe(2);
    expect(String(regrouped[0]![0])).toContain("checkout-42");
    expect(await tasksOf(db, b.org.id)).toEqual([[t1, [t1], 1]]);
  });
});
