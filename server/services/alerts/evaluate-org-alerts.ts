import crypto from "node:crypto";
import { evaluateBudget, evaluateCostRegression, evaluateIdleGpu, evaluatePromptCreep, evaluateWaste } from "../../domain/alerts/evaluate.ts";
import { slackPayload, webhookPayload, type AlertMessage } from "../../domain/alerts/format.ts";
import { parseRuleConfig, type AlertType, type Finding, type RuleConfig } from "../../domain/alerts/rules.ts";
import { transitions } from "../../domain/alerts/state.ts";
import { publicUrl } from "../../env.ts";
import type { OrgContext } from "../org-context.ts";
import { getPromptGrowth } from "../costs/get-prompt-growth.ts";
import { queryCosts } from "../costs/query-costs.ts";
import { featureWindows, loopTasks, poolCosts } from "./alert-inputs.ts";

const DAY_MS = 86_400_000;
const num = (v: unknown, d: number) => (typeof v === "number" ? v : d);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

export type EvaluationReport = { fired: { ruleId: string; eventId: string; title: string; monthlyImpactUsd: string | null }[]; resolved: { ruleId: string; eventId: string }[]; stillOpen: number };

/** Computes one rule's findings from rollups, tasks and GPU pool hours (the numbers in each finding's evidence). */
async function findingsFor(ctx: OrgContext, type: AlertType, config: RuleConfig, nowMs: number): Promise<Finding[]> {
  const now = new Date(nowMs);
  if (type === "prompt_creep") {
    return evaluatePromptCreep(config, await getPromptGrowth({ ctx, nowMs, recentDays: num(config.recentDays, 7), baselineDays: num(config.baselineDays, 28) }));
  }
  if (type === "cost_regression") {
    const recentStart = new Date(nowMs - num(config.recentDays, 7) * DAY_MS);
    const baselineStart = new Date(recentStart.getTime() - num(config.baselineDays, 28) * DAY_MS);
    const [recent, baseline] = await Promise.all([featureWindows(ctx, recentStart, now), featureWindows(ctx, baselineStart, recentStart)]);
    const pairs = recent.flatMap((r) => {
      const b = baseline.find((x) => x.feature === r.feature);
      return b ? [{ recent: r, baseline: b }] : [];
    });
    return evaluateCostRegression(config, pairs);
  }
  if (type === "budget") {
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const filters = { feature: str(config.feature), customer: str(config.customerId) };
    const daily = await queryCosts({ ctx, query: { from: monthStart, to: now, groupBy: ["day"], filters } });
    const scopeLabel = filters.customer ? `customer ${filters.customer}` : (filters.feature ?? ctx.org.name);
    return evaluateBudget(config, { nowMs, dailySpendUsd: daily.rows.map((r) => ({ day: r.key.day ?? "", costUsd: r.costUsd })), scopeLabel });
  }
  if (type === "waste") {
    const days = num(config.windowDays, 7);
    const from = new Date(nowMs - days * DAY_MS);
    const { totals } = await queryCosts({ ctx, query: { from, to: now, groupBy: [], filters: { feature: str(config.feature) } } });
    return evaluateWaste(config, { scopeLabel: str(config.feature) ?? ctx.org.name, days, costUsd: totals.costUsd, retryCostUsd: totals.retryCostUsd, failedCostUsd: totals.failedCostUsd, wastedCallCostUsd: totals.wastedCallCostUsd, idleGpuCostUsd: totals.idleGpuCostUsd, tasks: totals.tasks, loopTasks: await loopTasks(ctx, from, now, str(config.feature)) });
  }
  const days = num(config.windowDays, 1);
  return evaluateIdleGpu(config, (await poolCosts(ctx, new Date(nowMs - days * DAY_MS), now)).map((p) => ({ ...p, days })));
}

/**
 * Evaluates every enabled rule of the org and applies the transitions: opening an event writes its outbox rows in
 * the same transaction (a crash cannot lose the notification), resolving writes "resolved" rows. A partial unique
 * index keeps at most one open event per rule and subject; idempotency keys keep one delivery per event and channel.
 */
