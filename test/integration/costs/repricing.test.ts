import { afterAll, describe, expect, it } from "vitest";
import { insertSpans } from "../../../server/db/bulk/insert-spans.ts";
import { callerFor, createTestOrg } from "../../fixtures/factories.ts";
import { hex, span } from "../../fixtures/spans.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

describe("price overrides: effective-dated, repricing past calls, audited", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("a contract price with a past validFrom reprices only later calls of that model; deleting it restores the catalog price", async () => {
    const { org, user } = await createTestOrg(db);
    const before = Date.UTC(2026, 8, 1, 10);
    const after = Date.UTC(2026, 8, 20, 10);
    const usage = { provider: "openai", model: "gpt-4o-mini", requestModel: "gpt-4o-mini", inputTokens: 10000, outputTokens: 1000 };
    await insertSpans(db.pool, [
      { orgId: org.id, costUsd: "0.002100000000", priceRef: "catalog", span: span({ traceId: hex(16), startMs: before, llm: usage }) },
      { orgId: org.id, costUsd: "0.002100000000", priceRef: "catalog", span: span({ traceId: hex(16), startMs: after, llm: usage }) },
      { orgId: org.id, costUsd: "0.010000000000", priceRef: "catalog", span: span({ traceId: hex(16), startMs: after, llm: { ...usage, model: "gpt-4.1", requestModel: "gpt-4.1" } }) },
    ]);
    const owner = callerFor(db, user);
    // 10k in × $0.10 + 1k out × $0.40 per 1M = $0.0014 (was $0.0021 at catalog $0.15 / $0.60)
    const created = await owner.prices.createOverride({
      orgSlug: org.slug,
      override: { provider: "openai", model: "gpt-4o-mini", inputUsdPerMTok: "0.10", outputUsdPerMTok: "0.40", validFrom: new Date(Date.UTC(2026, 8, 10)) },
    });
    expect(created).toMatchObject({ repricedCalls: 1, deltaUsd: "-0.000700000000" });
    const costs = await db.pool.query<{ start_time: Date; model: string; cost_usd: string; price_ref: string }>("SELECT start_time, model, cost_usd::text, price_ref FROM spans WHERE org_id = $1 ORDER BY start_time, model", [org.id]);
    expect(costs.rows.map((r) => [r.model, r.cost_usd])).toEqual([["gpt-4o-mini", "0.002100000000"], ["gpt-4.1", "0.010000000000"], ["gpt-4o-mini", "0.001400000000"]]);
    expect(costs.rows[2]!.price_ref).toBe(`override:${created.id}`);
    expect(await db.prisma.dirtyTrace.count({ where: { orgId: org.id } })).toBe(1);

    const restored = await owner.prices.deleteOverride({ orgSlug: org.slug, id: created.id });
    expect(restored).toMatchObject({ repricedCalls: 1, deltaUsd: "0.000700000000" });
    const { audits } = await owner.prices.overrides({ orgSlug: org.slug });
    expect(audits.map((a) => [a.action, a.repricedCalls, a.deltaUsd, a.actor])).toEqual([
      ["delete", 1, "0.000700000000", `user:${user.id}`],
      ["create", 1, "-0.000700000000", `user:${user.id}`],
    ]);
  });

  it("only admins and owners manage prices; bad input is a clear 400", async () => {
    const { org } = await createTestOrg(db);
    const { addTestMember } = await import("../../fixtures/factories.ts");
    const finance = await addTestMember(db, org.id, "finance");
    const input = { provider: "openai", model: "gpt-4o", discountPercent: "15", validFrom: new Date() };
    await expect(callerFor(db, finance).prices.createOverride({ orgSlug: org.slug, override: input })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const admin = await addTestMember(db, org.id, "admin");
    await expect(callerFor(db, admin).prices.createOverride({ orgSlug: org.slug, override: { provider: "openai", model: "gpt-4o", validFrom: new Date() } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerFor(db, admin).prices.createOverride({ orgSlug: org.slug, override: input })).resolves.toMatchObject({ repricedCalls: 0 });
  });
});
