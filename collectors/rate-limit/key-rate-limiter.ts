import { overloaded } from "../errors.ts";
import { TokenBucket } from "./token-bucket.ts";

/** Per ingest key: requests/s and spans/s with their bursts; a rate of 0 disables that limit. */
export type KeyRateLimits = { requestsPerSec: number; requestBurst: number; spansPerSec: number; spanBurst: number };

const MAX_TRACKED_KEYS = 10_000;

/**
 * Token buckets per ingest key, so one tenant's flood cannot take the collector's whole capacity from the
 * others. Over the limit: 429 with Retry-After (gRPC RESOURCE_EXHAUSTED), which OTel exporters retry.
 * Memory is bounded: full buckets are forgotten (a new one behaves the same) when too many keys are tracked.
 */
export class KeyRateLimiter {
  private readonly requests = new Map<string, TokenBucket>();
  private readonly spans = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: KeyRateLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** One request for this key; throws a 429 CollectorError over the limit. */
  admitRequest(keyId: string): void {
    if (this.limits.requestsPerSec <= 0) return;
    this.take(this.requests, keyId, 1, this.limits.requestsPerSec, this.limits.requestBurst, "requests");
  }

  /** `count` spans for this key (after decoding, before anything is queued or stored). */
  admitSpans(keyId: string, count: number): void {
    if (this.limits.spansPerSec <= 0 || count <= 0) return;
    this.take(this.spans, keyId, count, this.limits.spansPerSec, this.limits.spanBurst, "spans");
  }

  private take(buckets: Map<string, TokenBucket>, keyId: string, count: number, rate: number, burst: number, unit: string): void {
    const nowMs = this.now();
    let bucket = buckets.get(keyId);
    if (!bucket) {
      if (buckets.size >= MAX_TRACKED_KEYS) this.forgetFullBuckets(buckets, nowMs);
      bucket = new TokenBucket(rate, burst, nowMs);
      buckets.set(keyId, bucket);
    }
    const taken = bucket.take(count, nowMs);
    if (!taken.ok) {
      throw overloaded(`rate limit for this ingest key exceeded (${rate} ${unit}/s, burst ${burst}); retry after ${taken.retryAfterSeconds} s`, taken.retryAfterSeconds);
    }
  }

  private forgetFullBuckets(buckets: Map<string, TokenBucket>, nowMs: number): void {
    for (const [key, bucket] of buckets) if (bucket.isFull(nowMs)) buckets.delete(key);
    if (buckets.size >= MAX_TRACKED_KEYS) buckets.clear(); // every key busy: forgetting is lenient, never stricter
  }
}
