import { Metadata } from "@grpc/grpc-js";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { OTLPTraceExporter as GrpcExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg } from "../../fixtures/factories.ts";
import { startTestCollector } from "../../helpers/collector.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

type Org = Awaited<ReturnType<typeof createTestOrg>>;

/** Sends one task (a root span and an Anthropic call with cache reads) through a real OTel exporter. */
async function sendTask(exporter: SpanExporter, feature: string): Promise<{ traceId: string }> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "exporter-test" }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("test");
  const start = Date.UTC(2026, 9, 5, 12, 0, 0);
  const root = tracer.startSpan("task review", { startTime: start, attributes: { "inferledger.feature": feature, "inferledger.task.type": "review-pr", "inferledger.customer.id": "acme" } });
  const { trace, context } = await import("@opentelemetry/api");
  const ctx = trace.setSpan(context.active(), root);
  const call = tracer.startSpan("chat claude-sonnet-4", {
    kind: SpanKind.CLIENT,
    startTime: start + 10,
    attributes: {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "claude-sonnet-4-20250514",
      "gen_ai.response.model": "claude-sonnet-4-20250514",
      "gen_ai.usage.input_tokens": 12000,
      "gen_ai.usage.cache_read.input_tokens": 10000,
      "gen_ai.usage.output_tokens": 800,
      "inferledger.prompt.name": "review",
      "inferledger.prompt.version": "v8",
      "inferledger.prompt.system_tokens": 5200,
    },
  }, ctx);
  call.setStatus({ code: SpanStatusCode.OK });
  call.end(start + 2510);
  root.end(start + 2600);
  await provider.forceFlush();
  await provider.shutdown();
  return { traceId: root.spanContext().traceId };
}

describe("real OpenTelemetry exporters → collector → stored records", () => {
  const db = testDb();
  let org: Org;
  let collector: Awaited<ReturnType<typeof startTestCollector>>;

  beforeAll(async () => {
    org = await createTestOrg(db);
    collector = await startTestCollector(db);
  });
  afterAll(async () => {
    await collector.stop();
    await closeTestDb();
  });

  const headers = () => ({ authorization: `Bearer ${org.ingestKey.key}` });
  const exporters: [string, () => SpanExporter][] = [
    ["OTLP/HTTP protobuf", () => new ProtoExporter({ url: `${collector.httpUrl}/v1/traces`, headers: headers() })],
    ["OTLP/HTTP JSON", () => new JsonExporter({ url: `${collector.httpUrl}/v1/traces`, headers: headers() })],
    ["OTLP/gRPC", () => {
      const metadata = new Metadata();
      metadata.set("authorization", `Bearer ${org.ingestKey.key}`);
      return new GrpcExporter({ url: collector.grpcUrl, metadata });
    }],
  ];

  for (const [name, make] of exporters) {
    it(`${name}: stores both spans with the right fields`, async () => {
      const feature = `feat-${name.replace(/\W+/g, "-").toLowerCase()}`;
      const { traceId } = await sendTask(make(), feature);
      const rows = await db.prisma.span.findMany({ where: { orgId: org.org.id, traceId }, orderBy: { startTime: "asc" } });
      expect(rows).toHaveLength(2);
      const [root, call] = rows;
      expect(root).toMatchObject({ name: "task review", isLlmCall: false, feature, taskType: "review-pr", customerId: "acme", parentSpanId: null, serviceName: "exporter-test" });
      expect(call).toMatchObject({
        name: "chat claude-sonnet-4",
        kind: 3,
        parentSpanId: root!.spanId,
        status: "ok",
        isLlmCall: true,
        provider: "anthropic",
        requestModel: "claude-sonnet-4-20250514",
        model: "claude-sonnet-4-20250514",
        operation: "chat",
        inputTokens: 12000n,
        cacheReadTokens: 10000n,
        cacheWriteTokens: 0n,
        outputTokens: 800n,
        promptName: "review",
        promptVersion: "v8",
        promptSystemTokens: 5200,
      });
      expect(call!.startTime.toISOString()).toBe("2026-10-05T12:00:00.010Z");
      expect(call!.endTime.getTime() - call!.startTime.getTime()).toBe(2500);
    });
  }

  it("re-sent batches are stored once", async () => {
    const { traceId } = await sendTask(exporters[0]![1](), "dupes");
    const body = await db.prisma.span.findMany({ where: { orgId: org.org.id, traceId } });
    // Re-send the exact same spans as raw OTLP/JSON twice.
    const json = {
      resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans: body.map((s) => ({
        traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId ?? "", name: s.name, kind: s.kind,
        startTimeUnixNano: String(BigInt(s.startTime.getTime()) * 1_000_000n), endTimeUnixNano: String(BigInt(s.endTime.getTime()) * 1_000_000n),
      })) }] }],
    };
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${collector.httpUrl}/v1/traces`, { method: "POST", headers: { ...headers(), "content-type": "application/json" }, body: JSON.stringify(json) });
      expect(res.status).toBe(200);
    }
    expect(await db.prisma.span.count({ where: { orgId: org.org.id, traceId } })).toBe(2);
  });

  it("spans sent with another org's key land in that org only", async () => {
    const other = await createTestOrg(db);
    const res = await fetch(`${collector.httpUrl}/v1/traces`, {
      method: "POST",
      headers: { authorization: `Bearer ${other.ingestKey.key}`, "content-type": "application/json" },
      body: JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: "inferledger.org", value: { stringValue: org.org.id } }] }, scopeSpans: [{ spans: [{ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", name: "x", startTimeUnixNano: "1760000000000000000", endTimeUnixNano: "1760000000100000000" }] }] }] }),
    });
    expect(res.status).toBe(200);
    expect(await db.prisma.span.count({ where: { traceId: "0af7651916cd43dd8448eb211c80319c", orgId: other.org.id } })).toBe(1);
    expect(await db.prisma.span.count({ where: { traceId: "0af7651916cd43dd8448eb211c80319c", orgId: org.org.id } })).toBe(0);
  });
});
