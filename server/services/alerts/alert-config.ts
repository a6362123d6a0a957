import crypto from "node:crypto";
import { z } from "zod";
import { ALERT_TYPES, DEFAULT_SEVERITY, parseRuleConfig, SEVERITIES } from "../../domain/alerts/rules.ts";
import { NotFoundError, ValidationError } from "../../errors.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";
import { redactUrl, seal } from "./secret-box.ts";

export const ChannelInputSchema = z.object({
  kind: z.enum(["slack", "webhook"]),
  name: z.string().trim().min(1).max(100),
  url: z.string().url().max(2000).refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL"),
});

export async function createChannel({ ctx, input }: { ctx: OrgContext; input: z.input<typeof ChannelInputSchema> }) {
  requirePermission(ctx, "alerts:manage");
  const v = ChannelInputSchema.parse(input);
  const signingSecret = v.kind === "webhook" ? crypto.randomBytes(24).toString("base64url") : null;
  const row = await ctx.db.prisma.alertChannel.create({
    data: { id: crypto.randomUUID(), orgId: ctx.org.id, kind: v.kind, name: v.name, urlEncrypted: seal(v.url), urlHint: redactUrl(v.url), signingSecretEncrypted: signingSecret ? seal(signingSecret) : null },
  });
  // The signing secret is shown once, like an API key.
  return { id: row.id, kind: row.kind, name: row.name, urlHint: row.urlHint, signingSecret };
}

export async function listChannels({ ctx }: { ctx: OrgContext }) {
  requirePermission(ctx, "alerts:read");
  const rows = await ctx.db.prisma.alertChannel.findMany({ where: { orgId: ctx.org.id }, orderBy: { createdAt: "asc" } });
  return rows.map((c) => ({ id: c.id, kind: c.kind, name: c.name, urlHint: c.urlHint, disabledAt: c.disabledAt, disabledReason: c.disabledReason, lastSentAt: c.lastSentAt }));
}

export const RuleInputSchema = z.object({
  type: z.enum(ALERT_TYPES),
  name: z.string().trim().min(1).max(100).optional(),
  config: z.record(z.string(), z.unknown()).default({}),
  severity: z.enum(SEVERITIES).optional(),
  cooldownMinutes: z.number().int().min(0).max(60 * 24 * 30).default(24 * 60),
  channelId: z.string().optional(),
});

export async function createRule({ ctx, input }: { ctx: OrgContext; input: z.input<typeof RuleInputSchema> }) {
  requirePermission(ctx, "alerts:manage");
  const v = RuleInputSchema.parse(input);
  const config = parseRuleConfig(v.type, v.config);
  if (!config.ok) throw new ValidationError(config.message);
  if (v.channelId && !(await ctx.db.prisma.alertChannel.findFirst({ where: { id: v.channelId, orgId: ctx.org.id } }))) throw new NotFoundError("alert channel", v.channelId);
  const row = await ctx.db.prisma.alertRule.create({
    data: { id: crypto.randomUUID(), orgId: ctx.org.id, type: v.type, name: v.name ?? v.type.replace("_", " "), config: config.value as object, severity: v.severity ?? DEFAULT_SEVERITY[v.type], cooldownMinutes: v.cooldownMinutes, channelId: v.channelId ?? null },
  });
  return { id: row.id, type: row.type, name: row.name, config: row.config, severity: row.severity, cooldownMinutes: row.cooldownMinutes, channelId: row.channelId };
}

export async function listRules({ ctx }: { ctx: OrgContext }) {
  requirePermission(ctx, "alerts:read");
  return ctx.db.prisma.alertRule.findMany({ where: { orgId: ctx.org.id }, orderBy: { createdAt: "asc" } });
}

export async function deleteRule({ ctx, id }: { ctx: OrgContext; id: string }): Promise<void> {
  requirePermission(ctx, "alerts:manage");
  const result = await ctx.db.prisma.alertRule.deleteMany({ where: { id, orgId: ctx.org.id } });
  if (result.count === 0) throw new NotFoundError("alert rule", id);
}

