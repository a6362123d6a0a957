import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeSpans } from "../../../../../server/domain/normalize/normalize-spans.ts";
import type { Attributes, AttrValue, RawResourceSpans } from "../../../../../server/domain/normalize/raw-types.ts";
import { normalizeSpans as referenceNormalizeSpans } from "../../../../fixtures/reference/normalize-spans-reference.ts";

// Thousands of generated cases: generous when the suite shares the machine with other work.
const PROPERTY_TIMEOUT_MS = 60_000;

// Every attribute the normalizer reads, their baggage copies, and a few it does not.
const READ = ["ai.model.id", "ai.model.provider", "ai.response.model", "ai.stream.msToFirstChunk", "ai.usage.cachedInputTokens", "ai.usage.completionTokens", "ai.usage.inputTokens", "ai.usage.outputTokens", "ai.usage.promptTokens", "ai.usage.reasoningTokens", "error.type", "gen_ai.operation.name", "gen_ai.prompt.name", "gen_ai.prompt.version", "gen_ai.provider.name", "gen_ai.request.model", "gen_ai.request.stream", "gen_ai.response.model", "gen_ai.response.time_to_first_chunk", "gen_ai.system", "gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens", "gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens", "gen_ai.usage.cache_write.input_tokens", "gen_ai.usage.completion_tokens", "gen_ai.usage.input_tokens", "gen_ai.usage.input_tokens.cache_write", "gen_ai.usage.input_tokens.cached", "gen_ai.usage.output_tokens", "gen_ai.usage.output_tokens.reasoning", "gen_ai.usage.prompt_tokens", "gen_ai.usage.reasoning.output_tokens", "http.request.resend_count", "inferledger.customer.id", "inferledger.feature", "inferledger.prompt.name", "inferledger.prompt.system_tokens", "inferledger.prompt.version", "inferledger.retry.attempt", "inferledger.task.id", "inferledger.task.outcome", "inferledger.task.type", "llm.anthropic.usage.cache_creation_input_tokens", "llm.anthropic.usage.cache_read_input_tokens", "llm.anthropic.usage.total_input_tokens", "llm.is_streaming", "llm.model_name", "llm.provider", "llm.request.model_name", "llm.request.type", "llm.response.model_name", "llm.system", "llm.token_count.completion", "llm.token_count.completion_details.reasoning", "llm.token_count.prompt", "llm.token_count.prompt_details.cache_read", "llm.token_count.prompt_details.cache_write", "llm.usage.completion_tokens", "llm.usage.prompt_tokens", "openinference.span.kind", "server.address", "service.name", "traceloop.span.kind"];
const KEYS = [...READ, ...READ.filter((k) => k.startsWith("inferledger.") || k.startsWith("gen_ai.prompt")).map((k) => `baggage.${k}`), "other", "constructor"];

const value: fc.Arbitrary<AttrValue> = fc.oneof(
  fc.constantFrom("chat", "Chat ", "embeddings", "invoke_agent", "execute_tool", "rerank", "LLM", "embedding", "tool", "llm", "success", " FAILURE ", "openai", "az.ai.openai", "openai.chat", "Anthropic", "gcp.gemini", "aws.bedrock", "constructor", "gpt-4o", "", "  ", "x".repeat(300)),
  fc.constantFrom("12", " 7 ", "1.5", "-3", "1e3", "abc", "1000000000001"),
  fc.oneof(fc.integer({ min: -5, max: 5_000_000 }), fc.double(), fc.constantFrom(-0, 0.4, 1e12, 1e12 + 1, 2e9, NaN, Infinity)),
  fc.boolean(),
  fc.constant(null),
  fc.constant<AttrValue>(["a"]),
);
const attributes: fc.Arbitrary<Attributes> = fc.array(fc.tuple(fc.constantFrom(...KEYS), value), { maxLength: 14 }).map((pairs) => {
  const out: Attributes = {};
  for (const [k, v] of pairs) out[k] = v;
  return out;
});
const names = ["chat gpt-4o", "ai.generateText", "ai.generateText.doGenerate", "ai.streamText.doStream", "ai.embed.doEmbed", "ai.toolCall", "doEmbed x", "x.doStream", "plain"];
const resourceSpans: fc.Arbitrary<RawResourceSpans[]> = fc.array(fc.record({
  resource: attributes,
  spans: fc.array(fc.record({
    traceId: fc.constant("0af7651916cd43dd8448eb211c80319c"), spanId: fc.constant("00f067aa0ba902b7"), parentSpanId: fc.constantFrom(null, "00f067aa0ba902b8"),
    name: fc.constantFrom(...names), kind: fc.integer({ min: 0, max: 5 }),
    startTimeUnixNano: fc.constant(1_760_000_000_000_000_000n), endTimeUnixNano: fc.constant(1_760_000_001_000_000_000n),
    statusCode: fc.integer({ min: 0, max: 2 }), statusMessage: fc.constantFrom(null, "boom"), attributes,
  }), { maxLength: 4 }),
}), { maxLength: 3 });

describe("span normalization equals the previous implementation", () => {
  it("on random attribute sets over every name it reads (types, whitespace, case, limits, baggage)", () => {
    fc.assert(fc.property(resourceSpans, (rs) => {
      expect(normalizeSpans(rs)).toStrictEqual(referenceNormalizeSpans(rs));
    }), { numRuns: 20_000 });
  }, PROPERTY_TIMEOUT_MS);
});
