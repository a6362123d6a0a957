import type { AttributionContext, LlmUsage, NormalizedSpan, SpanStatus } from "../ingest/types.ts";
import { firstString, INVALID_TOKENS, NO_TOKENS, normalizeProvider, PROVIDER_ALIASES, REQUEST_MODEL_ALIASES, RESPONSE_MODEL_ALIASES, TOKEN_ALIASES, tokenCount } from "./aliases.ts";
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

function str(v: AttrValue | undefined): string | null {
  if (typeof v === "string") {
    const trimmed = v.trim();
    return trimmed ? trimmed.slice(0, 256) : null;
  }
  return typeof v === "number" || typeof v === "boolean" ? String(v) : null;
}
const int = (v: AttrValue | undefined): number | null => {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= 1e9 ? Math.round(n) : null;
};

// Attribution keys and their baggage copies, built once rather than per span.
const K = {
  feature: "inferledger.feature", taskType: "inferledger.task.type", taskId: "inferledger.task.id", taskOutcome: "inferledger.task.outcome",
  customerId: "inferledger.customer.id", promptName: "inferledger.prompt.name", otelPromptName: "gen_ai.prompt.name",
  promptVersion: "inferledger.prompt.version", otelPromptVersion: "gen_ai.prompt.version", promptSystemTokens: "inferledger.prompt.system_tokens",
} as const;
const BAGGAGE = Object.fromEntries(Object.entries(K).map(([name, key]) => [name, `baggage.${key}`])) as { [name in keyof typeof K]: string };

/** An attribution attribute: on the span, else on its resource (both non-null), else baggage copied onto the span. */
function attr(span: Attributes, resource: Attributes, key: string, baggageKey: string): AttrValue | undefined {
  const own = span[key];
  if (own !== undefined && own !== null) return own;
  const fromResource = resource[key];
  if (fromResource !== undefined && fromResource !== null) return fromResource;
  return span[baggageKey];
}

/** As `attr` for two names of one thing: each source is searched for both before the next source. */
function attr2(span: Attributes, resource: Attributes, key: string, otherKey: string, baggageKey: string, otherBaggageKey: string): AttrValue | undefined {
  const own = span[key] ?? span[otherKey];
  if (own !== undefined && own !== null) return own;
  const fromResource = resource[key] ?? resource[otherKey];
  if (fromResource !== undefined && fromResource !== null) return fromResource;
  const baggage = span[baggageKey];
  return baggage !== undefined ? baggage : span[otherBaggageKey];
}

/** A span's own attribution: span attributes, then its resource, then baggage copied onto the span. */
function attributionOf(span: Attributes, resource: Attributes, serviceName: string | null): AttributionContext {
  const outcome = str(attr(span, resource, K.taskOutcome, BAGGAGE.taskOutcome))?.toLowerCase();
  return {
    feature: str(attr(span, resource, K.feature, BAGGAGE.feature)) ?? serviceName,
    taskType: str(attr(span, resource, K.taskType, BAGGAGE.taskType)),
    taskId: str(attr(span, resource, K.taskId, BAGGAGE.taskId)),
    taskOutcome: outcome === "success" || outcome === "failure" ? outcome : null,
    customerId: str(attr(span, resource, K.customerId, BAGGAGE.customerId)),
    promptName: str(attr2(span, resource, K.promptName, K.otelPromptName, BAGGAGE.promptName, BAGGAGE.otelPromptName)),
    promptVersion: str(attr2(span, resource, K.promptVersion, K.otelPromptVersion, BAGGAGE.promptVersion, BAGGAGE.otelPromptVersion)),
    promptSystemTokens: int(attr(span, resource, K.promptSystemTokens, BAGGAGE.promptSystemTokens)),
    retryAttempt: int(span["inferledger.retry.attempt"] ?? span["http.request.resend_count"]),
  };
}

