import { z } from "zod";
import { ROLES } from "../../domain/access/permissions.ts";
import { addMember, listMembers, removeMember, updateMemberRole } from "../../services/members/members.ts";
import { createTRPCRouter, orgProcedure } from "../trpc.ts";

export const membersRouter = createTRPCRouter({
  list: orgProcedure.query(({ ctx }) => listMembers({ ctx: ctx.orgCtx })),
  add: orgProcedure
    .input(z.object({ email: z.string().email(), role: z.enum(ROLES) }))
    .mutation(({ ctx, input }) => addMember({ ctx: ctx.orgCtx, email: input.email, role: input.role })),
  updateRole: orgProcedure
    .input(z.object({ memberId: z.string().min(1), role: z.enum(ROLES) }))
    .mutation(({ ctx, input }) => updateMemberRole({ ctx: ctx.orgCtx, memberId: input.memberId, role: input.role })),
  remove: orgProcedure
    .input(z.object({ memberId: z.string().min(1) }))
    .mutation(({ ctx, input }) => removeMember({ ctx: ctx.orgCtx, memberId: input.memberId })),
});
