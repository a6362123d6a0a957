import { z } from "zod";
import { PERIOD_PRESETS } from "../../domain/costs/period.ts";
import { ScenarioListSchema } from "../../domain/whatif/schema.ts";
import { loadWhatIfTrafficColumns } from "../../services/whatif/load-traffic.ts";
import { runWhatIfScenarios } from "../../services/whatif/run-scenarios.ts";
import { deleteSavedScenario, listSavedScenarios, saveScenario, SaveScenarioInputSchema } from "../../services/whatif/saved-scenarios.ts";
import { createTRPCRouter, orgProcedure } from "../trpc.ts";

const Period = z.enum(PERIOD_PRESETS).default("30d");

export const whatifRouter = createTRPCRouter({
  /** Hourly traffic (in columns) + effective prices of a period: the page runs the engine on it in the browser. */
  traffic: orgProcedure.input(z.object({ period: Period })).query(({ ctx, input }) => loadWhatIfTrafficColumns({ ctx: ctx.orgCtx, preset: input.period, nowMs: Date.now() })),
  run: orgProcedure
    .input(z.object({ period: Period, scenarios: ScenarioListSchema }))
    .query(({ ctx, input }) => runWhatIfScenarios({ ctx: ctx.orgCtx, preset: input.period, scenarios: input.scenarios, nowMs: Date.now() })),
  scenarios: orgProcedure.query(({ ctx }) => listSavedScenarios({ ctx: ctx.orgCtx })),
  saveScenario: orgProcedure.input(SaveScenarioInputSchema).mutation(({ ctx, input }) => saveScenario({ ctx: ctx.orgCtx, input })),
  deleteScenario: orgProcedure.input(z.object({ id: z.string().min(1).max(100) })).mutation(({ ctx, input }) => deleteSavedScenario({ ctx: ctx.orgCtx, id: input.id })),
});
