import { describe, expect, it } from "vitest";
import { answerRateRequest, IpcRateLimiter, type IpcChannel } from "../../../../collectors/cluster/ipc-rate-limiter.ts";
import { CollectorError } from "../../../../collectors/errors.ts";
import { KeyRateLimiter, type KeyRateLimits } from "../../../../collectors/rate-limit/key-rate-limiter.ts";

/** A primary holding one limiter and N processes' channels to it; messages cross asynchronously, as over IPC. */
function fakeCluster(limiter: KeyRateLimiter, processes: number) {
  const sent: unknown[] = [];
  const channels = Array.from({ length: processes }, () => {
    const listeners: ((message: unknown) => void)[] = [];
    const channel: IpcChannel = {
      send: (message) => {
        sent.push(message);
        setImmediate(() => {
          const reply = answerRateRequest(limiter, message);
          if (reply) for (const listener of listeners) listener(reply);
        });
      },
      onMessage: (listener) => listeners.push(listener),
    };
    return channel;
  });
  return { channels, sent };
}

const limits: KeyRateLimits = { requestsPerSec: 1, requestBurst: 3, spansPerSec: 10, spanBurst: 100 };

async function refusal(promise: Promise<void>): Promise<CollectorError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(CollectorError);
  return error as CollectorError;
}

describe("per-key rate limits shared by a collector cluster's processes", () => {
  it("two processes together admit one key's burst once, not once each", async () => {
    const nowMs = 1_000_000;
    const limiter = new KeyRateLimiter(limits, () => nowMs);
    const { channels } = fakeCluster(limiter, 2);
    const [a, b] = channels.map((channel) => new IpcRateLimiter(channel, limits));
    await a!.admitRequest("key-1");
    await b!.admitRequest("key-1");
    await a!.admitRequest("key-1");
    const over = await refusal(b!.admitRequest("key-1"));
    expect(over.httpStatus).toBe(429);
    expect(over.retryAfterSeconds).toBe(1);
    expect(over.message).toContain("rate limit for this ingest key exceeded (1 requests/s, burst 3)");
    await a!.admitRequest("key-2"); // another key has its own bucket
  });

  it("spans: the refusal takes nothing, so a smaller take still fits", async () => {
    const limiter = new KeyRateLimiter(limits, () => 0);
    const { channels } = fakeCluster(limiter, 2);
    const [a, b] = channels.map((channel) => new IpcRateLimiter(channel, limits));
    await a!.admitSpans("key-1", 60);
    expect((await refusal(b!.admitSpans("key-1", 50))).message).toContain("10 spans/s, burst 100");
    await b!.admitSpans("key-1", 40);
    expect((await refusal(a!.admitSpans("key-1", 1))).httpStatus).toBe(429);
  });

  it("a limit that is off asks the primary nothing", async () => {
    const off: KeyRateLimits = { requestsPerSec: 0, requestBurst: 1, spansPerSec: 0, spanBurst: 1 };
    const { channels, sent } = fakeCluster(new KeyRateLimiter(off), 1);
    const client = new IpcRateLimiter(channels[0]!, off);
    for (let i = 0; i < 5; i++) {
      await client.admitRequest("key-1");
      await client.admitSpans("key-1", 1_000_000);
    }
    expect(sent).toEqual([]);
  });

  it("a primary that does not answer, or a closed channel, admits (fair-share limits, not the collector's protection)", async () => {
    const silent = new IpcRateLimiter({ send: () => {}, onMessage: () => {} }, limits, 20);
    const started = Date.now();
    await silent.admitRequest("key-1");
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    const closed = new IpcRateLimiter({ send: () => { throw new Error("channel closed"); }, onMessage: () => {} }, limits, 10_000);
    await closed.admitSpans("key-1", 5); // at once, not after the timeout
  });

  it("the primary answers only its own messages (prom-client's and others' pass by)", () => {
    const limiter = new KeyRateLimiter(limits, () => 0);
    expect(answerRateRequest(limiter, { type: "prom-client:getMetricsReq", requestId: 1 })).toBeNull();
    expect(answerRateRequest(limiter, { type: "inferledger:rate-take", id: 1, unit: "bytes", keyId: "k", count: 1 })).toBeNull();
    expect(answerRateRequest(limiter, null)).toBeNull();
    expect(answerRateRequest(limiter, { type: "inferledger:rate-take", id: 7, unit: "requests", keyId: "k", count: 1 })).toEqual({ type: "inferledger:rate-take-reply", id: 7, refusal: null });
  });
});
