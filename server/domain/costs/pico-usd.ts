/**
 * Exact USD amounts as integers of 10^-12 USD ("pico-USD"), the resolution of every stored cost (numeric(24,12)):
 * sums of the pricer's 12-decimal strings without decimal.js objects per addition (which showed up in the
 * collector's CPU profile at ingest). BigInt, so no sum is ever rounded.
 */

const FRACTION_DIGITS = 12;

/** A decimal string → integer 10^-12 USD, rounded half away from zero past 12 places (as numeric(24,12) stores it). */
export function toPicoUsd(usd: string): bigint {
  const match = /^(-?)(?=\.?\d)(\d*)(?:\.(\d*))?$/.exec(usd);
  if (!match) throw new Error(`not a decimal amount: ${JSON.stringify(usd)}`);
  const whole = match[2] || "0";
  const fraction = match[3] ?? "";
  let pico = BigInt(whole + fraction.slice(0, FRACTION_DIGITS).padEnd(FRACTION_DIGITS, "0"));
  if (fraction.length > FRACTION_DIGITS && fraction.charCodeAt(FRACTION_DIGITS) >= 53 /* '5' */) pico += 1n;
  return match[1] ? -pico : pico;
}

/** Integer 10^-12 USD → the decimal string with 12 places. */
export function picoUsdToString(pico: bigint): string {
  const negative = pico < 0n;
  const digits = (negative ? -pico : pico).toString().padStart(FRACTION_DIGITS + 1, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -FRACTION_DIGITS)}.${digits.slice(-FRACTION_DIGITS)}`;
}

const PLAIN_AMOUNT = /^\d{1,3}\.\d{12}$/; // the pricer's and PostgreSQL's form of an amount below $1,000

/** A non-negative amount in the pricer's plain form below $1,000 → 10^-12 USD as a Number (exact: < 2^53); else null. */
export function parsePlainPicoUsd(usd: string): number | null {
  if (!PLAIN_AMOUNT.test(usd)) return null;
  const dot = usd.length - 13;
  return Number(usd.slice(0, dot)) * 1e12 + Number(usd.slice(dot + 1));
}

/** Integer 10^-12 USD held in a Number (a safe integer) → the decimal string with 12 places. */
export function picoNumberToString(pico: number): string {
  if (!Number.isSafeInteger(pico)) throw new RangeError(`not an exact amount of 10^-12 USD: ${pico}`);
  return picoUsdToString(BigInt(pico));
}
