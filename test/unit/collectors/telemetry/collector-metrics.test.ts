import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { overloaded } from "../../../../collectors/errors.ts";
import { BatchWriter } from "../../../../collectors/exporters/batch-writer.ts";
import { CollectorMetrics } from "../../../../collectors/telemetry/collector-metrics.ts";
import { createMetricsServer } from "../../../../collectors/telemetry/metrics-server.ts";
import { createOtlpHttpReceiver } from "../../../../collectors/receivers/otlp-http/receiver.ts";
import type { ExportResult, OtlpConsumer } from "../../../../collectors/types.ts";
import { histogramBuckets } from "../../../../bench/lib/prom-text.ts";

const sampleLine = (text: string, prefix: string) => text.split("\n").find((l) => l.startsWith(prefix));

function consumerReturning(outcome: ExportResult | Error): OtlpConsumer {
  return {
    consume: async () => {
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    encodeResponse: () => new Uint8Array(),
  };
}

describe("CollectorMetrics", () => {
  it("counts requests by signal and outcome, and rejected items, without naming the org", async () => {
    const metrics = new CollectorMetrics({ nodeRuntime: false });
    const input = { signal: "traces" as const, orgId: "org-secret-4711", keyId: "key-secret-0815", body: new Uint8Array(), encoding: "protobuf" as const };
    await metrics.instrument(consumerReturning({ rejected: 0, errorMessage: null })).consume(input);
    await metrics.instrument(consumerReturning({ rejected: 3, errorMessage: "bad span" })).consume(input);
    await expect(metrics.instrument(consumerReturning(overloaded("queue full"))).consume(input)).rejects.toThrow("queue full");

    const { body, contentType } = await metrics.exposition();
    expect(contentType).toMatch(/^text\/plain/);
    expect(sampleLine(body, 'inferledger_collector_requests_total{signal="traces",outcome="ok"}')).toMatch(/ 1$/);
    expect(sampleLine(body, 'inferledger_collector_requests_total{signal="traces",outcome="partial"}')).toMatch(/ 1$/);
    expect(sampleLine(body, 'inferledger_collector_requests_total{signal="traces",outcome="429"}')).toMatch(/ 1$/);
    expect(sampleLine(body, 'inferledger_collector_rejected_items_total{signal="traces"}')).toMatch(/ 3$/);
    expect(sampleLine(body, 'inferledger_collector_request_duration_seconds_count{signal="traces"}')).toMatch(/ 3$/);
    expect(body).not.toContain("org-secret-4711");
    expect(body).not.toContain("key-secret-0815");
  });

  it("records each flush of a batch writer: rows, transaction time, and every request's wait for it", async () => {
    const metrics = new CollectorMetrics({ nodeRuntime: false });
    let release!: () => void;
    const firstFlushHeld = new Promise<void>((r) => (release = r));
    let flushes = 0;
    const writer: BatchWriter<number> = new BatchWriter<number>({
      maxBatchRows: 100,
      maxQueuedRows: 1000,
      concurrency: 1,
      observer: metrics.batchObserver("spans", () => writer.pendingRows),
      flush: async (rows) => {
        flushes++;
        if (flushes === 1) await firstFlushHeld;
        if (rows.includes(-1)) throw new Error("database down");
      },
    });
    const first = writer.write([1, 2]);
    // These two queue behind the held flush and are coalesced into one batch of 5 rows.
    const second = writer.write([3, 4, 5]);
    const third = writer.write([6, 7]);
    await new Promise((r) => setTimeout(r, 30));
    expect(sampleLine((await metrics.exposition()).body, 'inferledger_collector_queued_items{writer="spans"}')).toMatch(/ 7$/);
    release();
    await Promise.all([first, second, third]);
    await expect(writer.write([-1])).rejects.toThrow(/storage unavailable/);

    const { body } = await metrics.exposition();
    expect(sampleLine(body, 'inferledger_collector_batch_rows_sum{writer="spans"}')).toMatch(/ 8$/); // 2 + 5 + 1
    expect(sampleLine(body, 'inferledger_collector_batch_rows_count{writer="spans"}')).toMatch(/ 3$/);
    expect(sampleLine(body, 'inferledger_collector_batch_flush_seconds_count{writer="spans",result="ok"}')).toMatch(/ 2$/);
    expect(sampleLine(body, 'inferledger_collector_batch_flush_seconds_count{writer="spans",result="error"}')).toMatch(/ 1$/);
    // Four requests waited: the first not at all, the two behind the held flush for ≥ 30 ms.
    const waits = histogramBuckets(body, "inferledger_collector_batch_queue_wait_seconds", { writer: "spans" });
    expect(waits.at(-1)!.count).toBe(4);
    const under25ms = waits.find((b) => b.le === 0.025)!.count;
    expect(under25ms).toBe(2); // the first request and the failing one
    expect(sampleLine(body, 'inferledger_collector_queued_items{writer="spans"}')).toMatch(/ 0$/);
  });

  it("includes Node's own figures (event-loop delay, GC, heap) unless told not to", async () => {
    const { body } = await new CollectorMetrics().exposition();
    expect(body).toContain("nodejs_eventloop_lag_p99_seconds");
    expect(body).toContain("nodejs_heap_size_used_bytes");
    expect(body).toContain("process_resident_memory_bytes");
  });
});

describe("requests the receiver refuses before the consumer", () => {
  it("are counted by their status (401 missing key, 415 wrong content type), and only once", async () => {
    const metrics = new CollectorMetrics({ nodeRuntime: false });
    const consumer = metrics.instrument(consumerReturning({ rejected: 0, errorMessage: null }));
    const verifier = { verify: async (plain: string | null | undefined) => (plain === "good" ? { orgId: "o", keyId: "k" } : null) };
    const server = createOtlpHttpReceiver({ consumer, verifier, maxBodyBytes: 1024, isHealthy: async () => true, log: () => undefined, metrics });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
    try {
      const post = (auth: string, type: string) => fetch(url, { method: "POST", headers: { authorization: `Bearer ${auth}`, "content-type": type }, body: "{}" });
      expect((await post("bad", "application/json")).status).toBe(401);
      expect((await post("good", "text/plain")).status).toBe(415);
      expect((await post("good", "application/json")).status).toBe(200);
    } finally {
      await new Promise((r) => server.close(r));
    }
    const { body } = await metrics.exposition();
    expect(sampleLine(body, 'inferledger_collector_requests_total{signal="traces",outcome="401"}')).toMatch(/ 1$/);
    expect(sampleLine(body, 'inferledger_collector_requests_total{signal="traces",outcome="415"}')).toMatch(/ 1$/);
    expect(sampleLine(body, 'inferledger_collector_requests_total{signal="traces",outcome="ok"}')).toMatch(/ 1$/);
  });
});

describe("metrics server", () => {
  it("serves GET /metrics in Prometheus text format and nothing else", async () => {
    const server = createMetricsServer(new CollectorMetrics({ nodeRuntime: false }));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ok = await fetch(`${base}/metrics`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await ok.text()).toContain("# TYPE inferledger_collector_requests_total counter");
      expect((await fetch(`${base}/v1/traces`, { method: "POST", body: "x" })).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: "POST", body: "x" })).status).toBe(404);
    } finally {
      await new Promise((r) => (server as http.Server).close(r));
    }
  });
});
