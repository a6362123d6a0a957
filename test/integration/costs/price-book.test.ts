import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, createTestOrg } from "../../fixtures/factories.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

describe("prices.catalog: the price book with the org's effective prices", () => {
  const db = testDb();
  let a: Awaited<ReturnType<typeof createTestOrg>>;
  let b: Awaited<ReturnType<typeof createTestOrg>>;

  beforeAll(async () => {
    a = await createTestOrg(db);
    b = await createTestOrg(db);
    // Past validFrom: nothing to re-price in a fresh org, but the override is in force now.
    await callerFor(db, a.user).prices.createOverride({ orgSlug: a.org.slug, override: { provider: "openai", model: "gpt-4o-mini", discountPercent: "20", validFrom: new Date("2026-01-01T00:00:00Z") } });
    await callerFor(db, b.user).prices.createOverride({ orgSlug: b.org.slug, override: { provider: "openai", model: "gpt-4o-mini", inputUsdPerMTok: "0.05", outputUsdPerMTok: "0.2", validFrom: new Date("2026-01-01T00:00:00Z") } });
  });
  afterAll(closeTestDb);

  it("finds a model by search, with catalog rates per 1M tokens and the org's own override applied", async () => {
    const page = await callerFor(db, a.user).prices.catalog({ orgSlug: a.org.slug, query: { search: "gpt-4o-mini", provider: "openai" } });
    const row = page.rows.find((r) => r.model === "gpt-4o-mini")!;
    // @pydantic/genai-prices 0.1.8: gpt-4o-mini 0.15 in / 0.075 cached / 0.6 out per 1M tokens.
    expect(row.catalog).toEqual({ input: { usdPerMTok: "0.15", tiers: [] }, cachedInput: { usdPerMTok: "0.075", tiers: [] }, cacheWrite: null, output: { usdPerMTok: "0.6", tiers: [] } });
    expect(row.current).toBe(true);
    // 20% off: 0.12 / 0.06 / 0.48.
    expect(row.effective).toMatchObject({ kind: "discount", discountPercent: "20", input: { usdPerMTok: "0.12" }, cachedInput: { usdPerMTok: "0.06" }, output: { usdPerMTok: "0.48" } });
    expect(page.rows.every((r) => `${r.provider}/${r.model}/${r.name}`.toLowerCase().includes("gpt-4o-mini"))).toBe(true);
    // Org B sees its own contract price, never A's discount.
    const asB = await callerFor(db, b.user).prices.catalog({ orgSlug: b.org.slug, query: { search: "gpt-4o-mini", provider: "openai" } });
    expect(asB.rows.find((r) => r.model === "gpt-4o-mini")!.effective).toMatchObject({ kind: "contract", input: { usdPerMTok: "0.05" }, output: { usdPerMTok: "0.2" }, cachedInput: null });
  });

  it("shows long-context tiers", async () => {
    const page = await callerFor(db, a.user).prices.catalog({ orgSlug: a.org.slug, query: { search: "gemini-2.5-pro", provider: "google" } });
    const row = page.rows.find((r) => r.model === "gemini-2.5-pro")!;
    expect(row.catalog.input).toEqual({ usdPerMTok: "1.25", tiers: [{ aboveInputTokens: 200000, usdPerMTok: "2.5" }] });
    expect(row.catalog.output).toEqual({ usdPerMTok: "10", tiers: [{ aboveInputTokens: 200000, usdPerMTok: "15" }] });
    expect(row.effective).toBeNull();
  });

  it("pages on the server: disjoint pages, stable total; LIKE wildcards are searched literally", async () => {
    const asA = callerFor(db, a.user);
    const p1 = await asA.prices.catalog({ orgSlug: a.org.slug, query: { pageSize: 10, page: 1 } });
    const p2 = await asA.prices.catalog({ orgSlug: a.org.slug, query: { pageSize: 10, page: 2 } });
    expect(p1.total).toBeGreaterThan(500);
    expect(p2.total).toBe(p1.total);
    expect(p1.rows).toHaveLength(10);
    expect(p1.rows.map((r) => r.id).filter((id) => p2.rows.some((r) => r.id === id))).toEqual([]);
    expect(p1.providers).toContain("anthropic");
    const history = await asA.prices.catalog({ orgSlug: a.org.slug, query: { includeHistory: true, pageSize: 1 } });
    expect(history.total).toBeGreaterThanOrEqual(p1.total);
    expect((await asA.prices.catalog({ orgSlug: a.org.slug, query: { search: "%" } })).total).toBe(0);
    expect((await asA.prices.catalog({ orgSlug: a.org.slug, query: { search: "no-such-model-xyz" } })).rows).toEqual([]);
  });

  it("rejects bad paging with a clear error", async () => {
    await expect(callerFor(db, a.user).prices.catalog({ orgSlug: a.org.slug, query: { pageSize: 1000 } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
