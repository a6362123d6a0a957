import { toNextJsHandler } from "better-auth/next-js";
import { getAuth } from "~/server/auth.ts";
import { checkSameOrigin } from "~/server/domain/access/same-origin.ts";
import { trustedOrigins } from "~/server/env.ts";

export const dynamic = "force-dynamic";
export const GET = (req: Request) => toNextJsHandler(getAuth()).GET(req);
/** Sign-in, sign-up, sign-out from another site's page are refused (login CSRF), in addition to better-auth's own checks. */
export const POST = (req: Request) => {
  const verdict = checkSameOrigin({ method: req.method, header: (name) => req.headers.get(name) }, trustedOrigins());
  if (!verdict.ok) return Response.json({ code: "CROSS_SITE_REQUEST", message: verdict.reason }, { status: 403 });
  return toNextJsHandler(getAuth()).POST(req);
};
