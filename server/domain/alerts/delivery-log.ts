import type { DeliveryDecision } from "./delivery-policy.ts";

export const ATTEMPT_OUTCOMES = ["sent", "retry", "failed"] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** How one attempt ended, for the log: delivered, to be retried, or given up (dead or channel disabled). */
export function attemptOutcome(decision: DeliveryDecision): AttemptOutcome {
  if (decision.action === "done") return "sent";
  if (decision.action === "retry") return "retry";
  return "failed";
}

/**
 * Removes a secret (the webhook URL, its path) from text a webhook answered with, before it is stored or shown:
 * a misbehaving endpoint may echo the request URL back in its error body.
 */
export function redactSecret(text: string, secretUrl: string): string {
  let out = text;
  const path = (() => {
    try {
      return new URL(secretUrl).pathname;
    } catch {
      return "";
    }
  })();
  for (const secret of [secretUrl, path.length > 1 ? path : ""]) {
    if (secret) out = out.split(secret).join("[redacted]");
  }
  return out;
}

export type DeliverySubject = { kind: string; eventId: string; eventTitle: string | null; ruleName: string | null };

/** What a delivered message was about, in the log: the event's title, the digest's week, or the test-send's rule. */
export function deliverySubject({ kind, eventId, eventTitle, ruleName }: DeliverySubject): string {
  if (kind === "test") return ruleName ? `Test: ${ruleName}` : "Test message";
  if (kind === "digest") return `Weekly digest ${eventId.replace(/^digest:/, "")}`;
  const title = eventTitle ?? "(event deleted)";
  return kind === "resolved" ? `Resolved: ${title}` : title;
}

export type LogCursor = { attemptedAt: Date; id: string };

/** Keyset cursor for the newest-first log: the last row's (attempted_at, id), opaque to the client. */
export function encodeLogCursor(cursor: LogCursor): string {
  return Buffer.from(`${cursor.attemptedAt.toISOString()}|${cursor.id}`, "utf8").toString("base64url");
}

/** null for a malformed cursor: the caller treats it as a bad request rather than silently restarting the list. */
export function decodeLogCursor(text: string): LogCursor | null {
  const decoded = Buffer.from(text, "base64url").toString("utf8");
  const bar = decoded.indexOf("|");
  if (bar < 0) return null;
  const attemptedAt = new Date(decoded.slice(0, bar));
  const id = decoded.slice(bar + 1);
  if (Number.isNaN(attemptedAt.getTime()) || id.length === 0) return null;
  return { attemptedAt, id };
}
