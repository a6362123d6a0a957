import { apiKeysRouter } from "./routers/api-keys.ts";
import { membersRouter } from "./routers/members.ts";
import { orgsRouter } from "./routers/orgs.ts";
import { createCallerFactory, createTRPCRouter } from "./trpc.ts";

export const appRouter = createTRPCRouter({
  orgs: orgsRouter,
  members: membersRouter,
  apiKeys: apiKeysRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
