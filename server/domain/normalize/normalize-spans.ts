import type { AttributionContext, LlmUsage, NormalizedSpan, SpanStatus } from "../ingest/types.ts";
import { firstString, firstTokenCount, normalizeProvider, PROVIDER_ALIASES, REQUEST_MODEL_ALIASES, RESPONSE_MODEL_ALIASES, TOKEN_ALIASES } from "./aliases.ts";
import type { Attributes, AttrValue, RawResourceSpans, RawSpan } from "./raw-types.ts";

/** Operations that are model inference calls; agent/tool/workflow spans may roll usage up and are not calls. */
const INFERENCE_OPERATIONS = new Set(["chat", "text_completion", "generate_content", "embeddings", "completion", "embedding", "rerank"]);
const NON_CALL_OPERATIONS = new Set(["invoke_agent", "create_agent", "execute_tool", "invoke_workflow", "retrieval", "plan", "fetch_response"]);
const VERCEL_CALL_SPAN = /^ai\.[A-Za-z]+\.do(Generate|Stream|Embed)$/;

export type NormalizeResult = { spans: NormalizedSpan[]; rejected: number; rejectReasons: string[] };

/** Normalizes decoded spans: LLM usage (all known naming schemes) and this span's own attribution context. */
export function normalizeSpans(resourceSpans: RawResourceSpans[]): NormalizeResult {
  const spans: NormalizedSpan[] = [];
  const reasons = new Set<string>();
  let rejected = 0;
  for (const rs of resourceSpans) {
    const serviceName = str(rs.resource["service.name"]);
    for (const raw of rs.spans) {
      const llm = detectLlmUsage(raw);
      if (llm === "invalid") {
        rejected++;
        reasons.add("token counts must be integers between 0 and 1e12");
        continue;
      }
      spans.push({
        traceId: raw.traceId,
        spanId: raw.spanId,
        parentSpanId: raw.parentSpanId,
        name: raw.name,
        kind: raw.kind,
        startTimeUnixNano: raw.startTimeUnixNano,
        endTimeUnixNano: raw.endTimeUnixNano,
        status: statusOf(raw.statusCode),
        statusMessage: raw.statusMessage,
        serviceName,
        attribution: attributionOf(raw.attributes, rs.resource, serviceName),
        llm,
      });
    }
  }
  return { spans, rejected, rejectReasons: [...reasons] };
}

function statusOf(code: number): SpanStatus {
  return code === 2 ? "error" : code === 1 ? "ok" : "unset";
}

const str = (v: AttrValue | undefined): string | null => (typeof v === "string" && v.trim() ? v.trim().slice(0, 256) : typeof v === "number" || typeof v === "boolean" ? String(v) : null);
const int = (v: AttrValue | undefined): number | null => {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= 1e9 ? Math.round(n) : null;
};

/** A span's own attribution: span attributes, then its resource, then baggage copied onto the span. */
function attributionOf(span: Attributes, resource: Attributes, serviceName: string | null): AttributionContext {
  const get = (...keys: string[]): AttrValue | undefined => {
    for (const k of keys) if (span[k] !== undefined && span[k] !== null) return span[k];
    for (const k of keys) if (resource[k] !== undefined && resource[k] !== null) return resource[k];
    for (const k of keys) if (span[`baggage.${k}`] !== undefined) return span[`baggage.${k}`];
    return undefined;
  };
  const outcome = str(get("inferledger.task.outcome"))?.toLowerCase();
  return {
    feature: str(get("inferledger.feature")) ?? serviceName,
    taskType: str(get("inferledger.task.type")),
    taskId: str(get("inferledger.task.id")),
    taskOutcome: outcome === "success" || outcome === "failure" ? outcome : null,
    customerId: str(get("inferledger.customer.id")),
    promptName: str(get("inferledger.prompt.name", "gen_ai.prompt.name")),
    promptVersion: str(get("inferledger.prompt.version", "gen_ai.prompt.version")),
    promptSystemTokens: int(get("inferledger.prompt.system_tokens")),
    retryAttempt: int(span["inferledger.retry.attempt"] ?? span["http.request.resend_count"]),
  };
}

