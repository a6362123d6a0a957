import Decimal from "decimal.js";
import { callCostUsd, type CallRates, type CallTokens, type Rate } from "./call-cost.ts";

/**
 * Call rates prepared once per price (not per call): every USD-per-1M-token rate as a whole number of
 * 10^-scale USD, one scale for the whole set, tiers sorted as `rateFor` sorts them.
 */
export type ScaledRates = {
  scale: number;
  input: ScaledRate;
  cacheRead: ScaledRate | null; // null → billed as input
  cacheWrite: ScaledRate | null;
  output: ScaledRate;
  maxUnits: number; // the largest rate in units: bounds every product, to pick exact float vs bigint arithmetic
  source: CallRates; // for the decimal.js path (token counts that are not safe integers, sums beyond 20 digits)
};
type ScaledRate = { base: number; baseBig: bigint; tiers: { startInputTokens: number; units: number; unitsBig: bigint }[] };

type ParsedDecimal = { digits: bigint; fractionDigits: number };

// Plain and exponent notation, as decimal.js prints and PostgreSQL numeric::text gives; anything else (signs,
// hex, NaN) is left to decimal.js so its errors and results stay exactly as before.
const DECIMAL = /^(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function parseDecimal(text: string): ParsedDecimal | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const fraction = m[2] ?? "";
  const fractionDigits = fraction.length - Number(m[3] ?? 0);
  if (!Number.isSafeInteger(fractionDigits) || Math.abs(fractionDigits) > 60) return null;
  const digits = BigInt(m[1]! + fraction);
  return fractionDigits >= 0 ? { digits, fractionDigits } : { digits: digits * 10n ** BigInt(-fractionDigits), fractionDigits: 0 };
}

function decimalEquals(text: string, p: ParsedDecimal): boolean {
  try {
    return new Decimal(text).eq(new Decimal(`${p.digits}e-${p.fractionDigits}`));
  } catch {
    return false;
  }
}

function rateTexts(rate: Rate): string[] {
  return typeof rate === "string" ? [rate] : [rate.base, ...rate.tiers.map((t) => t.usdPerMTok)];
}

/** Null when a rate is not a plain non-negative decimal: such prices keep the decimal.js path. */
export function scaleRates(rates: CallRates): ScaledRates | null {
  const all = [rates.input, rates.cacheRead, rates.cacheWrite, rates.output].filter((r): r is Rate => r !== null).flatMap(rateTexts);
  const parsed = new Map<string, ParsedDecimal>();
  for (const text of all) {
    const p = parseDecimal(text);
    // Only what decimal.js reads as the same number (it also accepts forms like "1_0" that we leave to it).
    if (!p || !decimalEquals(text, p)) return null;
    parsed.set(text, p);
  }
  const scale = Math.max(0, ...[...parsed.values()].map((p) => p.fractionDigits));
  let maxUnits = 0;
  const units = (text: string): { n: number; big: bigint } => {
    const p = parsed.get(text)!;
    const big = p.digits * 10n ** BigInt(scale - p.fractionDigits);
    const n = Number(big);
    if (n > maxUnits) maxUnits = n;
    return { n, big };
  };
  const scaled = (rate: Rate): ScaledRate => {
    if (typeof rate === "string") {
      const u = units(rate);
      return { base: u.n, baseBig: u.big, tiers: [] };
    }
    const base = units(rate.base);
    const tiers = [...rate.tiers].sort((a, b) => a.startInputTokens - b.startInputTokens).map((t) => {
      const u = units(t.usdPerMTok);
      return { startInputTokens: t.startInputTokens, units: u.n, unitsBig: u.big };
    });
    return { base: base.n, baseBig: base.big, tiers };
  };
  return {
    scale,
    input: scaled(rates.input),
    cacheRead: rates.cacheRead ? scaled(rates.cacheRead) : null,
    cacheWrite: rates.cacheWrite ? scaled(rates.cacheWrite) : null,
    output: scaled(rates.output),
    maxUnits,
    source: rates,
  };
}

/** Same rule as `rateFor`: the last (highest) tier whose start the total input strictly exceeds. */
function tierIndex(rate: ScaledRate, totalInputTokens: number): number {
  let chosen = -1;
  for (let i = 0; i < rate.tiers.length; i++) if (totalInputTokens > rate.tiers[i]!.startInputTokens) chosen = i;
  return chosen;
}
const unitsOf = (rate: ScaledRate, tier: number): number => (tier < 0 ? rate.base : rate.tiers[tier]!.units);
const bigUnitsOf = (rate: ScaledRate, tier: number): bigint => (tier < 0 ? rate.baseBig : rate.tiers[tier]!.unitsBig);

