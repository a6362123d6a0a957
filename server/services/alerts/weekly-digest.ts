import crypto from "node:crypto";
import type { Db } from "../../db/client.ts";
import { isoWeek, weeklyDigestPayload } from "../../domain/alerts/digest.ts";
import { publicUrl } from "../../env.ts";
import { getOverview } from "../costs/get-overview.ts";

/**
 * Queues one weekly digest per org and active channel per ISO week (idempotency key digest:org:channel:week), through
 * the same outbox, pacing and retries as alerts. Safe to run hourly: a week's digest is created once.
 */
export async function queueWeeklyDigests({ db, nowMs = Date.now() }: { db: Db; nowMs?: number }): Promise<number> {
  const week = isoWeek(nowMs);
  const channels = await db.prisma.alertChannel.findMany({ where: { disabledAt: null, kind: "slack" } });
  let queued = 0;
  for (const channel of channels) {
    const idempotencyKey = `digest:${channel.orgId}:${channel.id}:${week}`;
    if (await db.prisma.alertDelivery.findUnique({ where: { idempotencyKey } })) continue;
    const org = await db.prisma.organization.findUnique({ where: { id: channel.orgId } });
    if (!org) continue;
    const ctx = { db, org: { id: org.id, slug: org.slug, name: org.name }, actor: { type: "system" as const, name: "digest" } };
    const [overview, open] = await Promise.all([
      getOverview({ ctx, preset: "7d", nowMs }),
      db.prisma.alertEvent.findMany({ where: { orgId: org.id, status: "open" }, orderBy: { openedAt: "desc" }, take: 5 }),
    ]);
    const payload = weeklyDigestPayload({
      orgName: org.name, weekLabel: week, spendUsd: overview.current.costUsd, previousSpendUsd: overview.previous.costUsd,
      ipd: overview.current.ipd, previousIpd: overview.previous.ipd, costPerSuccessfulTaskUsd: overview.current.costPerSuccessfulTaskUsd,
      topMovers: overview.topMovers, openAlerts: open.map((e) => ({ title: e.title, monthlyImpactUsd: e.monthlyImpactUsd?.toFixed(2) ?? null })),
      url: `${publicUrl()}/o/${org.slug}/overview?period=7d`,
    });
    await db.prisma.alertDelivery.upsert({
      where: { idempotencyKey },
      create: { id: crypto.randomUUID(), orgId: org.id, eventId: `digest:${week}`, channelId: channel.id, kind: "digest", idempotencyKey, payload, status: "pending", nextAttemptAt: new Date(nowMs) },
      update: {},
    });
    queued++;
  }
  return queued;
}
