import { afterAll, describe, expect, it } from "vitest";
import { insertSpans } from "../../../server/db/bulk/insert-spans.ts";
import { FEATURE_TASKS_CSV_HEADER } from "../../../server/domain/costs/feature-tasks-csv.ts";
import { hex, span } from "../../fixtures/spans.ts";
import { callerFor, createTestOrg } from "../../fixtures/factories.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { runWorkerUntilIdle } from "../../helpers/worker.ts";

const HOUR = 3_600_000;

describe("feature page CSV export: the feature's tasks in the period", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("exports settled tasks with exact cost, cached tokens from their spans, and 'unpriced' (never 0) for unpriced tasks", async () => {
    const { org, user } = await createTestOrg(db);
    const startMs = Date.now() - 3 * HOUR;
    const attribution = (taskId: string) => ({ feature: "csv-bot", taskType: "triage", taskId });
    const priced = hex(16);
    const unpriced = hex(16);
    await insertSpans(db.pool, [
      { orgId: org.id, costUsd: "0.000123456789", priceRef: "test", span: span({ traceId: priced, startMs, attribution: attribution("task-priced"), llm: { inputTokens: 1000, cacheReadTokens: 300, cacheWriteTokens: 50, outputTokens: 20 } }) },
      { orgId: org.id, costUsd: "0.100000000000", priceRef: "test", span: span({ traceId: priced, startMs: startMs + 2000, attribution: attribution("task-priced"), llm: { inputTokens: 500, cacheReadTokens: 200, outputTokens: 10 } }) },
      { orgId: org.id, costUsd: null, priceRef: null, span: span({ traceId: unpriced, startMs: startMs + 60_000, attribution: attribution("task-unpriced"), llm: { inputTokens: 10, outputTokens: 1 } }) },
      { orgId: org.id, costUsd: "5.000000000000", priceRef: "test", span: span({ traceId: hex(16), startMs, attribution: { feature: "other-feature", taskId: "task-other" }, llm: { inputTokens: 1, outputTokens: 1 } }) },
    ]);
    // As the ingest pipeline does: mark the traces for settlement, which builds their tasks.
    await db.pool.query(`INSERT INTO dirty_traces (org_id, trace_id) SELECT $1, t FROM unnest($2::text[]) AS t`, [org.id, [priced, unpriced]]);
    await runWorkerUntilIdle(db);

    const out = await callerFor(db, user).costs.featureTasksCsv({ orgSlug: org.slug, period: "7d", feature: "csv-bot" });
    expect(out).toMatchObject({ rows: 2, truncated: false });
    expect(out.filename).toMatch(/^feature-csv-bot-7d-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = out.csv.trimEnd().split("\r\n").map((l) => l.split(","));
    expect(lines[0]).toEqual(FEATURE_TASKS_CSV_HEADER);
    const byId = new Map(lines.slice(1).map((l) => [l[0], Object.fromEntries(FEATURE_TASKS_CSV_HEADER.map((h, i) => [h, l[i]]))]));
    expect(byId.get("task-priced")).toMatchObject({
      task_type: "triage", outcome: "success", calls: "2", unpriced_calls: "0", input_tokens: "1500", cached_input_tokens: "500",
      cache_write_tokens: "50", output_tokens: "30", cost_usd: "0.100123456789", started_at_utc: new Date(startMs).toISOString(),
    });
    expect(byId.get("task-unpriced")).toMatchObject({ calls: "1", unpriced_calls: "1", cost_usd: "unpriced" });
    // Newest first.
    expect(lines.slice(1).map((l) => l[0])).toEqual(["task-unpriced", "task-priced"]);
  });

  it("an unknown feature exports just the header", async () => {
    const { org, user } = await createTestOrg(db);
    const out = await callerFor(db, user).costs.featureTasksCsv({ orgSlug: org.slug, period: "30d", feature: "nothing-here" });
    expect(out).toMatchObject({ rows: 0, truncated: false, csv: `${FEATURE_TASKS_CSV_HEADER.join(",")}\r\n` });
  });
});
