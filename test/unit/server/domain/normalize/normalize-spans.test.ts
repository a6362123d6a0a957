import { describe, expect, it } from "vitest";
import { normalizeSpans } from "../../../../../server/domain/normalize/normalize-spans.ts";
import type { Attributes, RawSpan } from "../../../../../server/domain/normalize/raw-types.ts";

let n = 0;
const raw = (attributes: Attributes, extra: Partial<RawSpan> = {}): RawSpan => ({
  traceId: "0af7651916cd43dd8448eb211c80319c", spanId: (++n).toString(16).padStart(16, "0"), parentSpanId: null, name: "chat", kind: 3,
  startTimeUnixNano: 1_760_000_000_000_000_000n, endTimeUnixNano: 1_760_000_001_000_000_000n, statusCode: 0, statusMessage: null, attributes, ...extra,
});
const one = (attributes: Attributes, extra: Partial<RawSpan> = {}, resource: Attributes = { "service.name": "svc" }) => {
  const result = normalizeSpans([{ resource, spans: [raw(attributes, extra)] }]);
  return { span: result.spans[0], result };
};

describe("LLM usage normalization", () => {
  it("current GenAI semconv: response model before request model, cache and reasoning inside input/output", () => {
    const { span } = one({
      "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o", "gen_ai.response.model": "gpt-4o-2024-08-06",
      "gen_ai.usage.input_tokens": 1000, "gen_ai.usage.cache_read.input_tokens": 400, "gen_ai.usage.output_tokens": 300, "gen_ai.usage.reasoning.output_tokens": 120,
      "gen_ai.request.stream": true, "gen_ai.response.time_to_first_chunk": 0.25, "server.address": "api.openai.com",
    });
    expect(span!.llm).toMatchObject({ provider: "openai", model: "gpt-4o-2024-08-06", requestModel: "gpt-4o", inputTokens: 1000, cacheReadTokens: 400, outputTokens: 300, reasoningTokens: 120, isStreaming: true, ttftMs: 250, serverAddress: "api.openai.com" });
  });

  it("pre-1.28 and pre-1.37 names (gen_ai.system, prompt/completion tokens), legacy provider values", () => {
    const { span } = one({ "gen_ai.system": "az.ai.openai", "gen_ai.request.model": "gpt-4", "gen_ai.usage.prompt_tokens": 50, "gen_ai.usage.completion_tokens": 7 });
    expect(span!.llm).toMatchObject({ provider: "azure.ai.openai", model: "gpt-4", inputTokens: 50, outputTokens: 7 });
  });

  it("cache writes use cache_write (SCG) or cache_creation (v1.40) names", () => {
    expect(one({ "gen_ai.operation.name": "chat", "gen_ai.usage.input_tokens": 100, "gen_ai.usage.cache_write.input_tokens": 60 }).span!.llm!.cacheWriteTokens).toBe(60);
    expect(one({ "gen_ai.operation.name": "chat", "gen_ai.usage.input_tokens": 100, "gen_ai.usage.cache_creation.input_tokens": 30 }).span!.llm!.cacheWriteTokens).toBe(30);
  });

  it("raw Anthropic semantics (input excludes cache) are normalized once to OTel's (input includes cache)", () => {
    const { span } = one({ "gen_ai.system": "Anthropic", "gen_ai.request.model": "claude-3-5-sonnet", "gen_ai.usage.prompt_tokens": 20, "gen_ai.usage.cache_read_input_tokens": 5000, "gen_ai.usage.cache_creation_input_tokens": 1000, "gen_ai.usage.completion_tokens": 300 });
    expect(span!.llm).toMatchObject({ provider: "anthropic", inputTokens: 6020, cacheReadTokens: 5000, cacheWriteTokens: 1000 });
  });

  it("OpenInference LLM spans; non-LLM OpenInference spans are not calls", () => {
    const { span } = one({ "openinference.span.kind": "LLM", "llm.provider": "openai", "llm.model_name": "gpt-4o-mini", "llm.token_count.prompt": 900, "llm.token_count.completion": 100, "llm.token_count.prompt_details.cache_read": 512 });
    expect(span!.llm).toMatchObject({ provider: "openai", model: "gpt-4o-mini", inputTokens: 900, outputTokens: 100, cacheReadTokens: 512 });
    expect(one({ "openinference.span.kind": "CHAIN", "llm.token_count.prompt": 900 }).span!.llm).toBeNull();
  });

  it("OpenLLMetry (llm.request.type, capitalised gen_ai.system)", () => {
    const { span } = one({ "llm.request.type": "chat", "gen_ai.system": "MistralAI", "gen_ai.request.model": "mistral-large", "gen_ai.usage.prompt_tokens": 10, "gen_ai.usage.completion_tokens": 2 });
    expect(span!.llm).toMatchObject({ provider: "mistral_ai", operation: "chat", inputTokens: 10 });
  });

  it("Vercel AI SDK: only the doGenerate/doStream span is a call, never the parent that rolls usage up", () => {
    const result = normalizeSpans([{ resource: {}, spans: [
      raw({ "ai.model.id": "gpt-4o", "ai.model.provider": "openai.chat", "ai.usage.promptTokens": 100, "ai.usage.completionTokens": 20 }, { name: "ai.generateText" }),
      raw({ "ai.model.id": "gpt-4o", "ai.model.provider": "openai.chat", "ai.usage.promptTokens": 100, "ai.usage.completionTokens": 20, "gen_ai.system": "openai.chat" }, { name: "ai.generateText.doGenerate" }),
    ] }]);
    const calls = result.spans.filter((s) => s.llm);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.name).toBe("ai.generateText.doGenerate");
    expect(calls[0]!.llm).toMatchObject({ provider: "openai", model: "gpt-4o", inputTokens: 100, outputTokens: 20 });
  });

  it("agent and tool spans are never calls even when they carry rolled-up usage", () => {
    expect(one({ "gen_ai.operation.name": "invoke_agent", "gen_ai.usage.input_tokens": 5000 }).span!.llm).toBeNull();
    expect(one({ "gen_ai.operation.name": "execute_tool" }).span!.llm).toBeNull();
  });

  it("errors: status ERROR with error.type, or _OTHER", () => {
    expect(one({ "gen_ai.operation.name": "chat", "error.type": "429" }, { statusCode: 2 }).span).toMatchObject({ status: "error", llm: { errorType: "429" } });
    expect(one({ "gen_ai.operation.name": "chat" }, { statusCode: 2 }).span!.llm!.errorType).toBe("_OTHER");
  });

  it("rejects negative, NaN or absurd token counts as partial success instead of storing them", () => {
    for (const bad of [-5, Number.NaN, 1e15, "lots"]) {
      const { result } = one({ "gen_ai.operation.name": "chat", "gen_ai.usage.input_tokens": bad as number });
      expect(result.rejected).toBe(1);
      expect(result.rejectReasons[0]).toMatch(/token counts/);
    }
  });
});

describe("attribution context of a span", () => {
  it("span attributes, then resource, then baggage copies; feature falls back to service.name", () => {
    const { span } = one({ "inferledger.task.id": "t-1", "baggage.inferledger.customer.id": "acme", "http.request.resend_count": 2 }, {}, { "service.name": "checkout", "inferledger.task.type": "order" });
    expect(span!.attribution).toMatchObject({ feature: "checkout", taskId: "t-1", taskType: "order", customerId: "acme", retryAttempt: 2 });
    expect(one({ "inferledger.feature": "search", "gen_ai.prompt.name": "p", "inferledger.task.outcome": "FAILURE" }).span!.attribution).toMatchObject({ feature: "search", promptName: "p", taskOutcome: "failure" });
  });
});