const isTokenCount = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;
const TWENTY_DIGITS = 10n ** 20n;

/**
 * Exactly `callCostUsd(tokens, rates).toFixed(12)` without decimal.js per call. The sum of rate × tokens is an
 * integer in units of 10^-(scale+6) USD: computed in floats while it stays below 2^53 (exact), else in bigint.
 * decimal.js rounds each step to 20 significant digits; below 10^20 units no step rounds, so the results are equal.
 * Beyond that (absurd token counts or rates with very many digits) the decimal.js path is taken as before.
 */
export function scaledCallCostUsd(tokens: CallTokens, rates: ScaledRates): string {
  const { inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens } = tokens;
  if (!isTokenCount(inputTokens) || !isTokenCount(cacheReadTokens) || !isTokenCount(cacheWriteTokens) || !isTokenCount(outputTokens)) {
    return callCostUsd(tokens, rates.source).toFixed(12);
  }
  const uncached = Math.max(0, inputTokens - cacheReadTokens - cacheWriteTokens);
  const inTier = tierIndex(rates.input, inputTokens);
  const readRate = rates.cacheRead ?? rates.input;
  const readTier = rates.cacheRead ? tierIndex(rates.cacheRead, inputTokens) : inTier;
  const writeRate = rates.cacheWrite ?? rates.input;
  const writeTier = rates.cacheWrite ? tierIndex(rates.cacheWrite, inputTokens) : inTier;
  const outTier = tierIndex(rates.output, inputTokens);
  const tokenSum = uncached + cacheReadTokens + cacheWriteTokens + outputTokens;
  if (rates.maxUnits * tokenSum <= Number.MAX_SAFE_INTEGER) {
    // +0 for every term (never -0: uncached comes from Math.max(0, …) and leads the sum).
    const units = unitsOf(rates.input, inTier) * uncached + unitsOf(readRate, readTier) * cacheReadTokens
      + unitsOf(writeRate, writeTier) * cacheWriteTokens + unitsOf(rates.output, outTier) * outputTokens;
    return formatUnits(units, rates.scale + 6);
  }
  const units = bigUnitsOf(rates.input, inTier) * BigInt(uncached) + bigUnitsOf(readRate, readTier) * BigInt(cacheReadTokens)
    + bigUnitsOf(writeRate, writeTier) * BigInt(cacheWriteTokens) + bigUnitsOf(rates.output, outTier) * BigInt(outputTokens);
  if (units >= TWENTY_DIGITS) return callCostUsd(tokens, rates.source).toFixed(12);
  return formatBigUnits(units, rates.scale + 6);
}

const FRACTION_DIGITS = 12;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i); // exact doubles up to 10^22

/** A non-negative integer count of 10^-exponent USD → a 12-decimal string, rounded half up (decimal.js default). */
function formatUnits(units: number, exponent: number): string {
  if (exponent > 22) return formatBigUnits(BigInt(units), exponent);
  const unit = POW10[exponent]!;
  const fraction = units % unit; // exact for integers below 2^53
  let whole = (units - fraction) / unit;
  let digits: number;
  if (exponent <= FRACTION_DIGITS) {
    digits = fraction; // padded with zeros below
    return `${whole}.${String(digits).padStart(exponent, "0")}${"0".repeat(FRACTION_DIGITS - exponent)}`;
  }
  const drop = POW10[exponent - FRACTION_DIGITS]!;
  const rest = fraction % drop;
  digits = (fraction - rest) / drop;
  if (rest * 2 >= drop) digits++;
  if (digits === POW10[FRACTION_DIGITS]) {
    digits = 0;
    whole++;
  }
  return `${whole}.${String(digits).padStart(FRACTION_DIGITS, "0")}`;
}

function formatBigUnits(units: bigint, exponent: number): string {
  if (exponent <= FRACTION_DIGITS) units *= 10n ** BigInt(FRACTION_DIGITS - exponent);
  else {
    const drop = 10n ** BigInt(exponent - FRACTION_DIGITS);
    const rest = units % drop;
    units = units / drop + (rest * 2n >= drop ? 1n : 0n);
  }
  const text = units.toString().padStart(FRACTION_DIGITS + 1, "0");
  return `${text.slice(0, -FRACTION_DIGITS)}.${text.slice(-FRACTION_DIGITS)}`;
}
