import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertSpans, type SpanRow } from "../../../server/db/bulk/insert-spans.ts";
import { getPromptGrowth } from "../../../server/services/costs/get-prompt-growth.ts";
import { processPromptDays, readPromptDays } from "../../../server/services/costs/prompt-day-stats.ts";
import { markHoursDirty, processDirtyHours } from "../../../server/services/costs/recompute-rollups.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { hex, span } from "../../fixtures/spans.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 15); // today = 2026-11-20 (UTC)
const TODAY = Math.floor(NOW / DAY) * DAY;

describe("daily prompt statistics: closed days from the rollup table, the rest from raw spans, always the same answer", () => {
  const db = testDb();
  let a: Awaited<ReturnType<typeof createTestOrg>>;
  let b: Awaited<ReturnType<typeof createTestOrg>>;
  const call = (orgId: string, feature: string, promptName: string, atMs: number, inputTokens: number, version = "v1"): SpanRow => ({
    orgId, costUsd: "0.001", priceRef: "test",
    span: span({ traceId: hex(16), startMs: atMs, attribution: { feature, promptName, promptVersion: version, promptSystemTokens: 100 }, llm: { inputTokens, outputTokens: 5 } }),
  });
  async function store(rows: SpanRow[]) {
    await insertSpans(db.pool, rows);
    for (const orgId of new Set(rows.map((r) => r.orgId))) {
      await markHoursDirty({ db, orgId, hours: rows.filter((r) => r.orgId === orgId).map((r) => new Date(Number(r.span.startTimeUnixNano / 1_000_000n))) });
    }
    while ((await processDirtyHours({ db })) > 0);
  }
  const sorted = <T extends { day: string; feature: string; promptName: string }>(xs: T[]) =>
    [...xs].sort((x, y) => x.day.localeCompare(y.day) || x.feature.localeCompare(y.feature) || x.promptName.localeCompare(y.promptName));
  const markedDays = async (orgId: string) =>
    (await db.pool.query<{ day: Date }>("SELECT day FROM prompt_stat_days WHERE org_id = $1 ORDER BY day", [orgId])).rows.map((r) => r.day.getTime());

  beforeAll(async () => {
    a = await createTestOrg(db);
    b = await createTestOrg(db);
    const rows: SpanRow[] = [];
    for (let d = 10; d >= 0; d--) {
      const at = TODAY - d * DAY + 2 * 3_600_000;
      rows.push(call(a.org.id, "support", "triage", at, 1000 + 10 * (10 - d)), call(a.org.id, "support", "triage", at + 60_000, 3000));
      rows.push(call(a.org.id, "support", "triage", at + 120_000, 900), call(a.org.id, "search", "rerank", at, 500, d < 3 ? "v2" : "v1"));
      rows.push(call(b.org.id, "support", "triage", at, 99_999)); // another tenant: never in a's answers
    }
    await store(rows);
  });
  afterAll(closeTestDb);

  it("computes closed days once (not today), and reads them back exactly as the raw-span computation", async () => {
    const from = TODAY - 35 * DAY;
    const live = await readPromptDays(db, a.org.id, from, NOW, null);
    const growthLive = await getPromptGrowth({ ctx: a.systemCtx, nowMs: NOW });
    expect(live.some((d) => d.promptName === "triage" && d.p50InputTokens === 1100 && d.day === new Date(TODAY).toISOString())).toBe(true);
    expect(live.every((d) => d.p50InputTokens !== 99_999)).toBe(true);

    while ((await processPromptDays({ db, nowMs: NOW })) > 0);
    expect(await markedDays(a.org.id)).toEqual(Array.from({ length: 10 }, (_, i) => TODAY - (10 - i) * DAY)); // today stays open

    expect(sorted(await readPromptDays(db, a.org.id, from, NOW, null))).toEqual(sorted(live));
    expect(await getPromptGrowth({ ctx: a.systemCtx, nowMs: NOW })).toEqual(growthLive);
    const searchOnly = await readPromptDays(db, a.org.id, from, NOW, "search");
    expect(searchOnly.length).toBe(11);
    expect(new Set(searchOnly.map((d) => d.promptName))).toEqual(new Set(["rerank"]));
    expect(searchOnly.at(-1)!.versions).toEqual(["v2"]);
  });

  it("a late span on a closed day makes that day stale: read from the spans at once, then recomputed", async () => {
    const day = TODAY - 4 * DAY;
    const before = (await readPromptDays(db, a.org.id, day, day + 1, "support"))[0]!;
    expect(before.calls).toBe(3);
    await store([call(a.org.id, "support", "triage", day + 5 * 3_600_000, 5000), call(a.org.id, "support", "triage", day + 5 * 3_600_000 + 1, 6000)]);
    expect(await markedDays(a.org.id)).not.toContain(day);
    const stale = (await readPromptDays(db, a.org.id, day, day + 1, "support"))[0]!;
    expect([stale.calls, stale.p50InputTokens]).toEqual([5, 3000]); // median of 900, 1060, 3000, 5000, 6000

    while ((await processPromptDays({ db, nowMs: NOW })) > 0);
    expect(await markedDays(a.org.id)).toContain(day);
    const recomputed = (await readPromptDays(db, a.org.id, day, day + 1, "support"))[0]!;
    expect(recomputed).toEqual(stale);
  });
});
