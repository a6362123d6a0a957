import Decimal from "decimal.js";

/** A rate in USD per 1M tokens, flat or tiered by the request's total input tokens. */
export type Rate = string | { base: string; tiers: { startInputTokens: number; usdPerMTok: string }[] };

export type CallRates = {
  input: Rate;
  cacheRead: Rate | null; // null → billed as input
  cacheWrite: Rate | null; // null → billed as input
  output: Rate;
};

export type CallTokens = { inputTokens: number; cacheReadTokens: number; cacheWriteTokens: number; outputTokens: number };

const MILLION = new Decimal(1_000_000);

/** The tier in force for a request: the highest tier whose start the total input strictly exceeds (whole request repriced). */
export function rateFor(rate: Rate, totalInputTokens: number): Decimal {
  if (typeof rate === "string") return new Decimal(rate);
  let chosen = rate.base;
  for (const tier of [...rate.tiers].sort((a, b) => a.startInputTokens - b.startInputTokens)) {
    if (totalInputTokens > tier.startInputTokens) chosen = tier.usdPerMTok;
  }
  return new Decimal(chosen);
}

/**
 * Exact cost of one call in USD:
 * (input − cacheRead − cacheWrite)·pIn + cacheRead·pCacheRead + cacheWrite·pCacheWrite + output·pOut, per 1M tokens.
 * Input counts all input tokens (OTel semantics); reasoning tokens are part of output.
 */
export function callCostUsd(tokens: CallTokens, rates: CallRates): Decimal {
  const total = tokens.inputTokens;
  const uncached = Math.max(0, tokens.inputTokens - tokens.cacheReadTokens - tokens.cacheWriteTokens);
  const pIn = rateFor(rates.input, total);
  const pRead = rates.cacheRead ? rateFor(rates.cacheRead, total) : pIn;
  const pWrite = rates.cacheWrite ? rateFor(rates.cacheWrite, total) : pIn;
  const pOut = rateFor(rates.output, total);
  return pIn
    .mul(uncached)
    .plus(pRead.mul(tokens.cacheReadTokens))
    .plus(pWrite.mul(tokens.cacheWriteTokens))
    .plus(pOut.mul(tokens.outputTokens))
    .div(MILLION);
}

/** Applies a percentage discount (e.g. "15" = 15% off) to every rate. */
export function discounted(rates: CallRates, percent: string): CallRates {
  const factor = new Decimal(1).minus(new Decimal(percent).div(100));
  const scale = (r: Rate): Rate =>
    typeof r === "string" ? new Decimal(r).mul(factor).toString() : { base: new Decimal(r.base).mul(factor).toString(), tiers: r.tiers.map((t) => ({ ...t, usdPerMTok: new Decimal(t.usdPerMTok).mul(factor).toString() })) };
  return { input: scale(rates.input), cacheRead: rates.cacheRead && scale(rates.cacheRead), cacheWrite: rates.cacheWrite && scale(rates.cacheWrite), output: scale(rates.output) };
}

/** OTel gen_ai.provider.name → price-catalog provider id (null: no catalog; such calls are unpriced unless overridden). */
const CATALOG_PROVIDER: Record<string, string> = {
  "gcp.gemini": "google",
  "gcp.vertex_ai": "google",
  "aws.bedrock": "aws",
  mistral_ai: "mistral",
  "azure.ai.openai": "azure",
  x_ai: "x-ai",
  moonshot_ai: "moonshotai",
};

export function catalogProviderId(otelProvider: string | null): string | null {
  if (!otelProvider) return null;
  return CATALOG_PROVIDER[otelProvider] ?? otelProvider;
}

/** Model names as catalogs know them: no `models/` prefix, no `-001` style revision suffix. */
export function normalizeModelName(model: string): string {
  return model.replace(/^models\//, "").replace(/-\d{3}$/, "");
}
