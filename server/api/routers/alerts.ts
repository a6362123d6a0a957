import { z } from "zod";
import { ChannelInputSchema, createChannel, createRule, deleteChannel, deleteRule, enableChannel, listChannels, listEvents, listRules, RuleInputSchema, RuleUpdateSchema, updateRule } from "../../services/alerts/alert-config.ts";
import { testSend } from "../../services/alerts/test-send.ts";
import { deliverOutbox } from "../../services/alerts/deliver-outbox.ts";
import { DeliveryLogInputSchema, listDeliveryLog } from "../../services/alerts/list-delivery-log.ts";
import { evaluateOrgAlerts } from "../../services/alerts/evaluate-org-alerts.ts";
import { requirePermission } from "../../services/org-context.ts";
import { createTRPCRouter, orgProcedure } from "../trpc.ts";

export const alertsRouter = createTRPCRouter({
  rules: orgProcedure.query(({ ctx }) => listRules({ ctx: ctx.orgCtx })),
  createRule: orgProcedure.input(z.object({ rule: RuleInputSchema })).mutation(({ ctx, input }) => createRule({ ctx: ctx.orgCtx, input: input.rule })),
  deleteRule: orgProcedure.input(z.object({ id: z.string().min(1) })).mutation(({ ctx, input }) => deleteRule({ ctx: ctx.orgCtx, id: input.id })),
  updateRule: orgProcedure.input(z.object({ id: z.string().min(1), rule: RuleUpdateSchema })).mutation(({ ctx, input }) => updateRule({ ctx: ctx.orgCtx, id: input.id, input: input.rule })),
  testSend: orgProcedure.input(z.object({ channelId: z.string().min(1), ruleId: z.string().min(1).optional() })).mutation(({ ctx, input }) => testSend({ ctx: ctx.orgCtx, channelId: input.channelId, ruleId: input.ruleId })),
  deleteChannel: orgProcedure.input(z.object({ id: z.string().min(1) })).mutation(({ ctx, input }) => deleteChannel({ ctx: ctx.orgCtx, id: input.id })),
  enableChannel: orgProcedure.input(z.object({ id: z.string().min(1) })).mutation(({ ctx, input }) => enableChannel({ ctx: ctx.orgCtx, id: input.id })),
  channels: orgProcedure.query(({ ctx }) => listChannels({ ctx: ctx.orgCtx })),
  createChannel: orgProcedure.input(z.object({ channel: ChannelInputSchema })).mutation(({ ctx, input }) => createChannel({ ctx: ctx.orgCtx, input: input.channel })),
  events: orgProcedure.input(z.object({ status: z.enum(["open", "resolved"]).optional() })).query(({ ctx, input }) => listEvents({ ctx: ctx.orgCtx, status: input.status })),
  /** Every delivery attempt, newest first; `cursor` makes it an infinite query on the client. */
  deliveryLog: orgProcedure.input(DeliveryLogInputSchema).query(({ ctx, input }) => listDeliveryLog({ ctx: ctx.orgCtx, input })),
  /** "Evaluate now" from the UI: same path as the scheduler, then an immediate delivery pass. */
  evaluateNow: orgProcedure.mutation(async ({ ctx }) => {
    requirePermission(ctx.orgCtx, "alerts:manage");
    const report = await evaluateOrgAlerts({ ctx: ctx.orgCtx });
    await deliverOutbox({ db: ctx.db });
    return report;
  }),
});
