import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "~/server/api/root.ts";
import { createTrpcContext } from "~/server/api/trpc.ts";
import { checkSameOrigin } from "~/server/domain/access/same-origin.ts";
import { trustedOrigins } from "~/server/env.ts";

export const dynamic = "force-dynamic";

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => {
      // Mutations (POST) from another site's page are refused before the session is even looked up.
      const verdict = checkSameOrigin({ method: req.method, header: (name) => req.headers.get(name) }, trustedOrigins());
      if (!verdict.ok) throw new TRPCError({ code: "FORBIDDEN", message: verdict.reason });
      return createTrpcContext({ headers: req.headers });
    },
  });

export { handler as GET, handler as POST };
