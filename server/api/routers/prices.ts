import { z } from "zod";
import { createPriceOverride, deletePriceOverride, listPriceOverrides, PriceOverrideInputSchema } from "../../services/pricing/price-overrides.ts";
import { listPriceBook, PriceBookQuerySchema } from "../../services/pricing/price-book.ts";
import { createTRPCRouter, orgProcedure } from "../trpc.ts";

export const pricesRouter = createTRPCRouter({
  catalog: orgProcedure.input(z.object({ query: PriceBookQuerySchema.prefault({}) })).query(({ ctx, input }) => listPriceBook({ ctx: ctx.orgCtx, query: input.query })),
  overrides: orgProcedure.query(({ ctx }) => listPriceOverrides({ ctx: ctx.orgCtx })),
  createOverride: orgProcedure.input(z.object({ override: PriceOverrideInputSchema })).mutation(({ ctx, input }) => createPriceOverride({ ctx: ctx.orgCtx, input: input.override })),
  deleteOverride: orgProcedure.input(z.object({ id: z.string().min(1) })).mutation(({ ctx, input }) => deletePriceOverride({ ctx: ctx.orgCtx, id: input.id })),
});
