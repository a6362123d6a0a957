import { z } from "zod";
import { can, ROLE_PERMISSIONS } from "../../domain/access/permissions.ts";
import { createOrg } from "../../services/orgs/create-org.ts";
import { listMyOrgs } from "../../services/orgs/memberships.ts";
import { createTRPCRouter, orgProcedure, protectedProcedure } from "../trpc.ts";

export const orgsRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listMyOrgs({ db: ctx.db, userId: ctx.user.id })),
  create: protectedProcedure
    .input(z.object({ name: z.string().min(1).max(100) }))
    .mutation(({ ctx, input }) => createOrg({ db: ctx.db, name: input.name, ownerUserId: ctx.user.id })),
  /** The org as the caller sees it: role and permissions drive what the UI offers. */
  get: orgProcedure.query(({ ctx }) => {
    const role = ctx.orgCtx.actor.type === "user" ? ctx.orgCtx.actor.role : "viewer";
    return { ...ctx.orgCtx.org, role, permissions: ROLE_PERMISSIONS[role], canManageKeys: can(role, "keys:manage") };
  }),
});
