export type DeliveryDecision = { action: "done" } | { action: "retry"; atMs: number; reason: string } | { action: "disable"; reason: string } | { action: "dead"; reason: string };

export const MAX_ATTEMPTS = 8;
export const MIN_INTERVAL_MS = 1_000; // Slack: about one message per second per webhook

/**
 * What to do after an attempt: 2xx done; 429 and 5xx (and network errors) retry with exponential backoff,
 * honouring Retry-After; 404/410/403 mean the webhook is gone or forbidden → disable the channel; other 4xx → dead.
 * A URL the outbound guard refused (a private address) or that redirects (redirects are not followed) will fail the
 * same way every time: the channel is disabled with the reason, for its owner to fix.
 */
export function decideDelivery(input: { status: number | null; retryAfterHeader: string | null; attempts: number; nowMs: number; jitter: number; refused?: boolean }): DeliveryDecision {
  const { status, attempts, nowMs } = input;
  if (status !== null && status >= 200 && status < 300) return { action: "done" };
  if (input.refused) return { action: "disable", reason: "the channel's URL is not allowed" };
  if (status !== null && status >= 300 && status < 400) return { action: "disable", reason: `webhook redirected (${status}); redirects are not followed: use the final URL` };
  if (status === 403 || status === 404 || status === 410) return { action: "disable", reason: `webhook answered ${status}: it was revoked, archived or forbidden` };
  if (status !== null && status >= 400 && status < 500 && status !== 429) return { action: "dead", reason: `webhook rejected the message (${status})` };
  if (attempts >= MAX_ATTEMPTS) return { action: "dead", reason: `gave up after ${attempts} attempts (last: ${status ?? "network error"})` };
  const retryAfterS = input.retryAfterHeader !== null ? Number(input.retryAfterHeader) : NaN;
  const backoffMs = Math.min(15 * 60_000, 2 ** attempts * 1_000) * (0.5 + input.jitter / 2);
  const waitMs = Number.isFinite(retryAfterS) && retryAfterS >= 0 ? Math.max(retryAfterS * 1000, MIN_INTERVAL_MS) : backoffMs;
  return { action: "retry", atMs: nowMs + waitMs, reason: status === null ? "network error" : `webhook answered ${status}` };
}

/** Earliest time the next message may go to a webhook, given when it last sent one (pacing, not bursting). */
export function nextSlotMs(lastSentMs: number | null, nowMs: number): number {
  return lastSentMs === null ? nowMs : Math.max(nowMs, lastSentMs + MIN_INTERVAL_MS);
}
