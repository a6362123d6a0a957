import { parseReadApiParams, type ReadApiParams } from "~/server/domain/costs/read-api-params.ts";
import { authenticateReadKey } from "~/server/services/api-keys/authenticate-request.ts";
import type { OrgContext } from "~/server/services/org-context.ts";
import { runAsTenant } from "~/server/db/tenant-scope.ts";

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

/** Shared front door of the read API: read-key auth (401) and parameter validation (400). */
export async function withReadApi(req: Request, run: (ctx: OrgContext, params: ReadApiParams) => Promise<Response>): Promise<Response> {
  const ctx = await authenticateReadKey(req.headers);
  if (!ctx) return json(401, { error: "missing, invalid or revoked read key (Authorization: Bearer <read key>)" }, { "www-authenticate": "Bearer" });
  const parsed = parseReadApiParams(new URL(req.url).searchParams);
  if (!parsed.ok) return json(400, { error: parsed.message });
  // The database enforces the key's org too (row-level security, server/db/tenant-scope.ts).
  return runAsTenant(ctx.org.id, () => run(ctx, parsed.value));
}

export { json };
