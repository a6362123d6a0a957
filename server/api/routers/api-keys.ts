import { z } from "zod";
import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys/api-keys.ts";
import { createTRPCRouter, orgProcedure } from "../trpc.ts";

export const apiKeysRouter = createTRPCRouter({
  list: orgProcedure.query(({ ctx }) => listApiKeys({ ctx: ctx.orgCtx })),
  create: orgProcedure
    .input(z.object({ kind: z.enum(["ingest", "read"]), name: z.string().min(1).max(100) }))
    .mutation(({ ctx, input }) => createApiKey({ ctx: ctx.orgCtx, kind: input.kind, name: input.name })),
  revoke: orgProcedure
    .input(z.object({ keyId: z.string().min(1) }))
    .mutation(({ ctx, input }) => revokeApiKey({ ctx: ctx.orgCtx, keyId: input.keyId })),
});