function isInferenceSpan(span: RawSpan): boolean {
  const a = span.attributes;
  const op = str(a["gen_ai.operation.name"])?.toLowerCase();
  if (op && NON_CALL_OPERATIONS.has(op)) return false;
  if (span.name.startsWith("ai.")) return VERCEL_CALL_SPAN.test(span.name); // parent ai.generateText rolls usage up
  const oiKind = str(a["openinference.span.kind"])?.toUpperCase();
  if (oiKind) return oiKind === "LLM" || oiKind === "EMBEDDING";
  const tlKind = str(a["traceloop.span.kind"])?.toLowerCase();
  if (tlKind && tlKind !== "llm") return false;
  if (op) return INFERENCE_OPERATIONS.has(op);
  if (str(a["llm.request.type"])) return true;
  // pre-1.37 emitters: gen_ai.system + a model or usage
  return Boolean(firstString(a, PROVIDER_ALIASES) && (firstString(a, REQUEST_MODEL_ALIASES) || firstTokenCount(a, TOKEN_ALIASES.input).found));
}

function detectLlmUsage(span: RawSpan): LlmUsage | null | "invalid" {
  if (!isInferenceSpan(span)) return null;
  const a = span.attributes;
  const input = firstTokenCount(a, TOKEN_ALIASES.input);
  const output = firstTokenCount(a, TOKEN_ALIASES.output);
  const cacheRead = firstTokenCount(a, TOKEN_ALIASES.cacheRead);
  const cacheWrite = firstTokenCount(a, TOKEN_ALIASES.cacheWrite);
  const reasoning = firstTokenCount(a, TOKEN_ALIASES.reasoning);
  if ([input, output, cacheRead, cacheWrite, reasoning].some((t) => t.invalid)) return "invalid";
  const providerRaw = firstString(a, PROVIDER_ALIASES);
  const provider = providerRaw ? normalizeProvider(providerRaw) : null;
  // OTel: input includes cache reads/writes. Raw Anthropic usage (and pre-1.40 instrumentations) exclude them:
  // when the cache parts exceed the reported input, the input cannot have included them.
  let inputTokens = input.value;
  const anthropicTotal = firstTokenCount(a, ["llm.anthropic.usage.total_input_tokens"]);
  if (anthropicTotal.found && !anthropicTotal.invalid) inputTokens = Math.max(inputTokens, anthropicTotal.value);
  if (cacheRead.value + cacheWrite.value > inputTokens) inputTokens += cacheRead.value + cacheWrite.value;
  const outputTokens = Math.max(output.value, reasoning.value);
  const responseModel = firstString(a, RESPONSE_MODEL_ALIASES);
  const requestModel = firstString(a, REQUEST_MODEL_ALIASES);
  const op = str(a["gen_ai.operation.name"]) ?? str(a["llm.request.type"]) ?? (span.name.includes("doEmbed") ? "embeddings" : null);
  const ttftSeconds = a["gen_ai.response.time_to_first_chunk"];
  const ttftMs = typeof ttftSeconds === "number" ? ttftSeconds * 1000 : typeof a["ai.stream.msToFirstChunk"] === "number" ? (a["ai.stream.msToFirstChunk"] as number) : null;
  const stream = a["gen_ai.request.stream"] ?? a["llm.is_streaming"];
  return {
    provider,
    requestModel,
    responseModel,
    model: responseModel ?? requestModel,
    operation: op ? op.toLowerCase() : null,
    inputTokens,
    cacheReadTokens: cacheRead.value,
    cacheWriteTokens: cacheWrite.value,
    outputTokens,
    reasoningTokens: reasoning.value,
    isStreaming: typeof stream === "boolean" ? stream : span.name.endsWith(".doStream") ? true : null,
    ttftMs: ttftMs !== null && Number.isFinite(ttftMs) && ttftMs >= 0 ? ttftMs : null,
    errorType: str(a["error.type"]) ?? (span.statusCode === 2 ? "_OTHER" : null),
    serverAddress: str(a["server.address"]),
  };
}
