import Decimal from "decimal.js";

/** USD for display: cents for normal amounts, more places for sub-cent amounts (never rounds $0.0004 to $0.00). */
export function formatUsd(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const d = new Decimal(value);
  const abs = d.abs();
  const places = abs.gte(1) || abs.isZero() ? 2 : abs.gte(0.01) ? 4 : 6;
  const [int, frac] = abs.toFixed(places).split(".");
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${d.isNegative() ? "-" : ""}$${grouped}${frac ? `.${frac}` : ""}`;
}