export async function evaluateOrgAlerts({ ctx, nowMs = Date.now() }: { ctx: OrgContext; nowMs?: number }): Promise<EvaluationReport> {
  const report: EvaluationReport = { fired: [], resolved: [], stillOpen: 0 };
  const rules = await ctx.db.prisma.alertRule.findMany({ where: { orgId: ctx.org.id, enabled: true } });
  for (const rule of rules) {
    const config = parseRuleConfig(rule.type as AlertType, rule.config);
    if (!config.ok) continue;
    const findings = await findingsFor(ctx, rule.type as AlertType, config.value, nowMs);
    const [open, recent] = await Promise.all([
      ctx.db.prisma.alertEvent.findMany({ where: { ruleId: rule.id, orgId: ctx.org.id, status: "open" } }),
      ctx.db.prisma.alertEvent.findMany({ where: { ruleId: rule.id, orgId: ctx.org.id, status: "resolved", resolvedAt: { gte: new Date(nowMs - rule.cooldownMinutes * 60_000) } } }),
    ]);
    const steps = transitions({ findings, open, recentlyResolved: recent.map((e) => ({ dedupeKey: e.dedupeKey, resolvedAtMs: e.resolvedAt!.getTime() })), cooldownMinutes: rule.cooldownMinutes, nowMs });
    const channel = rule.channelId ? await ctx.db.prisma.alertChannel.findFirst({ where: { id: rule.channelId, orgId: ctx.org.id } }) : null;
    for (const step of steps) {
      if (step.action === "update") {
        report.stillOpen++;
        await ctx.db.prisma.alertEvent.update({ where: { id: step.eventId }, data: { summary: step.finding.summary, evidence: step.finding.evidence as object, monthlyImpactUsd: step.finding.monthlyImpactUsd, lastEvaluatedAt: new Date(nowMs) } });
        continue;
      }
      const eventId = step.action === "open" ? crypto.randomUUID() : step.eventId;
      await ctx.db.prisma.$transaction(async (tx) => {
        let event;
        if (step.action === "open") {
          const f = step.finding;
          event = await tx.alertEvent.create({ data: { id: eventId, orgId: ctx.org.id, ruleId: rule.id, dedupeKey: f.dedupeKey, status: "open", severity: rule.severity, title: f.title, summary: f.summary, evidence: f.evidence as object, monthlyImpactUsd: f.monthlyImpactUsd, openedAt: new Date(nowMs), lastEvaluatedAt: new Date(nowMs) } });
          report.fired.push({ ruleId: rule.id, eventId, title: f.title, monthlyImpactUsd: f.monthlyImpactUsd });
        } else {
          event = await tx.alertEvent.update({ where: { id: eventId }, data: { status: "resolved", resolvedAt: new Date(nowMs) } });
          report.resolved.push({ ruleId: rule.id, eventId });
        }
        if (channel && !channel.disabledAt) {
          const kind = step.action === "open" ? "fired" : "resolved";
          const message: AlertMessage = {
            kind, severity: event.severity, title: event.title, summary: event.summary, monthlyImpactUsd: event.monthlyImpactUsd?.toFixed(2) ?? null,
            fields: Object.entries(event.evidence as Record<string, unknown>).filter(([k, v]) => k !== "query" && (typeof v === "string" || typeof v === "number")).slice(0, 8).map(([k, v]) => [k, String(v)]),
            evidenceUrl: `${publicUrl()}/o/${ctx.org.slug}/alerts?event=${eventId}`, orgName: ctx.org.name,
          };
          const idempotencyKey = `${eventId}:${channel.id}:${kind}`;
          const payload = channel.kind === "slack" ? slackPayload(message) : webhookPayload({ ...message, eventId, idempotencyKey });
          await tx.alertDelivery.upsert({
            where: { idempotencyKey },
            create: { id: crypto.randomUUID(), orgId: ctx.org.id, eventId, channelId: channel.id, kind, idempotencyKey, payload, status: "pending", nextAttemptAt: new Date(nowMs) },
            update: {},
          });
        }
      });
    }
  }
  return report;
}
