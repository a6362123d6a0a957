/**
 * The benchmarks' OTLP requests: gzip'd ExportTraceServiceRequest protobuf bodies of GenAI spans with random ids.
 * shape `spans`: every span a model call in a trace of its own whose parent is missing (all queued for settlement).
 * shape `traces`: 128 traces per 512 spans, each a task's root span (feature, customer, task type, outcome) with
 * three model calls under it, as an instrumented app's BatchSpanProcessor exports them (all settled at ingest).
 */
import crypto from "node:crypto";
import zlib from "node:zlib";
import { ExportTraceServiceRequest } from "../../collectors/decode/proto-schema.ts";

export type RequestShape = "spans" | "traces";

const CALLS_PER_TRACE = 3;

export function makeOtlpTracesRequest(shape: RequestShape, seq: number, spansPerRequest = 512): Buffer {
  return shape === "traces" ? makeTracesRequest(seq, spansPerRequest) : makeSpansRequest(seq, spansPerRequest);
}

const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const int = (key: string, v: number) => ({ key, value: { intValue: v } });
const MODELS = [["openai", "gpt-4o-mini"], ["anthropic", "claude-sonnet-4-20250514"], ["openai", "gpt-4.1"], ["gcp.gemini", "gemini-2.5-flash"]] as const;

function encode(spans: unknown[]): Buffer {
  const message = ExportTraceServiceRequest.create({
    resourceSpans: [{ resource: { attributes: [str("service.name", "bench-app")] }, scopeSpans: [{ spans }] }],
  });
  return zlib.gzipSync(ExportTraceServiceRequest.encode(message).finish());
}

function makeTracesRequest(seq: number, spansPerRequest: number): Buffer {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const spans = [];
  for (let t = 0; spans.length < spansPerRequest; t++) {
    const traceId = crypto.randomBytes(16);
    const rootId = crypto.randomBytes(8);
    const start = nowNs - BigInt(t) * 5_000_000n;
    spans.push({
      traceId, spanId: rootId, name: "POST /answer", kind: 2, startTimeUnixNano: String(start), endTimeUnixNano: String(start + 4_000_000_000n),
      attributes: [
        str("inferledger.feature", `feature-${t % 8}`), str("inferledger.customer.id", `customer-${t % 20}`), str("inferledger.task.type", "answer"),
        str("inferledger.task.outcome", t % 10 === 0 ? "failure" : "success"), str("http.request.method", "POST"),
      ],
      status: { code: 0 },
    });
    for (let c = 0; c < CALLS_PER_TRACE; c++) {
      const [provider, model] = MODELS[(seq + t + c) % MODELS.length]!;
      const callStart = start + BigInt(c) * 1_200_000_000n;
      spans.push({
        traceId, spanId: crypto.randomBytes(8), parentSpanId: rootId, name: `chat ${model}`, kind: 3,
        startTimeUnixNano: String(callStart), endTimeUnixNano: String(callStart + 1_100_000_000n),
        attributes: [
          str("gen_ai.operation.name", "chat"), str("gen_ai.provider.name", provider), str("gen_ai.request.model", model),
          str("gen_ai.response.model", model), int("gen_ai.usage.input_tokens", 1000 + t + c), int("gen_ai.usage.output_tokens", 200 + (t % 50)),
          int("gen_ai.usage.cache_read.input_tokens", c > 0 ? 512 : 0), str("server.address", "api.example.com"), str("inferledger.prompt.name", "answer"),
        ],
        status: { code: c === 0 && t % 25 === 0 ? 2 : 0 },
      });
    }
  }
  return encode(spans.slice(0, spansPerRequest));
}

function makeSpansRequest(seq: number, spansPerRequest: number): Buffer {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const spans = [];
  for (let i = 0; i < spansPerRequest; i++) {
    const [provider, model] = MODELS[(seq + i) % MODELS.length]!;
    const start = nowNs - BigInt(i) * 1_000_000n;
    spans.push({
      traceId: crypto.randomBytes(16), spanId: crypto.randomBytes(8), parentSpanId: crypto.randomBytes(8), name: `chat ${model}`, kind: 3,
      startTimeUnixNano: String(start), endTimeUnixNano: String(start + 900_000_000n), // protobufjs takes int64 as string, not bigint
      attributes: [
        str("gen_ai.operation.name", "chat"), str("gen_ai.provider.name", provider), str("gen_ai.request.model", model),
        str("gen_ai.response.model", model), int("gen_ai.usage.input_tokens", 1000 + i), int("gen_ai.usage.output_tokens", 200 + (i % 50)),
        int("gen_ai.usage.cache_read.input_tokens", i % 3 === 0 ? 512 : 0), str("server.address", "api.example.com"),
        str("inferledger.feature", `feature-${i % 8}`), str("inferledger.customer.id", `customer-${i % 20}`), str("inferledger.prompt.name", "answer"),
      ],
      status: { code: i % 50 === 0 ? 2 : 0 },
    });
  }
  return encode(spans);
}

