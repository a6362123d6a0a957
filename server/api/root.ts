import { alertsRouter } from "./routers/alerts.ts";
import { apiKeysRouter } from "./routers/api-keys.ts";
import { costsRouter } from "./routers/costs.ts";
import { gpuPoolsRouter } from "./routers/gpu-pools.ts";
import { pricesRouter } from "./routers/prices.ts";
import { tasksRouter } from "./routers/tasks.ts";
import { membersRouter } from "./routers/members.ts";
import { orgsRouter } from "./routers/orgs.ts";
import { whatifRouter } from "./routers/whatif.ts";
import { createCallerFactory, createTRPCRouter } from "./trpc.ts";

export const appRouter = createTRPCRouter({
  orgs: orgsRouter,
  members: membersRouter,
  apiKeys: apiKeysRouter,
  alerts: alertsRouter,
  costs: costsRouter,
  gpuPools: gpuPoolsRouter,
  prices: pricesRouter,
  tasks: tasksRouter,
  whatif: whatifRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
