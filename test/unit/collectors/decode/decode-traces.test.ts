import zlib from "node:zlib";
import fc from "fast-check";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { OtlpDecodeError } from "../../../../collectors/decode/decode-error.ts";
import { decodeMetrics } from "../../../../collectors/decode/decode-metrics.ts";
import { decodeTraces } from "../../../../collectors/decode/decode-traces.ts";
import { encodeExportResponse } from "../../../../collectors/decode/encode-response.ts";
import { ExportTraceServiceResponse } from "../../../../collectors/decode/proto-schema.ts";

function realSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ "service.name": "svc", "deployment.environment": "prod" }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer("t");
  const root = tracer.startSpan("root", { attributes: { "inferledger.feature": "f", nested: ["a", "b"], n: 42, ok: true, ratio: 0.5 } });
  root.end();
  return exporter.getFinishedSpans();
}

describe("OTLP trace decoding against the official serializers", () => {
  const spans = realSpans();
  for (const [name, bytes, encoding] of [
    ["protobuf", ProtobufTraceSerializer.serializeRequest(spans)!, "protobuf"],
    ["json", JsonTraceSerializer.serializeRequest(spans)!, "json"],
  ] as const) {
    it(`decodes what the official ${name} serializer writes`, () => {
      const decoded = decodeTraces(bytes, encoding);
      expect(decoded.rejected).toBe(0);
      const [rs] = decoded.resourceSpans;
      expect(rs!.resource["service.name"]).toBe("svc");
      const span = rs!.spans[0]!;
      expect(span.traceId).toBe(spans[0]!.spanContext().traceId);
      expect(span.spanId).toBe(spans[0]!.spanContext().spanId);
      expect(span.parentSpanId).toBeNull();
      expect(span.attributes).toMatchObject({ "inferledger.feature": "f", nested: ["a", "b"], n: 42, ok: true, ratio: 0.5 });
      const [s, ns] = spans[0]!.startTime;
      expect(span.startTimeUnixNano).toBe(BigInt(s) * 1_000_000_000n + BigInt(ns));
    });
  }

  it("accepts int64 as JSON strings or numbers, hex ids in any case", () => {
    const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [
      { traceId: "5B8EFFF798038103D269B633813FC60C", spanId: "EEE19B7EC3C1B174", name: "a", startTimeUnixNano: "1760000000000000000", attributes: [{ key: "i", value: { intValue: "7" } }] },
      { traceId: "5b8efff798038103d269b633813fc60c", spanId: "eee19b7ec3c1b175", name: "b", startTimeUnixNano: 1760000000000000000, attributes: [{ key: "i", value: { intValue: 8 } }] },
    ] }] }] });
    const decoded = decodeTraces(Buffer.from(body), "json");
    expect(decoded.resourceSpans[0]!.spans.map((s) => [s.traceId, s.attributes.i])).toEqual([["5b8efff798038103d269b633813fc60c", 7], ["5b8efff798038103d269b633813fc60c", 8]]);
  });

  it("rejects bad spans individually with reasons (partial success), keeps the good ones", () => {
    const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [
      { traceId: "00000000000000000000000000000000", spanId: "eee19b7ec3c1b174", startTimeUnixNano: "1760000000000000000" },
      { traceId: "5b8efff798038103d269b633813fc60c", spanId: "xyz", startTimeUnixNano: "1760000000000000000" },
      { traceId: "5b8efff798038103d269b633813fc60c", spanId: "eee19b7ec3c1b174", startTimeUnixNano: "1" },
      { traceId: "5b8efff798038103d269b633813fc60c", spanId: "eee19b7ec3c1b176", startTimeUnixNano: "1760000000000000000" },
    ] }] }] });
    const decoded = decodeTraces(Buffer.from(body), "json");
    expect(decoded.rejected).toBe(3);
    expect(decoded.resourceSpans[0]!.spans).toHaveLength(1);
    expect(decoded.rejectReasons.join(" ")).toMatch(/traceId.*spanId.*startTimeUnixNano|startTimeUnixNano/);
  });

  it("throws a clear OtlpDecodeError for undecodable bodies", () => {
    expect(() => decodeTraces(Buffer.from("{nope"), "json")).toThrow(/invalid JSON/);
    expect(() => decodeTraces(Buffer.from([0xff, 0xfe, 0xfd]), "json")).toThrow(/UTF-8/);
    expect(() => decodeTraces(Buffer.from("[1,2]"), "json")).toThrow(OtlpDecodeError);
    expect(() => decodeTraces(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]), "protobuf")).toThrow(/invalid protobuf/);
  });

  it("encodes partial_success responses in both encodings", () => {
    const pb = encodeExportResponse("traces", { rejected: 3, errorMessage: "bad ids" }, "protobuf");
    expect(ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(pb), { longs: Number })).toEqual({ partialSuccess: { rejectedSpans: 3, errorMessage: "bad ids" } });
    expect(JSON.parse(Buffer.from(encodeExportResponse("traces", { rejected: 0, errorMessage: null }, "json")).toString())).toEqual({});
  });

  it("fuzz: random bytes and mutated real payloads never throw anything but OtlpDecodeError", () => {
    const real = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
    const realJson = Buffer.from(JsonTraceSerializer.serializeRequest(spans)!);
    const onlyDecodeErrors = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        if (!(error instanceof OtlpDecodeError)) throw error;
      }
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.nat(real.length - 1), fc.integer({ min: 0, max: 255 }), (random, at, byte) => {
        onlyDecodeErrors(() => decodeTraces(random, "protobuf"));
        onlyDecodeErrors(() => decodeTraces(random, "json"));
        onlyDecodeErrors(() => decodeMetrics(random, "protobuf"));
        const mutated = Buffer.from(real);
        mutated[at] = byte;
        onlyDecodeErrors(() => decodeTraces(mutated, "protobuf"));
        const mutatedJson = Buffer.from(realJson);
        mutatedJson[at % realJson.length] = byte;
        onlyDecodeErrors(() => decodeTraces(mutatedJson, "json"));
      }),
      { numRuns: 400 },
    );
  });

  it("fuzz: arbitrary JSON shapes, deep nesting and huge values are handled", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        try {
          decodeTraces(Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [value] }] }] })), "json");
          decodeTraces(Buffer.from(JSON.stringify(value)), "json");
        } catch (error) {
          if (!(error instanceof OtlpDecodeError)) throw error;
        }
      }),
      { numRuns: 300 },
    );
    let deep: object = { stringValue: "x" };
    for (let i = 0; i < 200; i++) deep = { kvlistValue: { values: [{ key: "k", value: deep }] } };
    const huge = "y".repeat(1_000_000);
    const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: "5b8efff798038103d269b633813fc60c", spanId: "eee19b7ec3c1b174", startTimeUnixNano: "1760000000000000000", attributes: [{ key: "deep", value: deep }, { key: "huge", value: { stringValue: huge } }] }] }] }] });
    const span = decodeTraces(Buffer.from(body), "json").resourceSpans[0]!.spans[0]!;
    expect((span.attributes.huge as string).length).toBe(16_384);
    expect(JSON.stringify(span.attributes.deep)).toContain("null");
  });

  it("gzip'd protobuf round trip (as exporters send it)", () => {
    const gz = zlib.gzipSync(ProtobufTraceSerializer.serializeRequest(spans)!);
    expect(decodeTraces(zlib.gunzipSync(gz), "protobuf").spanCount).toBe(1);
  });
});
