import { throwIfRefused, type IngestRateLimiter, type KeyRateLimiter, type KeyRateLimits, type RateRefusal, type RateUnit } from "../rate-limit/key-rate-limiter.ts";

/**
 * Per-key rate limits shared by the processes of a collector cluster (collector-cluster.ts). A key's token buckets
 * live in the primary only, so two processes together admit what one would: each process asking the primary per
 * take over the cluster's IPC channel. A split of the limit per process would not do: a client on one keep-alive
 * connection reaches one process and would get a fraction of its limit. The cost is two IPC round trips per request
 * (tens of µs; requests carry hundreds of spans), none when a limit is off.
 */

export const RATE_REQUEST = "inferledger:rate-take";
export const RATE_REPLY = "inferledger:rate-take-reply";
type RateRequest = { type: typeof RATE_REQUEST; id: number; unit: RateUnit; keyId: string; count: number };
type RateReply = { type: typeof RATE_REPLY; id: number; refusal: RateRefusal | null };

/** A message channel: a worker's `process` (send + "message"), or a fake one in unit tests. */
export type IpcChannel = { send: (message: unknown) => unknown; onMessage: (listener: (message: unknown) => void) => void };

/** The primary's side: answers one message if it is a take request (else null), from the one shared limiter. */
export function answerRateRequest(limiter: KeyRateLimiter, message: unknown): RateReply | null {
  if (!isRateRequest(message)) return null;
  return { type: RATE_REPLY, id: message.id, refusal: limiter.tryTake(message.unit, message.keyId, message.count) };
}

/** A worker's side: takes tokens from the primary's buckets. */
export class IpcRateLimiter implements IngestRateLimiter {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (refusal: RateRefusal | null) => void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly channel: IpcChannel,
    /** The same limits the primary enforces: a limit that is off needs no round trip. */
    private readonly limits: KeyRateLimits,
    /**
     * A primary that does not answer (it is exiting; the worker follows it) admits: the limits keep tenants fair
     * with each other, they are not what protects the collector (its bounded queue answers 429 on its own).
     */
    private readonly timeoutMs = 1_000,
  ) {
    channel.onMessage((message) => {
      if (!isRateReply(message)) return;
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      clearTimeout(waiting.timer);
      waiting.resolve(message.refusal);
    });
  }

  async admitRequest(keyId: string): Promise<void> {
    if (this.limits.requestsPerSec > 0) throwIfRefused(await this.take("requests", keyId, 1));
  }

  async admitSpans(keyId: string, count: number): Promise<void> {
    if (this.limits.spansPerSec > 0 && count > 0) throwIfRefused(await this.take("spans", keyId, count));
  }

  private take(unit: RateUnit, keyId: string, count: number): Promise<RateRefusal | null> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(null);
      }, this.timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve, timer });
      const request: RateRequest = { type: RATE_REQUEST, id, unit, keyId, count };
      try {
        this.channel.send(request);
      } catch {
        // Channel closed: the primary is gone and this process is stopping; admit as on a timeout.
        this.pending.delete(id);
        clearTimeout(timer);
        resolve(null);
      }
    });
  }
}

function isRateRequest(message: unknown): message is RateRequest {
  const m = message as Partial<RateRequest> | null;
  return typeof m === "object" && m !== null && m.type === RATE_REQUEST && typeof m.id === "number" && (m.unit === "requests" || m.unit === "spans")
    && typeof m.keyId === "string" && typeof m.count === "number";
}

function isRateReply(message: unknown): message is RateReply {
  const m = message as Partial<RateReply> | null;
  return typeof m === "object" && m !== null && m.type === RATE_REPLY && typeof m.id === "number";
}
