/**
 * A token bucket: `ratePerSec` tokens refill continuously up to `burst`. Pure (time is passed in), so it is
 * unit-tested without clocks.
 *
 * A take larger than the burst is allowed once the bucket is full and leaves it in debt (negative), so one large
 * request is never refused forever, yet the key's average stays at the rate.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAtMs: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.updatedAtMs = nowMs;
  }

  private refill(nowMs: number): void {
    if (nowMs > this.updatedAtMs) {
      this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.updatedAtMs) / 1000) * this.ratePerSec);
      this.updatedAtMs = nowMs;
    }
  }

  /** Takes `count` tokens if available; otherwise takes none and says after how many seconds to retry. */
  take(count: number, nowMs: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    this.refill(nowMs);
    const needed = Math.min(count, this.burst);
    if (this.tokens >= needed) {
      this.tokens -= count;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((needed - this.tokens) / this.ratePerSec)) };
  }

  /** True when the bucket is back to a full burst (then it is indistinguishable from a new one). */
  isFull(nowMs: number): boolean {
    this.refill(nowMs);
    return this.tokens >= this.burst;
  }
}
