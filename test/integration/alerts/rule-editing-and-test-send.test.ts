import { afterAll, describe, expect, it } from "vitest";
import { addTestMember, callerFor, createTestOrg } from "../../fixtures/factories.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { startFakeSlack } from "../../helpers/fake-slack.ts";

describe("alert rules: edit, test-send, channel enable/delete", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("edits a rule's threshold, severity, cooldown, channel and enabled flag; rejects an invalid config", async () => {
    const { org, user } = await createTestOrg(db);
    const asOwner = callerFor(db, user);
    const slack = await startFakeSlack();
    try {
      const channel = await asOwner.alerts.createChannel({ orgSlug: org.slug, channel: { kind: "slack", name: "#costs", url: slack.url } });
      const rule = await asOwner.alerts.createRule({ orgSlug: org.slug, rule: { type: "prompt_creep", config: { threshold: 0.2 } } });
      const updated = await asOwner.alerts.updateRule({ orgSlug: org.slug, id: rule.id, rule: { name: "Prompt creep (strict)", config: { threshold: 0.1 }, severity: "critical", cooldownMinutes: 60, channelId: channel.id, enabled: false } });
      expect(updated).toMatchObject({ name: "Prompt creep (strict)", severity: "critical", cooldownMinutes: 60, channelId: channel.id, enabled: false, type: "prompt_creep" });
      expect((updated.config as { threshold: number }).threshold).toBe(0.1);
      await expect(asOwner.alerts.updateRule({ orgSlug: org.slug, id: rule.id, rule: { config: { threshold: -3 } } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      // A failed edit changed nothing.
      const [stored] = await asOwner.alerts.rules({ orgSlug: org.slug });
      expect((stored!.config as { threshold: number }).threshold).toBe(0.1);
      const detached = await asOwner.alerts.updateRule({ orgSlug: org.slug, id: rule.id, rule: { channelId: null } });
      expect(detached.channelId).toBeNull();
    } finally {
      await slack.close();
    }
  });

  it("test-sends a marked test message to Slack through the outbox and reports what Slack answered", async () => {
    const { org, user } = await createTestOrg(db);
    const asOwner = callerFor(db, user);
    const slack = await startFakeSlack([{ status: 200 }, { status: 410, body: "channel_is_archived" }]);
    try {
      const channel = await asOwner.alerts.createChannel({ orgSlug: org.slug, channel: { kind: "slack", name: "#costs", url: slack.url } });
      const rule = await asOwner.alerts.createRule({ orgSlug: org.slug, rule: { type: "budget", config: { monthlyBudgetUsd: 500 }, channelId: channel.id } });
      const ok = await asOwner.alerts.testSend({ orgSlug: org.slug, channelId: channel.id, ruleId: rule.id });
      expect(ok).toMatchObject({ status: "sent", httpStatus: 200, error: null });
      expect(slack.requests).toHaveLength(1);
      const body = slack.requests[0]!.body as { text: string; blocks: { type: string; text?: { text: string } }[] };
      expect(body.text).toContain("Test: budget");
      expect(JSON.stringify(body.blocks)).toContain("This is a test of the budget rule");
      // Test messages are not alert events.
      expect(await asOwner.alerts.events({ orgSlug: org.slug })).toEqual([]);

      // Slack answers 410 (channel archived): the channel is disabled with the reason, and a further test is refused.
      await new Promise((r) => setTimeout(r, 1_100)); // ≤ 1 message per second per webhook
      const gone = await asOwner.alerts.testSend({ orgSlug: org.slug, channelId: channel.id });
      expect(gone.status).toBe("failed");
      expect(gone.httpStatus).toBe(410);
      const [disabled] = await asOwner.alerts.channels({ orgSlug: org.slug });
      expect(disabled!.disabledAt).not.toBeNull();
      await expect(asOwner.alerts.testSend({ orgSlug: org.slug, channelId: channel.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });

      // Fixed on the Slack side: enable it again, and the next test goes through.
      await asOwner.alerts.enableChannel({ orgSlug: org.slug, id: channel.id });
      await new Promise((r) => setTimeout(r, 1_100));
      expect(await asOwner.alerts.testSend({ orgSlug: org.slug, channelId: channel.id })).toMatchObject({ status: "sent" });
      expect(slack.requests).toHaveLength(3);
    } finally {
      await slack.close();
    }
  });

  it("deleting a channel detaches its rules; viewers can neither edit, test-send nor delete", async () => {
    const { org, user } = await createTestOrg(db);
    const asOwner = callerFor(db, user);
    const channel = await asOwner.alerts.createChannel({ orgSlug: org.slug, channel: { kind: "webhook", name: "hook", url: "http://127.0.0.1:9/hook" } });
    const rule = await asOwner.alerts.createRule({ orgSlug: org.slug, rule: { type: "waste", channelId: channel.id } });
    const asViewer = callerFor(db, await addTestMember(db, org.id, "viewer"));
    await expect(asViewer.alerts.updateRule({ orgSlug: org.slug, id: rule.id, rule: { enabled: false } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asViewer.alerts.testSend({ orgSlug: org.slug, channelId: channel.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asViewer.alerts.deleteChannel({ orgSlug: org.slug, id: channel.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asViewer.alerts.enableChannel({ orgSlug: org.slug, id: channel.id })).rejects.toMatchObject({ code: "FORBIDDEN" });

    await asOwner.alerts.deleteChannel({ orgSlug: org.slug, id: channel.id });
    expect(await asOwner.alerts.channels({ orgSlug: org.slug })).toEqual([]);
    const [kept] = await asOwner.alerts.rules({ orgSlug: org.slug });
    expect(kept).toMatchObject({ id: rule.id, channelId: null });
  });

  it("another org's rule and channel ids are NOT_FOUND through one's own org, and nothing of theirs changes", async () => {
    const a = await createTestOrg(db);
    const b = await createTestOrg(db);
    const asB = callerFor(db, b.user);
    const channel = await asB.alerts.createChannel({ orgSlug: b.org.slug, channel: { kind: "slack", name: "#b", url: "https://hooks.slack.com/services/b" } });
    const rule = await asB.alerts.createRule({ orgSlug: b.org.slug, rule: { type: "waste", channelId: channel.id } });
    const asA = callerFor(db, a.user);
    const onA = { orgSlug: a.org.slug };
    await expect(asA.alerts.updateRule({ ...onA, id: rule.id, rule: { enabled: false } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(asA.alerts.testSend({ ...onA, channelId: channel.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(asA.alerts.deleteChannel({ ...onA, id: channel.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(asA.alerts.enableChannel({ ...onA, id: channel.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // A's own rule cannot be pointed at B's channel.
    const own = await asA.alerts.createRule({ ...onA, rule: { type: "waste" } });
    await expect(asA.alerts.updateRule({ ...onA, id: own.id, rule: { channelId: channel.id } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await asB.alerts.rules({ orgSlug: b.org.slug })).toMatchObject([{ id: rule.id, enabled: true, channelId: channel.id }]);
    expect(await asB.alerts.channels({ orgSlug: b.org.slug })).toHaveLength(1);
  });
});
