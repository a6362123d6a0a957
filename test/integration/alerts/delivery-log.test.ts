import { afterAll, describe, expect, it } from "vitest";
import { deliverOutbox } from "../../../server/services/alerts/deliver-outbox.ts";
import { outboundFetch } from "../../../server/services/net/outbound-request.ts";
import { callerFor, createTestOrg } from "../../fixtures/factories.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { startFakeSlack } from "../../helpers/fake-slack.ts";

describe("alert delivery log: one row per attempt, listed per org", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("a webhook that fails then succeeds leaves two attempt rows, in the delivery's transaction, listed newest first", async () => {
    const { org, user } = await createTestOrg(db);
    const asOwner = callerFor(db, user);
    const slack = await startFakeSlack([{ status: 500, body: "internal_error" }, { status: 200 }]);
    try {
      const channel = await asOwner.alerts.createChannel({ orgSlug: org.slug, channel: { kind: "slack", name: "#costs", url: slack.url } });
      const rule = await asOwner.alerts.createRule({ orgSlug: org.slug, rule: { type: "budget", config: { monthlyBudgetUsd: 500 }, channelId: channel.id } });
      const first = await asOwner.alerts.testSend({ orgSlug: org.slug, channelId: channel.id, ruleId: rule.id });
      expect(first).toMatchObject({ status: "pending", httpStatus: 500 });
      const pending = await db.prisma.alertDelivery.findUniqueOrThrow({ where: { id: first.deliveryId } });
      expect(await deliverOutbox({ db, nowMs: pending.nextAttemptAt.getTime(), onlyIds: [first.deliveryId] })).toMatchObject({ sent: 1 });
      expect(slack.requests).toHaveLength(2);

      const stored = await db.prisma.alertDeliveryAttempt.findMany({ where: { deliveryId: first.deliveryId }, orderBy: { attempt: "asc" } });
      expect(stored.map((a) => [a.attempt, a.outcome, a.httpStatus])).toEqual([[1, "retry", 500], [2, "sent", 200]]);
      expect(stored[0]!.error).toBe("webhook answered 500: internal_error");
      expect(stored[1]!.error).toBeNull();
      expect(stored.every((a) => a.orgId === org.id && a.channelId === channel.id && a.durationMs >= 0)).toBe(true);
      expect(stored[1]!.attemptedAt.getTime()).toBe(pending.nextAttemptAt.getTime());
      // The outbox row agrees with its log.
      expect(await db.prisma.alertDelivery.findUniqueOrThrow({ where: { id: first.deliveryId } })).toMatchObject({ status: "sent", attempts: 2, lastStatus: 200 });

      const log = await asOwner.alerts.deliveryLog({ orgSlug: org.slug });
      expect(log.items.map((i) => [i.attempt, i.outcome, i.httpStatus, i.channelName, i.subject, i.kind])).toEqual([
        [2, "sent", 200, "#costs", "Test: budget", "test"],
        [1, "retry", 500, "#costs", "Test: budget", "test"],
      ]);
      expect(log.nextCursor).toBeNull();
      // Never the webhook URL or its secret path.
      expect(JSON.stringify(log)).not.toContain("XXXXsecret");
    } finally {
      await slack.close();
    }
  });

  it("on a multi-tenant server a channel on a private address is never called, and the log says why", async () => {
    const { org, user } = await createTestOrg(db);
    const asOwner = callerFor(db, user);
    const slack = await startFakeSlack([{ status: 500 }]);
    try {
      const channel = await asOwner.alerts.createChannel({ orgSlug: org.slug, channel: { kind: "webhook", name: "internal", url: slack.url } });
      const denied = outboundFetch({ maxBytes: 64 * 1024, allowPrivateNetworks: false });
      const first = await asOwner.alerts.testSend({ orgSlug: org.slug, channelId: channel.id });
      const pending = await db.prisma.alertDelivery.findUniqueOrThrow({ where: { id: first.deliveryId } });
      await deliverOutbox({ db, nowMs: pending.nextAttemptAt.getTime(), onlyIds: [first.deliveryId], fetchImpl: denied });
      expect(slack.requests).toHaveLength(1); // the test-send itself, with this test's default (private allowed)
      const [attempt] = await db.prisma.alertDeliveryAttempt.findMany({ where: { deliveryId: first.deliveryId, attempt: 2 } });
      expect(attempt).toMatchObject({ httpStatus: null, outcome: "failed" });
      expect(attempt!.error).toBe("the channel's URL is not allowed: refused: 127.0.0.1 is a private, loopback or link-local address (INFERLEDGER_OUTBOUND_PRIVATE_NETWORKS=allow permits it)");
      expect(attempt!.error).not.toContain("XXXXsecret");
      // It would fail the same way every time: the channel is disabled, with the reason, instead of retried.
      expect(await db.prisma.alertChannel.findUniqueOrThrow({ where: { id: channel.id } })).toMatchObject({ disabledReason: "the channel's URL is not allowed" });
    } finally {
      await slack.close();
    }
  });

  it("paginates with a cursor and filters by outcome and channel", async () => {
    const { org, user } = await createTestOrg(db);
    const asOwner = callerFor(db, user);
    const slack = await startFakeSlack([{ status: 503 }, { status: 200 }]);
    try {
      const channel = await asOwner.alerts.createChannel({ orgSlug: org.slug, channel: { kind: "slack", name: "#a", url: slack.url } });
      const other = await asOwner.alerts.createChannel({ orgSlug: org.slug, channel: { kind: "webhook", name: "hook", url: "http://127.0.0.1:9/hook" } });
      const sent = await asOwner.alerts.testSend({ orgSlug: org.slug, channelId: channel.id });
      const pending = await db.prisma.alertDelivery.findUniqueOrThrow({ where: { id: sent.deliveryId } });
      await deliverOutbox({ db, nowMs: pending.nextAttemptAt.getTime(), onlyIds: [sent.deliveryId] });

      const onA = { orgSlug: org.slug };
      const page1 = await asOwner.alerts.deliveryLog({ ...onA, pageSize: 1 });
      expect(page1.items.map((i) => i.attempt)).toEqual([2]);
      expect(page1.nextCursor).not.toBeNull();
      const page2 = await asOwner.alerts.deliveryLog({ ...onA, pageSize: 1, cursor: page1.nextCursor });
      expect(page2.items.map((i) => [i.attempt, i.outcome, i.httpStatus, i.subject])).toEqual([[1, "retry", 503, "Test message"]]);
      expect(page2.nextCursor).toBeNull();

      expect((await asOwner.alerts.deliveryLog({ ...onA, outcome: "retry" })).items.map((i) => i.attempt)).toEqual([1]);
      expect((await asOwner.alerts.deliveryLog({ ...onA, outcome: "failed" })).items).toEqual([]);
      expect((await asOwner.alerts.deliveryLog({ ...onA, channelId: channel.id })).items).toHaveLength(2);
      expect((await asOwner.alerts.deliveryLog({ ...onA, channelId: other.id })).items).toEqual([]);
      await expect(asOwner.alerts.deliveryLog({ ...onA, cursor: "not-a-cursor" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    } finally {
      await slack.close();
    }
  });

  it("logs a give-up without sending (channel deleted) and scrubs a webhook URL echoed back in an error body", async () => {
    const { org, user, systemCtx } = await createTestOrg(db);
    const asOwner = callerFor(db, user);
    const slack = await startFakeSlack();
    try {
      slack.script.push({ status: 400, body: `invalid_payload for ${slack.url}` });
      const channel = await asOwner.alerts.createChannel({ orgSlug: org.slug, channel: { kind: "slack", name: "#echo", url: slack.url } });
      const rejected = await asOwner.alerts.testSend({ orgSlug: org.slug, channelId: channel.id });
      expect(rejected.status).toBe("failed");
      const [echoed] = (await asOwner.alerts.deliveryLog({ orgSlug: org.slug })).items;
      expect(echoed).toMatchObject({ outcome: "failed", httpStatus: 400 });
      expect(echoed!.error).toContain("invalid_payload for [redacted]");
      expect(echoed!.error).not.toContain("XXXXsecret");

      // A queued delivery whose channel is then deleted fails on the next pass, and the log says why.
      await db.prisma.alertDelivery.create({
        data: { id: "orphan-" + org.id, orgId: systemCtx.org.id, eventId: "digest:2026-W48", channelId: channel.id, kind: "digest", idempotencyKey: "orphan-" + org.id, payload: {}, status: "pending" },
      });
      await asOwner.alerts.deleteChannel({ orgSlug: org.slug, id: channel.id });
      expect(await deliverOutbox({ db, onlyIds: ["orphan-" + org.id] })).toMatchObject({ failed: 1 });
      const [gone] = (await asOwner.alerts.deliveryLog({ orgSlug: org.slug })).items;
      expect(gone).toMatchObject({ attempt: 1, outcome: "failed", httpStatus: null, error: "channel deleted", channelName: null, subject: "Weekly digest 2026-W48" });
    } finally {
      await slack.close();
    }
  });
});
