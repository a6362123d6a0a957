import Decimal from "decimal.js";
import type { ApiPrice } from "./types.ts";

const MILLION = new Decimal(1_000_000);

/** Token counts of some traffic (floats allowed: scenario shares split calls fractionally). */
export type TokenCounts = { inputTokens: number; cachedInputTokens: number; cacheWriteTokens: number; outputTokens: number };

/**
 * USD for tokens at a price: (input − cached − writes)·in + cached·cachedIn + writes·write + output·out, per 1M;
 * missing cached/write rates bill as input. Fractional token counts are rounded to 1e-6 tokens.
 */
export function priceTokens(price: ApiPrice, t: TokenCounts): Decimal {
  const pIn = new Decimal(price.inputUsdPerMTok);
  const pCached = price.cachedInputUsdPerMTok === null ? pIn : new Decimal(price.cachedInputUsdPerMTok);
  const pWrite = price.cacheWriteUsdPerMTok === null ? pIn : new Decimal(price.cacheWriteUsdPerMTok);
  const tok = (n: number): Decimal => new Decimal(n.toFixed(6));
  const uncached = Math.max(0, t.inputTokens - t.cachedInputTokens - t.cacheWriteTokens);
  return pIn.mul(tok(uncached)).plus(pCached.mul(tok(t.cachedInputTokens))).plus(pWrite.mul(tok(t.cacheWriteTokens))).plus(new Decimal(price.outputUsdPerMTok).mul(tok(t.outputTokens))).div(MILLION);
}

/** The price for provider/model from the caller's list (exact match), or undefined. */
export function findPrice(prices: readonly ApiPrice[], provider: string | null, model: string | null): ApiPrice | undefined {
  if (provider === null || model === null) return undefined;
  return prices.find((p) => p.provider === provider && p.model === model);
}
