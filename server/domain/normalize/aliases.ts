import type { Attributes } from "./raw-types.ts";

/** First present attribute of each alias list, in FACTS.md §A.6 order (current OTel names first). */
export const TOKEN_ALIASES = {
  input: ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt", "ai.usage.inputTokens", "ai.usage.promptTokens", "llm.usage.prompt_tokens"],
  output: ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion", "ai.usage.outputTokens", "ai.usage.completionTokens", "llm.usage.completion_tokens"],
  cacheRead: ["gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens", "llm.token_count.prompt_details.cache_read", "llm.anthropic.usage.cache_read_input_tokens", "ai.usage.cachedInputTokens", "gen_ai.usage.input_tokens.cached"],
  cacheWrite: ["gen_ai.usage.cache_write.input_tokens", "gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens", "llm.token_count.prompt_details.cache_write", "llm.anthropic.usage.cache_creation_input_tokens", "gen_ai.usage.input_tokens.cache_write"],
  reasoning: ["gen_ai.usage.reasoning.output_tokens", "llm.token_count.completion_details.reasoning", "ai.usage.reasoningTokens", "gen_ai.usage.output_tokens.reasoning"],
} as const;

export const PROVIDER_ALIASES = ["gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system", "ai.model.provider"] as const;
export const RESPONSE_MODEL_ALIASES = ["gen_ai.response.model", "llm.response.model_name", "ai.response.model"] as const;
export const REQUEST_MODEL_ALIASES = ["gen_ai.request.model", "llm.request.model_name", "llm.model_name", "ai.model.id"] as const;

/** Legacy and third-party provider names → OTel `gen_ai.provider.name` values. */
const PROVIDER_NAMES: Record<string, string> = {
  "az.ai.openai": "azure.ai.openai",
  "az.ai.inference": "azure.ai.inference",
  azure: "azure.ai.openai",
  "azure-openai": "azure.ai.openai",
  xai: "x_ai",
  gemini: "gcp.gemini",
  google: "gcp.gemini",
  "google.generative-ai": "gcp.gemini",
  "google.vertex": "gcp.vertex_ai",
  vertexai: "gcp.vertex_ai",
  vertex_ai: "gcp.vertex_ai",
  mistralai: "mistral_ai",
  mistral: "mistral_ai",
  aws: "aws.bedrock",
  bedrock: "aws.bedrock",
  "amazon-bedrock": "aws.bedrock",
  togetherai: "together",
  "together.ai": "together",
  moonshot: "moonshot_ai",
};

const normalizedProviders = new Map<string, string>();

/** Normalizes provider spellings: case, Vercel's `openai.chat` style, legacy gen_ai.system values (memoized: few distinct values). */
export function normalizeProvider(raw: string): string {
  let normalized = normalizedProviders.get(raw);
  if (normalized === undefined) {
    if (normalizedProviders.size >= 1024) normalizedProviders.clear(); // values come from clients: keep the memo bounded
    normalizedProviders.set(raw, (normalized = normalizeProviderUncached(raw)));
  }
  return normalized;
}

function normalizeProviderUncached(raw: string): string {
  const lower = raw.trim().toLowerCase();
  if (PROVIDER_NAMES[lower]) return PROVIDER_NAMES[lower];
  // Vercel AI SDK: "<provider>.<api>" (openai.chat, anthropic.messages); keep dotted OTel names intact.
  const dot = lower.indexOf(".");
  if (dot > 0 && !["azure.", "aws.", "gcp.", "ibm."].some((p) => lower.startsWith(p))) {
    const head = lower.slice(0, dot);
    return PROVIDER_NAMES[head] ?? head;
  }
  return lower;
}

export function firstString(attrs: Attributes, keys: readonly string[]): string | null {
  for (let i = 0; i < keys.length; i++) {
    const v = attrs[keys[i]!];
    if (typeof v === "string") {
      const trimmed = v.trim();
      if (trimmed) return trimmed;
    }
  }
  return null;
}

/** Token counts: integer-valued and in [0, 1e12]; anything else is invalid (reported, not guessed). */
export type TokenRead = { value: number; found: boolean; invalid: boolean };

export function firstTokenCount(attrs: Attributes, keys: readonly string[]): TokenRead {
  const n = tokenCount(attrs, keys);
  return n === NO_TOKENS ? { value: 0, found: false, invalid: false } : n === INVALID_TOKENS ? { value: 0, found: true, invalid: true } : { value: n, found: true, invalid: false };
}

/** `firstTokenCount` without an object per read (per-span path): the count, or one of these two markers. */
export const NO_TOKENS = -1;
export const INVALID_TOKENS = -2;
const TOKEN_TEXT = /^\s*-?\d+(\.\d+)?\s*$/;

export function tokenCount(attrs: Attributes, keys: readonly string[]): number {
  for (let i = 0; i < keys.length; i++) {
    const v = attrs[keys[i]!];
    if (v === undefined || v === null) continue;
    const n = typeof v === "number" ? v : typeof v === "string" && TOKEN_TEXT.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n) || n < 0 || n > 1e12) return INVALID_TOKENS;
    return Math.round(n);
  }
  return NO_TOKENS;
}
