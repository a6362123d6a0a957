import { afterAll, describe, expect, it } from "vitest";
import { insertSpans } from "../../../server/db/bulk/insert-spans.ts";
import { processDirtyHours, markHoursDirty } from "../../../server/services/costs/recompute-rollups.ts";
import { createChannel, createRule } from "../../../server/services/alerts/alert-config.ts";
import { deliverOutbox } from "../../../server/services/alerts/deliver-outbox.ts";
import { evaluateOrgAlerts } from "../../../server/services/alerts/evaluate-org-alerts.ts";
import { queueWeeklyDigests } from "../../../server/services/alerts/weekly-digest.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { hex, span } from "../../fixtures/spans.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { startFakeSlack } from "../../helpers/fake-slack.ts";

describe("weekly digest and customer budgets", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("queues one digest per channel per ISO week and delivers it through the outbox", async () => {
    const org = await createTestOrg(db);
    const slack = await startFakeSlack();
    await createChannel({ ctx: org.systemCtx, input: { kind: "slack", name: "#digest", url: slack.url } });
    const now = Date.now();
    const t = now - 2 * 3_600_000;
    await insertSpans(db.pool, [{ orgId: org.org.id, costUsd: "1.500000000000", priceRef: "t", span: span({ traceId: hex(16), startMs: t, attribution: { feature: "bot" }, llm: { inputTokens: 100 } }) }]);
    await markHoursDirty({ db, orgId: org.org.id, hours: [new Date(t)] });
    while ((await processDirtyHours({ db })) > 0);
    expect(await queueWeeklyDigests({ db, nowMs: now })).toBeGreaterThanOrEqual(1);
    expect(await queueWeeklyDigests({ db, nowMs: now + 60_000 })).toBe(0);
    await deliverOutbox({ db, nowMs: now + 120_000 });
    const digest = slack.requests.find((r) => String(r.body.text).includes("weekly digest"));
    expect(digest?.body.text).toContain(org.org.name);
    expect(String(digest?.body.text)).toContain("spend $1.50");
    await slack.close();
  });

  it("sends at most one message per second to the same webhook", async () => {
    const org = await createTestOrg(db);
    const slack = await startFakeSlack();
    const channel = await createChannel({ ctx: org.systemCtx, input: { kind: "slack", name: "#paced", url: slack.url } });
    const t = Date.now() - 3_600_000;
    await insertSpans(db.pool, [
      { orgId: org.org.id, costUsd: "50.000000000000", priceRef: "t", span: span({ traceId: hex(16), startMs: t, attribution: { customerId: "a" }, llm: { inputTokens: 1 } }) },
      { orgId: org.org.id, costUsd: "50.000000000000", priceRef: "t", span: span({ traceId: hex(16), startMs: t, attribution: { customerId: "b" }, llm: { inputTokens: 1 } }) },
    ]);
    await markHoursDirty({ db, orgId: org.org.id, hours: [new Date(t)] });
    while ((await processDirtyHours({ db })) > 0);
    for (const customerId of ["a", "b"]) await createRule({ ctx: org.systemCtx, input: { type: "budget", config: { monthlyBudgetUsd: 1, customerId }, channelId: channel.id } });
    expect((await evaluateOrgAlerts({ ctx: org.systemCtx })).fired).toHaveLength(2);
    const t0 = Date.now() + 10_000;
    expect(await deliverOutbox({ db, nowMs: t0 })).toMatchObject({ sent: 1 });
    const waiting = await db.prisma.alertDelivery.findFirstOrThrow({ where: { orgId: org.org.id, status: "pending" } });
    expect(waiting.nextAttemptAt.getTime()).toBe(t0 + 1_000);
    expect(await deliverOutbox({ db, nowMs: t0 + 500 })).toMatchObject({ sent: 0 });
    expect(await deliverOutbox({ db, nowMs: t0 + 1_000 })).toMatchObject({ sent: 1 });
    expect(slack.requests).toHaveLength(2);
    await slack.close();
  });

  it("a budget scoped to one customer counts only that customer's spend", async () => {
    const org = await createTestOrg(db);
    const t = Date.now() - 3_600_000;
    await insertSpans(db.pool, [
      { orgId: org.org.id, costUsd: "50.000000000000", priceRef: "t", span: span({ traceId: hex(16), startMs: t, attribution: { customerId: "acme" }, llm: { inputTokens: 1 } }) },
      { orgId: org.org.id, costUsd: "5.000000000000", priceRef: "t", span: span({ traceId: hex(16), startMs: t, attribution: { customerId: "globex" }, llm: { inputTokens: 1 } }) },
    ]);
    await markHoursDirty({ db, orgId: org.org.id, hours: [new Date(t)] });
    while ((await processDirtyHours({ db })) > 0);
    await createRule({ ctx: org.systemCtx, input: { type: "budget", config: { monthlyBudgetUsd: 20, customerId: "acme" } } });
    await createRule({ ctx: org.systemCtx, input: { type: "budget", config: { monthlyBudgetUsd: 20, customerId: "globex", actualRatio: 1, forecastRatio: 100 } } });
    const report = await evaluateOrgAlerts({ ctx: org.systemCtx });
    expect(report.fired.map((f) => f.title)).toEqual([expect.stringMatching(/Budget exceeded: customer acme spent \$50\.00 of \$20\.00/)]);
  });
});
