import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannel, createRule } from "../../../server/services/alerts/alert-config.ts";
import { deliverOutbox } from "../../../server/services/alerts/deliver-outbox.ts";
import { evaluateOrgAlerts } from "../../../server/services/alerts/evaluate-org-alerts.ts";
import { callerFor, createTestOrg } from "../../fixtures/factories.ts";
import { startPricedTestCollector } from "../../helpers/collector.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { runWorkerUntilIdle } from "../../helpers/worker.ts";
import { startFakeSlack } from "../../helpers/fake-slack.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 12);
const kv = (o: Record<string, string | number>) => Object.entries(o).map(([key, v]) => ({ key, value: typeof v === "number" ? { intValue: String(v) } : { stringValue: v } }));
const hex = (n: number) => crypto.randomBytes(n).toString("hex");

type Org = Awaited<ReturnType<typeof createTestOrg>>;

describe("alert scenarios on real data through the collector", () => {
  const db = testDb();
  let collector: Awaited<ReturnType<typeof startPricedTestCollector>>;

  beforeAll(async () => {
    collector = await startPricedTestCollector(db);
  });
  afterAll(async () => {
    await collector.stop();
    await closeTestDb();
  });

  async function send(org: Org, spans: object[]) {
    for (let i = 0; i < spans.length; i += 1000) {
      const res = await fetch(`${collector.httpUrl}/v1/traces`, {
        method: "POST",
        headers: { authorization: `Bearer ${org.ingestKey.key}`, "content-type": "application/json" },
        body: JSON.stringify({ resourceSpans: [{ resource: { attributes: kv({ "service.name": "app" }) }, scopeSpans: [{ spans: spans.slice(i, i + 1000) }] }] }),
      });
      expect(res.status).toBe(200);
    }
    await runWorkerUntilIdle(db);
  }

  const llmSpan = (o: { atMs: number; input: number; traceId?: string; parent?: string; error?: boolean; attrs?: Record<string, string | number> }) => ({
    traceId: o.traceId ?? hex(16), spanId: hex(8), parentSpanId: o.parent ?? "", name: "chat", kind: 3,
    startTimeUnixNano: String(BigInt(o.atMs) * 1_000_000n), endTimeUnixNano: String(BigInt(o.atMs + 1000) * 1_000_000n),
    status: o.error ? { code: 2 } : {},
    attributes: kv({ "gen_ai.operation.name": "chat", "gen_ai.provider.name": "anthropic", "gen_ai.request.model": "claude-sonnet-4-20250514", "gen_ai.usage.input_tokens": o.input, "gen_ai.usage.output_tokens": 100, ...o.attrs }),
  });

  it("a prompt that grows 40% fires exactly one prompt-creep alert with the right $ impact, delivered to Slack once", async () => {
    const org = await createTestOrg(db);
    const spans: object[] = [];
    for (let d = 35; d >= 1; d--) {
      for (let c = 0; c < 10; c++) {
        spans.push(llmSpan({ atMs: NOW - d * DAY + c * 60_000, input: d <= 7 ? 14_000 : 10_000, attrs: { "inferledger.feature": "review", "inferledger.prompt.name": "instructions", "inferledger.prompt.version": d <= 7 ? "v8" : "v7" } }));
      }
    }
    await send(org, spans);
    const slack = await startFakeSlack();
    const channel = await createChannel({ ctx: org.systemCtx, input: { kind: "slack", name: "#cost", url: slack.url } });
    await createRule({ ctx: org.systemCtx, input: { type: "prompt_creep", config: { threshold: 0.2 }, channelId: channel.id } });

    const first = await evaluateOrgAlerts({ ctx: org.systemCtx, nowMs: NOW });
    // +4,000 tokens/call × 10 calls/day × 30 days × $3 per 1M input tokens = $3.60 per month
    expect(first.fired).toEqual([expect.objectContaining({ monthlyImpactUsd: "3.60" })]);
    expect(first.fired[0]!.title).toContain("+40%");
    const again = await evaluateOrgAlerts({ ctx: org.systemCtx, nowMs: NOW + 60_000 });
    expect(again).toMatchObject({ fired: [], resolved: [], stillOpen: 1 });

    expect(await deliverOutbox({ db, nowMs: Date.now() })).toMatchObject({ sent: 1 });
    expect(await deliverOutbox({ db, nowMs: Date.now() + 5_000 })).toMatchObject({ sent: 0 });
    expect(slack.requests).toHaveLength(1);
    const body = slack.requests[0]!.body as { text: string; blocks: { type: string }[] };
    expect(body.text).toContain("Prompt creep: review · instructions +40%");
    expect(body.text).toContain("+$3.60/month");
    expect(body.blocks.map((b) => b.type)).toEqual(["header", "section", "actions", "context"]);
    const channels = await db.prisma.alertChannel.findMany({ where: { orgId: org.org.id } });
    expect(channels[0]!.urlEncrypted).not.toContain("XXXXsecret");
    expect(JSON.stringify(await callerFor(db, org.user).alerts.channels({ orgSlug: org.org.slug }))).not.toContain("XXXXsecret");
    await slack.close();
  });

  it("a retry storm fires a waste alert; a quiet org fires nothing", async () => {
    const org = await createTestOrg(db);
    const spans: object[] = [];
    for (let i = 0; i < 60; i++) {
      const traceId = hex(16);
      const root = hex(8);
      spans.push({ traceId, spanId: root, name: "task", startTimeUnixNano: String(BigInt(NOW - DAY + i * 60_000) * 1_000_000n), endTimeUnixNano: String(BigInt(NOW - DAY + i * 60_000 + 9000) * 1_000_000n), attributes: kv({ "inferledger.feature": "bot" }) });
      for (let a = 0; a < 3; a++) spans.push(llmSpan({ traceId, parent: root, atMs: NOW - DAY + i * 60_000 + a * 2000, input: 5000, error: a < 2 }));
    }
    await send(org, spans);
    await createRule({ ctx: org.systemCtx, input: { type: "waste", config: { threshold: 0.3 } } });
    const report = await evaluateOrgAlerts({ ctx: org.systemCtx, nowMs: NOW });
    expect(report.fired).toHaveLength(1);
    expect(report.fired[0]!.title).toMatch(/Waste: 6\d% of/);

    const quiet = await createTestOrg(db);
    for (const type of ["prompt_creep", "cost_regression", "waste", "idle_gpu"] as const) await createRule({ ctx: quiet.systemCtx, input: { type } });
    await createRule({ ctx: quiet.systemCtx, input: { type: "budget", config: { monthlyBudgetUsd: 100 } } });
    expect(await evaluateOrgAlerts({ ctx: quiet.systemCtx, nowMs: NOW })).toMatchObject({ fired: [], resolved: [] });
  });

  it("delivery honours Retry-After on 429, retries 500, and a 410 disables the channel", async () => {
    const org = await createTestOrg(db);
    const slack = await startFakeSlack([{ status: 429, headers: { "retry-after": "3" } }, { status: 500 }, { status: 200 }]);
    const channel = await createChannel({ ctx: org.systemCtx, input: { kind: "slack", name: "#x", url: slack.url } });
    await createRule({ ctx: org.systemCtx, input: { type: "budget", config: { monthlyBudgetUsd: 0.0001 }, channelId: channel.id } });
    await send(org, [llmSpan({ atMs: Date.now() - 3_600_000, input: 10_000 })]);
    expect((await evaluateOrgAlerts({ ctx: org.systemCtx })).fired).toHaveLength(1);
    const t0 = Date.now();
    expect(await deliverOutbox({ db, nowMs: t0 })).toMatchObject({ retried: 1 });
    const after429 = await db.prisma.alertDelivery.findFirstOrThrow({ where: { orgId: org.org.id } });
    expect(after429.nextAttemptAt.getTime()).toBe(t0 + 3000);
    expect(await deliverOutbox({ db, nowMs: t0 + 2000 })).toMatchObject({ sent: 0, retried: 0 });
    expect(await deliverOutbox({ db, nowMs: t0 + 3000 })).toMatchObject({ retried: 1 });
    const after500 = await db.prisma.alertDelivery.findFirstOrThrow({ where: { orgId: org.org.id } });
    expect(await deliverOutbox({ db, nowMs: after500.nextAttemptAt.getTime() })).toMatchObject({ sent: 1 });
    expect(slack.requests).toHaveLength(3);

    const gone = await startFakeSlack([{ status: 410, body: "channel_is_archived" }]);
    const org2 = await createTestOrg(db);
    const ch2 = await createChannel({ ctx: org2.systemCtx, input: { kind: "slack", name: "#gone", url: gone.url } });
    await createRule({ ctx: org2.systemCtx, input: { type: "budget", config: { monthlyBudgetUsd: 0.0001 }, channelId: ch2.id } });
    await send(org2, [llmSpan({ atMs: Date.now() - 3_600_000, input: 10_000 })]);
    await evaluateOrgAlerts({ ctx: org2.systemCtx });
    expect(await deliverOutbox({ db, nowMs: Date.now() + 10_000 })).toMatchObject({ failed: 1 });
    const disabled = await db.prisma.alertChannel.findUniqueOrThrow({ where: { id: ch2.id } });
    expect(disabled.disabledReason).toMatch(/410/);
    await slack.close();
    await gone.close();
  });
});
