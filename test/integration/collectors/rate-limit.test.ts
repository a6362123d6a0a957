import { Metadata } from "@grpc/grpc-js";
import { OTLPTraceExporter as GrpcExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { ExportResultCode } from "@opentelemetry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyRateLimiter } from "../../../collectors/rate-limit/key-rate-limiter.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { startTestCollector } from "../../helpers/collector.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

type Org = Awaited<ReturnType<typeof createTestOrg>>;

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
/** An OTLP/JSON request with `count` spans in one trace. */
const traces = (traceNo: number, count: number) =>
  JSON.stringify({
    resourceSpans: [{ scopeSpans: [{ spans: Array.from({ length: count }, (_, i) => ({
      traceId: hex(traceNo, 32), spanId: hex(i + 1, 16), name: "x",
      startTimeUnixNano: "1760000000000000000", endTimeUnixNano: "1760000000100000000",
    })) }] }],
  });

describe("per-ingest-key rate limits in the collector", () => {
  const db = testDb();
  let nowMs = 1_000_000;
  // A manual clock: refills happen when the test says so, never by timing luck.
  const limiter = new KeyRateLimiter({ requestsPerSec: 2, requestBurst: 3, spansPerSec: 10, spanBurst: 20 }, () => nowMs);
  let collector: Awaited<ReturnType<typeof startTestCollector>>;
  let a: Org;
  let b: Org;

  beforeAll(async () => {
    a = await createTestOrg(db);
    b = await createTestOrg(db);
    collector = await startTestCollector(db, { rateLimiter: limiter });
  });
  afterAll(async () => {
    await collector.stop();
    await closeTestDb();
  });

  const post = (org: Org, body: string) =>
    fetch(`${collector.httpUrl}/v1/traces`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${org.ingestKey.key}` }, body });
  const stored = (org: Org) => db.prisma.span.count({ where: { orgId: org.org.id } });

  it("HTTP: 429 + Retry-After over the request rate, per key; the rejected request stores nothing", async () => {
    for (let i = 0; i < 3; i++) expect((await post(a, traces(100 + i, 1))).status).toBe(200);
    const over = await post(a, traces(200, 1));
    expect(over.status).toBe(429);
    expect(over.headers.get("retry-after")).toBe("1");
    expect(await over.json()).toMatchObject({ code: 8, message: expect.stringContaining("rate limit for this ingest key") });
    expect(await stored(a)).toBe(3);
    // Another tenant's key is not throttled by a's flood.
    expect((await post(b, traces(300, 1))).status).toBe(200);
    // Half a second later (2 requests/s) a has one request again.
    nowMs += 500;
    expect((await post(a, traces(200, 1))).status).toBe(200);
    expect(await stored(a)).toBe(4);
  });

  it("HTTP: 429 over the span rate with Retry-After from the deficit", async () => {
    nowMs += 60_000; // both buckets full again
    expect((await post(b, traces(400, 20))).status).toBe(200); // the whole span burst
    const over = await post(b, traces(401, 15));
    expect(over.status).toBe(429);
    expect(over.headers.get("retry-after")).toBe("2"); // 15 spans at 10/s
    expect(await db.prisma.span.count({ where: { orgId: b.org.id, traceId: hex(401, 32) } })).toBe(0);
    nowMs += 2_000;
    expect((await post(b, traces(401, 15))).status).toBe(200);
    expect(await db.prisma.span.count({ where: { orgId: b.org.id, traceId: hex(401, 32) } })).toBe(15);
  });

  it("gRPC: RESOURCE_EXHAUSTED with a retry-after hint over the limit", async () => {
    nowMs += 60_000;
    for (let i = 0; i < 3; i++) expect((await post(a, traces(500 + i, 1))).status).toBe(200);
    const metadata = new Metadata();
    metadata.set("authorization", `Bearer ${a.ingestKey.key}`);
    const exporter = new GrpcExporter({ url: collector.grpcUrl, metadata, timeoutMillis: 2_000 });
    const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
    provider.getTracer("t").startSpan("limited").end();
    await provider.forceFlush();
    const results = [await new Promise<{ code: ExportResultCode; error?: Error }>((resolve) => exporter.export(memory.getFinishedSpans(), resolve))];
    await exporter.shutdown();
    expect(results).toHaveLength(1);
    expect(results[0]!.code).toBe(ExportResultCode.FAILED);
    const error = results[0]!.error as unknown as { code: number; details: string; metadata: Metadata };
    expect(error.code).toBe(8); // RESOURCE_EXHAUSTED
    expect(error.details).toContain("rate limit for this ingest key");
    expect(error.metadata.get("retry-after")).toEqual(["1"]);
  });
});
