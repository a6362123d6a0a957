import crypto from "node:crypto";
import { slackPayload, webhookPayload, type AlertMessage } from "../../domain/alerts/format.ts";
import { publicUrl } from "../../env.ts";
import { NotFoundError, ValidationError } from "../../errors.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";
import { deliverOutbox } from "./deliver-outbox.ts";

export type TestSendResult = { deliveryId: string; status: "sent" | "pending" | "failed"; httpStatus: number | null; error: string | null };

/**
 * "Test-send" from the Alerts page: a clearly-marked test message to one channel (optionally describing a rule),
 * through the real outbox — same pacing, signature and error handling as a real alert — then one delivery pass so the
 * user sees at once whether the webhook works. A disabled channel is refused: enable it first.
 */
export async function testSend({ ctx, channelId, ruleId, fetchImpl }: { ctx: OrgContext; channelId: string; ruleId?: string; fetchImpl?: typeof fetch }): Promise<TestSendResult> {
  requirePermission(ctx, "alerts:manage");
  const channel = await ctx.db.prisma.alertChannel.findFirst({ where: { id: channelId, orgId: ctx.org.id } });
  if (!channel) throw new NotFoundError("alert channel", channelId);
  if (channel.disabledAt) throw new ValidationError(`channel "${channel.name}" is disabled (${channel.disabledReason ?? "unknown reason"}); enable it first`);
  const rule = ruleId ? await ctx.db.prisma.alertRule.findFirst({ where: { id: ruleId, orgId: ctx.org.id } }) : null;
  if (ruleId && !rule) throw new NotFoundError("alert rule", ruleId);
  const id = crypto.randomUUID();
  const eventId = `test:${id}`;
  const idempotencyKey = `test:${ctx.org.id}:${channel.id}:${id}`;
  const message: AlertMessage = {
    kind: "fired",
    severity: rule?.severity ?? "info",
    title: rule ? `Test: ${rule.name}` : "Test message from InferLedger",
    summary: rule
      ? `This is a test of the ${rule.type.replace("_", " ")} rule "${rule.name}" (config ${JSON.stringify(rule.config)}). Real alerts from it will look like this.`
      : `This is a test: alerts for ${ctx.org.name} will arrive in this channel.`,
    monthlyImpactUsd: null,
    fields: [["sent by", ctx.actor.type === "system" ? ctx.actor.name : ctx.actor.type === "user" ? "a member of this org" : "an API key"]],
    evidenceUrl: `${publicUrl()}/o/${ctx.org.slug}/alerts`,
    orgName: ctx.org.name,
  };
  const payload = channel.kind === "slack" ? slackPayload(message) : { ...webhookPayload({ ...message, eventId, idempotencyKey }), type: "alert.test" };
  await ctx.db.prisma.alertDelivery.create({
    data: { id, orgId: ctx.org.id, eventId, channelId: channel.id, kind: "test", idempotencyKey, payload, status: "pending", nextAttemptAt: new Date(), ruleId: rule?.id ?? null },
  });
  await deliverOutbox({ db: ctx.db, fetchImpl, onlyIds: [id], timeoutMs: 5_000 });
  const row = await ctx.db.prisma.alertDelivery.findFirstOrThrow({ where: { id, orgId: ctx.org.id } });
  return { deliveryId: id, status: row.status as TestSendResult["status"], httpStatus: row.lastStatus, error: row.lastError };
}
