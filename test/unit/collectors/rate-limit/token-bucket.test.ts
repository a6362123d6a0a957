import { describe, expect, it } from "vitest";
import { CollectorError } from "../../../../collectors/errors.ts";
import { KeyRateLimiter } from "../../../../collectors/rate-limit/key-rate-limiter.ts";
import { TokenBucket } from "../../../../collectors/rate-limit/token-bucket.ts";

describe("token bucket", () => {
  it("allows a burst, then refills at the rate", () => {
    const bucket = new TokenBucket(10, 20, 0);
    for (let i = 0; i < 20; i++) expect(bucket.take(1, 0)).toEqual({ ok: true });
    expect(bucket.take(1, 0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(bucket.take(1, 99)).toMatchObject({ ok: false }); // 0.99 tokens refilled
    expect(bucket.take(1, 100)).toEqual({ ok: true }); // 1 token after 100 ms at 10/s
    expect(bucket.take(5, 600)).toEqual({ ok: true }); // 5 more after another 500 ms
    expect(bucket.take(20, 600)).toEqual({ ok: false, retryAfterSeconds: 2 });
  });

  it("never holds more than the burst however long it was idle", () => {
    const bucket = new TokenBucket(10, 5, 0);
    expect(bucket.take(5, 3_600_000)).toEqual({ ok: true });
    expect(bucket.take(1, 3_600_000)).toMatchObject({ ok: false });
  });

  it("a take larger than the burst passes once the bucket is full and leaves it in debt", () => {
    const bucket = new TokenBucket(100, 50, 0);
    expect(bucket.take(250, 0)).toEqual({ ok: true }); // -200 tokens now
    expect(bucket.take(1, 1000)).toMatchObject({ ok: false }); // -100 after 1 s
    expect(bucket.take(1, 2010)).toEqual({ ok: true }); // repaid after ~2 s: the average stays at 100/s
    const retry = new TokenBucket(100, 50, 0);
    retry.take(250, 0);
    expect(retry.take(50, 0)).toEqual({ ok: false, retryAfterSeconds: 3 }); // 250 tokens short at 100/s
  });

  it("says when it is full again", () => {
    const bucket = new TokenBucket(10, 10, 0);
    bucket.take(10, 0);
    expect(bucket.isFull(500)).toBe(false);
    expect(bucket.isFull(1000)).toBe(true);
  });
});

describe("per-key rate limiter", () => {
  const limits = { requestsPerSec: 2, requestBurst: 2, spansPerSec: 100, spanBurst: 100 };

  it("limits each key on its own: one key's flood does not throttle another", () => {
    let now = 0;
    const limiter = new KeyRateLimiter(limits, () => now);
    limiter.admitRequest("a");
    limiter.admitRequest("a");
    const error = (() => {
      try {
        limiter.admitRequest("a");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CollectorError);
    expect(error).toMatchObject({ httpStatus: 429, retryAfterSeconds: 1, message: expect.stringContaining("2 requests/s") });
    expect(() => limiter.admitRequest("b")).not.toThrow();
    now = 500;
    expect(() => limiter.admitRequest("a")).not.toThrow();
  });

  it("limits spans per second with Retry-After from the deficit", () => {
    const limiter = new KeyRateLimiter(limits, () => 0);
    limiter.admitSpans("a", 100);
    expect(() => limiter.admitSpans("a", 50)).toThrow(expect.objectContaining({ httpStatus: 429, retryAfterSeconds: 1 }));
    expect(() => limiter.admitSpans("b", 100)).not.toThrow();
  });

  it("a rate of 0 disables that limit", () => {
    const limiter = new KeyRateLimiter({ requestsPerSec: 0, requestBurst: 1, spansPerSec: 0, spanBurst: 1 }, () => 0);
    for (let i = 0; i < 1000; i++) {
      limiter.admitRequest("a");
      limiter.admitSpans("a", 1_000_000);
    }
  });

  it("tracking many keys stays bounded and never becomes stricter", () => {
    let now = 0;
    const limiter = new KeyRateLimiter({ requestsPerSec: 1, requestBurst: 1, spansPerSec: 0, spanBurst: 1 }, () => now);
    for (let i = 0; i < 25_000; i++) limiter.admitRequest(`key-${i}`);
    now = 10_000;
    for (let i = 0; i < 25_000; i++) limiter.admitRequest(`key-${i}`);
    expect((limiter as unknown as { requests: Map<string, unknown> }).requests.size).toBeLessThanOrEqual(10_000);
  });
});
