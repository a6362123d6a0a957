import { overloaded } from "../errors.ts";
import { TokenBucket } from "./token-bucket.ts";

/** Per ingest key: requests/s and spans/s with their bursts; a rate of 0 disables that limit. */
export type KeyRateLimits = { requestsPerSec: number; requestBurst: number; spansPerSec: number; spanBurst: number };

/** What the pipeline admits through: in one process a KeyRateLimiter, in a collector cluster its IPC client. */
export type IngestRateLimiter = {
  /** One request for this key (before decoding); rejects/throws a 429 CollectorError over the limit. */
  admitRequest(keyId: string): void | Promise<void>;
  /** `count` spans for this key (after decoding, before anything is queued or stored). */
  admitSpans(keyId: string, count: number): void | Promise<void>;
};

export type RateUnit = "requests" | "spans";
/** Why a take was refused: the 429's message and Retry-After. */
export type RateRefusal = { message: string; retryAfterSeconds: number };

const MAX_TRACKED_KEYS = 10_000;

/**
 * Token buckets per ingest key, so one tenant's flood cannot take the collector's whole capacity from the
 * others. Over the limit: 429 with Retry-After (gRPC RESOURCE_EXHAUSTED), which OTel exporters retry.
 * Memory is bounded: full buckets are forgotten (a new one behaves the same) when too many keys are tracked.
 */
export class KeyRateLimiter implements IngestRateLimiter {
  private readonly requests = new Map<string, TokenBucket>();
  private readonly spans = new Map<string, TokenBucket>();

  constructor(
    readonly limits: KeyRateLimits,
    private readonly now: () => number = Date.now,
  ) {}

  admitRequest(keyId: string): void {
    throwIfRefused(this.tryTake("requests", keyId, 1));
  }

  admitSpans(keyId: string, count: number): void {
    throwIfRefused(this.tryTake("spans", keyId, count));
  }

  /** Takes `count` tokens of `unit` for this key: null when admitted, else why not (nothing is taken then). */
  tryTake(unit: RateUnit, keyId: string, count: number): RateRefusal | null {
    const rate = unit === "requests" ? this.limits.requestsPerSec : this.limits.spansPerSec;
    const burst = unit === "requests" ? this.limits.requestBurst : this.limits.spanBurst;
    if (rate <= 0 || count <= 0) return null;
    const buckets = unit === "requests" ? this.requests : this.spans;
    const nowMs = this.now();
    let bucket = buckets.get(keyId);
    if (!bucket) {
      if (buckets.size >= MAX_TRACKED_KEYS) this.forgetFullBuckets(buckets, nowMs);
      bucket = new TokenBucket(rate, burst, nowMs);
      buckets.set(keyId, bucket);
    }
    const taken = bucket.take(count, nowMs);
    if (taken.ok) return null;
    return { message: `rate limit for this ingest key exceeded (${rate} ${unit}/s, burst ${burst}); retry after ${taken.retryAfterSeconds} s`, retryAfterSeconds: taken.retryAfterSeconds };
  }

  private forgetFullBuckets(buckets: Map<string, TokenBucket>, nowMs: number): void {
    for (const [key, bucket] of buckets) if (bucket.isFull(nowMs)) buckets.delete(key);
    if (buckets.size >= MAX_TRACKED_KEYS) buckets.clear(); // every key busy: forgetting is lenient, never stricter
  }
}

export function throwIfRefused(refusal: RateRefusal | null): void {
  if (refusal) throw overloaded(refusal.message, refusal.retryAfterSeconds);
}