export async function listEvents({ ctx, status }: { ctx: OrgContext; status?: "open" | "resolved" }) {
  requirePermission(ctx, "alerts:read");
  const events = await ctx.db.prisma.alertEvent.findMany({ where: { orgId: ctx.org.id, ...(status ? { status } : {}) }, orderBy: { openedAt: "desc" }, take: 100 });
  const deliveries = await ctx.db.prisma.alertDelivery.findMany({ where: { orgId: ctx.org.id, eventId: { in: events.map((e) => e.id) } }, orderBy: { createdAt: "asc" } });
  return events.map((e) => ({
    ...e,
    monthlyImpactUsd: e.monthlyImpactUsd?.toFixed(2) ?? null,
    deliveries: deliveries.filter((d) => d.eventId === e.id).map((d) => ({ id: d.id, kind: d.kind, status: d.status, attempts: d.attempts, lastStatus: d.lastStatus, lastError: d.lastError, sentAt: d.sentAt, nextAttemptAt: d.nextAttemptAt })),
  }));
}

/** Editing a rule: every field optional; `channelId: null` detaches the channel. The type is fixed at creation. */
export const RuleUpdateSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  severity: z.enum(SEVERITIES).optional(),
  cooldownMinutes: z.number().int().min(0).max(60 * 24 * 30).optional(),
  channelId: z.string().nullable().optional(),
  enabled: z.boolean().optional(),
});

export async function updateRule({ ctx, id, input }: { ctx: OrgContext; id: string; input: z.input<typeof RuleUpdateSchema> }) {
  requirePermission(ctx, "alerts:manage");
  const v = RuleUpdateSchema.parse(input);
  const rule = await ctx.db.prisma.alertRule.findFirst({ where: { id, orgId: ctx.org.id } });
  if (!rule) throw new NotFoundError("alert rule", id);
  let config: object | undefined;
  if (v.config !== undefined) {
    const parsed = parseRuleConfig(rule.type as (typeof ALERT_TYPES)[number], v.config);
    if (!parsed.ok) throw new ValidationError(parsed.message);
    config = parsed.value as object;
  }
  if (v.channelId && !(await ctx.db.prisma.alertChannel.findFirst({ where: { id: v.channelId, orgId: ctx.org.id } }))) throw new NotFoundError("alert channel", v.channelId);
  // orgId in the where clause too: the row was checked above, this keeps the write itself tenant-scoped.
  await ctx.db.prisma.alertRule.updateMany({
    where: { id, orgId: ctx.org.id },
    data: { name: v.name, config, severity: v.severity, cooldownMinutes: v.cooldownMinutes, channelId: v.channelId, enabled: v.enabled },
  });
  return ctx.db.prisma.alertRule.findFirstOrThrow({ where: { id, orgId: ctx.org.id } });
}

export async function deleteChannel({ ctx, id }: { ctx: OrgContext; id: string }): Promise<void> {
  requirePermission(ctx, "alerts:manage");
  const channel = await ctx.db.prisma.alertChannel.findFirst({ where: { id, orgId: ctx.org.id } });
  if (!channel) throw new NotFoundError("alert channel", id);
  await ctx.db.prisma.$transaction(async (tx) => {
    // Rules keep firing into the event list; pending outbox rows fail with "channel deleted" on the next pass.
    await tx.alertRule.updateMany({ where: { orgId: ctx.org.id, channelId: id }, data: { channelId: null } });
    await tx.alertChannel.deleteMany({ where: { id, orgId: ctx.org.id } });
  });
}

/** A channel disabled after a 403/404/410 is enabled again once the user has fixed the webhook on their side. */
export async function enableChannel({ ctx, id }: { ctx: OrgContext; id: string }): Promise<void> {
  requirePermission(ctx, "alerts:manage");
  const result = await ctx.db.prisma.alertChannel.updateMany({ where: { id, orgId: ctx.org.id }, data: { disabledAt: null, disabledReason: null } });
  if (result.count === 0) throw new NotFoundError("alert channel", id);
}
