import { afterAll, describe, expect, it } from "vitest";
import { insertSpans } from "../../../server/db/bulk/insert-spans.ts";
import { callerFor, createTestOrg } from "../../fixtures/factories.ts";
import { hex, span } from "../../fixtures/spans.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { runWorkerUntilIdle } from "../../helpers/worker.ts";

describe("pricing review: exact money for small orgs too", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("prices the same usage at other providers' catalog prices to the 1e-12 USD, never rounded to $0.00", async () => {
    const { org, user } = await createTestOrg(db);
    const at = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
    const llm = { provider: "anthropic", model: "claude-sonnet-4-20250514", requestModel: "claude-sonnet-4-20250514", inputTokens: 1000, outputTokens: 100 };
    const traces = Array.from({ length: 12 }, () => hex(16));
    // 12 calls × (1000 × $3 + 100 × $15) / 1M = $0.054 at the catalog's Claude Sonnet 4 price.
    await insertSpans(db.pool, traces.map((traceId, i) => ({ orgId: org.id, costUsd: "0.004500000000", priceRef: "test", span: span({ traceId, startMs: at + i * 60_000, llm }) })));
    await db.pool.query("INSERT INTO dirty_traces (org_id, trace_id, marked_at) SELECT $1, t, now() - interval '1 minute' FROM unnest($2::text[]) t", [org.id, traces]);
    await runWorkerUntilIdle(db);

    const review = await callerFor(db, user).costs.pricingReview({ orgSlug: org.slug });
    const sonnet = review.samePriced.find((m) => m.model === "claude-sonnet-4-20250514")!;
    expect(sonnet.apiCostUsd).toBe("0.054000000000");
    // gpt-4o-mini at $0.15 / $0.60 per 1M: 12,000 × 0.15 + 1,200 × 0.60 = $0.00252 (the old page showed "$0.00").
    const mini = sonnet.alternatives.find((a) => a.provider === "openai" && a.model === "gpt-4o-mini")!;
    expect(mini).toMatchObject({ costUsd: "0.002520000000", savingUsd: "0.051480000000" });
    const top = review.recommendations[0]!;
    expect(top.savingUsdPerPeriod).toBe(sonnet.alternatives[0]!.savingUsd);
    expect(top.detail).toMatch(/would have cost \$0\.00\d{4} instead of \$0\.0540/);
  });
});
