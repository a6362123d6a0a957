/** What each rule type watches and what its number means (shown next to rules and in the empty state). */
export const TYPE_HELP: Record<string, string> = {
  prompt_creep: "input tokens/call of a feature × prompt grew more than X (ratio, e.g. 0.2) vs. the 28 days before the last 7",
  cost_regression: "cost per successful task of a feature rose more than X (ratio); names the likely cause",
  budget: "month-to-date spend or its forecast reaches the monthly budget (X = budget in USD)",
  waste: "retry waste, failed calls and idle GPU above X (ratio) of spend, or runaway agent loops",
  idle_gpu: "a GPU pool idle more than X (ratio) of its paid time",
};

/** The rule's one headline number: a budget in USD, else a ratio threshold. Empty input → the rule's default. */
export function thresholdConfig(type: string, raw: string): Record<string, number> {
  if (raw.trim() === "") return {};
  const x = Number(raw);
  return type === "budget" ? { monthlyBudgetUsd: x } : { threshold: x };
}

export function thresholdOf(type: string, config: unknown): string {
  const c = (config ?? {}) as Record<string, unknown>;
  const v = type === "budget" ? c.monthlyBudgetUsd : c.threshold;
  return typeof v === "number" ? String(v) : "";
}