/** `operation`: str() of gen_ai.operation.name, read once per span by the caller. */
function isInferenceSpan(span: RawSpan, operation: string | null): boolean {
  const a = span.attributes;
  const op = operation?.toLowerCase();
  if (op && NON_CALL_OPERATIONS.has(op)) return false;
  if (span.name.startsWith("ai.")) return VERCEL_CALL_SPAN.test(span.name); // parent ai.generateText rolls usage up
  const oiKind = str(a["openinference.span.kind"])?.toUpperCase();
  if (oiKind) return oiKind === "LLM" || oiKind === "EMBEDDING";
  const tlKind = str(a["traceloop.span.kind"])?.toLowerCase();
  if (tlKind && tlKind !== "llm") return false;
  if (op) return INFERENCE_OPERATIONS.has(op);
  if (str(a["llm.request.type"])) return true;
  // pre-1.37 emitters: gen_ai.system + a model or usage
  return Boolean(firstString(a, PROVIDER_ALIASES) && (firstString(a, REQUEST_MODEL_ALIASES) || tokenCount(a, TOKEN_ALIASES.input) !== NO_TOKENS));
}

const ANTHROPIC_TOTAL_INPUT = ["llm.anthropic.usage.total_input_tokens"] as const;
/** A token count read with tokenCount: absent counts as 0. */
const tokens = (n: number): number => (n === NO_TOKENS ? 0 : n);

function detectLlmUsage(span: RawSpan): LlmUsage | null | "invalid" {
  const a = span.attributes;
  const operation = str(a["gen_ai.operation.name"]);
  if (!isInferenceSpan(span, operation)) return null;
  const input = tokenCount(a, TOKEN_ALIASES.input);
  const output = tokenCount(a, TOKEN_ALIASES.output);
  const cacheRead = tokenCount(a, TOKEN_ALIASES.cacheRead);
  const cacheWrite = tokenCount(a, TOKEN_ALIASES.cacheWrite);
  const reasoning = tokenCount(a, TOKEN_ALIASES.reasoning);
  if (input === INVALID_TOKENS || output === INVALID_TOKENS || cacheRead === INVALID_TOKENS || cacheWrite === INVALID_TOKENS || reasoning === INVALID_TOKENS) return "invalid";
  const cacheReadTokens = tokens(cacheRead);
  const cacheWriteTokens = tokens(cacheWrite);
  const reasoningTokens = tokens(reasoning);
  const providerRaw = firstString(a, PROVIDER_ALIASES);
  const provider = providerRaw ? normalizeProvider(providerRaw) : null;
  // OTel: input includes cache reads/writes. Raw Anthropic usage (and pre-1.40 instrumentations) exclude them:
  // when the cache parts exceed the reported input, the input cannot have included them.
  let inputTokens = tokens(input);
  const anthropicTotal = tokenCount(a, ANTHROPIC_TOTAL_INPUT);
  if (anthropicTotal !== NO_TOKENS && anthropicTotal !== INVALID_TOKENS) inputTokens = Math.max(inputTokens, anthropicTotal);
  if (cacheReadTokens + cacheWriteTokens > inputTokens) inputTokens += cacheReadTokens + cacheWriteTokens;
  const outputTokens = Math.max(tokens(output), reasoningTokens);
  const responseModel = firstString(a, RESPONSE_MODEL_ALIASES);
  const requestModel = firstString(a, REQUEST_MODEL_ALIASES);
  const op = operation ?? str(a["llm.request.type"]) ?? (span.name.includes("doEmbed") ? "embeddings" : null);
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
    cacheReadTokens,
    cacheWriteTokens,
    outputTokens,
    reasoningTokens,
    isStreaming: typeof stream === "boolean" ? stream : span.name.endsWith(".doStream") ? true : null,
    ttftMs: ttftMs !== null && Number.isFinite(ttftMs) && ttftMs >= 0 ? ttftMs : null,
    errorType: str(a["error.type"]) ?? (span.statusCode === 2 ? "_OTHER" : null),
    serverAddress: str(a["server.address"]),
  };
}
