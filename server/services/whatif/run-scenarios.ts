import type { PeriodPreset } from "../../domain/costs/period.ts";
import { indexTraffic, runWhatIf, type Scenario, type WhatIfResult } from "../../domain/whatif/index.ts";
import { ScenarioListSchema } from "../../domain/whatif/schema.ts";
import { ValidationError } from "../../errors.ts";
import type { OrgContext } from "../org-context.ts";
import { loadWhatIfTraffic } from "./load-traffic.ts";

/**
 * Runs a scenario list over the org's traffic of a period on the server (the page runs the same engine in the
 * browser). Engine errors about the input (unknown GPU or model, a model that does not fit) are the caller's.
 */
export async function runWhatIfScenarios({ ctx, preset, scenarios, nowMs }: { ctx: OrgContext; preset: PeriodPreset; scenarios: readonly Scenario[]; nowMs: number }): Promise<WhatIfResult & { unpricedCalls: number }> {
  const parsed = ScenarioListSchema.safeParse(scenarios);
  if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const traffic = await loadWhatIfTraffic({ ctx, preset, nowMs });
  const index = indexTraffic(traffic.rows, { startMs: traffic.period.startMs, endMs: traffic.period.endMs });
  try {
    return { ...runWhatIf(index, parsed.data, { prices: traffic.prices }), unpricedCalls: traffic.unpricedCalls };
  } catch (e) {
    throw new ValidationError((e as Error).message);
  }
}
