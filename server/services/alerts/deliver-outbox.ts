import type { Db } from "../../db/client.ts";
import crypto from "node:crypto";
import { attemptOutcome, redactSecret, type AttemptOutcome } from "../../domain/alerts/delivery-log.ts";
import { decideDelivery, nextSlotMs } from "../../domain/alerts/delivery-policy.ts";
import { outboundPrivateNetworksAllowed } from "../../env.ts";
import { outboundFetch } from "../net/outbound-request.ts";
import { open, redactUrl, signBody } from "./secret-box.ts";

export type DeliveryOutcome = { sent: number; retried: number; failed: number };

/**
 * Sends due outbox rows, oldest first, at most one per webhook per second. Each row is claimed by moving its
 * next_attempt_at forward before sending, so a concurrent worker does not pick it up; the URL is decrypted only here
 * and never logged (redactUrl). Generic webhooks carry an HMAC signature and the idempotency key.
 * Every attempt (and every give-up without one) adds a row to alert_delivery_attempts in the same transaction as
 * the delivery's update: that row is the delivery log the Alerts page shows. Channel URLs are tenant-supplied: by
 * default they are sent through the outbound guard (no private addresses on a multi-tenant server, no redirects).
 */
export async function deliverOutbox({ db, nowMs = Date.now(), fetchImpl = outboundFetch({ maxBytes: 64 * 1024, allowPrivateNetworks: outboundPrivateNetworksAllowed() }), timeoutMs = 10_000, limit = 50, onlyIds, log = () => undefined }: {
  db: Db; nowMs?: number; fetchImpl?: typeof fetch; timeoutMs?: number; limit?: number; log?: (line: string) => void;
  /** Deliver just these rows (a user's test-send), leaving the rest of the outbox to the worker. */
  onlyIds?: string[];
}): Promise<DeliveryOutcome> {
  const outcome: DeliveryOutcome = { sent: 0, retried: 0, failed: 0 };
  const due = await db.prisma.alertDelivery.findMany({ where: { status: "pending", nextAttemptAt: { lte: new Date(nowMs) }, ...(onlyIds ? { id: { in: onlyIds } } : {}) }, orderBy: { createdAt: "asc" }, take: limit });
  const channelNext = new Map<string, number>();
  const attemptRow = (d: (typeof due)[number], attempt: number, row: { httpStatus: number | null; error: string | null; durationMs: number; outcome: AttemptOutcome }) =>
    db.prisma.alertDeliveryAttempt.create({ data: { id: crypto.randomUUID(), orgId: d.orgId, deliveryId: d.id, channelId: d.channelId, attempt, attemptedAt: new Date(nowMs), ...row } });
  for (const d of due) {
    const channel = await db.prisma.alertChannel.findUnique({ where: { id: d.channelId } });
    if (!channel || channel.disabledAt) {
      // Not sent at all, but logged as a failed attempt so the log says why the message never went out.
      const lastError = channel ? `channel disabled: ${channel.disabledReason}` : "channel deleted";
      await db.prisma.$transaction([
        db.prisma.alertDelivery.update({ where: { id: d.id }, data: { status: "failed", lastError, attempts: { increment: 1 } } }),
        attemptRow(d, d.attempts + 1, { httpStatus: null, error: lastError, durationMs: 0, outcome: "failed" }),
      ]);
      outcome.failed++;
      continue;
    }
    const slot = Math.max(channelNext.get(channel.id) ?? 0, nextSlotMs(channel.lastSentAt?.getTime() ?? null, nowMs));
    if (slot > nowMs) {
      await db.prisma.alertDelivery.update({ where: { id: d.id }, data: { nextAttemptAt: new Date(slot) } });
      channelNext.set(channel.id, slot + 1_000);
      continue;
    }
    const claimed = await db.prisma.alertDelivery.updateMany({ where: { id: d.id, status: "pending", nextAttemptAt: d.nextAttemptAt }, data: { nextAttemptAt: new Date(nowMs + timeoutMs + 5_000), attempts: { increment: 1 } } });
    if (claimed.count === 0) continue;
    const url = open(channel.urlEncrypted);
    const body = JSON.stringify(d.payload);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (channel.kind === "webhook" && channel.signingSecretEncrypted) {
      const timestamp = String(Math.floor(nowMs / 1000));
      headers["x-inferledger-timestamp"] = timestamp;
      headers["x-inferledger-signature"] = signBody(open(channel.signingSecretEncrypted), timestamp, body);
      headers["idempotency-key"] = d.idempotencyKey;
    }
    let status: number | null = null;
    let retryAfter: string | null = null;
    let error: string | null = null;
    const startedMs = performance.now();
    try {
      const res = await fetchImpl(url, { method: "POST", headers, body, signal: AbortSignal.timeout(timeoutMs) });
      status = res.status;
      retryAfter = res.headers.get("retry-after");
      if (!res.ok) error = redactSecret((await res.text()).slice(0, 200), url);
    } catch (e) {
      const message = (e as Error).message;
      error = (e as Error).name === "TimeoutError" ? "timed out" : message.startsWith("refused: ") ? message : "network error";
    }
    const durationMs = Math.round(performance.now() - startedMs);
    const attempt = d.attempts + 1;
    const decision = decideDelivery({ status, retryAfterHeader: retryAfter, attempts: attempt, nowMs, jitter: Math.random(), refused: error?.startsWith("refused: ") ?? false });
    const lastError = decision.action === "done" ? null : `${decision.reason}${error ? `: ${error}` : ""}`;
    const logged = attemptRow(d, attempt, { httpStatus: status, error: lastError, durationMs, outcome: attemptOutcome(decision) });
    if (decision.action === "done") {
      await db.prisma.$transaction([db.prisma.alertDelivery.update({ where: { id: d.id }, data: { status: "sent", sentAt: new Date(nowMs), lastStatus: status, lastError } }), logged]);
      outcome.sent++;
    } else if (decision.action === "retry") {
      await db.prisma.$transaction([db.prisma.alertDelivery.update({ where: { id: d.id }, data: { nextAttemptAt: new Date(decision.atMs), lastStatus: status, lastError } }), logged]);
      outcome.retried++;
    } else {
      await db.prisma.$transaction([
        db.prisma.alertDelivery.update({ where: { id: d.id }, data: { status: "failed", lastStatus: status, lastError } }),
        logged,
        ...(decision.action === "disable" ? [db.prisma.alertChannel.update({ where: { id: channel.id }, data: { disabledAt: new Date(nowMs), disabledReason: decision.reason } })] : []),
      ]);
      log(`alert delivery to ${redactUrl(url)} failed: ${decision.reason}`);
      outcome.failed++;
    }
    await db.prisma.alertChannel.update({ where: { id: channel.id }, data: { lastSentAt: new Date(nowMs) } });
    channelNext.set(channel.id, nowMs + 1_000);
  }
  return outcome;
}
