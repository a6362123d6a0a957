import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { Db } from "../db/client.ts";
import { getDb } from "../db/index.ts";
import { getAuth } from "../auth.ts";
import { AppError } from "../errors.ts";
import { runAsTenant } from "../db/tenant-scope.ts";
import { resolveUserOrgContext } from "../services/orgs/memberships.ts";

export type SessionUser = { id: string; email: string; name: string };
export type TrpcContext = { db: Db; user: SessionUser | null };

export async function createTrpcContext({ headers }: { headers: Headers }): Promise<TrpcContext> {
  const session = await getAuth().api.getSession({ headers });
  const user = session ? { id: session.user.id, email: session.user.email, name: session.user.name } : null;
  return { db: getDb(), user };
}

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: { ...shape.data, zodError: error.cause instanceof ZodError ? error.cause.flatten() : null },
    };
  },
});

/** One place maps AppError → TRPCError; unexpected errors are logged and hidden behind "Internal error". */
const errorMiddleware = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) {
      throw new TRPCError({ code: cause.code, message: cause.message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      console.error(`[trpc] ${path} failed:`, result.error.cause ?? result.error);
      throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Internal error" });
    }
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(errorMiddleware);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const OrgInputSchema = z.object({ orgSlug: z.string().min(1).max(100) });

/**
 * Resolves the session user's membership in `orgSlug` and hands services an OrgContext. Non-members get
 * NOT_FOUND, so an org's existence is not revealed. Permissions are checked by each service.
 */
export const orgProcedure = protectedProcedure.input(OrgInputSchema).use(async ({ ctx, input, next }) => {
  const orgCtx = await resolveUserOrgContext({ db: ctx.db, userId: ctx.user.id, orgSlug: input.orgSlug });
  // From here on the database enforces the org too (row-level security, server/db/tenant-scope.ts).
  return runAsTenant(orgCtx.org.id, () => next({ ctx: { ...ctx, orgCtx } }));
});
